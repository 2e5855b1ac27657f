"""Smaller promises of the portal pages: kept input, preselected products, the polled status,
and list pages whose query count does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from aftersales.cases import actions
from aftersales.cases.attachments import check_upload
from aftersales.core.tests.factories import CustomerUserFactory, PurchaseFactory, UnitFactory, UserFactory
from aftersales.portal.tests.helpers import png_bytes, signed_in

pytestmark = pytest.mark.django_db


def test_the_chosen_kind_and_product_survive_a_failed_submit():
    me = CustomerUserFactory()
    unit = UnitFactory(customer=me.customer)
    html = signed_in(me).post("/help/new/", {"product": f"unit:{unit.pk}", "kind": "exchange",
                                             "subject": "", "body": ""}).content.decode()
    assert '<input type="radio" name="kind" value="exchange" id="id_kind_3" required checked>' in html
    assert html.count(" checked>") == 1
    assert f'<option value="unit:{unit.pk}" selected>' in html


def test_ask_for_help_about_this_preselects_the_product():
    me = CustomerUserFactory()
    purchase = PurchaseFactory(customer=me.customer)
    client = signed_in(me)
    assert f'href="/help/new/?product=purchase:{purchase.pk}"' in client.get("/products/").content.decode()
    html = client.get(f"/help/new/?product=purchase:{purchase.pk}").content.decode()
    assert f'<option value="purchase:{purchase.pk}" selected>' in html


def test_the_polled_timeline_also_refreshes_the_status():
    me = CustomerUserFactory()
    case = actions.case_open(customer=me.customer, subject="Washer", actor=me)
    actions.case_post_message(case=case, actor=UserFactory(), body="On it.", public=True)
    html = signed_in(me).get(f"/cases/{case.pk}/timeline/", HTTP_HX_REQUEST="true").content.decode()
    assert "On it." in html
    assert '<span id="case-status" hx-swap-oob="true" class="status status-open">Open</span>' in html


def test_signed_in_people_do_not_sign_up_again():
    response = signed_in(CustomerUserFactory()).get("/signup/")
    assert response.status_code == 302 and response["Location"] == "/"


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/", "/cases/", "/products/", "CASE"])
def test_list_pages_cost_the_same_for_one_row_or_many(url):
    me = CustomerUserFactory()
    client = signed_in(me)
    case = actions.case_open(customer=me.customer, subject="First", actor=me,
                             attachments=[check_upload(png_bytes(), "a.png")])
    UnitFactory(customer=me.customer)
    PurchaseFactory(customer=me.customer)
    target = f"/cases/{case.pk}/" if url == "CASE" else url
    one = queries(client, target)
    agent = UserFactory()
    for n in range(5):
        actions.case_open(customer=me.customer, subject=f"More {n}", actor=me)
        actions.case_post_message(case=case, actor=agent, body=f"Reply {n}", public=True,
                                  attachments=[check_upload(png_bytes((n, 0, 0)), f"r{n}.png")])
        UnitFactory(customer=me.customer)
        PurchaseFactory(customer=me.customer)
    assert queries(client, target) == one
