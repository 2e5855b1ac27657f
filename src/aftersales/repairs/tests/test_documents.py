"""The printable documents of a work order (`repairs.documents`): each kind in each of the four
languages as HTML and as a PDF read back with pypdf (numbers, Chinese and Korean text, the
drawn signatures), which kinds a work order has, what customers must not read on them, the
registry (a fourth kind is one entry), and the fetcher that lets WeasyPrint read nothing but
our own static files."""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from aftersales.core.tests.factories import CustomerUserFactory
from aftersales.repairs import documents
from aftersales.repairs.actions_work import labour_add, repair_card_open
from aftersales.repairs.models import BillingClass, CustodyMove
from aftersales.repairs.print_fetcher import BASE_URL, FetchRefused, PrintFetcher
from aftersales.repairs.selectors_documents import voucher_available, voucher_context
from aftersales.repairs.tests.documents_support import (
    ACCESSORIES,
    BILLING_REASON,
    CONDITION,
    CUSTOMER_NAME,
    INSPECTION_NOTE,
    LANGUAGES,
    ROOT_CAUSE,
    SECRET_NOTE,
    at,
    carry_in_job,
    on_site_job,
    pdf_images,
    pdf_text,
)
from aftersales.repairs.tests.support import signature_bytes

pytestmark = pytest.mark.django_db

# A day in March 2026 as each language writes a date (DATE_FORMAT), and the first day each
# document shows: the work order registered and the item received on the 2nd, the repair card
# opened on the 3rd.
DAY_FORMAT = {"en": "March {d}, 2026", "zh-hant": "2026年3月{d}日", "zh-hans": "2026年3月{d}日",
              "ko": "2026년 3월 {d}일"}
FIRST_DAY = {"voucher": 2, "receipt": 2, "repair-card": 3}
# What only that document shows, in the customer's own (Chinese) words.
OWN_TEXT = {"voucher": "螢幕閃爍，偶爾黑屏", "receipt": CONDITION, "repair-card": ROOT_CAUSE}
INTERNAL = [SECRET_NOTE, INSPECTION_NOTE, BILLING_REASON, "INTERNAL-PART", "INTERNAL-RESCHEDULE", "12.50"]


def portal_customer(*, language: str, name: str = CUSTOMER_NAME, zone: str = "Asia/Taipei"):
    """A customer with a portal account whose time zone the documents follow."""
    user = CustomerUserFactory(language=language, time_zone=zone)
    customer = user.customer
    customer.name, customer.language, customer.notes = name, language, SECRET_NOTE
    customer.save()
    return customer


def number_of(kind: str, wo) -> str:
    return wo.receipt.number if kind == "receipt" else wo.number


# ---- every kind in every language ----------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["voucher", "receipt", "repair-card"])
def test_each_document_in_each_language(kind, language):
    job = carry_in_job(customer=portal_customer(language=language))
    wo = job.work_order
    number = number_of(kind, wo)

    html = documents.render_html(kind, wo)  # the customer's language
    assert f'<html lang="{language}">' in html
    assert DAY_FORMAT[language].format(d=FIRST_DAY[kind]) in html  # dates written the language's way
    with translation.override(language):
        billing = str(BillingClass.C.label)
        received = str(CustodyMove.RECEIVED.label)
    if language != "en":  # the labels come from the language's catalogue, not English
        assert billing != "C — free, under warranty"
    if kind == "voucher":
        assert billing in html
    if kind == "receipt":
        assert received in html

    pdf = documents.render_pdf(kind, wo)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert text.count(number) >= 2  # in the page header and on the page
    assert CUSTOMER_NAME in text
    assert OWN_TEXT[kind] in text  # Chinese read back from the text layer: real glyphs, not boxes
    assert "Asia/Taipei" in text
    for secret in INTERNAL:
        assert secret not in html and secret not in text


def test_the_language_can_be_chosen_and_an_unknown_one_falls_back():
    wo = carry_in_job(customer=portal_customer(language="ko")).work_order
    assert '<html lang="zh-hans">' in documents.render_html("voucher", wo, "zh-hans")
    assert '<html lang="ko">' in documents.render_html("voucher", wo, "xx-evil")
    assert documents.document_language(wo, None) == "ko"


def test_times_follow_the_customers_zone_or_the_sites():
    taipei = carry_in_job(customer=portal_customer(language="en", zone="Asia/Taipei")).work_order
    assert "9:05 a.m." in documents.render_html("voucher", taipei)  # registered at 09:05 in Taipei
    seoul = carry_in_job(customer=portal_customer(language="en", zone="Asia/Seoul")).work_order
    assert "10:05 a.m." in documents.render_html("voucher", seoul)
    no_account = carry_in_job(language="en").work_order  # no portal account: the site's zone
    html = documents.render_html("voucher", no_account)
    assert str(documents.document_zone(no_account)) in html


def test_a_pdf_has_page_numbers_and_the_document_in_its_page_header():
    wo = carry_in_job(customer=portal_customer(language="en")).work_order
    text = pdf_text(documents.render_pdf("receipt", wo))
    assert "Page 1 of 1" in text
    assert text.count("Intake receipt") >= 2 and text.count(wo.receipt.number) >= 2
    assert "Printed" in text


