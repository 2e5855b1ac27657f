"""Resetting a forgotten password by e-mail: one answer for every address, a one-time link in
the person's language, a clear page for a bad link, and the new password signs in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from aftersales.accounts.models import User
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, IdentityFactory, UserFactory

pytestmark = pytest.mark.django_db

SENT = "/password-reset/sent/"
BAD_LINK = "This link does not work"
NEW = "a-fresh-long-passphrase"


def ask(client: Client, email: str):
    return client.post("/password-reset/", {"email": email})


def link_in(message) -> str:
    return re.search(r"http://testserver(/password-reset/[^/\s]+/[^/\s]+/)", message.body).group(1)


def choose(client: Client, link: str, password: str = NEW, again: str | None = None):
    """Follow the mailed link (it moves the token into the session) and post the new password."""
    first = client.get(link)
    assert first.status_code == 302
    form_url = first["Location"]
    assert form_url.endswith("/set-password/")
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": again or password})


def test_the_link_sets_a_new_password_once_and_it_signs_in(mailoutbox):
    agent = UserFactory(username="ada", email="ada@example.com", language="ko")
    client = Client()

    response = ask(client, "ada@example.com")
    assert response.status_code == 302 and response["Location"] == SENT
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ada@example.com"]
    with translation.override("ko"):
        assert mailoutbox[0].subject == gettext("Choose a new password")
    link = link_in(mailoutbox[0])

    done = choose(client, link)
    assert done.status_code == 302 and done["Location"] == "/password-reset/done/"
    assert "Sign in with your new password." in client.get(done["Location"]).content.decode()
    agent.refresh_from_db()
    assert agent.check_password(NEW)
    assert AuditEntry.objects.filter(object_id=str(agent.pk), action="user.password_changed").count() == 1

    again = Client().get(link)  # used once: bound to the old password hash
    assert again.status_code == 400 and BAD_LINK in again.content.decode()
    assert Client().post("/login/", {"username": "ada", "password": NEW}).status_code == 302


def test_the_same_answer_whether_the_address_exists_or_not(mailoutbox):
    UserFactory(email="real@example.com")
    known = ask(Client(), "real@example.com")
    unknown = ask(Client(), "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, SENT)
    assert [m.to for m in mailoutbox] == [["real@example.com"]]
    page = Client().get(SENT).content.decode()
    assert "If an account uses this address" in page


def test_a_customer_is_found_by_any_letter_case_and_by_a_verified_identity(mailoutbox):
    me = CustomerUserFactory(username="lin@example.com", email="lin@example.com")
    IdentityFactory(customer=me.customer, value="lin.work@example.com", verified_at=timezone.now())
    IdentityFactory(customer=me.customer, value="lin.unproven@example.com", verified_at=None)

    ask(Client(), "LIN@Example.COM")
    ask(Client(), "Lin.Work@example.com")
    ask(Client(), "lin.unproven@example.com")
    assert [m.to for m in mailoutbox] == [["lin@example.com"], ["lin.work@example.com"]]
    choose(Client(), link_in(mailoutbox[1]))
    me.refresh_from_db()
    assert me.check_password(NEW)


def test_look_alike_letters_do_not_reach_another_account(mailoutbox):
    UserFactory(email="mike@example.org")
    ask(Client(), "mıke@example.org")  # dotless ı: some databases fold it to I
    assert mailoutbox == []


def test_switched_off_accounts_and_accounts_without_password_get_no_mail(mailoutbox):
    UserFactory(email="gone@example.com", is_active=False)
    no_password = UserFactory(email="nopass@example.com")
    no_password.set_unusable_password()
    no_password.save()
    ask(Client(), "gone@example.com")
    ask(Client(), "nopass@example.com")
    assert mailoutbox == []


def test_a_sign_up_that_never_confirmed_can_reset_and_is_confirmed_by_it(mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/signup/", {"name": "Lin", "email": "lin@example.com", "password1": "first-long-pass",
                                   "password2": "first-long-pass", "language": "zh-hant"})
    user = User.objects.get(username="lin@example.com")
    assert not user.is_active
    ask(Client(), "lin@example.com")
    assert len(mailoutbox) == 2
    with translation.override("zh-hant"):
        assert mailoutbox[1].subject == gettext("Choose a new password")
    choose(Client(), link_in(mailoutbox[1]))
    user.refresh_from_db()
    assert user.is_active and user.check_password(NEW)
    assert user.customer.identities.get(kind="email").verified_at is not None


def test_an_expired_link_gives_the_clear_page(mailoutbox, monkeypatch):
    UserFactory(email="ada@example.com")
    ask(Client(), "ada@example.com")
    link = link_in(mailoutbox[0])
    later = default_token_generator._now() + timedelta(days=2)  # Django's clock here is naive local time
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = Client().get(link)
    assert response.status_code == 400
    html = response.content.decode()
    assert BAD_LINK in html and 'href="/password-reset/"' in html


@pytest.mark.parametrize("mangle", [
    lambda uid, token: f"/password-reset/{uid}/{token[:-2]}xx/",
    lambda uid, token: f"/password-reset/{uid}/set-password/",  # no token in the session
    lambda uid, token: f"/password-reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5/{token}/",  # a huge id
    lambda uid, token: f"/password-reset/%F0%9F%92%A9/{token}/",
    lambda uid, token: f"/password-reset/{'A' * 300}/{token}/",
    lambda uid, token: "/password-reset/x/y/",
])
def test_a_tampered_link_gives_the_clear_page_not_an_error(mailoutbox, mangle):
    agent = UserFactory(email="ada@example.com")
    ask(Client(), "ada@example.com")
    uid, token = link_in(mailoutbox[0]).strip("/").split("/")[1:]
    response = Client().get(mangle(uid, token))
    assert response.status_code == 400
    assert BAD_LINK in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password("pw")


@pytest.mark.parametrize(("first", "second", "message"), [
    (NEW, "something-else-entirely", "The two passwords are not the same."),
    ("123", "123", "This password is too short."),
    ("", "", "This field is required."),
])
def test_a_bad_new_password_is_refused_and_nothing_changes(mailoutbox, first, second, message):
    agent = UserFactory(email="ada@example.com")
    ask(Client(), "ada@example.com")
    client = Client()
    response = choose(client, link_in(mailoutbox[0]), first, second)
    assert response.status_code == 400
    assert message in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password("pw")
    assert not AuditEntry.objects.filter(action="user.password_changed").exists()


@pytest.mark.parametrize("email", ["not-an-address", "", "a" * 300 + "@example.com", "nul\x00@example.com"])
def test_a_malformed_address_is_a_400_with_a_message(mailoutbox, email):
    response = ask(Client(), email)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert mailoutbox == []


def test_one_address_gets_a_bounded_number_of_mails(mailoutbox):
    UserFactory(email="ada@example.com")
    for _ in range(8):
        assert ask(Client(), "ada@example.com")["Location"] == SENT
    assert len(mailoutbox) == 5


def test_the_sign_in_page_links_to_the_reset():
    html = Client().get("/login/").content.decode()
    assert 'href="/password-reset/"' in html
