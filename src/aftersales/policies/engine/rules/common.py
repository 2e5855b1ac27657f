"""Steps several rule families share: the start date, the fault's component, exclusions."""

from __future__ import annotations

from datetime import date

from ..context import Outcome, Policy
from ..types import Claim, ClaimError, Fault, gettext_noop

START_EVENTS = ("installed", "delivered", "invoice", "signed")


def fault_of(policy: Policy, claim: Claim) -> Fault:
    """The claimed fault (a performance fault of the main unit when none is given); its
    component must be one the policy knows."""
    fault = claim.fault or Fault()
    known = policy.components()
    if known and fault.component not in known:
        raise ClaimError("unknown_component", gettext_noop(
            "The component %(component)s is not one this policy covers: %(known)s."),
            component=fault.component, known=", ".join(known))
    return fault


def start_date(policy: Policy, claim: Claim, out: Outcome, rule_prefix: str) -> date:
    """The first date present in the policy's `start.precedence` (default: installation,
    delivery, invoice), explained."""
    precedence = policy.words("start", "precedence") or ("installed", "delivered", "invoice")
    for event in precedence:
        day = claim.signed_at if event == "signed" else getattr(claim.dates, event)
        if day is None:
            continue
        rule = f"{rule_prefix}.start"
        if event == "installed":
            out.explain(rule, "start", gettext_noop("The periods start on the installation date, %(date)s."),
                        date=day.isoformat())
        elif event == "delivered":
            out.explain(rule, "start", gettext_noop("The periods start on the delivery date, %(date)s."),
                        date=day.isoformat())
        elif event == "signed":
            out.explain(rule, "start", gettext_noop(
                "The periods start on the day the goods were signed for, %(date)s."), date=day.isoformat())
        else:
            out.explain(rule, "start", gettext_noop("The periods start on the invoice date, %(date)s."),
                        date=day.isoformat())
        return day
    raise ClaimError("missing_start_date", gettext_noop(
        "None of the dates this policy starts its periods from is given (%(dates)s)."), dates=", ".join(precedence))


def excluded(policy: Policy, fault: Fault, out: Outcome, rule_prefix: str) -> bool:
    """Misuse, water damage, unauthorised repair, force majeure … (the policy lists them):
    not covered, a paid repair instead. `no_fault`: nothing to remedy."""
    if fault.cause == "no_fault":
        out.explain(f"{rule_prefix}.no_fault", None, gettext_noop(
            "No fault was found, so there is nothing to remedy under these rules."))
        return True
    if fault.cause is not None and fault.cause in policy.words("exclusions", "causes"):
        rule = f"{rule_prefix}.exclusion"
        if fault.cause == "misuse":
            out.explain(rule, "exclusions", gettext_noop(
                "Damage from misuse or poor upkeep is not covered; the repair is paid."))
        elif fault.cause == "water_damage":
            out.explain(rule, "exclusions", gettext_noop(
                "Water damage is not covered; the repair is paid."))
        elif fault.cause == "unauthorized_repair":
            out.explain(rule, "exclusions", gettext_noop(
                "The product was opened or repaired by an unauthorised repairer, so it is not covered; "
                "the repair is paid."))
        else:
            out.explain(rule, "exclusions", gettext_noop(
                "Damage from force majeure is not covered; the repair is paid."))
        out.offer("paid_repair")
        return True
    return False
