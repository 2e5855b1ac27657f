"""Ask for help: the guided form that opens a case. Beside it, while the customer types,
articles that may answer the question (`views_kb.deflect`); the form carries a deflection
token (made when the form is first shown) so that what was shown, opened and still sent is
recorded on one `kb.Deflection` row."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases.actions import case_open
from aftersales.cases.models import Channel
from aftersales.core.errors import DomainError
from aftersales.customers.access import customer_of
from aftersales.kb.actions_feedback import deflection_submitted
from aftersales.portal.forms import HelpForm, checked_files
from aftersales.portal.kb_params import deflection_token
from aftersales.portal.selectors import entitlement_preview, my_purchases, my_units
from aftersales.portal.views import customer_required

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@customer_required
@require_http_methods(["GET", "POST"])
def help_new(request: HttpRequest) -> HttpResponse:
    customer = customer_of(request.user)
    if customer is None:
        raise Http404
    units, purchases = my_units(user=request.user), my_purchases(user=request.user)
    errors: list[str] = []
    token = None
    if request.method == "POST":
        # A malformed token (or none) does not stop the request; someone else's never reaches
        # their record (the deflection actions match the token and the signed-in customer).
        token = deflection_token(request.POST.get("deflection"))
        form = HelpForm(request.POST, units=units, purchases=purchases)
        files = checked_files(request.FILES.getlist("photos"), errors)
        if form.is_valid() and not errors:
            unit, purchase = form.linked()
            language = translation.get_language()
            try:
                require(request.user, Op.CASE_CREATE_OWN)
                with transaction.atomic():
                    case = case_open(
                        customer=customer, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                        type=form.cleaned_data["kind"], channel=Channel.PORTAL, unit=unit, purchase=purchase,
                        language=language if language in LANGUAGE_CODES else None, attachments=files,
                        actor=request.user,
                    )
                    deflection_submitted(token=token, user=request.user, case=case)
            except DomainError as exc:
                errors.append(str(exc.detail))
            else:
                return redirect("portal:case_detail", case_id=case.pk)
    else:
        form = HelpForm(units=units, purchases=purchases, initial={"kind": request.GET.get("kind", "consultation"),
                                                                 "product": request.GET.get("product", "")})
    files_dropped = request.method == "POST" and bool(request.FILES.getlist("photos"))
    return render(request, "portal/help_new.html", {"form": form, "errors": errors, "files_dropped": files_dropped,
                                                    "deflection_token": token or uuid.uuid4()})


ENTITLEMENT_KINDS = {"return", "exchange", "refund", "repair"}


@customer_required
@require_GET
def help_entitlement(request: HttpRequest) -> HttpResponse:
    """What the customer may have for the product and kind picked, in their language, shown
    beside the form before they send it. Only their own units and purchases."""
    units, purchases = my_units(user=request.user), my_purchases(user=request.user)
    form = HelpForm(request.GET, units=units, purchases=purchases)
    form.is_valid()
    kind = (form.cleaned_data or {}).get("kind", "")
    unit, purchase = form.linked() if "product" in (form.cleaned_data or {}) else (None, None)
    context = {"kind": kind}
    if kind in ENTITLEMENT_KINDS and (unit or purchase):
        context.update(entitlement_preview(user=request.user, unit=unit, purchase=purchase, kind=kind))
    return render(request, "portal/partials/entitlement.html", context)
