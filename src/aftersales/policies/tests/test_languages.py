"""The explanation (and a refusal's detail) reads in the reader's language: an explicit
Accept-Language header, else the account's language. Rule ids, sources and numbers do not change."""

from __future__ import annotations

import json

import pytest

from aftersales.accounts.models import Role
from aftersales.core.tests.api_support import api_client
from aftersales.core.tests.factories import UserFactory
from aftersales.policies.tests.support import EVALUATE, RETURN_CLAIM, evaluate
from aftersales.policies.tests.test_case_files import CASES

pytestmark = pytest.mark.django_db

TRANSLATED = ["zh-hant", "zh-hans", "ko"]
ANSWERED = [c for c in CASES if "error" not in c["expect"]]


def _client(language: str = "en"):
    return api_client(UserFactory(role=Role.AGENT, language=language))


def _texts(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [e["text"] for e in response.json()["explanation"]]


@pytest.fixture
def english(test_policy):
    return evaluate(_client(), RETURN_CLAIM).json()


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_accounts_language(english, language):
    body = evaluate(_client(language), RETURN_CLAIM).json()
    assert [e["text"] for e in body["explanation"]] != [e["text"] for e in english["explanation"]]
    assert all(a["text"] != b["text"] for a, b in zip(body["explanation"], english["explanation"], strict=True))
    # Only the sentences change.
    assert {k: v for k, v in body.items() if k != "explanation"} == {
        k: v for k, v in english.items() if k != "explanation"}
    assert [(e["rule"], e["source"]) for e in body["explanation"]] == [
        (e["rule"], e["source"]) for e in english["explanation"]]


@pytest.mark.parametrize(("header", "language"), [
    ("zh-hant", "zh-hant"), ("zh-TW,zh;q=0.9,en;q=0.5", "zh-hant"), ("zh-CN", "zh-hans"), ("ko-KR,ko;q=0.8", "ko"),
    ("fr-FR, ko;q=0.5", "ko"),
])
def test_an_explicit_accept_language_wins_over_the_account(english, header, language):
    by_header = evaluate(_client("en"), RETURN_CLAIM, HTTP_ACCEPT_LANGUAGE=header).json()
    by_account = evaluate(_client(language), RETURN_CLAIM).json()
    assert by_header == by_account
    assert by_header != english


@pytest.mark.parametrize("header", ["", "fr-FR", "*", "en-US,en;q=0.9"])
def test_without_a_language_we_speak_the_account_language_holds(test_policy, header):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    korean = evaluate(_client("ko"), RETURN_CLAIM).json()
    if header.startswith("en"):
        assert evaluate(_client("ko"), RETURN_CLAIM, **extra).json() != korean
    else:
        assert evaluate(_client("ko"), RETURN_CLAIM, **extra).json() == korean


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_refusal_reads_in_the_readers_language(test_policy, language):
    bad = {**RETURN_CLAIM, "claim_date": "2025-02-27"}
    english = evaluate(_client(), bad).json()
    translated = evaluate(_client(language), bad).json()
    assert translated["code"] == english["code"] == "claim_before_purchase"
    assert translated["detail"] != english["detail"]
    assert "2025-02-27" in translated["detail"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_case_explains_itself_in_each_language(language):
    """Each sentence of each explanation is translated (none left in English)."""
    english_client, client = _client(), _client(language)
    untranslated = []
    for case in ANSWERED:
        body = json.dumps(case["request"])
        en = _texts(english_client.post(EVALUATE, body, content_type="application/json"))
        other = _texts(client.post(EVALUATE, body, content_type="application/json"))
        untranslated += [f"{case['name']}: {text}" for text, same in zip(other, en, strict=True) if text == same]
    assert untranslated == []
