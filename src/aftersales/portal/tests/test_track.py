"""Following a case without an account: number plus the customer's e-mail or phone, read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from aftersales.cases import actions
from aftersales.core.tests.factories import CustomerFactory, IdentityFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_FOUND = "We found no case with this number and contact. Please check both."


@pytest.fixture
def case():
    customer = CustomerFactory(language="zh-hant")
    IdentityFactory(customer=customer, kind="email", value="wang@example.com")
    IdentityFactory(customer=customer, kind="phone", value="+886912345678")
    case = actions.case_open(customer=customer, subject="冷氣不冷", body="Since Friday.", actor=None,
                             channel="email")
    agent = UserFactory()
    actions.case_post_message(case=case, actor=agent, body="A technician comes on Tuesday.", public=True)
    actions.case_post_message(case=case, actor=agent, body="INTERNAL: customer called twice", public=False)
    return case


@pytest.mark.parametrize("contact", ["Wang@Example.com", "+886 912 345 678"])
def test_the_right_pair_shows_the_public_case_read_only(case, contact):
    response = Client().post("/track/", {"number": case.number.lower(), "contact": contact})
    html = response.content.decode()
    assert response.status_code == 200
    assert "冷氣不冷" in html and "A technician comes on Tuesday." in html and "Since Friday." in html
    assert "INTERNAL" not in html
    assert "hx-get" not in html and 'name="body"' not in html and "/status/" not in html
    assert NOT_FOUND not in html


@pytest.mark.parametrize(
    ("number", "contact"),
    [("AS-2000-999999", "wang@example.com"), (None, "someone@example.com"), (None, "+886900000000"),
     (None, "not a contact"), ("", "")],
)
def test_wrong_pairs_all_answer_the_same_not_found(case, number, contact):
    other = CustomerFactory()
    IdentityFactory(customer=other, kind="email", value="someone@example.com")
    response = Client().post("/track/", {"number": case.number if number is None else number, "contact": contact})
    html = response.content.decode()
    assert response.status_code == 200
    assert "冷氣不冷" not in html
    if number != "":
        assert NOT_FOUND in html


def test_track_page_is_linked_from_the_landing_page():
    assert 'href="/track/"' in Client().get("/").content.decode()
    assert Client().get("/track/").status_code == 200


def test_ten_failed_tries_from_one_address_then_429_even_for_the_right_pair(case):
    client = Client()
    for n in range(10):
        response = client.post("/track/", {"number": f"AS-2000-{n:06d}", "contact": "wang@example.com"})
        assert response.status_code == 200 and NOT_FOUND in response.content.decode()
    limited = client.post("/track/", {"number": case.number, "contact": "wang@example.com"})
    assert limited.status_code == 429
    assert limited["Retry-After"] == "900"
    html = limited.content.decode()
    assert "Too many tries" in html and "Please wait 15 minutes before you try again." in html
    assert "冷氣不冷" not in html
    other_address = Client(REMOTE_ADDR="203.0.113.9").post("/track/", {"number": case.number,
                                                                       "contact": "wang@example.com"})
    assert other_address.status_code == 200 and "冷氣不冷" in other_address.content.decode()


def test_guessing_one_case_from_many_addresses_is_limited_too(case):
    for n in range(10):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post("/track/", {"number": case.number.lower(),
                                                               "contact": f"guess{n}@example.com"})
    response = Client(REMOTE_ADDR="198.51.100.200").post("/track/", {"number": case.number,
                                                                     "contact": "wang@example.com"})
    assert response.status_code == 429


def test_found_cases_and_empty_forms_do_not_count(case):
    client = Client()
    for _ in range(12):
        assert client.post("/track/", {"number": case.number, "contact": "wang@example.com"}).status_code == 200
        assert client.post("/track/", {"number": "", "contact": ""}).status_code == 200
    assert client.get("/track/").status_code == 200
