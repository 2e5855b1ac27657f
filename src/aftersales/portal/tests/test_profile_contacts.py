"""The profile lists how we reach the customer; they may remove an e-mail address or phone
number, never the address they sign in with nor their last e-mail address."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.core.models import AuditEntry
from aftersales.core.tests.factories import CustomerUserFactory, IdentityFactory
from aftersales.customers.models import CustomerIdentity
from aftersales.portal.tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def me():
    user = CustomerUserFactory(username="lin@example.com", email="lin@example.com")
    IdentityFactory(customer=user.customer, kind="email", value="lin@example.com")
    return user


def remove(client: Client, identity: CustomerIdentity):
    return client.post(f"/profile/contacts/{identity.pk}/remove/")


def test_a_phone_number_and_a_second_address_can_be_removed_with_an_audit_row(me):
    phone = IdentityFactory(customer=me.customer, kind="phone", value="+886912345678")
    work = IdentityFactory(customer=me.customer, kind="email", value="lin.work@example.com")
    client = signed_in(me)
    page = client.get("/profile/").content.decode()
    assert "+886912345678" in page and "lin.work@example.com" in page
    assert f'action="/profile/contacts/{phone.pk}/remove/"' in page

    for identity in (phone, work):
        response = remove(client, identity)
        assert response.status_code == 302 and response["Location"] == "/profile/"
    assert list(me.customer.identities.values_list("value", flat=True)) == ["lin@example.com"]
    rows = AuditEntry.objects.filter(action="customer.identity_removed", object_id=str(me.customer.pk))
    assert sorted(r.before["value"] for r in rows) == ["+886912345678", "lin.work@example.com"]
    assert all(r.actor_id == me.pk for r in rows)
    shown = client.get("/profile/").content.decode()
    assert shown.count("“+886912345678” is removed from your profile.") == 1
    assert shown.count("“lin.work@example.com” is removed from your profile.") == 1
    assert "is removed from your profile." not in client.get("/profile/").content.decode()


def test_the_sign_in_address_stays(me):
    sign_in_address = me.customer.identities.get()
    IdentityFactory(customer=me.customer, kind="email", value="lin.work@example.com")
    page = signed_in(me).get("/profile/").content.decode()
    assert f'action="/profile/contacts/{sign_in_address.pk}/remove/"' not in page
    response = remove(signed_in(me), sign_in_address)
    assert response.status_code == 409
    assert "The account signs in with this e-mail address, so it cannot be removed." in response.content.decode()
    assert me.customer.identities.filter(pk=sign_in_address.pk).exists()
    assert not AuditEntry.objects.filter(action="customer.identity_removed").exists()


def test_the_last_email_address_stays():
    user = CustomerUserFactory(username="kim", email="")
    only = IdentityFactory(customer=user.customer, kind="email", value="kim@example.com")
    response = remove(signed_in(user), only)
    assert response.status_code == 409
    assert "Keep at least one e-mail address." in response.content.decode()
    assert CustomerIdentity.objects.filter(pk=only.pk).exists()


def test_someone_elses_contact_or_a_marketplace_id_is_a_404(me):
    theirs = IdentityFactory(kind="phone", value="+886900000001")
    buyer_id = IdentityFactory(customer=me.customer, kind="marketplace", marketplace="tmall", value="tb-123")
    client = signed_in(me)
    assert remove(client, theirs).status_code == 404
    assert remove(client, buyer_id).status_code == 404
    assert client.post("/profile/contacts/987654321/remove/").status_code == 404
    assert CustomerIdentity.objects.filter(pk__in=[theirs.pk, buyer_id.pk]).count() == 2


def test_removing_needs_a_post_from_the_customer(me):
    phone = IdentityFactory(customer=me.customer, kind="phone", value="+886912345678")
    assert signed_in(me).get(f"/profile/contacts/{phone.pk}/remove/").status_code == 405
    assert Client().post(f"/profile/contacts/{phone.pk}/remove/")["Location"].startswith("/login/")
    assert CustomerIdentity.objects.filter(pk=phone.pk).exists()


def test_the_profile_page_costs_the_same_queries_however_many_contacts(me, django_assert_num_queries):
    client = signed_in(me)
    client.get("/profile/")
    with django_assert_num_queries(4):  # session, user, customer, contacts
        client.get("/profile/")
    for n in range(5):
        IdentityFactory(customer=me.customer, kind="phone", value=f"+88691234500{n}")
    with django_assert_num_queries(4):
        assert "+886912345004" in client.get("/profile/").content.decode()


def test_help_text_is_where_the_field_says_it_is(me):
    """Each field's aria-describedby names an element that exists, so screen readers read it."""
    import re

    html = signed_in(me).get("/profile/").content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described, "the profile form has help text"
    for ids in described:
        for one in ids.split():
            assert f'id="{one}"' in html, one
