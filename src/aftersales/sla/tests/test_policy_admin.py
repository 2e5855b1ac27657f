"""SLA policies in the admin: the shipped policies show and round-trip unchanged; a new policy
with its targets and ladder is saved by the audited action; every rule refuses with a form
error (never a 500) and saves nothing; only administrators get in. Team leads are chosen from
active staff. Clocks and notifications are shown read-only."""

from __future__ import annotations

import importlib
import os
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftersales.accounts.models import Role, Team
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CaseFactory, CustomerUserFactory, TeamFactory, UserFactory
from aftersales.sla.models import (
    BusinessCalendar,
    CaseClock,
    EscalationStep,
    SlaMilestone,
    SlaNotification,
    SlaPause,
    SlaPolicy,
)

pytestmark = pytest.mark.django_db

SHIPPED = ["major", "urgent", "complaint", "chat", "phone", "standard"]
CHANGELIST = "admin:sla_slapolicy_changelist"
ADD = "admin:sla_slapolicy_add"


class FormFields(HTMLParser):
    """What a browser sends for the page's main form when nothing is touched: every field with
    its values (ticked checkboxes, selected options), the inlines' blank templates left out."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._inside = False
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._inside = True
        if not self._inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "checkbox", "file"):
            self._add(name, a.get("value") or "")
        elif tag == "input" and name and a.get("type") == "checkbox" and "checked" in a:
            self._add(name, a.get("value") or "on")
        elif tag == "select" and name:
            self._select = name
            if "__prefix__" not in name:
                self.data.setdefault(name, [])  # a select with nothing chosen is sent empty
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea and "__prefix__" not in self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._inside = False


def form_of(response) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.ADMINISTRATOR, username="root")


@pytest.fixture
def site(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def _policy(code: str) -> SlaPolicy:
    return SlaPolicy.objects.get(code=code)


def _change_url(code: str) -> str:
    return reverse("admin:sla_slapolicy_change", args=[_policy(code).pk])


def _calendar(code: str) -> str:
    return str(BusinessCalendar.objects.get(code=code).pk)


def _errors(response) -> list[str]:
    """Every error on the page: the main form's and each inline's (rows and the whole set)."""
    found = [str(e) for errors in response.context["adminform"].form.errors.values() for e in errors]
    for inline in response.context["inline_admin_formsets"]:
        found += [str(e) for e in inline.formset.non_form_errors()]
        found += [str(e) for form_errors in inline.formset.errors for errors in form_errors.values() for e in errors]
    return found


def _new_policy(**changes) -> dict[str, list[str] | str]:
    """An add-page POST: a VIP phone policy with two targets, two names and a three-step ladder."""
    supervisors = str(Team.objects.get(code="supervisors").pk)
    data: dict[str, list[str] | str] = {
        "code": "vip-phone", "position": "5", "is_active": "on",
        "severities": ["urgent", "major"], "types": [], "channels": ["phone"], "tiers": ["vip", "enterprise"],
        "teams": [], "warning_percent": "75", "pause_statuses": ["waiting_customer"], "route_team": "",
        "progress_update_minutes": "120", "progress_calendar": _calendar("cn-hotline"),
        "names-TOTAL_FORMS": "2", "names-INITIAL_FORMS": "0",
        "names-0-language": "en", "names-0-name": "VIP phone",
        "names-1-language": "zh-hans", "names-1-name": "贵宾电话",
        "targets-TOTAL_FORMS": "3", "targets-INITIAL_FORMS": "0",
        "targets-0-metric": "first_response", "targets-0-minutes": "20", "targets-0-calendar": _calendar("cn-hotline"),
        "targets-1-metric": "resolution", "targets-1-minutes": "480", "targets-1-calendar": _calendar("cn-workday"),
        "targets-2-metric": "", "targets-2-minutes": "", "targets-2-calendar": "",
        "steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0",
        "steps-0-trigger": "warning", "steps-0-delay_minutes": "0", "steps-0-metric": "", "steps-0-action":
            "notify_assignee", "steps-0-team": "",
        "steps-1-trigger": "breach", "steps-1-delay_minutes": "0", "steps-1-metric": "first_response",
            "steps-1-action": "notify_team", "steps-1-team": supervisors,
        "steps-2-trigger": "breach", "steps-2-delay_minutes": "60", "steps-2-metric": "", "steps-2-action":
            "reassign_team", "steps-2-team": supervisors,
    }
    for prefix in ("names", "targets", "steps"):
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data.update(changes)
    return data


# ---- the pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans", "ko"])
def test_the_pages_render_with_the_shipped_policies(site, language):
    site.cookies["django_language"] = language
    response = site.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert [p.code for p in response.context["cl"].result_list] == SHIPPED
    assert site.get(reverse(ADD)).status_code == 200
    for code in SHIPPED:
        assert site.get(_change_url(code)).status_code == 200


def test_the_list_sums_up_conditions_and_targets(site):
    page = site.get(reverse(CHANGELIST)).content.decode()
    assert "<div>Severities: Major</div>" in page
    assert "<div>Case types: Complaint</div>" in page
    assert "<div>Channels: Phone</div>" in page
    assert "Any case" in page  # the standard policy's row
    assert "<div>First response: 4 h (cn-hotline)</div>" in page
    assert "<div>Resolution: 24 h (always)</div>" in page
    assert "<div>First response: 7 h 30 min (cn-workday)</div>" in page
    assert "<div>First response: 30 min (always)</div>" in page


def test_the_list_costs_the_same_queries_for_more_policies(site):
    with CaptureQueriesContext(connection) as six:
        assert site.get(reverse(CHANGELIST)).status_code == 200
    for n in range(5):
        site.post(reverse(ADD), _new_policy(code=f"more-{n}", teams=[str(TeamFactory().pk)]))
    assert SlaPolicy.objects.count() == 11
    with CaptureQueriesContext(connection) as eleven:
        assert site.get(reverse(CHANGELIST)).status_code == 200
    assert len(eleven) == len(six)


def test_the_change_page_shows_the_lists_as_ticked_checkboxes(site):
    response = site.get(_change_url("major"))
    data = form_of(response)
    assert data["severities"] == ["major"]
    assert "types" not in data  # nothing ticked: any case type
    assert data["pause_statuses"] == ["waiting_customer", "waiting_parts"]
    page = response.content.decode()
    assert 'type="checkbox" name="severities" value="major"' in page
    offered = [v for v, _l in response.context["adminform"].form.fields["pause_statuses"].choices]
    assert offered == ["new", "open", "waiting_customer", "waiting_parts", "in_repair"]
    assert data["targets-TOTAL_FORMS"] == ["3"] and data["steps-TOTAL_FORMS"] == ["3"]


def test_saving_a_shipped_policy_unchanged_changes_nothing(site):
    before = list(EscalationStep.objects.filter(policy=_policy("urgent")).values_list("pk", flat=True))
    response = site.post(_change_url("urgent"), form_of(site.get(_change_url("urgent"))))
    assert response.status_code == 302, _errors(response)
    assert list(EscalationStep.objects.filter(policy=_policy("urgent")).values_list("pk", flat=True)) == before
    assert not AuditEntry.objects.filter(object_type="sla.slapolicy").exists()


# ---- saving -----------------------------------------------------------------------------------

def test_a_new_policy_with_targets_and_a_ladder_is_saved_and_audited(site, admin_user):
    supervisors = Team.objects.get(code="supervisors")
    response = site.post(reverse(ADD), _new_policy(teams=[str(supervisors.pk)]))
    assert response.status_code == 302, _errors(response)
    policy = _policy("vip-phone")
    assert (policy.position, policy.is_active, policy.warning_percent) == (5, True, 75)
    assert policy.severities == ["urgent", "major"]  # in the order offered, not the order sent
    assert (policy.types, policy.channels, policy.tiers) == ([], ["phone"], ["vip", "enterprise"])
    assert policy.pause_statuses == ["waiting_customer"]
    assert list(policy.teams.all()) == [supervisors]
    assert (policy.progress_update_minutes, policy.progress_calendar.code) == (120, "cn-hotline")
    assert dict(policy.names.values_list("language", "name")) == {"en": "VIP phone", "zh-hans": "贵宾电话"}
    assert sorted(policy.targets.values_list("metric", "minutes", "calendar__code")) == [
        ("first_response", 20, "cn-hotline"), ("resolution", 480, "cn-workday")]
    assert sorted(policy.steps.values_list("trigger", "delay_minutes", "metric", "action", "team__code")) == [
        ("breach", 0, "first_response", "notify_team", "supervisors"),
        ("breach", 60, "", "reassign_team", "supervisors"),
        ("warning", 0, "", "notify_assignee", None)]
    entry = AuditEntry.objects.get(object_type="sla.slapolicy")
    assert (entry.action, entry.actor, entry.object_id) == ("policy_created", admin_user, str(policy.pk))
    assert entry.after["code"] == "vip-phone"
    assert entry.after["teams"] == [supervisors.pk]
    assert entry.after["names"] == {"en": "VIP phone", "zh-hans": "贵宾电话"}
    assert entry.after["targets"] == {
        "first_response": {"minutes": 20, "calendar": int(_calendar("cn-hotline"))},
        "resolution": {"minutes": 480, "calendar": int(_calendar("cn-workday"))}}
    assert [s["action"] for s in entry.after["steps"]] == ["notify_assignee", "notify_team", "reassign_team"]


def test_an_edit_keeps_the_steps_ids_and_audits_only_what_changed(site):
    url = _change_url("urgent")
    data = form_of(site.get(url))
    steps = {data[f"steps-{i}-action"][0]: i for i in range(int(data["steps-TOTAL_FORMS"][0]))}
    kept = int(data[f"steps-{steps['reassign_team']}-id"][0])
    dropped = int(data[f"steps-{steps['notify_assignee']}-id"][0])
    data[f"steps-{steps['reassign_team']}-delay_minutes"] = ["120"]
    data[f"steps-{steps['notify_assignee']}-DELETE"] = ["on"]
    data["warning_percent"] = ["70"]
    data["tiers"] = ["enterprise"]
    targets = {data[f"targets-{i}-metric"][0]: i for i in range(3)}
    data[f"targets-{targets['resolution']}-minutes"] = ["600"]
    response = site.post(url, data)
    assert response.status_code == 302, _errors(response)

    policy = _policy("urgent")
    assert (policy.warning_percent, policy.tiers) == (70, ["enterprise"])
    assert policy.targets.get(metric="resolution").minutes == 600
    assert EscalationStep.objects.get(pk=kept).delay_minutes == 120
    assert not EscalationStep.objects.filter(pk=dropped).exists()
    assert policy.steps.count() == 3
    entry = AuditEntry.objects.get(object_type="sla.slapolicy")
    assert entry.action == "policy_changed"
    assert set(entry.after) == {"warning_percent", "tiers", "targets", "steps"}
    assert (entry.before["warning_percent"], entry.after["warning_percent"]) == (80, 70)
    assert entry.after["targets"]["resolution"]["minutes"] == 600
    assert {s["id"] for s in entry.before["steps"]} - {s["id"] for s in entry.after["steps"]} == {dropped}


def test_two_targets_can_swap_their_kinds(site):
    url = _change_url("urgent")
    data = form_of(site.get(url))
    targets = {data[f"targets-{i}-metric"][0]: i for i in range(3)}
    data[f"targets-{targets['first_response']}-metric"] = ["next_response"]
    data[f"targets-{targets['next_response']}-metric"] = ["first_response"]
    response = site.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert dict(_policy("urgent").targets.values_list("metric", "minutes")) == {
        "first_response": 120, "next_response": 60, "resolution": 480}


def test_the_code_is_fixed_once_saved_and_policies_are_not_deleted(site):
    response = site.get(_change_url("chat"))
    assert "code" not in response.context["adminform"].form.fields
    assert response.context["has_delete_permission"] is False
    policy = _policy("chat")
    assert site.post(reverse("admin:sla_slapolicy_delete", args=[policy.pk]), {"post": "yes"}).status_code == 403
    assert SlaPolicy.objects.filter(pk=policy.pk).exists()


# ---- the rules --------------------------------------------------------------------------------

NO_TEAM = "This action needs a team."


@pytest.mark.parametrize(("changes", "expected"), [
    ({"warning_percent": "0"}, "Warn at between 1 and 99 per cent of a target's time."),
    ({"warning_percent": "100"}, "Warn at between 1 and 99 per cent of a target's time."),
    ({"targets-0-metric": "", "targets-0-minutes": "", "targets-0-calendar": "",
      "targets-1-metric": "", "targets-1-minutes": "", "targets-1-calendar": ""},
     "A policy needs at least one target."),
    ({"targets-0-minutes": "0"}, "Enter between 1 and 5270400 business minutes."),
    ({"targets-2-metric": "first_response", "targets-2-minutes": "30", "targets-2-calendar": "1"},
     "A policy has at most one target of each kind."),
    ({"steps-1-team": ""}, NO_TEAM),
    ({"steps-2-team": ""}, NO_TEAM),
    ({"progress_calendar": ""}, "Progress updates need a calendar to count their minutes on."),
    ({"progress_update_minutes": ""}, "Progress updates need an interval; or clear the calendar to send none."),
    ({"progress_update_minutes": "0"}, "Enter between 1 and 5270400 business minutes."),
    ({"pause_statuses": ["waiting_customer", "resolved"]},
     "resolved is not a status of an open case; a resolved or closed case has no clock to pause."),
    ({"pause_statuses": ["closed"]},
     "closed is not a status of an open case; a resolved or closed case has no clock to pause."),
    ({"severities": ["catastrophic"]}, "Select a valid choice. catastrophic is not one of the available choices."),
    ({"code": "urgent"}, "SLA policy with this Code already exists."),
])
def test_a_new_policy_breaking_a_rule_is_refused_with_the_reason(site, changes, expected):
    response = site.post(reverse(ADD), _new_policy(**changes))
    assert response.status_code == 200
    assert _errors(response) == [expected]
    assert expected in response.content.decode().replace("&#x27;", "'")
    assert not SlaPolicy.objects.filter(code="vip-phone").exists()
    assert SlaPolicy.objects.count() == len(SHIPPED)
    assert not AuditEntry.objects.filter(object_type="sla.slapolicy").exists()


def test_deleting_every_target_of_a_policy_is_refused(site):
    url = _change_url("phone")
    data = form_of(site.get(url))
    for i in range(3):
        data[f"targets-{i}-DELETE"] = ["on"]
    response = site.post(url, data)
    assert response.status_code == 200
    assert _errors(response) == ["A policy needs at least one target."]
    assert _policy("phone").targets.count() == 3
    assert not AuditEntry.objects.filter(object_type="sla.slapolicy").exists()


def test_an_edit_breaking_a_rule_is_refused_and_saves_nothing(site):
    url = _change_url("major")
    data = form_of(site.get(url))
    data["warning_percent"] = ["150"]
    data["progress_calendar"] = [""]
    steps = {data[f"steps-{i}-action"][0]: i for i in range(int(data["steps-TOTAL_FORMS"][0]))}
    data[f"steps-{steps['notify_team']}-team"] = [""]  # the step that tells the major-incident team
    response = site.post(url, data)
    assert response.status_code == 200
    assert sorted(_errors(response)) == sorted([
        "Warn at between 1 and 99 per cent of a target's time.",
        "Progress updates need a calendar to count their minutes on.", NO_TEAM])
    policy = _policy("major")
    assert (policy.warning_percent, policy.progress_calendar.code) == (80, "always")
    assert policy.steps.filter(action="notify_team", team__code="major-incidents").exists()


def test_a_code_taken_in_between_is_reported_not_a_500(site, monkeypatch):
    from aftersales.sla import forms

    monkeypatch.setattr(forms.SlaPolicyForm, "validate_unique", lambda self: None)  # as if two saves raced
    response = site.post(reverse(ADD), _new_policy(code="urgent"), follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "The policy was not saved: An SLA policy with this code exists already."]
    assert SlaPolicy.objects.count() == len(SHIPPED)


# ---- who may ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [(Role.SUPERVISOR, 403), (Role.AGENT, 302), (Role.TECHNICIAN, 302),
                                              ("customer", 302)])
def test_only_administrators_get_in(role, status):
    user = CustomerUserFactory() if role == "customer" else UserFactory(role=role)
    client = Client()
    client.force_login(user)
    urls = [reverse(CHANGELIST), reverse(ADD), _change_url("urgent"), reverse("admin:sla_caseclock_changelist"),
            reverse("admin:sla_slanotification_changelist")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith(reverse("admin:login"))
    response = client.post(_change_url("urgent"), {"warning_percent": "10"})
    assert response.status_code == status
    assert _policy("urgent").warning_percent == 80
    assert not AuditEntry.objects.filter(object_type="sla.slapolicy").exists()


# ---- team leads -------------------------------------------------------------------------------

def test_a_team_lead_is_chosen_from_active_staff(site):
    team = TeamFactory(code="repairs", name="Repairs")
    lead = UserFactory(role=Role.TECHNICIAN, display_name="Lee Lead")
    UserFactory(role=Role.AGENT, is_active=False, username="gone")
    customer = CustomerUserFactory()
    url = reverse("admin:accounts_team_change", args=[team.pk])
    response = site.get(url)
    offered = set(response.context["adminform"].form.fields["lead"].queryset)
    assert lead in offered
    assert customer not in offered
    assert all(u.is_active and u.role != Role.CUSTOMER for u in offered)

    data = {"code": "repairs", "name": "Repairs", "lead": str(customer.pk)}
    response = site.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead"]
    assert Team.objects.get(pk=team.pk).lead is None

    response = site.post(url, {**data, "lead": str(lead.pk)})
    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).lead == lead
    assert "Lee Lead" in site.get(reverse("admin:accounts_team_changelist")).content.decode()


# ---- clocks and notifications: read-only ------------------------------------------------------

@pytest.fixture
def history():
    """One breached first-response clock with a pause, two milestones and two notifications."""
    policy = _policy("urgent")
    case = CaseFactory(severity="urgent")
    start = timezone.now() - timedelta(hours=5)
    row = CaseClock.objects.create(
        case=case, metric="first_response", policy=policy, calendar=BusinessCalendar.objects.get(code="always"),
        target_minutes=60, state="missed", started_at=start, paused_minutes=15, warn_at=start + timedelta(minutes=63),
        due_at=start + timedelta(minutes=75), warned_at=start + timedelta(minutes=63),
        breached_at=start + timedelta(minutes=75), stopped_at=start + timedelta(hours=3))
    SlaPause.objects.create(clock=row, status="waiting_customer", started_at=start + timedelta(minutes=10),
                            ended_at=start + timedelta(minutes=25), minutes=15)
    warning = SlaMilestone.objects.create(clock=row, key="warning", at=row.warn_at, handled_at=row.warn_at)
    breach = SlaMilestone.objects.create(clock=row, key="breach", at=row.due_at, handled_at=row.due_at)
    agent = UserFactory(role=Role.AGENT, username="ada")
    lead = UserFactory(role=Role.SUPERVISOR, username="lee")
    SlaNotification.objects.create(user=agent, case=case, milestone=warning, kind="warning", metric=row.metric,
                                   created_at=row.warn_at, read_at=row.warn_at + timedelta(minutes=2))
    SlaNotification.objects.create(user=lead, case=case, milestone=breach, kind="breach", metric=row.metric,
                                   created_at=row.due_at)
    return row


def test_a_clock_is_shown_with_its_pauses_and_milestones_read_only(site, history):
    response = site.get(reverse("admin:sla_caseclock_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [history]
    url = reverse("admin:sla_caseclock_change", args=[history.pk])
    response = site.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["adminform"].form.fields == {}  # every field is shown, none is editable
    inlines = {i.formset.model: i for i in response.context["inline_admin_formsets"]}
    assert [f.instance for f in inlines[SlaPause].formset.forms] == list(history.pauses.all())
    assert [f.instance.key for f in inlines[SlaMilestone].formset.forms] == ["warning", "breach"]
    assert all(not i.has_add_permission and not i.has_change_permission and not i.has_delete_permission
               for i in inlines.values())
    page = response.content.decode()
    assert 'name="_save"' not in page and "waiting_customer" in page

    assert site.get(reverse("admin:sla_caseclock_add")).status_code == 403
    assert site.post(url, {"state": "running"}).status_code == 403
    assert site.post(reverse("admin:sla_caseclock_delete", args=[history.pk]), {"post": "yes"}).status_code == 403
    assert CaseClock.objects.get(pk=history.pk).state == "missed"


def test_notifications_are_filtered_by_kind_and_read_and_are_read_only(site, history):
    url = reverse("admin:sla_slanotification_changelist")
    assert [n.kind for n in site.get(url).context["cl"].result_list] == ["breach", "warning"]
    assert [n.kind for n in site.get(url, {"kind": "warning"}).context["cl"].result_list] == ["warning"]
    assert [n.user.username for n in site.get(url, {"read": "no"}).context["cl"].result_list] == ["lee"]
    assert [n.user.username for n in site.get(url, {"read": "yes"}).context["cl"].result_list] == ["ada"]
    note = SlaNotification.objects.get(kind="breach")
    change = reverse("admin:sla_slanotification_change", args=[note.pk])
    response = site.get(change)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert site.get(reverse("admin:sla_slanotification_add")).status_code == 403
    assert site.post(change, {"kind": "warning"}).status_code == 403
    assert site.post(reverse("admin:sla_slanotification_delete", args=[note.pk]), {"post": "yes"}).status_code == 403
    assert SlaNotification.objects.get(pk=note.pk).read_at is None


# ---- in a real browser ------------------------------------------------------------------------

# Set to a folder to keep a screenshot of the policy page.
SHOTS = os.environ.get("AFTERSALES_SCREENSHOTS")


@pytest.fixture
def shipped_sla(transactional_db):
    """The shipped calendars and policies, put back after an earlier test with real transactions
    emptied the database (which loses what the migrations wrote)."""
    from django.apps import apps

    if not BusinessCalendar.objects.exists():
        importlib.import_module("aftersales.sla.migrations.0002_shipped_calendars").forwards(apps, None)
    if not SlaPolicy.objects.exists():
        importlib.import_module("aftersales.sla.migrations.0004_shipped_policies").forwards(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_administrator_ticks_conditions_and_sees_a_mistake_explained(shipped_sla, page):
    from playwright.sync_api import expect

    UserFactory(role=Role.ADMINISTRATOR, username="root")
    page.goto("/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.goto(_change_url("urgent"))
    expect(page.get_by_role("heading", name="Applies to")).to_be_visible()
    vip = page.get_by_label("VIP")
    expect(vip).not_to_be_checked()
    vip.check()
    page.get_by_label("Waiting on parts").uncheck()
    page.fill("#id_progress_update_minutes", "90")  # no calendar chosen: refused, with the reason
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-progress_calendar .errorlist")).to_have_text(
        "Progress updates need a calendar to count their minutes on.")
    expect(page.get_by_label("VIP")).to_be_checked()  # what was ticked stays ticked
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / "sla-policy-error.png"), full_page=True)

    page.select_option("#id_progress_calendar", label="always — Always open (24×7)")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    policy = _policy("urgent")
    assert (policy.tiers, policy.pause_statuses) == (["vip"], ["waiting_customer"])
    assert (policy.progress_update_minutes, policy.progress_calendar.code) == (90, "always")
    assert AuditEntry.objects.get(object_type="sla.slapolicy").action == "policy_changed"
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "sla-policy.png"), full_page=True)
