"""The customer's pages: home and My cases. Views parse, check access, call one action, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from aftersales.accounts.access import require
from aftersales.accounts.permissions import Op
from aftersales.cases import workflow
from aftersales.cases.access import access_case, check_transition_allowed
from aftersales.cases.actions import case_change_status, case_post_message
from aftersales.cases.selectors import case_timeline
from aftersales.core.errors import DomainError
from aftersales.portal.forms import ReplyForm, checked_files
from aftersales.portal.selectors import my_cases


def desk_url() -> str:
    try:
        return reverse("desk:queue")
    except NoReverseMatch:
        return "/desk/"


def customer_required(view: Callable) -> Callable:
    """Signed-in customers only; staff belong on the desk, strangers at the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_customer:
            return redirect(desk_url())
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    if not request.user.is_customer:
        return redirect(desk_url())
    return render(request, "portal/home.html", {"page": my_cases(user=request.user, limit=10)})


@require_GET
@customer_required
def case_list(request: HttpRequest) -> HttpResponse:
    page = my_cases(user=request.user, cursor=request.GET.get("cursor") or None)
    return render(request, "portal/case_list.html", {"page": page})


def _detail_context(request: HttpRequest, case, **extra) -> dict:
    return {
        "case": case,
        "entries": case_timeline(user=request.user, case=case),
        "can_close": workflow.can_customer_move(case.status, workflow.CLOSED),
        "can_reopen": workflow.can_customer_move(case.status, workflow.OPEN),
        "is_closed": case.status == workflow.CLOSED,
        "form": extra.pop("form", None) or ReplyForm(),
        **extra,
    }


@require_GET
@customer_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    return render(request, "portal/case_detail.html", _detail_context(request, case))


@require_GET
@customer_required
def case_timeline_part(request: HttpRequest, case_id: int) -> HttpResponse:
    """The timeline alone, for htmx to poll so staff replies appear without a reload."""
    case = access_case(user=request.user, case_id=case_id)
    return render(request, "portal/partials/timeline.html", _detail_context(request, case, poll=True))


@require_POST
@customer_required
def case_reply(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    form = ReplyForm(request.POST)
    errors: list[str] = []
    files = checked_files(request.FILES.getlist("photos"), errors)
    if form.is_valid() and not errors:
        try:
            with transaction.atomic():
                case = access_case(user=request.user, case_id=case_id, for_update=True)
                require(request.user, Op.CASE_REPLY)
                case_post_message(case=case, actor=request.user, body=form.cleaned_data["body"], public=True,
                                  attachments=files)
        except DomainError as exc:
            errors.append(str(exc.detail))
        else:
            return redirect(reverse("portal:case_detail", args=[case.pk]) + "#latest")
    case.refresh_from_db()
    return render(request, "portal/case_detail.html", _detail_context(request, case, form=form, reply_errors=errors,
                                                                   files_dropped=bool(request.FILES)))


@require_POST
@customer_required
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(user=request.user, case_id=case_id)
    target = request.POST.get("target", "")
    try:
        with transaction.atomic():
            case = access_case(user=request.user, case_id=case_id, for_update=True)
            check_transition_allowed(request.user, case, target)
            case_change_status(case=case, target=target, actor=request.user)
    except DomainError as exc:
        case.refresh_from_db()
        return render(request, "portal/case_detail.html",
                      _detail_context(request, case, status_error=str(exc.detail)))
    return redirect("portal:case_detail", case_id=case.pk)
