"""New case: an agent opens a case for a customer on the phone or at the counter.

One page with two htmx helpers: the as-you-type customer search, and the customer step
(the chosen customer with their units and purchases, or the search and the new-customer
fields). Every step also works as a plain link or form without JavaScript. The post parses
the form, fetches the customer, unit and purchase through their `access_*` functions (a row
out of sight is a 404), checks the role, and calls one action: `desk.actions_new_case.case_open_for_caller`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op, can
from aftersales.cases.access import cases_visible_to
from aftersales.catalog.access import access_purchase, access_unit
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.core.formvalues import ascii_int
from aftersales.customers.models import IdentityKind
from aftersales.customers.selectors import customer_by_identity, phone_candidates
from aftersales.desk.access import staff_required
from aftersales.desk.actions_new_case import NewCustomer, case_open_for_caller
from aftersales.desk.forms_new_case import MAX_FILES, NewCaseForm, checked_files
from aftersales.desk.selectors_new_case import (
    MAX_TERM,
    MIN_TERM,
    clean_term,
    customer_for_new_case,
    customer_products,
    customer_search,
    team_choices,
)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _may_open_cases(user) -> None:
    if not can(user, Op.CASE_CREATE_FOR_CUSTOMER):
        raise PermissionDenied


def _row_id(value: str | None) -> int | None:
    """A positive id from a query string, or None for anything else."""
    number = ascii_int(value)
    return number if number else None


def _search_context(request: HttpRequest, raw: str, cursor: str | None = None) -> dict[str, Any]:
    term = clean_term(raw)
    context: dict[str, Any] = {"term": term, "search": None, "hint": None, "more": bool(cursor)}
    if len(term) < MIN_TERM:
        context["hint"] = _("Type at least %(n)d characters.") % {"n": MIN_TERM}
    elif len(term) > MAX_TERM:
        context["hint"] = _("That is too long to search for: at most %(n)d characters.") % {"n": MAX_TERM}
    else:
        try:
            context["search"] = customer_search(user=request.user, term=term, cursor=cursor)
        except ValidationFailed:  # a stale or forged cursor: start again
            context["search"] = customer_search(user=request.user, term=term)
            context["more"] = False
        for customer in context["search"].customers:
            chosen = {"customer": customer.pk, "unit": customer.matched_unit_id,
                      "purchase": customer.matched_purchase_id}
            customer.pick_query = urlencode({k: v for k, v in chosen.items() if v})
    return context


def _new_customer_initial(term: str) -> dict[str, str]:
    """Fills the new-customer fields from what was searched: an e-mail, a phone or a name."""
    term = clean_term(term)[:MAX_TERM]
    if not term:
        return {}
    if "@" in term:
        return {"new_email": term}
    if phone_candidates(term):
        return {"new_phone": term}
    return {"new_name": term}


def _initial() -> dict[str, Any]:
    language = translation.get_language()
    return {"new_language": language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE}


def _customer_context(request: HttpRequest, *, form: NewCaseForm, customer_id: int | None,
                      unit_id: int | None = None, purchase_id: int | None = None, **extra: Any) -> dict[str, Any]:
    """What the customer step shows: the chosen customer and their products, or the search
    and the new-customer fields."""
    context: dict[str, Any] = {"form": form, "customer": None, "unit_id": unit_id, "purchase_id": purchase_id,
                               "duplicates": [], "search": None, **extra}
    if customer_id is not None:
        customer = customer_for_new_case(user=request.user, customer_id=customer_id)
        context["customer"] = customer
        products = customer_products(user=request.user, customer=customer, unit_id=unit_id, purchase_id=purchase_id)
        # A unit or purchase that is not this customer's is not shown as chosen.
        context["products"] = products
        context["unit_id"] = unit_id if any(u.pk == unit_id for u in products.units) else None
        context["purchase_id"] = purchase_id if any(p.pk == purchase_id for p in products.purchases) else None
    return context


def _render_page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    context.setdefault("errors", [])
    context["max_upload_mb"] = round(settings.AFTERSALES_MAX_UPLOAD_BYTES / 1024 / 1024, 1)
    context["max_files"] = MAX_FILES
    context["can_assign"] = can(request.user, Op.CASE_ASSIGN)
    return render(request, "desk/new_case.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    _may_open_cases(request.user)
    if request.method == "POST":
        return _submit(request)
    teams = team_choices(request.user)
    initial = {**_initial(), **_new_customer_initial(request.GET.get("new", ""))}
    if teams:
        initial["team"] = teams[0].pk
    form = NewCaseForm(teams=teams, initial=initial)
    q = request.GET.get("q")
    extra = _search_context(request, q) if q is not None else {}
    context = _customer_context(
        request, form=form, customer_id=_row_id(request.GET.get("customer")),
        unit_id=_row_id(request.GET.get("unit")), purchase_id=_row_id(request.GET.get("purchase")),
        open_new="new" in request.GET, **extra,
    )
    return _render_page(request, context)


@staff_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The as-you-type results (htmx), or the next page of them with `cursor`."""
    _may_open_cases(request.user)
    context = _search_context(request, request.GET.get("q", ""), request.GET.get("cursor") or None)
    return render(request, "desk/partials/new_case_results.html", context)


