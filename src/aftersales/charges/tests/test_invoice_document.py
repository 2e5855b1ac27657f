"""The printable invoice (`charges.documents`, one more kind in `repairs.documents`): in each of
the four languages as HTML and as a PDF read back with pypdf (number, the customer's Chinese
name and address, the lines as stored, totals in the currency's minor unit, payments and what
is still due); only for work orders that have an invoice (never warranty work); the live one
shown, a voided one stamped void with its reason; from the desk and from the customer's own
portal, and a 404 for everyone else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from aftersales.accounts.models import Role
from aftersales.cases.actions import case_open
from aftersales.charges import documents as invoice_documents
from aftersales.charges.actions import quote_accept, quote_add_line, quote_build_from_work, quote_send
from aftersales.charges.actions_invoices import invoice_issue, invoice_void, payment_record
from aftersales.charges.tests.support import at, price_list, staff, worked
from aftersales.core.tests.factories import CustomerUserFactory, TeamFactory, UnitFactory, UserFactory
from aftersales.desk.tests.conftest import client_for
from aftersales.repairs import documents
from aftersales.repairs.actions import work_order_open
from aftersales.repairs.tests.documents_support import CUSTOMER_NAME, LANGUAGES, SECRET_NOTE, carry_in_job, pdf_text

pytestmark = pytest.mark.django_db

ADDRESS = "台北市信義區市府路 1 號"
PUMP = "更換排水泵"  # an "other" line, its description typed in Chinese and printed as stored
REFERENCE = "TX-20260303-77"
FIRST = "INV-2026-000001"
ISSUE_DAY = {"en": "March 3, 2026", "zh-hant": "2026年3月3日", "zh-hans": "2026年3月3日", "ko": "2026년 3월 3일"}


@pytest.fixture(autouse=True)
def cny_list():
    return price_list()  # CNY: labour 120.00 an hour, visit fee 20.00, 13 % tax


@pytest.fixture
def team():
    return TeamFactory(code="desk", name="Desk team")


@pytest.fixture
def agent(team):
    return UserFactory(role=Role.AGENT, teams=[team], display_name="Ada Agent")


def portal_customer(*, language: str, name: str = CUSTOMER_NAME):
    user = CustomerUserFactory(language=language, time_zone="Asia/Taipei")
    customer = user.customer
    customer.name, customer.language, customer.notes = name, language, SECRET_NOTE
    customer.save()
    return customer


def paid_job(*, customer, team=None, currency: str = "CNY", other: str = "100.00", issue: bool = True):
    """Paid (class A) on-site work: 90 minutes of labour, one visit and a pump, quoted, accepted on
    the spot and invoiced. In CNY: 180.00 + 20.00 + 100.00 = 300.00 net, 39.00 tax, 339.00."""
    supervisor, tech = staff()
    case = case_open(customer=customer, subject="洗衣機漏水", actor=None, unit=UnitFactory(), team=team,
                     at=at("2026-03-02 09:00"))
    wo = work_order_open(actor=supervisor, kind="on_site", case=case, phone="0912-345-678", address=ADDRESS,
                         problem="洗衣機底部漏水", billing_class="A", at=at("2026-03-02 09:05"))
    worked(wo, tech=tech, actor=supervisor, minutes=90)
    quote = quote_build_from_work(work_order=wo, actor=tech, currency=currency, at=at("2026-03-03 11:00"))
    quote_add_line(quote=quote, kind="other", quantity=1, unit_price=Decimal(other), description=PUMP, actor=tech)
    quote_send(quote=quote, actor=tech, at=at("2026-03-03 11:01"))
    quote_accept(quote=quote, actor=tech, channel="on_site", name=CUSTOMER_NAME, at=at("2026-03-03 11:02"))
    invoice = invoice_issue(work_order=wo, actor=tech, at=at("2026-03-03 12:00")) if issue else None
    wo.refresh_from_db()
    return wo, invoice, supervisor, tech


def kinds(wo) -> list[str]:
    return [k.slug for k in documents.available_kinds(wo)]


# ---- the document in each language ----------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invoice_in_each_language(language):
    wo, invoice, _supervisor, tech = paid_job(customer=portal_customer(language=language))
    payment_record(invoice=invoice, method="bank_transfer", amount=Decimal("100.00"), reference=REFERENCE,
                   actor=tech, at=at("2026-03-03 12:30"))
    assert invoice.number == FIRST

    html = documents.render_html("invoice", wo)  # the customer's language
    assert f'<html lang="{language}">' in html
    assert ISSUE_DAY[language] in html  # the issue date written the language's way
    assert 'data-field="net">300.00<' in html and 'data-field="tax">39.00<' in html
    assert 'data-field="gross">339.00<' in html and 'data-field="paid">100.00<' in html
    assert "239.00" in html.split('data-field="balance"')[1]
    assert html.count("data-line=") == 3 and html.count("data-payment=") == 1
    if language == "en":
        assert "Tax (13%)" in html
    assert "void-stamp" not in html and 'data-state="partly_paid"' in html

    pdf = documents.render_pdf("invoice", wo)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert text.count(FIRST) >= 2  # in the page header and on the page
    assert CUSTOMER_NAME in text and ADDRESS in text and wo.number in text
    assert PUMP in text  # Chinese read back from the text layer: real glyphs, not boxes
    for amount in ("180.00", "20.00", "300.00", "39.00", "339.00", "100.00", "239.00"):
        assert amount in text
    assert "CNY" in text and REFERENCE in text
    for secret in (SECRET_NOTE, "Chen"):  # the customer's notes; who accepted on the spot
        assert secret not in html and secret not in text


def test_the_pdf_is_named_after_the_invoice_number():
    wo, invoice, *_ = paid_job(customer=portal_customer(language="en"))
    document = documents.prepare("invoice", wo)
    assert document.number == invoice.number == FIRST
    assert document.filename == f"{FIRST}.pdf"
    text = pdf_text(documents.pdf_of(document))
    assert "Invoice" in text and "Page 1 of 1" in text and "A — paid" in text


def test_won_have_no_minor_unit():
    price_list(currency="KRW", tax="10.00", labour="30000", visit="20000", name="KRW")
    wo, invoice, _supervisor, tech = paid_job(customer=portal_customer(language="ko", name="김민수"), currency="KRW",
                                              other="5000")
    payment_record(invoice=invoice, method="cash", amount=Decimal("10000"), actor=tech, at=at("2026-03-03 12:10"))
    # 1.5 h × 30,000 + 20,000 + 5,000 = 70,000 net; 10 % = 7,000; 77,000; 10,000 paid
    html = documents.render_html("invoice", wo)
    assert 'data-field="gross">77,000<' in html and 'data-field="tax">7,000<' in html
    assert "67,000" in html.split('data-field="balance"')[1]
    text = pdf_text(documents.render_pdf("invoice", wo))
    assert "김민수" in text and "77,000" in text and "KRW" in text
    assert "77,000.00" not in text and "77000.00" not in text


def test_the_invoice_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    wo, invoice, _supervisor, tech = paid_job(customer=portal_customer(language="en"))
    with django_assert_num_queries(5) as first:
        documents.prepare("invoice", wo)
    for amount in ("10.00", "20.00", "30.00"):
        payment_record(invoice=invoice, method="cash", amount=Decimal(amount), actor=tech)
    with django_assert_num_queries(len(first.captured_queries)):
        document = documents.prepare("invoice", wo)
    assert len(document.context["payments"]) == 3 and document.context["balance"] == Decimal("279.00")


# ---- which work orders have one -----------------------------------------------------------------

def test_the_invoice_is_offered_only_once_issued():
    wo, _invoice, supervisor, tech = paid_job(customer=portal_customer(language="en"), issue=False)
    assert "invoice" not in kinds(wo)
    with pytest.raises(documents.DocumentNotFound):
        documents.prepare("invoice", wo)
    invoice = invoice_issue(work_order=wo, actor=tech)
    assert kinds(wo)[-1] == "invoice"
    invoice_void(invoice=invoice, reason="wrong address", actor=supervisor)
    assert kinds(wo)[-1] == "invoice"  # only a void one: still printed, marked void


def test_warranty_work_never_has_one():
    wo = carry_in_job(customer=portal_customer(language="zh-hant")).work_order
    assert wo.billing_class == "C"
    assert "invoice" not in kinds(wo)
    with pytest.raises(documents.DocumentNotFound):
        documents.prepare("invoice", wo)


def test_the_registry_holds_the_invoice_once():
    assert [k.slug for k in documents.document_kinds()].count("invoice") == 1
    invoice_documents.register()  # a second ready() adds nothing
    assert [k.slug for k in documents.document_kinds()].count("invoice") == 1
    assert documents.document_kind("invoice").template == "charges/print/invoice.html"


# ---- void -----------------------------------------------------------------------------------------

def test_a_voided_invoice_is_stamped_with_its_reason_and_a_new_one_replaces_it():
    wo, invoice, supervisor, tech = paid_job(customer=portal_customer(language="zh-hant"))
    invoice_void(invoice=invoice, reason="地址寫錯了", actor=supervisor, at=at("2026-03-04 09:00"))
    html = documents.render_html("invoice", wo)
    assert "void-stamp" in html and 'data-state="void"' in html
    assert 'data-field="void-reason">地址寫錯了<' in html and "2026年3月4日" in html
    assert 'data-field="balance"' not in html  # nothing is due on a void invoice
    text = pdf_text(documents.render_pdf("invoice", wo))
    assert FIRST in text and "地址寫錯了" in text and "339.00" in text

    again = invoice_issue(work_order=wo, actor=tech, at=at("2026-03-04 10:00"))
    document = documents.prepare("invoice", wo)
    assert document.number == again.number == "INV-2026-000002"  # the live one, not the void one
    html = documents.render_html("invoice", wo)
    assert "void-stamp" not in html and 'data-state="unpaid"' in html and "地址寫錯了" not in html
    assert "339.00" in html.split('data-field="balance"')[1]


# ---- the desk and the portal ----------------------------------------------------------------------

def desk_url(wo, *, pdf: bool = True) -> str:
    return f"/desk/work-orders/{wo.pk}/documents/invoice" + (".pdf" if pdf else "/")


def portal_url(wo, *, pdf: bool = True) -> str:
    return f"/repairs/{wo.pk}/documents/invoice" + (".pdf" if pdf else "/")


def test_staff_print_and_download_the_invoice(agent, team):
    wo, *_ = paid_job(customer=portal_customer(language="zh-hant"), team=team)
    client = client_for(agent)
    page = client.get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert 'data-document="invoice"' in page  # the Print block, drawn from available_kinds
    assert f'href="{desk_url(wo, pdf=False)}"' in page and f'href="{desk_url(wo)}"' in page

    response = client.get(desk_url(wo))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{FIRST}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert FIRST in text and CUSTOMER_NAME in text and "339.00" in text

    html = client.get(desk_url(wo, pdf=False))
    assert html.status_code == 200 and html["Content-Language"] == "zh-hant"
    assert f'href="{desk_url(wo)}"' in html.content.decode() and FIRST in html.content.decode()


def test_the_print_block_leaves_the_invoice_out_until_there_is_one(agent, team):
    wo, *_ = paid_job(customer=portal_customer(language="en"), team=team, issue=False)
    page = client_for(agent).get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert 'data-document="voucher"' in page and 'data-document="invoice"' not in page
    assert client_for(agent).get(desk_url(wo)).status_code == 404


def test_warranty_work_has_no_invoice_on_the_desk_or_the_portal(agent, team):
    customer = portal_customer(language="zh-hant")
    wo = carry_in_job(customer=customer, team=team).work_order
    page = client_for(agent).get(f"/desk/work-orders/{wo.pk}/").content.decode()
    assert 'data-document="receipt"' in page and 'data-document="invoice"' not in page
    for pdf in (True, False):
        assert client_for(agent).get(desk_url(wo, pdf=pdf)).status_code == 404
        assert client_for(customer.user).get(portal_url(wo, pdf=pdf)).status_code == 404


def test_a_customer_downloads_their_own_invoice(team):
    customer = portal_customer(language="ko")
    wo, *_ = paid_job(customer=customer, team=team)
    client = client_for(customer.user)
    response = client.get(portal_url(wo))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{FIRST}.pdf"'
    assert CUSTOMER_NAME in pdf_text(response.content)
    page = client.get(portal_url(wo, pdf=False))
    assert page.status_code == 200 and '<html lang="ko">' in page.content.decode()
    html = page.content.decode()
    assert f'href="{portal_url(wo)}"' in html and f'href="/repairs/{wo.pk}/"' in html and "/desk/" not in html
    detail = client.get(f"/repairs/{wo.pk}/").content.decode()
    assert portal_url(wo, pdf=False) in detail or portal_url(wo) in detail


def test_another_customer_never_sees_the_invoice(team):
    wo, *_ = paid_job(customer=portal_customer(language="zh-hant"), team=team)
    stranger = CustomerUserFactory()
    for pdf in (True, False):
        assert client_for(stranger).get(portal_url(wo, pdf=pdf)).status_code == 404
    anonymous = Client().get(portal_url(wo))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
