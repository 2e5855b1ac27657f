"""Printable documents of a work order — the service voucher, the intake receipt and the repair
card — as a print page (HTML with a print stylesheet) and as a PDF drawn by WeasyPrint, in the
customer's language and time zone (decision 0022).

A kind of document is one `DocumentKind`: its slug (the `<kind>` of the URLs), its title, its
template under `repairs/print/` (extending `repairs/print/base.html`), whether a work order has
one yet, and the function that reads what it shows, returning `(document number, context)` —
the context's `wo` being the work order with `customer__user` (language and time zone).
Adding a kind (the invoice) is one template plus one entry: append it to `KINDS` below, or call
`register_kind(DocumentKind(...))` from the owning app's `AppConfig.ready`.

    document_kind("receipt")                     → DocumentKind, or DocumentNotFound (a 404)
    available_kinds(work_order)                  → the kinds this work order has now
    prepare("receipt", work_order, language)     → PrintDocument (number, filename, context)
    render_html(kind, work_order, language)      → str
    render_pdf(kind, work_order, language)       → bytes

Rendering never reaches outside: `print_fetcher.PrintFetcher` serves our own static files and
the `data:` images the context embeds (signatures) and refuses every other URL, so a document
cannot be made to fetch from the network or read a file of the server's. WeasyPrint is imported
only when a PDF is drawn, so the pages load even where its system libraries are missing."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.repairs import selectors_documents as read
from aftersales.repairs.models import WorkOrder


class DocumentNotFound(Http404):
    """No such kind of document, or the work order has none (yet): a 404 like any other miss."""


# ---- the registry -------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentKind:
    slug: str  # the URL's <kind>: letters, digits and hyphens
    title: str | Promise  # lazy: read in the document's language
    template: str
    build: Callable[[WorkOrder], tuple[str, dict[str, Any]]]  # (number, context); raises read.Unavailable
    available: Callable[[WorkOrder], bool]  # one cheap query at most: for the lists of links
    filename_suffix: str = ""  # for a document that shares its number with another (the repair card)


KINDS: list[DocumentKind] = [
    DocumentKind(slug="voucher", title=gettext_lazy("Service voucher"), template="repairs/print/voucher.html",
                 build=read.voucher_context, available=read.voucher_available),
    DocumentKind(slug="receipt", title=gettext_lazy("Intake receipt"), template="repairs/print/receipt.html",
                 build=read.receipt_context, available=read.receipt_available),
    DocumentKind(slug="repair-card", title=gettext_lazy("Repair card"), template="repairs/print/repair_card.html",
                 build=read.repair_card_context, available=read.repair_card_available,
                 filename_suffix="-repair-card"),
]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def register_kind(kind: DocumentKind) -> DocumentKind:
    """Add a kind of document (e.g. the invoice, from its app's `ready`); its slug must be new."""
    if not SLUG.fullmatch(kind.slug) or any(k.slug == kind.slug for k in KINDS):
        raise ValueError(f"Document kind {kind.slug!r} is not a new slug.")
    KINDS.append(kind)
    return kind


def document_kinds() -> list[DocumentKind]:
    return list(KINDS)


def document_kind(slug: str) -> DocumentKind:
    found = next((k for k in KINDS if k.slug == slug), None) if isinstance(slug, str) else None
    if found is None:
        raise DocumentNotFound
    return found


def available_kinds(work_order: WorkOrder) -> list[DocumentKind]:
    """The documents a work order has now, in the registry's order (one query per kind at most)."""
    return [k for k in KINDS if k.available(work_order)]


# ---- preparing a document -----------------------------------------------------------------------

def document_language(work_order: WorkOrder, language: str | None = None) -> str:
    """The language asked for, else the customer's; one of settings.LANGUAGES."""
    codes = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(work_order.customer, "language", None)):
        if candidate in codes:
            return candidate
    return settings.LANGUAGE_CODE


def document_zone(work_order: WorkOrder) -> tzinfo:
    """The customer's time zone when their portal account has one, else the site's."""
    user = work_order.customer.user if work_order.customer.user_id else None
    name = getattr(user, "time_zone", "") or ""
    if name:
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