@staff_required
@require_GET
def customer_step(request: HttpRequest) -> HttpResponse:
    """The customer step alone (htmx): the chosen customer, or the search again."""
    _may_open_cases(request.user)
    if not request.htmx:
        return redirect(f"{reverse('desk:new_case')}?{urlencode(request.GET)}" if request.GET else "desk:new_case")
    form = NewCaseForm(initial={**_initial(), **_new_customer_initial(request.GET.get("new", ""))})
    context = _customer_context(
        request, form=form, customer_id=_row_id(request.GET.get("customer")),
        unit_id=_row_id(request.GET.get("unit")), purchase_id=_row_id(request.GET.get("purchase")),
        open_new="new" in request.GET,
    )
    return render(request, "desk/partials/new_case_customer.html", context)


def _duplicates(form: NewCaseForm) -> list[dict[str, Any]]:
    """Existing customers holding the e-mail or phone typed for a new one, each marked on its field."""
    data = form.cleaned_data
    language = data.get("new_language") or settings.LANGUAGE_CODE
    found: list[dict[str, Any]] = []
    for field, kind in (("new_email", IdentityKind.EMAIL), ("new_phone", IdentityKind.PHONE)):
        value = data.get(field)
        if not value:
            continue
        owner = customer_by_identity(kind=kind, value=value, language=language)
        if owner is None:
            continue
        form.add_error(field, _("“%(value)s” already belongs to %(name)s.") % {"value": value, "name": owner.name})
        if all(d["customer"].pk != owner.pk for d in found):
            found.append({"customer": owner, "value": value})
    return found


def _submit(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = team_choices(user)
    form = NewCaseForm(request.POST, teams=teams)
    files, problems = checked_files(request.FILES.getlist("files"))
    errors = [str(p.detail) for p in problems]
    customer = unit = purchase = None
    duplicates: list[dict[str, Any]] = []
    if form.is_valid():
        data = form.cleaned_data
        if data["customer"]:
            customer = customer_for_new_case(user=user, customer_id=data["customer"])  # out of sight: 404
        else:
            duplicates = _duplicates(form)
        unit = access_unit(user=user, unit_id=data["unit"]) if data["unit"] else None
        purchase = access_purchase(user=user, purchase_id=data["purchase"]) if data["purchase"] else None
    # Typing mistakes are a 422; a refused file alone answers with its own status (413, 415).
    status = problems[0].status if problems and form.is_valid() else 422
    if form.is_valid() and not errors:
        data = form.cleaned_data
        try:
            new_customer = None
            if customer is None:
                require(user, Op.CUSTOMER_EDIT)
                new_customer = NewCustomer(name=data["new_name"], language=data["new_language"],
                                           tier=data["new_tier"], email=data["new_email"], phone=data["new_phone"])
            if files:
                require(user, Op.CASE_ATTACH)
            if data["assign_to_me"]:
                require(user, Op.CASE_ASSIGN)
            # The team chosen, else the first offered (as the page preselects); no teams: the default team.
            team = next((t for t in teams if t.pk == data.get("team")), teams[0] if teams else None)
            case = case_open_for_caller(
                actor=user, customer=customer, new_customer=new_customer, subject=data["subject"],
                body=data["body"], type=data["type"], severity=data["severity"], channel=data["channel"],
                language=data["language"] or None, unit=unit, purchase=purchase, team=team,
                assignee=user if data["assign_to_me"] else None, attachments=files,
            )
        except DomainError as exc:
            errors.append(str(exc.detail))
            status = exc.status
        else:
            return _opened(request, case)
    cleaned = getattr(form, "cleaned_data", {})
    context = _customer_context(
        request, form=form, customer_id=cleaned.get("customer"), unit_id=cleaned.get("unit"),
        purchase_id=cleaned.get("purchase"), errors=errors, duplicates=duplicates,
        files_dropped=bool(request.FILES.getlist("files")),
        open_new=not cleaned.get("customer") and any(form[f].value() for f in ("new_name", "new_email", "new_phone")),
    )
    return _render_page(request, context, status=status)


def _opened(request: HttpRequest, case) -> HttpResponse:
    """To the new case's page; to the queues when the case went where this person cannot see it."""
    if cases_visible_to(request.user).filter(pk=case.pk).exists():
        messages.success(request, _("Case %(number)s is open.") % {"number": case.number})
        return redirect("desk:case", case_id=case.pk)
    messages.success(request, _("Case %(number)s is open. It went to a team you are not in.")
                     % {"number": case.number})
    return redirect("desk:queue")
