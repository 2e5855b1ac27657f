"""Every change to a case leaves an audit row: who, when, before and after."""

from __future__ import annotations

import pytest

from aftersales.accounts.models import Role
from aftersales.cases import actions
from aftersales.cases.attachments import check_upload
from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CustomerFactory, PurchaseFactory, TeamFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def last_audit(case) -> AuditEntry:
    return AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("-id").first()


@pytest.fixture
def case(agent):
    customer = CustomerFactory()
    return actions.case_open(customer=customer, subject="Screen cracked", actor=agent, type="repair")


def test_opening_is_audited(case, agent):
    audit = last_audit(case)
    assert audit.action == "case.opened" and audit.actor == agent
    assert audit.after["subject"] == "Screen cracked" and audit.after["status"] == "new"
    assert audit.created_at is not None


@pytest.mark.parametrize(
    ("change", "action", "field", "before", "after"),
    [
        (lambda c, u, o: actions.case_change_status(case=c, target="open", actor=u), "case.status_changed",
         "status", "new", "open"),
        (lambda c, u, o: actions.case_assign(case=c, assignee=o["other"], actor=u), "case.assigned",
         "assignee", None, "other"),
        (lambda c, u, o: actions.case_set_team(case=c, team=o["team"], actor=u), "case.team_changed", "team",
         "default", "team"),
        (lambda c, u, o: actions.case_set_fields(case=c, severity="urgent", actor=u), "case.updated", "severity",
         "ordinary", "urgent"),
        (lambda c, u, o: actions.case_set_fields(case=c, type="exchange", actor=u), "case.updated", "type",
         "repair", "exchange"),
        (lambda c, u, o: actions.case_set_fields(case=c, subject="Screen and battery", actor=u), "case.updated",
         "subject", "Screen cracked", "Screen and battery"),
        (lambda c, u, o: actions.case_set_fields(case=c, language="ko", actor=u), "case.updated", "language",
         "en", "ko"),
        (lambda c, u, o: actions.case_set_fields(case=c, unit=o["unit"], actor=u), "case.updated", "unit",
         None, "unit"),
        (lambda c, u, o: actions.case_set_fields(case=c, purchase=o["purchase"], actor=u), "case.updated",
         "purchase", None, "purchase"),
        (lambda c, u, o: actions.case_set_tags(case=c, names=["screen"], actor=u), "case.tags_changed", "tags",
         [], ["screen"]),
    ],
)
def test_each_change_is_audited_with_before_and_after(case, agent, change, action, field, before, after):
    others = {
        "other": UserFactory(role=Role.AGENT), "team": TeamFactory(), "unit": UnitFactory(customer=case.customer),
        "purchase": PurchaseFactory(customer=case.customer), "default": case.team,
    }
    change(case, agent, others)
    audit = last_audit(case)
    def resolve(value):
        return others[value].pk if isinstance(value, str) and value in others else value

    assert audit.action == action
    assert audit.actor == agent
    assert audit.before[field] == resolve(before)
    assert audit.after[field] == resolve(after)


def test_a_change_to_the_same_value_writes_nothing(case, agent):
    count = AuditEntry.objects.count()
    actions.case_set_fields(case=case, severity="ordinary", actor=agent)
    actions.case_assign(case=case, assignee=None, actor=agent)
    actions.case_change_status(case=case, target="new", actor=agent)
    assert AuditEntry.objects.count() == count


def test_messages_notes_and_files_are_audited(case, agent):
    actions.case_post_message(case=case, actor=agent, body="hi", public=True)
    assert last_audit(case).action == "case.message_posted"
    actions.case_post_message(case=case, actor=agent, body="internal", public=False)
    assert last_audit(case).action == "case.note_added"
    attachment = actions.case_attach(case=case, actor=agent, checked=check_upload(PNG, "photo.png"))
    audit = last_audit(case)
    assert audit.action == "case.attachment_added"
    assert audit.after["sha256"] == attachment.sha256


def test_customer_changes_are_audited(agent):
    from aftersales.customers.actions import customer_update

    customer = CustomerFactory(tier="standard")
    customer_update(customer=customer, changes={"tier": "vip"}, actor=agent)
    audit = AuditEntry.objects.filter(object_type="customers.customer", object_id=str(customer.pk)).first()
    assert (audit.action, audit.before, audit.after) == ("customer.updated", {"tier": "standard"}, {"tier": "vip"})


def test_an_empty_customer_update_writes_nothing(agent):
    from aftersales.customers.actions import customer_update

    customer = CustomerFactory(tier="vip")
    stamp, count = customer.updated_at, AuditEntry.objects.count()
    customer_update(customer=customer, changes={"tier": "vip"}, actor=agent)
    customer.refresh_from_db()
    assert customer.updated_at == stamp
    assert AuditEntry.objects.count() == count
