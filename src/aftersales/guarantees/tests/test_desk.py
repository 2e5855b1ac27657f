"""Guarantee claims in the desk: the block on the case page per role, opening and settling a
claim through htmx, refusals inline with a 4xx and nothing written, the supervisors' queue
(keyset pages, a fixed number of queries), and the API read."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.models import CaseEntry
from aftersales.core.models import AuditEntry
from aftersales.core.tests.api_support import api_client, assert_error
from aftersales.core.tests.factories import TeamFactory, UserFactory
from aftersales.guarantees import actions
from aftersales.guarantees.models import GuaranteeClaim
from aftersales.guarantees.tests.conftest import HTMX, client_for, days_ago
from aftersales.policies.models import EntitlementDecision

pytestmark = pytest.mark.django_db


def state() -> tuple:
    return (GuaranteeClaim.objects.count(), EntitlementDecision.objects.count(), AuditEntry.objects.count(),
            CaseEntry.objects.count(), list(GuaranteeClaim.objects.order_by("pk").values_list("pk", "status")))


def panel_url(case) -> str:
    return f"/desk/cases/{case.pk}/guarantee-claims/"


def step_url(claim, step: str) -> str:
    return f"/desk/cases/{claim.case_id}/guarantee-claims/{claim.pk}/{step}/"


def open_late(client, case, **fields):
    data = {"guarantee": "late_shipment", "promised_ship_by": days_ago(5), "shipped_at": days_ago(1),
            "amount_paid": "40.00", "claim_date": days_ago(0), **fields}
    return client.post(panel_url(case) + "open/", data, **HTMX)


def test_the_case_page_loads_the_block_below_the_entitlement(order_case, agent):
    case = order_case("40.00")
    html = client_for(agent).get(f"/desk/cases/{case.pk}/").content.decode()
    entitlement, claims = html.index('id="entitlement"'), html.index('id="guarantee-claims"')
    assert entitlement < claims < html.index("desk-customer")
    assert f'hx-get="/desk/cases/{case.pk}/guarantee-claims/"' in html


def test_the_agent_sees_a_form_per_claimable_guarantee_prefilled_from_the_order(order_case, agent):
    case = order_case("40.00", shipped=1, signed=0)
    response = client_for(agent).get(panel_url(case), **HTMX)
    assert response.status_code == 200
    forms = {f["code"]: {x["name"]: x["value"] for x in f["fields"]} for f in response.context["offered"]}
    assert list(forms) == ["late_shipment", "counterfeit", "damage_in_transit", "arrival_promise"]  # no returns
    assert forms["late_shipment"] == {"promised_ship_by": "", "shipped_at": days_ago(1), "amount_paid": "40.00",
                                      "claim_date": days_ago(0)}
    assert forms["damage_in_transit"]["reshipments"] == 0 and forms["counterfeit"]["confirmed_counterfeit"] is False
    html = response.content.decode()
    assert 'id="gc-late_shipment-promised_ship_by" name="promised_ship_by" value="" type="date" required' in html
    assert "No claims on this case." not in html


def test_a_case_without_an_order_shows_nothing(team, agent):
    from aftersales.cases import actions as case_actions
    from aftersales.core.tests.factories import CustomerFactory

    case = case_actions.case_open(customer=CustomerFactory(), subject="Question", actor=agent, team=team)
    response = client_for(agent).get(panel_url(case), **HTMX)
    assert response.content.decode().strip() == '<div id="guarantee-claims"></div>'


def test_the_agent_opens_a_late_shipment_claim_and_cannot_approve_it(order_case, agent):
    case = order_case("40.00")
    client = client_for(agent)
    response = open_late(client, case)
    assert response.status_code == 200
    claim = GuaranteeClaim.objects.get(case=case)
    assert claim.amount == Decimal("2.00") and claim.created_by == agent
    html = response.content.decode()
    assert "Compensation 2.00 CNY" in html and 'class="badge gc-status-proposed">Proposed<' in html
    assert "/approve/" not in html and "/reject/" not in html  # not the agent's to approve
    assert "/escalate/" in html
    before = state()
    refused = client.post(step_url(claim, "approve"), **HTMX)
    assert refused.status_code == 403 and "Your role does not allow this." in refused.content.decode()
    assert state() == before


def test_the_supervisor_approves_and_marks_it_paid(order_case, agent, supervisor):
    case = order_case("40.00")
    open_late(client_for(agent), case)
    claim = GuaranteeClaim.objects.get(case=case)
    client = client_for(supervisor)
    html = client.get(panel_url(case), **HTMX).content.decode()
    assert step_url(claim, "approve") in html and step_url(claim, "reject") in html
    assert client.post(step_url(claim, "approve"), **HTMX).status_code == 200
    response = client.post(step_url(claim, "pay"), {"reference": "ALIPAY-77"}, **HTMX)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.approved_by, claim.paid_by, claim.payment_reference) == (
        "paid", supervisor, supervisor, "ALIPAY-77")
    assert "ALIPAY-77" in response.content.decode()
    before = state()
    again = client.post(step_url(claim, "pay"), {"reference": "ALIPAY-78"}, **HTMX)
    assert again.status_code == 409 and "Only an approved claim can be marked paid" in again.content.decode()
    assert state() == before


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"promised_ship_by": ""}, 422, "Enter “Promised to ship by”"),
    ({"promised_ship_by": "31/12/2025"}, 422, "promised_ship_by"),
    ({"amount_paid": "400.00"}, 422, "cannot be more than the order"),
    ({"amount_paid": "ten"}, 422, "amount_paid"),
    ({"shipped_at": days_ago(6)}, 422, "within the promised date"),
    ({"guarantee": "return_promise"}, 422, "returns are given from the entitlement panel"),
    ({"guarantee": "nonsense"}, 422, "Choose the guarantee"),
])
def test_bad_input_is_shown_inline_with_a_4xx_and_nothing_is_written(order_case, agent, fields, status, message):
    case = order_case("40.00")
    before = state()
    response = open_late(client_for(agent), case, **fields)
    assert response.status_code == status
    html = response.content.decode()
    assert re.search(r'<p class="error" role="alert">[^<]*' + re.escape(message), html), html[:3000]
    assert state() == before


def test_the_form_keeps_what_the_agent_typed_after_a_refusal(order_case, agent):
    case = order_case("40.00")
    response = open_late(client_for(agent), case, amount_paid="400.00")
    late = next(f for f in response.context["offered"] if f["code"] == "late_shipment")
    assert {f["name"]: f["value"] for f in late["fields"]}["amount_paid"] == "400.00"
    assert '<details class="gc-open" open><summary>Shipping-time promise' in response.content.decode()


def test_a_second_open_claim_is_a_409_inline(order_case, agent):
    case = order_case("40.00")
    client = client_for(agent)
    open_late(client, case)
    before = state()
    response = open_late(client, case)
    assert response.status_code == 409 and "already open on this case" in response.content.decode()
    assert state() == before


def test_steps_without_their_text_are_refused_inline(order_case, agent, supervisor):
    case = order_case("40.00")
    open_late(client_for(agent), case)
    claim = GuaranteeClaim.objects.get(case=case)
    client = client_for(supervisor)
    before = state()
    for step, data, code_text in [("reject", {"reason": " "}, "Say why the claim is rejected."),
                                  ("escalate", {}, "Say what the buyer and the seller disagree on."),
                                  ("approve", {"amount": "3.00"}, "Say why an amount other than the computed"),
                                  ("ruling", {"outcome": "approved", "note": "x"}, "Only a claim escalated")]:
        response = client.post(step_url(claim, step), data, **HTMX)
        assert 400 <= response.status_code < 500, step
        assert code_text in response.content.decode(), step
    assert state() == before
    assert client.post(step_url(claim, "explode"), **HTMX).status_code == 404


@pytest.mark.parametrize("role", ["customer", "technician", "agent", "supervisor", "administrator"])
def test_role_matrix_of_the_desk_block(order_case, users, role):
    case = order_case("40.00")
    claim = actions.guarantee_claim_open(case=case, guarantee="late_shipment", actor=users["agent"],
                                         facts_overrides={"promised_ship_by": days_ago(5)})
    client = client_for(users[role])
    read = client.get(panel_url(case), **HTMX)
    before = state()
    opened = open_late(client, case, guarantee="counterfeit", confirmed_counterfeit="on")
    approved = client.post(step_url(claim, "approve"), **HTMX)
    expected = {  # (read, open, approve)
        "customer": (404, 404, 404), "technician": (200, 403, 403), "agent": (200, 200, 403),
        "supervisor": (200, 200, 200), "administrator": (200, 200, 200)}[role]
    assert (read.status_code, opened.status_code, approved.status_code) == expected
    if expected[1] != 200:
        assert state() == before
    if role == "technician":
        html = read.content.decode()
        assert "Compensation 2.00 CNY" in html and "<form" not in html  # reads, may not act


def test_an_agent_of_another_team_gets_a_404(order_case):
    case = order_case("40.00")
    stranger = UserFactory(role=Role.AGENT, teams=[TeamFactory(code="elsewhere")])
    client = client_for(stranger)
    before = state()
    assert client.get(panel_url(case), **HTMX).status_code == 404
    assert open_late(client, case).status_code == 404
    assert state() == before


def test_a_claim_reached_through_another_case_is_a_404(order_case, agent, supervisor):
    first, second = order_case("40.00"), order_case("40.00")
    claim = actions.guarantee_claim_open(case=first, guarantee="late_shipment", actor=agent,
                                         facts_overrides={"promised_ship_by": days_ago(5)})
    response = client_for(supervisor).post(f"/desk/cases/{second.pk}/guarantee-claims/{claim.pk}/approve/", **HTMX)
    assert response.status_code == 404
    assert GuaranteeClaim.objects.get(pk=claim.pk).status == "proposed"


# ---- the supervisors' queue ------------------------------------------------------------------

def _claims(order_case, agent, n: int) -> list[GuaranteeClaim]:
    """`n` proposed claims on cases of their own (each with its own customer and opener)."""
    made = []
    for _i in range(n):
        made.append(actions.guarantee_claim_open(case=order_case("40.00"), guarantee="late_shipment", actor=agent,
                                                 facts_overrides={"promised_ship_by": days_ago(5)}))
    return made


def test_the_queue_lists_proposed_claims_oldest_first_and_filters_by_status(order_case, agent, supervisor):
    made = _claims(order_case, agent, 3)
    actions.guarantee_claim_approve(claim=made[0], actor=supervisor)
    client = client_for(supervisor)
    response = client.get("/desk/guarantee-claims/")
    assert response.status_code == 200
    assert [c.pk for c in response.context["claims"]] == [made[1].pk, made[2].pk]
    tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert tabs == {"proposed": 2, "approved": 1, "escalated": 0, "paid": 0, "rejected": 0, "all": 3}
    html = response.content.decode()
    assert made[1].case.number in html and "Compensation 2.00 CNY" in html
    approved = client.get("/desk/guarantee-claims/", {"status": "approved"})
    assert [c.pk for c in approved.context["claims"]] == [made[0].pk]
    everything = client.get("/desk/guarantee-claims/", {"status": "all"})
    assert [c.pk for c in everything.context["claims"]] == [m.pk for m in reversed(made)]
    assert client.get("/desk/guarantee-claims/", {"status": "nonsense"}).status_code == 422
    assert client.get("/desk/guarantee-claims/", {"cursor": "!!"}).status_code == 422


def test_the_queue_pages_by_keyset(order_case, agent, supervisor, monkeypatch):
    from aftersales.desk import views_guarantees
    from aftersales.guarantees import selectors

    made = _claims(order_case, agent, 5)
    monkeypatch.setattr(views_guarantees, "claim_queue", lambda **kw: selectors.claim_queue(**kw, limit=2))
    client = client_for(supervisor)
    seen, url = [], "/desk/guarantee-claims/?status=proposed"
    while url:
        response = client.get(url)
        seen += [c.pk for c in response.context["claims"]]
        nxt = response.context["next_url"]
        url = f"/desk/guarantee-claims/{nxt}" if nxt else None
    assert seen == [c.pk for c in made]


def test_the_queue_costs_the_same_for_3_and_30_claims(order_case, agent, supervisor, django_assert_num_queries):
    client = client_for(supervisor)
    for size in (3, 30):
        _claims(order_case, UserFactory(role=Role.AGENT), size - GuaranteeClaim.objects.count())
        # session, user, the rows (with case, customer, opener), the counts per status, and the
        # desk header's unread SLA notification count (one capped index read)
        with django_assert_num_queries(5):
            response = client.get("/desk/guarantee-claims/")
        assert len(response.context["claims"]) == size


@pytest.mark.parametrize(("role", "status"), [("agent", 403), ("technician", 403), ("customer", 404),
                                              ("supervisor", 200), ("administrator", 200)])
def test_the_queue_is_for_supervisors_and_linked_from_their_header(users, role, status):
    client = client_for(users[role])
    assert client.get("/desk/guarantee-claims/").status_code == status
    if role != "customer":
        header = client.get("/desk/").content.decode()
        assert ('href="/desk/guarantee-claims/"' in header) is (status == 200)


# ---- API ------------------------------------------------------------------------------------

def test_the_api_lists_a_cases_claims_for_staff(order_case, users):
    case = order_case("200.00", signed=2)
    claim = actions.guarantee_claim_open(case=case, guarantee="counterfeit", actor=users["agent"],
                                         facts_overrides={"confirmed_counterfeit": True})
    response = api_client(users["technician"]).get(f"/api/v1/cases/{case.pk}/guarantee-claims")
    assert response.status_code == 200
    [body] = response.json()
    assert body["id"] == claim.pk and body["status"] == "proposed" and body["amount"] == "600.00"
    assert body["remedies"] == [{"kind": "refund", "amount": "200.00", "currency": "CNY"},
                                {"kind": "compensation", "amount": "400.00", "currency": "CNY"}]
    assert body["policy"] == "cn-counterfeit" and body["policy_version"] == 1
    assert body["opened"]["by"]["id"] == users["agent"].pk and body["paid"] is None
    customer = users["customer"]
    assert_error(api_client(customer).get(f"/api/v1/cases/{case.pk}/guarantee-claims"), 404, "not_found")
