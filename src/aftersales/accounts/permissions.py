"""What each role may do. The one table every `access_*` function reads.

Scoping (which rows a person sees) lives in the `access.py` of each app; this table says
which operations a role may attempt at all.
"""

from __future__ import annotations

from enum import StrEnum

from aftersales.accounts.models import Role


class Op(StrEnum):
    CASE_VIEW = "case.view"
    CASE_SEE_ALL = "case.see_all"
    CASE_CREATE_OWN = "case.create_own"
    CASE_CREATE_FOR_CUSTOMER = "case.create_for_customer"
    CASE_REPLY = "case.reply"
    CASE_NOTE = "case.note"
    CASE_VIEW_INTERNAL = "case.view_internal"
    CASE_CHANGE_STATUS = "case.change_status"
    CASE_ASSIGN = "case.assign"
    CASE_CLASSIFY = "case.classify"
    CASE_TAG = "case.tag"
    CASE_ATTACH = "case.attach"
    CUSTOMER_VIEW_ALL = "customer.view_all"
    CUSTOMER_EDIT = "customer.edit"
    CATALOG_EDIT = "catalog.edit"
    UNIT_EDIT = "unit.edit"
    PURCHASE_EDIT = "purchase.edit"
    PURCHASE_IMPORT = "purchase.import"
    ENTITLEMENT_EVALUATE = "entitlement.evaluate"
    POLICY_VIEW = "policy.view"
    ENTITLEMENT_APPLY = "entitlement.apply"
    GUARANTEE_CLAIM = "guarantee.claim"  # open a guarantee claim, escalate it, record its payment
    GUARANTEE_APPROVE = "guarantee.approve"  # approve or reject a claim, record the platform's ruling
    SLA_VIEW = "sla.view"  # read the business calendars and ask one for a due instant
    PARTS_VIEW = "parts.view"  # read the parts catalogue, stock levels, movements, the reorder list
    PARTS_MOVE = "parts.move"  # receive, transfer, reserve, release, consume and return parts
    PARTS_ADMIN = "parts.admin"  # correct stock after a stock-take
    REPAIR_INSPECT = "repair.inspect"  # pass a repair, or send it back, before hand-back
    REPAIR_MANAGE = "repair.manage"  # open, dispatch and move work orders; take items in and hand them back
    KB_READ_INTERNAL = "kb.read_internal"  # read and find the knowledge base's internal (staff-only) articles
    KB_EDIT = "kb.edit"  # write article drafts (a good answer becomes an article); attachments
    KB_PUBLISH = "kb.publish"  # publish, schedule, unpublish and delete articles; categories; KB analytics


_CUSTOMER = {Op.CASE_VIEW, Op.CASE_CREATE_OWN, Op.CASE_REPLY, Op.CASE_CHANGE_STATUS, Op.CASE_ATTACH}
_TECHNICIAN = {
    Op.CASE_VIEW,
    Op.CASE_REPLY,
    Op.CASE_NOTE,
    Op.CASE_VIEW_INTERNAL,
    Op.CASE_CHANGE_STATUS,
    Op.CASE_TAG,
    Op.CASE_ATTACH,
    Op.CUSTOMER_VIEW_ALL,
    Op.UNIT_EDIT,
    # Every staff role reads the policies and asks the engine what a customer is entitled to
    # (agents, supervisors and administrators inherit these rows).
    Op.ENTITLEMENT_EVALUATE,
    Op.POLICY_VIEW,
    Op.SLA_VIEW,
    Op.PARTS_VIEW,
    Op.PARTS_MOVE,  # technicians carry and use the parts; agents do not (removed below)
    Op.REPAIR_MANAGE,  # every staff role works the repair vouchers (agents and up inherit it)
    Op.KB_READ_INTERNAL,  # every staff role reads the agent handbook
}
_AGENT = (_TECHNICIAN - {Op.PARTS_MOVE}) | {
    Op.CASE_CREATE_FOR_CUSTOMER,
    Op.ENTITLEMENT_APPLY,  # give the customer a remedy on a case (an override needs a reason)
    Op.GUARANTEE_CLAIM,
    Op.CASE_ASSIGN,
    Op.CASE_CLASSIFY,
    Op.CUSTOMER_EDIT,
    Op.PURCHASE_EDIT,
    Op.KB_EDIT,  # agents draft articles; supervisors publish them
}
_SUPERVISOR = _AGENT | {
    Op.CASE_SEE_ALL,
    Op.CATALOG_EDIT,
    Op.PURCHASE_IMPORT,
    Op.GUARANTEE_APPROVE,
    Op.PARTS_MOVE,
    Op.PARTS_ADMIN,
    Op.REPAIR_INSPECT,
    Op.KB_PUBLISH,
}
_ADMINISTRATOR = set(Op)

ROLE_OPERATIONS: dict[str, frozenset[Op]] = {
    Role.CUSTOMER: frozenset(_CUSTOMER),
    Role.TECHNICIAN: frozenset(_TECHNICIAN),
    Role.AGENT: frozenset(_AGENT),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMINISTRATOR: frozenset(_ADMINISTRATOR),
}


def can(user, op: Op) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return op in ROLE_OPERATIONS.get(user.role, frozenset())
