from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.core.api_parser import reject_unstorable_text
from aftersales.core.errors import DomainError, ErrorCode
from aftersales.policies import actions
from aftersales.policies.errors import PolicyError

EXIT_BAD_INPUT = 2


def _error(code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"code": str(code), "detail": str(detail), **extra}


def evaluate_bytes(raw: bytes) -> tuple[int, dict[str, Any]]:
    """What `POST /api/v1/entitlements/evaluate` answers for this body, without HTTP:
    (0, the decision) or (2, the error body the endpoint would send)."""
    if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return EXIT_BAD_INPUT, _error(ErrorCode.PAYLOAD_TOO_LARGE, _("The request is too large."))
    try:
        data = json.loads(raw)
    except ValueError:
        return EXIT_BAD_INPUT, _error(ErrorCode.MALFORMED_JSON, _("The request body is not valid JSON."))
    try:
        if not isinstance(data, dict):
            raise DomainError(ErrorCode.INVALID_INPUT, _("The request body must be a JSON object."), status=422)
        reject_unstorable_text(data)
        return 0, actions.entitlement_evaluate(facts=data, actor=None).response
    except DomainError as exc:
        return EXIT_BAD_INPUT, exc.as_dict()


class Command(BaseCommand):
    help = ("Entitlements: evaluate FILE.json prints what POST /api/v1/entitlements/evaluate answers for the "
            "claim in FILE ('-' reads standard input); exit status 2 and the error JSON on bad input.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        evaluate = sub.add_parser("evaluate", help="decide the claim in FILE.json")
        evaluate.add_argument("file", help="a JSON file with the request body, or - for standard input")
        evaluate.add_argument("--language", default=settings.LANGUAGE_CODE,
                              choices=[code for code, _n in settings.LANGUAGES],
                              help="the language of the explanation (default: %(default)s)")

    def handle(self, *args, action: str, **options):
        path = options["file"]
        if path == "-":
            raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
            except OSError as exc:
                self.stdout.write(json.dumps(_error(PolicyError.FILE_UNREADABLE, f"{path}: {exc.strerror}"),
                                             ensure_ascii=False))
                sys.exit(EXIT_BAD_INPUT)
        with translation.override(options["language"]):
            status, body = evaluate_bytes(raw)
        self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
        if status:
            sys.exit(status)