@dataclass(frozen=True)
class PrintDocument:
    kind: DocumentKind
    work_order: WorkOrder
    number: str
    language: str
    zone: tzinfo
    context: dict[str, Any] = field(repr=False)

    @property
    def filename(self) -> str:
        return f"{self.number}{self.kind.filename_suffix}.pdf"


def prepare(kind: DocumentKind | str, work_order: WorkOrder, language: str | None = None) -> PrintDocument:
    """Read what the document shows. DocumentNotFound (a 404) for an unknown kind or one the
    work order does not have yet."""
    kind = kind if isinstance(kind, DocumentKind) else document_kind(kind)
    try:
        number, context = kind.build(work_order)
    except read.Unavailable as exc:
        raise DocumentNotFound from exc
    wo = context.get("wo", work_order)  # read again by the builder, with its customer and account
    return PrintDocument(kind=kind, work_order=wo, number=number, language=document_language(wo, language),
                         zone=document_zone(wo), context=context)


# ---- rendering ----------------------------------------------------------------------------------

def css_string(text: str) -> str:
    """`text` as a CSS string literal that is also safe inside an HTML <style> element."""
    out = []
    for char in str(text):
        if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):06X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def page_counter_css(template: str) -> str:
    """A CSS `content` value from a translated "Page %(page)s of %(pages)s", placeholders in
    whatever order the language puts them."""
    parts = []
    for piece in re.split(r"(%\(page\)s|%\(pages\)s)", template):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or "counter(page)"


def html_of(document: PrintDocument, *, links: dict[str, str] | None = None, for_pdf: bool = False) -> str:
    """The document's HTML in its language and time zone. `links` are the print page's toolbar
    (`pdf`, `back`); `for_pdf` leaves out what the PDF's page margins show on every page."""
    with translation.override(document.language), timezone.override(document.zone):
        printed = " · ".join((
            _("Printed %(when)s") % {"when": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")},
            _("Times in %(zone)s.") % {"zone": str(document.zone)}))
        return render_to_string(document.kind.template, {
            **document.context, "document": document, "title": str(document.kind.title),
            "number": document.number, "lang": document.language, "printed": printed,
            "links": {} if for_pdf else (links or {}), "for_pdf": for_pdf,
            # the words of the PDF's page margins, as CSS strings (escaped: safe in <style>)
            "page_counter": mark_safe(page_counter_css(_("Page %(page)s of %(pages)s"))),  # noqa: S308
            "page_printed": mark_safe(css_string(printed)),  # noqa: S308
        })


def pdf_of(document: PrintDocument) -> bytes:
    return pdf_from_html(html_of(document, for_pdf=True))


def pdf_from_html(html: str) -> bytes:
    """Draw HTML as a PDF with nothing fetched but our own static files and `data:` images."""
    from weasyprint import HTML

    from aftersales.repairs.print_fetcher import BASE_URL, PrintFetcher

    return HTML(string=html, base_url=BASE_URL, url_fetcher=PrintFetcher()).write_pdf()


def render_html(kind: DocumentKind | str, work_order: WorkOrder, language: str | None = None) -> str:
    return html_of(prepare(kind, work_order, language))


def render_pdf(kind: DocumentKind | str, work_order: WorkOrder, language: str | None = None) -> bytes:
    return pdf_of(prepare(kind, work_order, language))


# ---- answering with a document ------------------------------------------------------------------

def pdf_response(document: PrintDocument, *, download: bool = True) -> HttpResponse:
    """The PDF, as a download named after the document number (or inline with download=False).
    Personal data: never kept by a shared cache."""
    response = HttpResponse(pdf_of(document), content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


def html_response(document: PrintDocument, *, links: dict[str, str]) -> HttpResponse:
    response = HttpResponse(html_of(document, links=links))
    response["Content-Language"] = document.language
    patch_cache_control(response, private=True, no_store=True)
    return response


def wants_download(request) -> bool:
    """`?download=0` shows the PDF in the browser; anything else downloads it."""
    return request.GET.get("download", "1") != "0"
