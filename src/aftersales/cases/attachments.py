"""Checking uploaded files: the type is sniffed from the bytes, never trusted from the name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from aftersales.cases.errors import CaseError
from aftersales.core.errors import DomainError, ValidationFailed

ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "application/pdf": "pdf",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "audio/mpeg": "mp3",
    "audio/x-wav": "wav",
    "audio/mp4": "m4a",
    "text/plain": "txt",
}
IMAGE_TYPES = {t for t in ALLOWED_TYPES if t.startswith("image/")}


@dataclass
class CheckedFile:
    content: bytes
    filename: str
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def clean_filename(name: str, content_type: str) -> str:
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".")
    if not name:
        name = "attachment"
    stem, dot, ext = name.rpartition(".")
    expected = ALLOWED_TYPES[content_type]
    if not dot or ext.lower() not in {expected, "jpeg" if expected == "jpg" else expected}:
        name = f"{name}.{expected}"  # the name says what the bytes are
    return name[-200:]


def sniff(content: bytes) -> str | None:
    kind = filetype.guess(content[:8192])
    if kind is not None:
        return kind.mime
    if b"\x00" in content[:8192]:
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if re.search(r"<\s*(html|script|svg|iframe|body|!doctype)", text[:4096], re.IGNORECASE):
        return "text/html"  # never served back as text/plain a browser might render
    return "text/plain"


def _too_large() -> DomainError:
    limit = settings.AFTERSALES_MAX_UPLOAD_BYTES
    return DomainError(CaseError.ATTACHMENT_TOO_LARGE, _("The file is larger than %(mb)s MB.")
                       % {"mb": round(limit / 1024 / 1024, 1)}, status=413)


def check_uploaded_file(upload) -> CheckedFile:
    """An uploaded file (Django's or django-ninja's) through `check_upload`, its declared size
    refused before anything is read."""
    if upload.size is not None and upload.size > settings.AFTERSALES_MAX_UPLOAD_BYTES:
        raise _too_large()
    return check_upload(upload.read(), upload.name or "")


def protected_file_response(field, *, content_type: str, filename: str, inline: bool,
                            max_age: int = 600) -> FileResponse:
    """A stored file sent back so that no browser runs it: the type we checked (never sniffed
    again), a sandbox that forbids scripts, a private cache. A file gone from storage is a 404."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response


def check_upload(content: bytes, filename: str) -> CheckedFile:
    limit = settings.AFTERSALES_MAX_UPLOAD_BYTES
    if not content:
        raise ValidationFailed(CaseError.ATTACHMENT_EMPTY, _("The file is empty."))
    if len(content) > limit:
        raise _too_large()
    content_type = sniff(content)
    if content_type not in ALLOWED_TYPES:
        raise DomainError(
            CaseError.ATTACHMENT_TYPE,
            _("This kind of file cannot be attached. Photos, PDF, video, audio and plain text can."),
            status=415,
        )
    return CheckedFile(
        content=content,
        filename=clean_filename(filename, content_type),
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
    )
