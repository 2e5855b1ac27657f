"""Signing in by e-mail in any letter case; a sign-up that has not confirmed its address is
told so (only with the right password) and can have the link sent again."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from aftersales.accounts.models import User
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "The user name or password is wrong."
CONFIRM_FIRST = "Please confirm your e-mail address first"


def sign_in(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


@pytest.fixture
def pending(django_capture_on_commit_callbacks, mailoutbox) -> User:
    """A sign-up whose verification mail has gone out but not been opened."""
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/signup/", {"name": "Lin", "email": "lin@example.com", "password1": "a-long-pass-phrase",
                                   "password2": "a-long-pass-phrase", "language": "en"})
    mailoutbox.clear()
    return User.objects.get(username="lin@example.com")


@pytest.mark.parametrize("typed", ["foo@example.com", "Foo@Example.com", "FOO@EXAMPLE.COM", "  foo@example.com "])
def test_an_email_signs_in_in_any_letter_case(typed):
    me = CustomerUserFactory(username="foo@example.com", email="foo@example.com")
    client = Client()
    response = sign_in(client, typed, "pw")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(me.pk)


def test_a_wrong_password_by_email_is_the_same_answer_as_no_account():
    CustomerUserFactory(username="foo@example.com")
    wrong = sign_in(Client(), "Foo@Example.com", "nope")
    missing = sign_in(Client(), "nobody@example.com", "nope")
    for response in (wrong, missing):
        assert response.status_code == 400
        assert WRONG in response.content.decode()


def test_staff_user_names_stay_exact_and_two_accounts_differing_in_case_are_not_guessed():
    UserFactory(username="agent1")
    assert sign_in(Client(), "AGENT1", "pw").status_code == 400
    upper, lower = UserFactory(username="Bob@example.com"), UserFactory(username="bob@example.com")
    assert sign_in(Client(), "BOB@example.com", "pw").status_code == 400  # which one? neither
    for account in (upper, lower):
        client = Client()
        assert sign_in(client, account.username, "pw").status_code == 302
        assert client.session["_auth_user_id"] == str(account.pk)


def test_an_unconfirmed_sign_up_with_the_right_password_is_told_and_can_resend(pending, mailoutbox,
                                                                                 django_capture_on_commit_callbacks):
    client = Client()
    response = sign_in(client, "Lin@Example.com", "a-long-pass-phrase")
    html = response.content.decode()
    assert response.status_code == 400
    assert CONFIRM_FIRST in html and WRONG not in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert "_auth_user_id" not in client.session

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/signup/resend/", {"token": token})
    assert sent.status_code == 200 and "We sent a new link to lin@example.com" in sent.content.decode()
    assert [m.to for m in mailoutbox] == [["lin@example.com"]]
    assert AuditEntry.objects.filter(object_id=str(pending.pk), action="user.verification_resent").count() == 1
    link = re.search(r"http://testserver(/signup/verify/[^/\s]+/)", mailoutbox[0].body).group(1)
    assert client.get(link)["Location"] == "/"
    pending.refresh_from_db()
    assert pending.is_active


def test_an_unconfirmed_sign_up_with_a_wrong_password_learns_nothing(pending):
    response = sign_in(Client(), "lin@example.com", "not-the-password")
    html = response.content.decode()
    assert response.status_code == 400
    assert WRONG in html and CONFIRM_FIRST not in html and 'name="token"' not in html


def test_a_switched_off_account_is_not_told_it_exists():
    UserFactory(username="gone", is_active=False)
    response = sign_in(Client(), "gone", "pw")
    assert response.status_code == 400 and WRONG in response.content.decode()


@pytest.mark.parametrize("token", ["", "garbage", "x" * 5000, "a\x00b"])
def test_a_bad_resend_token_is_a_400_page(pending, mailoutbox, token):
    response = Client().post("/signup/resend/", {"token": token})
    assert response.status_code == 400
    assert "This button has expired. Sign in again to get a new one." in response.content.decode()
    assert mailoutbox == []


def test_resending_is_limited_per_account(pending, mailoutbox, django_capture_on_commit_callbacks):
    html = sign_in(Client(), "lin@example.com", "a-long-pass-phrase").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            statuses.append(Client().post("/signup/resend/", {"token": token}).status_code)
    assert statuses == [200, 200, 200, 429]
    assert len(mailoutbox) == 3


def test_resending_for_a_confirmed_account_sends_to_sign_in(pending, mailoutbox):
    html = sign_in(Client(), "lin@example.com", "a-long-pass-phrase").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    pending.is_active = True
    pending.save()
    response = Client().post("/signup/resend/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert mailoutbox == []
    assert Client().get("/signup/resend/").status_code == 405
