"""What WeasyPrint may read while it draws a document (`repairs.documents`): our own static
files on a made-up print origin (`https://print.aftersales.invalid/static/<path>`, whatever
STATIC_URL is — a CDN included), and `data:` PNG/JPEG images (the signatures the context
embeds). Everything else — http(s) anywhere else, file:, ftp:, other data: types, paths that
climb out of the static files — is refused with `FetchRefused`, and WeasyPrint leaves the
resource out (with a warning in its log)."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

PRINT_ORIGIN = "https://print.aftersales.invalid"  # never resolved: the fetcher answers it itself
BASE_URL = PRINT_ORIGIN + "/"
STATIC_PREFIX = "/static/"
STATIC_TYPES = {".css": "text/css", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
                ".otf": "font/otf"}
DATA_TYPES = frozenset({"image/png", "image/jpeg"})
MAX_RESOURCE_BYTES = 4 * 1024 * 1024


class FetchRefused(ValueError):
    pass


def static_file(relative: str) -> Path | None:
    """A static file by its path under STATIC_URL: through the finders (as WhiteNoise serves
    them), else from the collected static root."""
    try:
        found = finders.find(relative)
        if not found and hasattr(staticfiles_storage, "path"):
            candidate = Path(staticfiles_storage.path(relative))
            found = str(candidate) if candidate.is_file() else None
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return Path(found) if found else None


class PrintFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("https", "data"), allow_redirects=False)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not isinstance(url, str) or len(url) > MAX_RESOURCE_BYTES * 2:
            raise FetchRefused("Refused: not a URL a document may load.")
        if url[:5].lower() == "data:":
            return self._data(url)
        return self._static(url)

    @staticmethod
    def _data(url: str) -> URLFetcherResponse:
        header, comma, payload = url[5:].partition(",")
        params = [p.strip().lower() for p in header.split(";")]
        if not comma or params[0] not in DATA_TYPES or "base64" not in params[1:]:
            raise FetchRefused("Refused: only base64 PNG or JPEG data: images.")
        if len(payload) > (MAX_RESOURCE_BYTES + 2) // 3 * 4 + 64:
            raise FetchRefused("Refused: the image is too large.")
        try:
            body = base64.b64decode(unquote(payload), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise FetchRefused("Refused: not base64.") from exc
        return URLFetcherResponse(url, body=body, headers={"Content-Type": params[0]})

    @staticmethod
    def _static(url: str) -> URLFetcherResponse:
        refused = FetchRefused(f"Refused: {url[:200]} is not one of our static files.")
        parts = urlsplit(url)
        path = unquote(parts.path)
        if f"{parts.scheme}://{parts.netloc}" != PRINT_ORIGIN or parts.query or not path.startswith(STATIC_PREFIX):
            raise refused
        relative = path[len(STATIC_PREFIX):]
        suffix = Path(relative).suffix.lower()
        if ("\\" in relative or "\x00" in relative or suffix not in STATIC_TYPES
                or any(s in ("", ".", "..") for s in relative.split("/"))):
            raise refused
        found = static_file(relative)
        if found is None:
            raise refused
        with found.open("rb") as handle:
            body = handle.read(MAX_RESOURCE_BYTES + 1)
        if len(body) > MAX_RESOURCE_BYTES:
            raise FetchRefused("Refused: the file is too large.")
        content_type = STATIC_TYPES[suffix] + ("; charset=utf-8" if suffix == ".css" else "")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
