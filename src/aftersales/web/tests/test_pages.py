"""The minimal pages: sign in, see your own cases, in your language."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.cases import actions
from aftersales.core.tests.factories import CustomerFactory, CustomerUserFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_and_wrong_password():
    client = Client()
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content
    UserFactory(username="agent1")
    wrong = client.post("/login/", {"username": "agent1", "password": "nope"})
    assert wrong.status_code == 200
    assert "The user name or password is wrong." in wrong.content.decode()


def test_signing_in_lands_on_home_with_own_cases_only():
    me, other = CustomerUserFactory(), CustomerUserFactory()
    mine = actions.case_open(customer=me.customer, subject="My washer", actor=me)
    theirs = actions.case_open(customer=other.customer, subject="Their fridge", actor=other)
    client = Client()
    response = client.post("/login/", {"username": me.username, "password": "pw"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.number in html and "My washer" in html
    assert theirs.number not in html and "Their fridge" not in html


def test_staff_home_shows_their_teams_cases():
    team = TeamFactory()
    agent = UserFactory(teams=[team])
    visible = actions.case_open(customer=CustomerFactory(), subject="Team case", actor=agent, team=team)
    hidden = actions.case_open(customer=CustomerFactory(), subject="Other team", actor=agent, team=TeamFactory())
    client = Client()
    client.force_login(agent)
    html = client.get("/").content.decode()
    assert visible.number in html and hidden.number not in html


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("en", "Sign in"), ("zh-hant", "登入"), ("zh-hans", "登录"), ("ko", "로그인")],
)
def test_pages_speak_the_chosen_language(language, phrase):
    client = Client()
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    html = client.get("/login/").content.decode()
    assert f'<html lang="{language}">' in html
    assert phrase in html


def test_a_signed_in_users_language_is_used(settings):
    user = UserFactory(language="ko")
    client = Client()
    client.force_login(user)
    assert "로그아웃" in client.get("/").content.decode()


def test_sign_out_needs_post_and_ends_the_session():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/logout/").status_code == 405
    client.post("/logout/")
    assert "_auth_user_id" not in client.session