def test_the_pdf_has_its_stylesheet_wherever_static_files_are_served(settings):
    settings.STATIC_URL = "https://cdn.example.com/assets/"  # never fetched: the PDF reads its own copy
    wo = carry_in_job(customer=portal_customer(language="en")).work_order
    assert 'href="https://cdn.example.com/assets/repairs/print.css"' in documents.render_html("voucher", wo)
    text = pdf_text(documents.render_pdf("voucher", wo))
    assert text.count("Service voucher") >= 2  # the page header comes from print.css (string-set)


# ---- what each document shows --------------------------------------------------------------------

def test_the_receipt_shows_the_custody_chain_and_the_hand_back_signature():
    job = carry_in_job(customer=portal_customer(language="zh-hant"))
    wo = job.work_order
    html = documents.render_html("receipt", wo)
    drawn = "data:image/png;base64," + base64.b64encode(signature_bytes()).decode()
    assert drawn in html  # the signature given at hand-back
    assert 'data-state="void"' in html and "void-stamp" in html
    assert html.count("data-entry=") == 4  # received, to the workshop, back to the shop, handed back
    for accessory in ACCESSORIES:
        assert accessory in html
    assert wo.unit.serial_number.lower() in html and "✓" in html  # the serial seen matches the record
    pdf = documents.render_pdf("receipt", wo)
    assert pdf_images(pdf) == 1


def test_a_receipt_still_valid_has_no_signature_and_lines_to_sign():
    wo = carry_in_job(customer=portal_customer(language="ko"), hand_back=False).work_order
    html = documents.render_html("receipt", wo)
    assert 'data-state="valid"' in html and "void-stamp" not in html
    assert "data:image/png" not in html
    assert pdf_images(documents.render_pdf("receipt", wo)) == 0


def test_the_voucher_shows_dispatch_history_and_the_visit_sign_off():
    job = on_site_job(customer=portal_customer(language="ko", name="김민수"))
    wo = job.work_order
    html = documents.render_html("voucher", wo)
    assert "김민수" in html and "배수 펌프 막힘" in html and "펌프 청소 후 시운전" in html
    assert 'class="current"' in html and html.count("<time datetime=\"2026-03-0") >= 3  # both windows
    assert "data:image/png;base64," + base64.b64encode(signature_bytes()).decode() in html
    text = pdf_text(documents.render_pdf("voucher", wo))
    assert "김민수" in text and "세탁기 아래로 물이 샙니다" in text and wo.number in text
    assert pdf_images(documents.render_pdf("voucher", wo)) == 1
    assert "INTERNAL-RESCHEDULE" not in html


def test_the_repair_card_shows_labour_parts_result_repeat_and_inspections():
    first = carry_in_job(customer=portal_customer(language="zh-hant"))
    # the same unit fails again: a new work order, whose card names the earlier repair
    from aftersales.repairs.actions import work_order_move, work_order_open

    again = work_order_open(actor=first.supervisor, kind="carry_in", case=first.work_order.case, billing_class="C",
                            at=at("2026-04-01 09:00"))
    work_order_move(work_order=again, target="in_progress", actor=first.technician, at=at("2026-04-01 09:10"))
    repair_card_open(work_order=again, actor=first.technician, at=at("2026-04-01 09:15"))

    html = documents.render_html("repair-card", first.work_order)
    assert "LCD-FLEX" in html and ROOT_CAUSE in html and 'data-field="labour-total">45<' in html
    assert "螢幕排線" in html  # the part's name in the customer's language
    assert html.count('class="inspection-') == 2  # sent back, then passed: both kept
    assert INSPECTION_NOTE not in html
    later = documents.render_html("repair-card", again)
    assert 'data-field="repeat-of"' in later and first.work_order.number in later
    assert 'data-state="open"' in later


def test_the_repair_card_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    job = carry_in_job(customer=portal_customer(language="en"))
    wo = job.work_order
    with django_assert_num_queries(6) as first:
        documents.prepare("repair-card", wo)
    card = wo.repair_card
    card.closed_at = None  # open again to add work (as a send-back would)
    card.save(update_fields=["closed_at"])
    wo.status = "in_progress"
    wo.save(update_fields=["status"])
    for minutes in (10, 20, 30):
        labour_add(card=card, technician=job.technician, minutes=minutes, actor=job.technician)
    with django_assert_num_queries(len(first.captured_queries)):
        documents.prepare("repair-card", wo)


# ---- which documents a work order has --------------------------------------------------------------

def test_which_documents_a_work_order_has():
    job = on_site_job(customer=portal_customer(language="en", name="Kim"))
    wo = job.work_order
    assert [k.slug for k in documents.available_kinds(wo)] == ["voucher"]
    for kind in ("receipt", "repair-card"):
        with pytest.raises(documents.DocumentNotFound):
            documents.prepare(kind, wo)
    repair_card_open(work_order=wo, actor=job.technician)
    assert [k.slug for k in documents.available_kinds(wo)] == ["voucher", "repair-card"]
    carry = carry_in_job(customer=portal_customer(language="en")).work_order
    assert [k.slug for k in documents.available_kinds(carry)] == ["voucher", "receipt", "repair-card"]


