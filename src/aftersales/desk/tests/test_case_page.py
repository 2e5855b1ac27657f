"""The case page and its endpoints: scoping, permissions, errors shown inline, messages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.models import Attachment, Case, CaseEntry, Status
from aftersales.core.tests.api_support import png_bytes
from aftersales.core.tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
    UserFactory,
)
from aftersales.desk.tests.conftest import HTMX, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(team, customer_user):
    return actions.case_open(customer=customer_user.customer, subject="Washer will not spin", team=team,
                             body="It stops at E21.", actor=customer_user)


@pytest.fixture
def foreign_case(other_team, customer_user):
    return actions.case_open(customer=customer_user.customer, subject="Not your team's", team=other_team,
                             actor=customer_user)


def _fingerprint(case: Case):
    case.refresh_from_db()
    return (case.status, case.assignee_id, case.severity, case.type, sorted(case.tags.values_list("name", flat=True)),
            CaseEntry.objects.filter(case=case).count())


ENDPOINTS = [
    ("get", "/desk/cases/{id}/", {}),
    ("get", "/desk/cases/{id}/timeline/", {}),
    ("post", "/desk/cases/{id}/status/", {"status": "open"}),
    ("post", "/desk/cases/{id}/assign/", {"assignee": "me"}),
    ("post", "/desk/cases/{id}/classify/", {"severity": "major"}),
    ("post", "/desk/cases/{id}/tags/", {"tags": "x"}),
    ("post", "/desk/cases/{id}/messages/", {"body": "hello", "kind": "reply"}),
]


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_another_teams_case_is_a_404_everywhere(agent, foreign_case, method, url, data):
    before = _fingerprint(foreign_case)
    response = getattr(client_for(agent), method)(url.format(id=foreign_case.pk), data, **HTMX)
    assert response.status_code == 404
    assert _fingerprint(foreign_case) == before


@pytest.mark.parametrize(("method", "url", "data"), ENDPOINTS)
def test_a_customer_gets_404_even_on_their_own_case(customer_user, case, method, url, data):
    before = _fingerprint(case)
    response = getattr(client_for(customer_user), method)(url.format(id=case.pk), data, **HTMX)
    assert response.status_code == 404
    assert _fingerprint(case) == before


def test_a_missing_case_is_a_404(agent):
    assert client_for(agent).get("/desk/cases/999999/").status_code == 404


def test_the_page_shows_header_timeline_and_customer(agent, case, customer_user, team):
    customer = customer_user.customer
    IdentityFactory(customer=customer, value="spin@example.com")
    UnitFactory(customer=customer, serial_number="SN-WASH-1", product_model=ProductModelFactory(
        names={"en": "Front loader"}))
    PurchaseFactory(customer=customer, order_number="ORD-777")
    other = actions.case_open(customer=customer, subject="An older question", team=team, actor=customer_user)
    actions.case_post_message(case=case, actor=agent, body="Checking the drum.", public=False)
    html = client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode()
    assert case.number in html and "Washer will not spin" in html
    assert "It stops at E21." in html
    assert '<span class="label note-label">Internal note</span>' in html and "Checking the drum." in html
    assert "Case opened via Web portal" in html  # a system event, read in the reader's language
    assert "spin@example.com" in html and "SN-WASH-1" in html and "Front loader" in html and "ORD-777" in html
    assert f'href="/desk/cases/{other.pk}/"' in html
    assert 'hx-trigger="every 5s"' in html


def test_status_targets_are_only_the_legal_ones(agent, case):
    response = client_for(agent).get(f"/desk/cases/{case.pk}/")
    assert [v for v, _label in response.context["status_targets"]] == ["open", "waiting_customer", "resolved",
                                                                       "closed"]


def test_change_status_rerenders_the_header_and_timeline(agent, case):
    response = client_for(agent).post(f"/desk/cases/{case.pk}/status/", {"status": "waiting_customer"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="case-main">')
    assert "Status changed from New to Waiting on customer" in html
    case.refresh_from_db()
    assert case.status == Status.WAITING_CUSTOMER


def test_an_illegal_status_move_shows_the_error_and_changes_nothing(agent, case):
    before = _fingerprint(case)
    response = client_for(agent).post(f"/desk/cases/{case.pk}/status/", {"status": "waiting_parts"}, **HTMX)
    assert response.status_code == 200
    assert "A case cannot go from “New” to “Waiting on parts”." in response.content.decode()
    assert 'class="desk-alert" role="alert"' in response.content.decode()
    assert _fingerprint(case) == before


def test_an_unknown_status_is_an_error_not_a_500(agent, case):
    response = client_for(agent).post(f"/desk/cases/{case.pk}/status/", {"status": "<script>"}, **HTMX)
    assert response.status_code == 200
    assert "Unknown status" in response.content.decode()


def test_assign_to_me_and_to_a_colleague(agent, case, team):
    colleague = UserFactory(role=Role.TECHNICIAN, teams=[team], display_name="Col League")
    client = client_for(agent)
    html = client.post(f"/desk/cases/{case.pk}/assign/", {"assignee": "me"}, **HTMX).content.decode()
    assert "Assigned to Ada Agent (was nobody)" in html
    case.refresh_from_db()
    assert case.assignee == agent
    client.post(f"/desk/cases/{case.pk}/assign/", {"assignee": str(colleague.pk)}, **HTMX)
    case.refresh_from_db()
    assert case.assignee == colleague


def test_assigning_outside_the_team_is_refused(agent, case, other_team):
    outsider = UserFactory(role=Role.AGENT, teams=[other_team])
    response = client_for(agent).post(f"/desk/cases/{case.pk}/assign/", {"assignee": str(outsider.pk)}, **HTMX)
    assert "Choose someone from the case&#x27;s team." in response.content.decode()
    case.refresh_from_db()
    assert case.assignee is None


def test_a_technician_may_not_assign_and_sees_why(technician, case):
    before = _fingerprint(case)
    client = client_for(technician)
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert 'id="assign-me"' not in page and 'id="set-assignee"' not in page
    response = client.post(f"/desk/cases/{case.pk}/assign/", {"assignee": "me"}, **HTMX)
    assert response.status_code == 200
    assert "Your role does not allow this." in response.content.decode()
    assert _fingerprint(case) == before


def test_a_technician_may_not_classify(technician, case):
    before = _fingerprint(case)
    response = client_for(technician).post(f"/desk/cases/{case.pk}/classify/", {"severity": "major"}, **HTMX)
    assert "Your role does not allow this." in response.content.decode()
    assert _fingerprint(case) == before


def test_classify_and_tag(agent, case):
    client = client_for(agent)
    client.post(f"/desk/cases/{case.pk}/classify/", {"severity": "urgent", "type": "repair"}, **HTMX)
    html = client.post(f"/desk/cases/{case.pk}/tags/", {"tags": "drum, E21"}, **HTMX).content.decode()
    case.refresh_from_db()
    assert (case.severity, case.type) == ("urgent", "repair")
    assert sorted(case.tags.values_list("name", flat=True)) == ["E21", "drum"]
    assert "Tags changed: added drum, E21" in html


def test_reply_and_note_are_stored_with_the_right_visibility(agent, case):
    client = client_for(agent)
    reply = client.post(f"/desk/cases/{case.pk}/messages/", {"body": "We will call you.", "kind": "reply"}, **HTMX)
    assert reply["HX-Trigger"] == '{"desk-replied": {}}'
    note = client.post(f"/desk/cases/{case.pk}/messages/", {"body": "Drum bearing?", "kind": "note"}, **HTMX)
    assert "Drum bearing?" in note.content.decode()
    public = CaseEntry.objects.get(case=case, body="We will call you.")
    internal = CaseEntry.objects.get(case=case, body="Drum bearing?")
    assert (public.kind, public.is_public, public.from_customer, public.author) == ("message", True, False, agent)
    assert (internal.kind, internal.is_public, internal.author) == ("note", False, agent)
    case.refresh_from_db()
    assert case.status == Status.OPEN  # a staff reply picks up a new case


def test_an_empty_reply_is_refused_inline(agent, case):
    response = client_for(agent).post(f"/desk/cases/{case.pk}/messages/", {"body": "  ", "kind": "reply"}, **HTMX)
    assert "The message is empty." in response.content.decode()
    assert "HX-Trigger" not in response


def test_a_reply_with_a_photo_shows_a_preview(agent, case):
    photo = SimpleUploadedFile("drum.png", png_bytes(3), content_type="image/png")
    response = client_for(agent).post(f"/desk/cases/{case.pk}/messages/",
                                      {"body": "Photo attached", "kind": "note", "file": photo}, **HTMX)
    attachment = Attachment.objects.get(case=case)
    assert (attachment.filename, attachment.is_public) == ("drum.png", False)
    url = f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}"
    assert f'<img src="{url}" alt="drum.png"' in response.content.decode()
    assert client_for(agent).get(url).status_code == 200


def test_a_file_of_the_wrong_kind_is_refused_inline(agent, case):
    page = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>", content_type="text/html")
    response = client_for(agent).post(f"/desk/cases/{case.pk}/messages/",
                                      {"body": "see", "kind": "reply", "file": page}, **HTMX)
    assert "This kind of file cannot be attached." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not CaseEntry.objects.filter(body="see").exists()


def test_a_closed_case_takes_notes_but_not_replies(agent, case):
    actions.case_change_status(case=case, target="closed", actor=agent)
    client = client_for(agent)
    refused = client.post(f"/desk/cases/{case.pk}/messages/", {"body": "Hello?", "kind": "reply"}, **HTMX)
    assert "This case is closed. Reopen it to write again." in refused.content.decode()
    client.post(f"/desk/cases/{case.pk}/messages/", {"body": "For the record", "kind": "note"}, **HTMX)
    assert CaseEntry.objects.filter(case=case, body="For the record", is_public=False).exists()
    assert not CaseEntry.objects.filter(case=case, body="Hello?").exists()


def test_without_htmx_a_change_redirects_and_the_error_is_shown(agent, case):
    client = client_for(agent)
    response = client.post(f"/desk/cases/{case.pk}/status/", {"status": "waiting_parts"})
    assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case.pk}/"
    assert "A case cannot go from" in client.get(response["Location"]).content.decode()


def test_the_timeline_poll_answers_204_until_something_changes(agent, case, customer_user):
    client = client_for(agent)
    version = client.get(f"/desk/cases/{case.pk}/").context["version"]
    assert client.get(f"/desk/cases/{case.pk}/timeline/", {"v": version}, **HTMX).status_code == 204
    actions.case_post_message(case=case, actor=customer_user, body="Any news?", public=True)
    fresh = client.get(f"/desk/cases/{case.pk}/timeline/", {"v": version}, **HTMX)
    assert fresh.status_code == 200
    html = fresh.content.decode()
    assert "Any news?" in html
    assert 'id="case-header" class="card desk-header" hx-swap-oob="true"' in html


def test_giving_the_case_away_sends_the_agent_back_to_the_queue(agent, case, other_team):
    actions.case_set_team(case=case, team=other_team, actor=agent)
    actions.case_assign(case=case, assignee=agent, actor=agent)
    response = client_for(agent).post(f"/desk/cases/{case.pk}/assign/", {"assignee": ""}, **HTMX)
    assert response["HX-Redirect"] == "/desk/"


def test_case_page_labels_follow_the_users_language(team, case):
    reader = UserFactory(role=Role.AGENT, teams=[team], language="zh-hant")
    assert "新案件" in client_for(reader).get(f"/desk/cases/{case.pk}/").content.decode()


def test_unassigned_case_from_a_factory_renders(agent, team):
    bare = CaseFactory(team=team)
    assert client_for(agent).get(f"/desk/cases/{bare.pk}/").status_code == 200


def test_a_refused_upload_on_another_teams_case_is_still_a_404(agent, foreign_case):
    page = SimpleUploadedFile("x.html", b"<html></html>", content_type="text/html")
    response = client_for(agent).post(f"/desk/cases/{foreign_case.pk}/messages/",
                                      {"body": "x", "kind": "note", "file": page}, **HTMX)
    assert response.status_code == 404


def test_words_taken_down_by_an_agent_show_as_the_customers_and_say_who_recorded_them(team, agent):
    customer = CustomerFactory(name="Lin Mei")
    case = actions.case_open(customer=customer, subject="Phoned in", body="The drum will not turn.",
                             actor=agent, team=team, channel="phone", opening_from_customer=True)
    html = client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode()
    entry = html[html.index("The drum will not turn.") - 900:html.index("The drum will not turn.")]
    assert "<strong>Lin Mei</strong>" in entry
    assert "recorded by Ada Agent" in entry
