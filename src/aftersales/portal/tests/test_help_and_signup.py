"""Ask for help opens a case with photos; signing up verifies the e-mail before the account works."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftersales.accounts.models import User
from aftersales.cases.models import Attachment, Case, CaseType, Channel
from aftersales.core.tests.factories import (
    CustomerUserFactory,
    IdentityFactory,
    ProductModelFactory,
    PurchaseFactory,
    UnitFactory,
)
from aftersales.customers.models import Customer, CustomerIdentity
from aftersales.portal.tests.helpers import png_bytes, signed_in

pytestmark = pytest.mark.django_db


def photo(name: str, colour=(200, 30, 30)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


def test_ask_for_help_opens_a_case_with_photos_about_my_unit():
    me = CustomerUserFactory()
    unit = UnitFactory(customer=me.customer, product_model=ProductModelFactory(names={"en": "Washer W9"}))
    client = signed_in(me)
    form = client.get("/help/new/").content.decode()
    assert f'value="unit:{unit.pk}"' in form and "Washer W9" in form

    response = client.post("/help/new/", {
        "product": f"unit:{unit.pk}", "kind": "repair", "subject": "Drum does not spin",
        "body": "Error E21 since Monday.", "photos": [photo("a.png"), photo("b.png", (0, 90, 0))],
    })

    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (case.customer, case.unit, case.purchase) == (me.customer, unit, None)
    assert (case.type, case.channel, case.subject) == (CaseType.REPAIR, Channel.PORTAL, "Drum does not spin")
    assert sorted(Attachment.objects.filter(case=case).values_list("filename", flat=True)) == ["a.png", "b.png"]
    assert case.entries.get(kind="message").body == "Error E21 since Monday."


def test_ask_for_help_about_a_purchase_or_nothing():
    me = CustomerUserFactory()
    purchase = PurchaseFactory(customer=me.customer)
    client = signed_in(me)
    client.post("/help/new/", {"product": f"purchase:{purchase.pk}", "kind": "refund", "subject": "Refund",
                               "body": "Wrong size."})
    client.post("/help/new/", {"product": "", "kind": "consultation", "subject": "Question", "body": "How?"})
    assert list(Case.objects.order_by("id").values_list("purchase", "type")) == [
        (purchase.pk, "refund"), (None, "consultation")]


def test_someone_elses_product_cannot_be_chosen():
    me, other = CustomerUserFactory(), CustomerUserFactory()
    unit = UnitFactory(customer=other.customer)
    response = signed_in(me).post("/help/new/", {"product": f"unit:{unit.pk}", "kind": "repair",
                                                 "subject": "x", "body": "y"})
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_bad_input_re_renders_with_errors_keeps_typing_and_writes_nothing():
    me = CustomerUserFactory()
    response = signed_in(me).post("/help/new/", {
        "kind": "repair", "subject": "", "body": "My words stay here",
        "photos": [SimpleUploadedFile("evil.html", b"<html><script>x</script></html>")],
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "evil.html: This kind of file cannot be attached." in html
    assert "My words stay here" in html
    assert '<input type="radio" name="kind" value="repair" id="id_kind_1" required checked>' in html
    assert Case.objects.count() == 0


def sign_up(client: Client, **overrides):
    data = {"name": "Lin Mei", "email": "Lin@Example.com", "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase", "language": "zh-hant", **overrides}
    return client.post("/signup/", data)


def test_signup_mails_a_link_that_activates_and_signs_in(mailoutbox, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 200
    assert "lin@example.com" in response.content.decode()
    user = User.objects.get(email="lin@example.com")
    assert not user.is_active and user.is_customer and user.language == "zh-hant"
    customer = Customer.objects.get(user=user)
    identity = CustomerIdentity.objects.get(customer=customer)
    assert (identity.kind, identity.value, identity.verified_at) == ("email", "lin@example.com", None)
    too_early = client.post("/login/", {"username": "lin@example.com", "password": "a-long-pass-phrase"})
    assert too_early.status_code == 400 and "Please confirm your e-mail address first" in too_early.content.decode()

    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lin@example.com"]
    link = re.search(r"http://testserver(/signup/verify/[^/\s]+/)", mailoutbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    identity.refresh_from_db()
    assert user.is_active and identity.verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "登出" in client.get("/").content.decode()

    again = Client().get(link)  # a link activates once; it does not sign anyone in twice
    assert again.status_code == 302 and again["Location"] == "/login/"


def test_a_tampered_or_old_link_does_not_work(mailoutbox, django_capture_on_commit_callbacks, settings):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = re.search(r"(/signup/verify/[^/\s]+/)", mailoutbox[0].body).group(1)
    assert client.get(link[:-3] + "xx/").status_code == 400
    settings.SECRET_KEY = "another-key-as-if-the-link-were-forged"
    assert client.get(link).status_code == 400
    assert not User.objects.get(email="lin@example.com").is_active


def test_an_email_already_used_by_another_customer_is_refused(mailoutbox):
    IdentityFactory(value="lin@example.com")
    response = sign_up(Client())
    html = response.content.decode()
    assert response.status_code == 200
    assert "This e-mail address is already registered. Sign in instead." in html
    assert not User.objects.filter(email="lin@example.com").exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"password2": "something-else-entirely"}, "The two passwords are not the same."),
     ({"password1": "123", "password2": "123"}, "This password is too short."),
     ({"email": "not-an-email"}, "Enter a valid email address."),
     ({"name": ""}, "This field is required.")],
)
def test_bad_signup_input_re_renders_and_writes_nothing(mailoutbox, overrides, message):
    response = sign_up(Client(), **overrides)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert User.objects.count() == 0 and Customer.objects.count() == 0 and mailoutbox == []


def test_profile_saves_preferences_phone_and_switches_the_language():
    me = CustomerUserFactory()
    client = signed_in(me)
    assert client.get("/profile/").status_code == 200
    response = client.post("/profile/", {"display_name": "Kim Ji-woo", "language": "ko",
                                         "time_zone": "Asia/Seoul", "phone": "010-1234-5678"}, follow=True)
    me.refresh_from_db()
    assert (me.display_name, me.language, me.time_zone) == ("Kim Ji-woo", "ko", "Asia/Seoul")
    assert me.customer.identities.get(kind="phone").value == "+821012345678"
    assert '<html lang="ko">' in response.content.decode() and "로그아웃" in response.content.decode()


def test_profile_bad_phone_is_a_form_error():
    me = CustomerUserFactory()
    response = signed_in(me).post("/profile/", {"display_name": "", "language": "en", "time_zone": "",
                                                "phone": "not a phone"})
    assert response.status_code == 400
    assert "is not a phone number." in response.content.decode()
    assert not me.customer.identities.filter(kind="phone").exists()