@pytest.mark.parametrize("slug", ["", "VOUCHER", "voucher/", "../receipt", "receipt\x00", "credit-note", "x" * 5000,
                                  None, 7])
def test_an_unknown_kind_is_not_found(slug):
    with pytest.raises(documents.DocumentNotFound):
        documents.document_kind(slug)


def test_a_fourth_kind_is_one_registry_entry(monkeypatch):
    monkeypatch.setattr(documents, "KINDS", [k for k in documents.KINDS if k.slug != "invoice"])  # charges' own
    wo = carry_in_job(customer=portal_customer(language="en")).work_order
    documents.register_kind(documents.DocumentKind(
        slug="invoice", title="Invoice", template="repairs/print/voucher.html", build=voucher_context,
        available=voucher_available))
    assert [k.slug for k in documents.available_kinds(wo)][-1] == "invoice"
    document = documents.prepare("invoice", wo)
    assert document.filename == f"{wo.number}.pdf"
    assert wo.number in pdf_text(documents.pdf_of(document))
    for bad in ("invoice", "Not A Slug", "-x"):
        with pytest.raises(ValueError, match="not a new slug"):
            documents.register_kind(documents.DocumentKind(slug=bad, title="x", template="x", build=voucher_context,
                                                           available=voucher_available))


def test_file_names_are_the_document_numbers():
    wo = carry_in_job(customer=portal_customer(language="en")).work_order
    assert documents.prepare("receipt", wo).filename == f"{wo.receipt.number}.pdf"
    assert documents.prepare("voucher", wo).filename == f"{wo.number}.pdf"
    assert documents.prepare("repair-card", wo).filename == f"{wo.number}-repair-card.pdf"


# ---- the page counter's words in CSS -------------------------------------------------------------

def test_page_counter_css_follows_the_translations_word_order():
    assert documents.page_counter_css("Page %(page)s of %(pages)s") == '"Page " counter(page) " of " counter(pages)'
    assert (documents.page_counter_css("第 %(page)s 頁，共 %(pages)s 頁")
            == '"第 " counter(page) " 頁，共 " counter(pages) " 頁"')
    assert documents.page_counter_css("%(pages)s쪽 중 %(page)s쪽") == 'counter(pages) "쪽 중 " counter(page) "쪽"'


def test_css_strings_cannot_break_out_of_the_style_element():
    escaped = documents.css_string('a"b\\c</style><script>\n')
    assert "</style>" not in escaped and "<" not in escaped and '"b' not in escaped
    assert escaped == r'"a\000022b\00005Cc\00003C/style\00003E\00003Cscript\00003E\00000A"'


# ---- the fetcher ------------------------------------------------------------------------------------

def test_the_fetcher_serves_our_static_files_and_data_images():
    fetcher = PrintFetcher()
    css = fetcher(BASE_URL + "static/repairs/print.css")
    assert css.read().startswith(b"/* Printable documents") and css.content_type == "text/css"
    png = signature_bytes()
    image = fetcher("data:image/png;base64," + base64.b64encode(png).decode())
    assert image.read() == png and image.content_type == "image/png"


@pytest.mark.parametrize("url", [
    "https://example.com/print.css",
    "http://127.0.0.1:8000/static/repairs/print.css",
    "http://print.aftersales.invalid/static/repairs/print.css",
    "https://print.aftersales.invalid.example.com/static/repairs/print.css",
    "file:///etc/passwd",
    "ftp://example.com/x.css",
    "https://print.aftersales.invalid/static/../settings.py",
    "https://print.aftersales.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    "https://print.aftersales.invalid/static/repairs/..%2f..%2frepairs%2fdocuments.py",
    "https://print.aftersales.invalid/static//etc/passwd.css",
    "https://print.aftersales.invalid/static/repairs/print.css?x=1",
    "https://print.aftersales.invalid/static/repairs/nothing-here.css",
    "https://print.aftersales.invalid/media/repairs/signatures/x.png",
    "https://print.aftersales.invalid/static/repairs/print.css\x00.png",
    "data:text/html;base64,PGI+aGk8L2I+",
    "data:image/svg+xml;base64,PHN2Zy8+",
    "data:image/png,not-base64",
    "data:image/png;base64,***",
    "javascript:alert(1)",
])
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises(FetchRefused):
        PrintFetcher()(url)


class _Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


def test_a_pdf_never_fetches_from_the_network_or_the_disk():
    """A document whose HTML named outside resources draws without fetching any of them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        html = (f'<html><head><link rel="stylesheet" href="{origin}/evil.css">'
                f'<style>@import url("{origin}/import.css"); body {{ background: url("{origin}/bg.png") }}</style>'
                f'</head><body><img src="{origin}/pixel.png"><img src="file:///etc/hostname">'
                f'<p>王小明</p></body></html>')
        pdf = documents.pdf_from_html(html)
    finally:
        server.shutdown()
        server.server_close()
    assert _Counter.hits == []
    assert "王小明" in pdf_text(pdf)
