"""Messages in each of the four languages are kept exactly; system events read in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from aftersales.cases import actions
from aftersales.cases.events import event_text
from aftersales.cases.tests.conftest import api_client
from aftersales.core.tests.factories import CustomerUserFactory

pytestmark = pytest.mark.django_db

MESSAGES = {
    "zh-hant": ("冷氣機漏水", "您好，冷氣機室內機一直滴水，已經用了三個月，請問保固內可以到府維修嗎？"),
    "zh-hans": ("洗衣机不脱水", "你好，洗衣机显示 E21，不脱水。买了不到15天，可以换货吗？"),
    "ko": ("노트북 배터리 부풀음", "안녕하세요. 노트북 배터리가 부풀어서 키보드가 들렸어요. 무상 수리 가능한가요?"),
    "en": ("TV line of dead pixels", "Hello, a vertical green line appeared on my TV after two weeks. Exchange?"),
}

STATUS_SENTENCE = {
    "en": "Status changed from New to Open",
    "zh-hant": "狀態由「新案件」變更為「處理中」",
    "zh-hans": "状态由“新工单”变更为“处理中”",
    "ko": "상태가 '신규'에서 '처리 중'(으)로 변경됨",
}


@pytest.mark.parametrize("language", sorted(MESSAGES))
def test_a_message_in_each_language_round_trips(language, agent, supervisor):
    subject, body = MESSAGES[language]
    user = CustomerUserFactory(language=language, customer__language=language)
    client = api_client(user)
    created = client.post("/api/v1/cases", {"subject": subject, "body": body}, content_type="application/json")
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["subject"] == subject and case["language"] == language

    reply = api_client(supervisor).post(f"/api/v1/cases/{case['id']}/messages",
                                        {"body": body[::-1], "language": language},
                                        content_type="application/json")
    assert reply.status_code == 201
    timeline = client.get(f"/api/v1/cases/{case['id']}/timeline").json()
    bodies = [e["body"] for e in timeline if e["kind"] == "message"]
    assert bodies == [body, body[::-1]]
    assert {e["language"] for e in timeline if e["kind"] == "message"} == {language}


@pytest.mark.parametrize("language", sorted(STATUS_SENTENCE))
def test_events_read_in_the_readers_language(language, agent):
    user = CustomerUserFactory()
    case = actions.case_open(customer=user.customer, subject="x", actor=user)
    actions.case_change_status(case=case, target="open", actor=agent)
    event = case.entries.get(event="status_changed")
    with translation.override(language):
        assert event_text(event) == STATUS_SENTENCE[language]


@pytest.mark.parametrize("language", sorted(STATUS_SENTENCE))
def test_api_answers_in_the_users_language(language, agent):
    user = CustomerUserFactory(language=language)
    case = actions.case_open(customer=user.customer, subject="x", actor=user)
    actions.case_change_status(case=case, target="open", actor=agent)
    timeline = api_client(user).get(f"/api/v1/cases/{case.pk}/timeline").json()
    assert [e["text"] for e in timeline if e["event"] == "status_changed"] == [STATUS_SENTENCE[language]]
