"""A quote put to the customer: read it in their language and accept or decline it (with an
optional reason). Only the quote's own customer sees it; anyone else gets a 404. A second
answer is refused with 409 and changes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales.charges.access import access_customer_quote
from aftersales.charges.actions import quote_accept, quote_decline
from aftersales.charges.errors import ChargeError
from aftersales.charges.models import DecisionChannel, QuoteStatus
from aftersales.charges.selectors import is_expired
from aftersales.core.errors import DomainError, ValidationFailed
from aftersales.portal.views import customer_required


def _context(quote, **extra) -> dict:
    expired = is_expired(quote, timezone.localdate())
    return {"quote": quote, "lines": list(quote.lines.all()), "expired": expired,
            "can_answer": quote.status == QuoteStatus.SENT and not expired,
            "replaced_by": quote.revisions.order_by("-created_at", "-id").first()
            if quote.status == QuoteStatus.WITHDRAWN else None, **extra}


@require_GET
@customer_required
def quote_page(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = access_customer_quote(user=request.user, quote_id=quote_id)
    return render(request, "portal/quote.html", _context(quote))


@require_POST
@customer_required
def quote_answer(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = access_customer_quote(user=request.user, quote_id=quote_id)
    answer = request.POST.get("answer", "")[:10]
    try:
        with transaction.atomic():
            if answer == "accept":
                quote_accept(quote=quote, actor=request.user, channel=DecisionChannel.PORTAL)
            elif answer == "decline":
                quote_decline(quote=quote, actor=request.user, channel=DecisionChannel.PORTAL,
                              reason=request.POST.get("reason", "")[:1200])
            else:
                raise ValidationFailed(ChargeError.INVALID, _("Choose accept or decline."))
    except DomainError as exc:
        quote = access_customer_quote(user=request.user, quote_id=quote_id)
        return render(request, "portal/quote.html",
                      _context(quote, error=str(exc.detail), reason=request.POST.get("reason", "")[:1000]),
                      status=exc.status)
    if answer == "accept":
        messages.success(request, _("Thank you: you accepted quote %(quote)s. We will go ahead with the work.")
                         % {"quote": quote.number})
    else:
        messages.success(request, _("You declined quote %(quote)s.") % {"quote": quote.number})
    return redirect("portal:quote", quote_id=quote.pk)
