"""The printable documents' pages: in the desk (staff who may see the work order) and in the
portal (the customer's own work orders only). The PDF answers as a download named after the
document number; the print page links to it; the work order page offers what exists. Unknown
kinds, documents not there yet and hostile ids are 404s, never 500s."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.core.tests.factories import CustomerUserFactory
from aftersales.desk.tests.conftest import HTMX, client_for
from aftersales.repairs.tests.documents_support import CUSTOMER_NAME, carry_in_job, on_site_job, pdf_text

pytestmark = pytest.mark.django_db


def desk_url(wo, kind: str, *, pdf: bool = True) -> str:
    return f"/desk/work-orders/{wo.pk}/documents/{kind}" + (".pdf" if pdf else "/")


def portal_url(wo, kind: str, *, pdf: bool = True) -> str:
    return f"/repairs/{wo.pk}/documents/{kind}" + (".pdf" if pdf else "/")


@pytest.fixture
def portal_user():
    user = CustomerUserFactory(language="zh-hant", time_zone="Asia/Taipei")
    user.customer.name, user.customer.language = CUSTOMER_NAME, "zh-hant"
    user.customer.save()
    return user


@pytest.fixture
def carry(team, portal_user):
    return carry_in_job(customer=portal_user.customer, team=team).work_order


@pytest.fixture
def on_site(team, portal_user):
    return on_site_job(customer=portal_user.customer, team=team, signed=False).work_order


# ---- the desk -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "filename"), [("receipt", "{rc}.pdf"), ("voucher", "{wo}.pdf"),
                                                ("repair-card", "{wo}-repair-card.pdf")])
def test_staff_download_each_pdf_named_after_its_number(agent, carry, kind, filename):
    response = client_for(agent).get(desk_url(carry, kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = filename.format(rc=carry.receipt.number, wo=carry.number)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert CUSTOMER_NAME in text and (carry.receipt.number if kind == "receipt" else carry.number) in text


def test_the_pdf_can_be_shown_in_the_browser_instead(agent, carry):
    response = client_for(agent).get(desk_url(carry, "receipt") + "?download=0")
    assert response["Content-Disposition"] == f'inline; filename="{carry.receipt.number}.pdf"'


def test_the_print_page_is_in_the_customers_language_with_its_toolbar(agent, carry):
    response = client_for(agent).get(desk_url(carry, "receipt", pdf=False))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hant">' in page and response["Content-Language"] == "zh-hant"
    assert "/static/repairs/print.css" in page
    assert f'href="{desk_url(carry, "receipt")}"' in page  # download the PDF
    assert f'href="/desk/work-orders/{carry.pk}/"' in page  # back to the work order
    assert carry.receipt.number in page and "螢幕刮傷" in page


def test_the_work_order_page_offers_the_documents_it_has(agent, carry, on_site):
    page = client_for(agent).get(f"/desk/work-orders/{carry.pk}/").content.decode()
    for kind in ("voucher", "receipt", "repair-card"):
        assert f'data-document="{kind}"' in page
        assert f'href="{desk_url(carry, kind, pdf=False)}"' in page and f'href="{desk_url(carry, kind)}"' in page
    page = client_for(agent).get(f"/desk/work-orders/{on_site.pk}/").content.decode()
    assert 'data-document="voucher"' in page
    assert 'data-document="receipt"' not in page and 'data-document="repair-card"' not in page


def test_the_print_links_stay_when_htmx_redraws_the_page(agent, on_site):
    response = client_for(agent).post(f"/desk/work-orders/{on_site.pk}/status/", {"status": "cancelled"}, **HTMX)
    assert response.status_code == 200
    assert 'data-document="voucher"' in response.content.decode()


def test_only_staff_who_may_see_the_work_order(carry, portal_user, other_team):
    from aftersales.accounts.models import Role
    from aftersales.core.tests.factories import UserFactory

    outsider = UserFactory(role="agent", teams=[other_team])  # the case is not their team's
    for url in (desk_url(carry, "receipt"), desk_url(carry, "receipt", pdf=False)):
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(portal_user).get(url).status_code == 404  # customers: as if nothing were there
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
        assert client_for(UserFactory(role=Role.SUPERVISOR)).get(url).status_code == 200


@pytest.mark.parametrize("path", [
    "{wo}/documents/invoice.pdf", "{wo}/documents/receipt-x.pdf", "{wo}/documents/voucher-/",
    "{wo}/documents/repair_card.pdf", "{wo}/documents/Receipt.pdf", "{wo}/documents/receipt.PDF",
    "{wo}/documents/%2e%2e.pdf", "{wo}/documents/receipt%00.pdf", "{wo}/documents/.pdf",
    "0/documents/voucher.pdf", "999999/documents/voucher.pdf", "99999999999999999999999999/documents/voucher.pdf",
    "{onsite}/documents/receipt.pdf", "{onsite}/documents/receipt/", "{onsite}/documents/repair-card.pdf",
])
def test_unknown_kinds_missing_documents_and_hostile_ids_are_404(agent, carry, on_site, path):
    url = "/desk/work-orders/" + path.format(wo=carry.pk, onsite=on_site.pk)
    assert client_for(agent).get(url).status_code == 404


def test_documents_are_read_only(agent, carry):
    client = client_for(agent)
    assert client.post(desk_url(carry, "receipt")).status_code == 405
    assert client.post(desk_url(carry, "receipt", pdf=False)).status_code == 405


# ---- the portal -----------------------------------------------------------------------------------

def test_a_customer_downloads_their_own_documents(portal_user, carry):
    client = client_for(portal_user)
    response = client.get(portal_url(carry, "receipt"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{carry.receipt.number}.pdf"'
    assert "螢幕刮傷" in pdf_text(response.content)
    page = client.get(portal_url(carry, "repair-card", pdf=False))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{portal_url(carry, "repair-card")}"' in html and f'href="/repairs/{carry.pk}/"' in html
    assert "/desk/" not in html


def test_a_customer_never_sees_another_customers_documents(portal_user, carry):
    stranger = CustomerUserFactory()
    for kind in ("voucher", "receipt", "repair-card"):
        for pdf in (True, False):
            assert client_for(stranger).get(portal_url(carry, kind, pdf=pdf)).status_code == 404


@pytest.mark.parametrize("path", [
    "{onsite}/documents/receipt.pdf", "{onsite}/documents/repair-card/", "{wo}/documents/invoice.pdf",
    "{wo}/documents/VOUCHER.pdf", "0/documents/voucher.pdf", "99999999999999999999999999/documents/voucher.pdf",
])
def test_portal_unknown_or_missing_documents_are_404(portal_user, carry, on_site, path):
    url = "/repairs/" + path.format(wo=carry.pk, onsite=on_site.pk)
    assert client_for(portal_user).get(url).status_code == 404


def test_staff_on_the_portal_route_are_sent_to_the_desk(agent, carry):
    response = client_for(agent).get(portal_url(carry, "receipt"))
    assert response.status_code == 302 and response["Location"].startswith("/desk")
    anonymous = Client().get(portal_url(carry, "receipt"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
