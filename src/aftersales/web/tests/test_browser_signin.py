"""In a real browser: choose a language, sign in, see your own cases with translated labels."""

from __future__ import annotations

import pytest

from aftersales.cases import actions
from aftersales.core.tests.factories import CustomerUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = {
    "en": {"language": "English", "sign_in": "Sign in", "my_cases": "My cases", "sign_out": "Sign out",
           "status": "New"},
    "zh-hant": {"language": "繁體中文", "sign_in": "登入", "my_cases": "我的案件", "sign_out": "登出",
                "status": "新案件"},
    "zh-hans": {"language": "简体中文", "sign_in": "登录", "my_cases": "我的工单", "sign_out": "退出登录",
                "status": "新工单"},
    "ko": {"language": "한국어", "sign_in": "로그인", "my_cases": "내 케이스", "sign_out": "로그아웃",
           "status": "신규"},
}


@pytest.mark.parametrize("language", sorted(LABELS))
def test_sign_in_in_each_language(page, language):
    words = LABELS[language]
    user = CustomerUserFactory(username=f"buyer-{language}")
    mine = actions.case_open(customer=user.customer, subject="洗衣機不脫水 E21", actor=user)
    other = CustomerUserFactory()
    theirs = actions.case_open(customer=other.customer, subject="Someone else's fridge", actor=other)

    page.goto("/login/")
    with page.expect_navigation():
        page.select_option("#lang-switch", language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == words["sign_in"]

    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.get_by_role("button", name=words["sign_in"]).click()
    assert page.locator("h2").first.inner_text() == words["my_cases"]
    row = page.locator("tr", has_text=mine.number)
    assert row.count() == 1
    assert words["status"] in row.inner_text()
    assert page.locator("body").inner_text().count(theirs.number) == 0
    assert page.get_by_role("button", name=words["sign_out"]).is_visible()
