"""My cases: a customer sees only their own cases, only the public timeline, and may only close or reopen."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.cases import actions
from aftersales.cases.attachments import check_upload
from aftersales.cases.models import Attachment, CaseEntry, Status
from aftersales.core.tests.factories import CaseFactory, CustomerUserFactory, UserFactory
from aftersales.portal.tests.helpers import png_bytes, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return CustomerUserFactory(username="alice")


@pytest.fixture
def bob():
    return CustomerUserFactory(username="bob")


def test_my_cases_lists_only_mine_newest_activity_first_with_status_in_words(alice, bob):
    older = actions.case_open(customer=alice.customer, subject="Old kettle", actor=alice)
    newer = actions.case_open(customer=alice.customer, subject="New washer", actor=alice)
    theirs = actions.case_open(customer=bob.customer, subject="Bob's fridge", actor=bob)
    actions.case_change_status(case=newer, target=Status.OPEN, actor=UserFactory())

    html = signed_in(alice).get("/cases/").content.decode()

    assert html.index("New washer") < html.index("Old kettle")
    assert older.number in html and newer.number in html
    assert theirs.number not in html and "Bob's fridge" not in html
    assert ">Open</span>" in html and ">New</span>" in html


def test_customer_home_shows_my_cases_and_the_ask_for_help_button(alice):
    case = actions.case_open(customer=alice.customer, subject="Washer", actor=alice)
    html = signed_in(alice).get("/").content.decode()
    assert case.number in html
    assert 'href="/help/new/"' in html
    assert "<h2>My cases</h2>" in html


def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/cases/"


def test_staff_are_sent_to_the_desk_from_portal_pages():
    response = signed_in(UserFactory()).get("/cases/")
    assert response.status_code == 302


def test_another_customers_case_is_404_everywhere(alice, bob):
    theirs = actions.case_open(customer=bob.customer, subject="Bob's fridge", actor=bob,
                               attachments=[check_upload(png_bytes(), "fridge.png")])
    attachment = Attachment.objects.get(case=theirs)
    client = signed_in(alice)
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    assert client.get(f"/cases/{theirs.pk}/timeline/").status_code == 404
    assert client.post(f"/cases/{theirs.pk}/reply/", {"body": "hi"}).status_code == 404
    assert client.post(f"/cases/{theirs.pk}/status/", {"target": "closed"}).status_code == 404
    assert client.get(f"/api/v1/cases/{theirs.pk}/attachments/{attachment.pk}").status_code == 404
    assert client.get("/cases/999999/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW
    assert CaseEntry.objects.filter(case=theirs, kind="message").count() == 1


def test_case_page_shows_public_timeline_and_images_but_never_internal_notes(alice):
    case = actions.case_open(customer=alice.customer, subject="Washer E21", body="It stops.", actor=alice,
                             attachments=[check_upload(png_bytes(), "drum.png")])
    agent = UserFactory(display_name="Mina from support")
    actions.case_post_message(case=case, actor=agent, body="Please send the serial label.", public=True)
    actions.case_post_message(case=case, actor=agent, body="SECRET: customer sounds angry", public=False)
    hidden = check_upload(png_bytes((0, 0, 255)), "internal.png")
    actions.case_attach(case=case, actor=agent, checked=hidden, public=False)
    attachment = Attachment.objects.get(case=case, is_public=True)
    internal = Attachment.objects.get(case=case, is_public=False)
    client = signed_in(alice)

    for url in (f"/cases/{case.pk}/", f"/cases/{case.pk}/timeline/"):
        html = client.get(url).content.decode()
        assert "Please send the serial label." in html and "Mina from support" in html
        assert "It stops." in html
        assert "SECRET" not in html and "internal.png" not in html
        assert f'<img src="/api/v1/cases/{case.pk}/attachments/{attachment.pk}"' in html
    assert client.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}").status_code == 200
    assert client.get(f"/api/v1/cases/{case.pk}/attachments/{internal.pk}").status_code == 404


def test_the_timeline_polls_every_ten_seconds(alice):
    case = actions.case_open(customer=alice.customer, subject="Washer", actor=alice)
    html = signed_in(alice).get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/cases/{case.pk}/timeline/" hx-trigger="every 10s"' in html


def test_reply_with_a_photo(alice):
    case = actions.case_open(customer=alice.customer, subject="Washer", actor=alice)
    photo = SimpleUploadedFile("label.png", png_bytes(), content_type="image/png")
    response = signed_in(alice).post(f"/cases/{case.pk}/reply/", {"body": "Here is the label", "photos": [photo]})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#latest"
    entry = CaseEntry.objects.get(case=case, kind="message")
    assert entry.body == "Here is the label" and entry.from_customer and entry.is_public
    assert [a.filename for a in entry.attachments.all()] == ["label.png"]


def test_a_bad_reply_is_shown_inline_and_writes_nothing(alice):
    case = actions.case_open(customer=alice.customer, subject="Washer", actor=alice)
    client = signed_in(alice)
    empty = client.post(f"/cases/{case.pk}/reply/", {"body": "   "})
    assert empty.status_code == 200
    assert "The message is empty." in empty.content.decode()
    script = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>", content_type="image/png")
    bad = client.post(f"/cases/{case.pk}/reply/", {"body": "kept text", "photos": [script]})
    html = bad.content.decode()
    assert "This kind of file cannot be attached." in html and "kept text" in html
    assert CaseEntry.objects.filter(case=case, kind="message").count() == 0


@pytest.mark.parametrize(
    ("status", "close", "reopen"),
    [(Status.NEW, True, False), (Status.OPEN, True, False), (Status.WAITING_CUSTOMER, True, False),
     (Status.WAITING_PARTS, False, False), (Status.IN_REPAIR, False, False), (Status.RESOLVED, True, True),
     (Status.CLOSED, False, True)],
)
def test_close_and_reopen_buttons_follow_the_rules(alice, status, close, reopen):
    case = CaseFactory(customer=alice.customer, status=status)
    html = signed_in(alice).get(f"/cases/{case.pk}/").content.decode()
    assert ('value="closed"' in html) is close
    assert ('value="open"' in html) is reopen


def test_close_then_reopen(alice):
    case = actions.case_open(customer=alice.customer, subject="Washer", actor=alice)
    client = signed_in(alice)
    assert client.post(f"/cases/{case.pk}/status/", {"target": "closed"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "This case is closed. Reopen it to write again." in html and 'name="body"' not in html
    assert client.post(f"/cases/{case.pk}/status/", {"target": "open"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.reopen_count == 1


@pytest.mark.parametrize("target", ["resolved", "in_repair", "nonsense"])
def test_a_customer_cannot_make_other_moves(alice, target):
    case = CaseFactory(customer=alice.customer, status=Status.OPEN)
    response = signed_in(alice).post(f"/cases/{case.pk}/status/", {"target": target})
    assert response.status_code == 200
    assert "You can close or reopen your case; the rest is done by our staff." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.OPEN


def test_replying_to_a_closed_case_is_refused_inline(alice):
    case = CaseFactory(customer=alice.customer, status=Status.CLOSED)
    response = signed_in(alice).post(f"/cases/{case.pk}/reply/", {"body": "hello?"})
    assert response.status_code == 200
    assert "This case is closed. Reopen it to write again." in response.content.decode()
    assert CaseEntry.objects.filter(case=case).count() == 0
