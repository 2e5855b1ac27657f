"""The minimal pages: sign in, see your own cases, in your language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_and_wrong_password():
    client = Client()
    page = client.get("/login/")
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content
    UserFactory(username="agent1")
    wrong = client.post("/login/", {"username": "agent1", "password": "nope"})
    assert wrong.status_code == 400
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


@pytest.mark.parametrize("role", [Role.AGENT, Role.TECHNICIAN, Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_staff_home_sends_them_to_the_desk(role):
    agent = UserFactory(role=role)
    client = Client()
    client.force_login(agent)
    response = client.get("/")
    assert response.status_code == 302
    try:
        expected = reverse("desk:queue")
    except NoReverseMatch:
        expected = "/desk/"
    assert response["Location"] == expected


def test_anonymous_home_is_the_landing_page():
    html = Client().get("/").content.decode()
    assert "After-sales service in one place" in html
    assert 'href="/login/"' in html and 'href="/signup/"' in html


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
    user = CustomerUserFactory(language="ko")
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


@pytest.mark.parametrize(("make", "shown"), [(CustomerUserFactory, False), (UserFactory, True), (None, False)])
def test_the_api_documentation_link_is_for_staff(make, shown):
    client = Client()
    if make is not None:
        client.force_login(make())
    html = client.get("/login/" if make is None else "/profile/" if make is CustomerUserFactory else "/desk/").content
    assert (b'href="/api/v1/docs"' in html) is shown
