"""Every API error has one shape: {"code": "...", "detail": "..."} (plus "errors" for lists)."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from aftersales.core.errors import DomainError, ErrorCode

logger = logging.getLogger("aftersales.api")


def error_body(code: str, detail: str, **extra) -> dict:
    return {"code": str(code), "detail": str(detail), **extra}


SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}
HOLDERS = {"payload", "q"}


def _describe(err: dict) -> dict:
    loc = [str(p) for p in err.get("loc", [])]
    if loc and loc[0] in SOURCES:
        loc = loc[1:]
    if len(loc) > 1 and loc[0] in HOLDERS:
        loc = loc[1:]
    return {"field": ".".join(loc), "detail": str(err.get("msg", "")), "type": err.get("type", "")}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [_describe(e) for e in exc.errors]
        detail = "; ".join(f"{e['field']}: {e['detail']}" if e["field"] else e["detail"] for e in errors[:5])
        return api.create_response(
            request, error_body(ErrorCode.INVALID_INPUT, detail or _("The input is not valid."), errors=errors),
            status=422,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body(ErrorCode.NOT_FOUND, _("Not found.")), status=404)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, error_body(ErrorCode.NOT_AUTHENTICATED, _("Sign in or send a valid API token.")), status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DomainError):
            # Ninja wraps whatever the body parser raises in a 400; our parser's refusals
            # (a body that is not an object, NUL in text) carry their own code and status.
            return domain_error(request, exc.__cause__)
        status = exc.status_code
        if status == 400:
            body = error_body(ErrorCode.MALFORMED_JSON, _("The request body is not valid JSON."))
        elif status == 403 and "CSRF" in str(exc):
            body = error_body(ErrorCode.CSRF_FAILED, _("The CSRF token is missing or wrong."))
        elif status == 403:
            body = error_body(ErrorCode.PERMISSION_DENIED, _("Your role does not allow this."))
        else:
            body = error_body(_code_for_status(status), str(exc))
        return api.create_response(request, body, status=status)

    @api.exception_handler(Exception)
    def any_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return api.create_response(
                request, error_body(ErrorCode.PAYLOAD_TOO_LARGE, _("The request is too large.")), status=413
            )
        if isinstance(exc, TooManyFieldsSent | SuspiciousOperation):
            return api.create_response(
                request, error_body(ErrorCode.INVALID_INPUT, _("The request is not acceptable.")), status=400
            )
        logger.exception("Unhandled API error", exc_info=exc)
        return api.create_response(
            request, error_body(ErrorCode.SERVER_ERROR, _("Something went wrong on our side.")), status=500
        )


def _code_for_status(status: int) -> str:
    return {
        401: ErrorCode.NOT_AUTHENTICATED,
        403: ErrorCode.PERMISSION_DENIED,
        404: ErrorCode.NOT_FOUND,
        405: ErrorCode.METHOD_NOT_ALLOWED,
        409: ErrorCode.CONFLICT,
        413: ErrorCode.PAYLOAD_TOO_LARGE,
    }.get(status, ErrorCode.INVALID_INPUT if status < 500 else ErrorCode.SERVER_ERROR)


class ApiErrorShapeMiddleware:
    """Errors Django answers before the API sees the request (unknown path, wrong method,
    oversized body) get the same JSON shape under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        detail = {
            404: _("Not found."),
            405: _("This method is not allowed here."),
            413: _("The request is too large."),
        }.get(status, _("The request could not be handled."))
        shaped = JsonResponse(error_body(_code_for_status(status), detail), status=status)
        if status == 405 and response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped
