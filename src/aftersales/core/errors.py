"""The one error shape: every failure a person or an integration can cause carries a
stable code (from an app's `errors.py`) and a readable, translated detail."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID_INPUT = "invalid_input"
    MALFORMED_JSON = "malformed_json"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_FOUND = "not_found"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    CSRF_FAILED = "csrf_failed"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    INVALID_CURSOR = "invalid_cursor"
    SERVER_ERROR = "server_error"


class DomainError(Exception):
    """Raised by actions; the API and the pages turn it into a 4xx with this code."""

    status: int = 400

    def __init__(self, code: str, detail: Any, *, status: int | None = None, errors: list | None = None):
        super().__init__(str(detail))
        self.code = str(code)
        self.detail = detail
        self.errors = errors
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "detail": str(self.detail)}
        if self.errors:
            body["errors"] = self.errors
        return body


class ValidationFailed(DomainError):
    status = 422


class PermissionDenied(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class NotFound(DomainError):
    status = 404
