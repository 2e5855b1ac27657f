"""Language and time zone follow the person: the switcher writes to their account, staff have
a preferences page, pages show times in the person's zone; flash messages render once."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from aftersales.cases import actions
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def switch(client: Client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


@pytest.mark.parametrize("make", [CustomerUserFactory, UserFactory])
def test_switching_language_is_kept_on_the_account_for_other_devices(make):
    user = make(language="en")
    response = switch(signed_in(user), "ko", "/login/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.language == "ko"
    if user.is_customer:
        assert user.customer.language == "ko"  # what staff write to them in

    other_device = signed_in(user)
    other_device.cookies["django_language"] = "en"  # an old choice on that device
    html = other_device.get("/account/" if not user.is_customer else "/profile/").content.decode()
    assert '<html lang="ko">' in html


def test_a_language_picked_before_signing_in_is_kept_by_the_account():
    user = UserFactory(username="ada", language="en")
    client = Client()
    switch(client, "zh-hans", "/login/")
    response = client.post("/login/", {"username": "ada", "password": "pw"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "zh-hans"
    assert response.cookies["django_language"].value == "zh-hans"


def test_signing_in_brings_the_accounts_language_over_an_old_cookie():
    user = UserFactory(username="ada", language="ko")
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post("/login/", {"username": "ada", "password": "pw"})
    assert response.cookies["django_language"].value == "ko"
    user.refresh_from_db()
    assert user.language == "ko"
    assert '<html lang="ko">' in client.get("/account/").content.decode()


@pytest.mark.parametrize("language", ["xx", "", "ko\x00", "en" * 200])
def test_an_unknown_language_is_a_400_and_changes_nothing(language):
    user = UserFactory(language="en")
    response = switch(signed_in(user), language)
    assert response.status_code == 400
    assert "This language is not offered." in response.content.decode()
    user.refresh_from_db()
    assert user.language == "en"
    assert not AuditEntry.objects.filter(action="user.preferences_changed").exists()


def test_staff_preferences_page_saves_language_and_time_zone():
    agent = UserFactory(language="en", time_zone="")
    client = signed_in(agent)
    page = client.get("/account/")
    assert page.status_code == 200 and 'href="/account/"' in page.content.decode()  # reachable from the header
    response = client.post("/account/", {"display_name": "Ada K.", "language": "ko", "time_zone": "Asia/Seoul"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    agent.refresh_from_db()
    assert (agent.display_name, agent.language, agent.time_zone) == ("Ada K.", "ko", "Asia/Seoul")
    entry = AuditEntry.objects.get(action="user.preferences_changed")
    assert entry.after == {"display_name": "Ada K.", "language": "ko", "time_zone": "Asia/Seoul"}
    html = client.get("/account/").content.decode()
    assert '<html lang="ko">' in html and "Asia/Seoul" in html
    assert html.count('class="flash"') == 1


@pytest.mark.parametrize("data", [
    {"display_name": "x", "language": "ko", "time_zone": "Mars/Olympus"},
    {"display_name": "x", "language": "klingon", "time_zone": ""},
    {"display_name": "x" * 121, "language": "ko", "time_zone": ""},
    {"display_name": "nul\x00", "language": "ko", "time_zone": ""},
])
def test_bad_preferences_are_a_400_and_nothing_is_written(data):
    agent = UserFactory(language="en", time_zone="", display_name="Ada")
    response = signed_in(agent).post("/account/", data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    agent.refresh_from_db()
    assert (agent.display_name, agent.language, agent.time_zone) == ("Ada", "en", "")
    assert not AuditEntry.objects.filter(action="user.preferences_changed").exists()


def test_customers_have_their_profile_and_strangers_sign_in():
    assert signed_in(CustomerUserFactory()).get("/account/")["Location"] == "/profile/"
    assert Client().get("/account/")["Location"].startswith("/login/")


def test_staff_pages_show_times_in_the_staff_members_zone():
    agent = UserFactory(time_zone="Pacific/Kiritimati")  # UTC+14: the date differs from UTC's most of the day
    zone = ZoneInfo("Pacific/Kiritimati")
    before = date_format(timezone.now().astimezone(zone), "SHORT_DATETIME_FORMAT")
    html = signed_in(agent).get("/account/").content.decode()
    after = date_format(timezone.now().astimezone(zone), "SHORT_DATETIME_FORMAT")
    assert "Time zone in use: Pacific/Kiritimati." in html
    assert f"Now it is {before}." in html or f"Now it is {after}." in html


def test_portal_pages_show_times_in_the_customers_zone():
    me = CustomerUserFactory(time_zone="Asia/Seoul")
    case = actions.case_open(customer=me.customer, subject="Washer", body="E21", actor=me)
    when = datetime(2026, 1, 1, 15, 30, tzinfo=UTC)
    case.entries.update(created_at=when)
    html = signed_in(me).get(f"/cases/{case.pk}/").content.decode()
    with timezone.override(ZoneInfo("Asia/Seoul")):
        seoul = date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")
    utc = date_format(when, "SHORT_DATETIME_FORMAT")
    assert seoul != utc
    assert seoul in html and utc not in html
    assert 'datetime="2026-01-02T00:30:00+09:00"' in html


def test_a_flash_message_renders_once_as_a_status():
    me = CustomerUserFactory()
    response = signed_in(me).post("/profile/", {"display_name": "Kim", "language": "en", "time_zone": "",
                                                "phone": ""}, follow=True)
    html = response.content.decode()
    assert html.count("Your profile is saved.") == 1
    assert html.count('role="status"') == 1 and 'aria-live="polite"' in html
