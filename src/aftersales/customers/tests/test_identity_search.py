"""Reading a search box term as the identities it may spell, in their stored form."""

from __future__ import annotations

import pytest

from aftersales.core.tests.factories import CustomerFactory, IdentityFactory
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_ids_with_identity, phone_candidates


@pytest.mark.parametrize(("term", "region", "expected"), [
    ("+886 912 345 678", None, {"+886912345678"}),
    ("+82 10-1234-5678", "US", {"+821012345678"}),
    ("Lin Meiling", None, set()),
    ("12345", None, set()),                 # too few digits to be a phone number
    ("meiling@example.com", None, set()),
])
def test_phone_candidates(term, region, expected):
    assert phone_candidates(term, region=region) == expected


def test_a_local_number_is_read_in_every_region_the_service_works_in():
    found = phone_candidates("0912 345 678", region="US")
    assert "+886912345678" in found  # Taiwan, whatever the searcher's language
    assert all(value.startswith("+") for value in found)


@pytest.mark.django_db
@pytest.mark.parametrize(("term", "found"), [
    ("Lin@Example.COM", True),
    ("0912-345-678", True),
    ("tb_lin_88", True),
    ("TB_LIN_88", False),  # buyer ids are matched as typed
    ("lin@example.co", False),
])
def test_customer_ids_with_identity(term, found):
    lin = CustomerFactory()
    IdentityFactory(customer=lin, kind="email", value="lin@example.com")
    IdentityFactory(customer=lin, kind="phone", value="+886912345678")
    IdentityFactory(customer=lin, kind="marketplace", marketplace="taobao", value="tb_lin_88")
    CustomerFactory()
    ids = list(Customer.objects.filter(pk__in=customer_ids_with_identity(term)).values_list("pk", flat=True))
    assert ids == ([lin.pk] if found else [])
