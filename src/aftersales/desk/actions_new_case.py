"""The desk's write that spans apps: a case for a caller, with their customer record when they
are new. It composes the owning apps' actions in one transaction, so it happens whole or not
at all. (Kept apart from `desk/actions.py`, which holds the desk's writes of its own.)"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.accounts.models import Team, User
from aftersales.cases.actions import case_open
from aftersales.cases.attachments import CheckedFile
from aftersales.cases.models import Case
from aftersales.core.errors import ValidationFailed
from aftersales.customers.actions import IdentityInput, customer_create
from aftersales.customers.errors import CustomerError
from aftersales.customers.models import Customer, IdentityKind


@dataclass(frozen=True)
class NewCustomer:
    """A caller who is not on file yet: a name and at least one way to reach them."""

    name: str
    language: str
    tier: str
    email: str = ""
    phone: str = ""

    def identities(self) -> list[IdentityInput]:
        found = []
        if self.email:
            found.append(IdentityInput(kind=IdentityKind.EMAIL, value=self.email, is_primary=True))
        if self.phone:
            found.append(IdentityInput(kind=IdentityKind.PHONE, value=self.phone, is_primary=True))
        return found


@transaction.atomic
def case_open_for_caller(
    *,
    actor: User,
    customer: Customer | None,
    new_customer: NewCustomer | None = None,
    subject: str,
    body: str,
    type: str,
    severity: str,
    channel: str,
    language: str | None,
    unit=None,
    purchase=None,
    team: Team | None = None,
    assignee: User | None = None,
    attachments: Iterable[CheckedFile] = (),
) -> Case:
    """Open a case for someone on the phone or at the counter, creating their customer record
    first when they are new. `body` is what the customer told the agent: the case's first
    message, from the customer. The caller has fetched `customer`, `unit` and `purchase`
    through their `access_*` functions and checked the role."""
    if (customer is None) == (new_customer is None):
        raise ValueError("pass exactly one of customer and new_customer")
    if new_customer is not None:
        identities = new_customer.identities()
        if not identities:
            raise ValidationFailed(CustomerError.CUSTOMER_INVALID,
                                   _("A new customer needs an e-mail address or a phone number."))
        customer = customer_create(name=new_customer.name, language=new_customer.language, tier=new_customer.tier,
                                   identities=identities, actor=actor)
    return case_open(
        customer=customer, subject=subject, body=body, type=type, severity=severity, channel=channel,
        language=language, unit=unit, purchase=purchase, team=team, assignee=assignee,
        attachments=list(attachments), opening_from_customer=True, actor=actor,
    )
