"""Deflection beside "Ask for help": articles about what the customer is typing, in their
language first; one `Deflection` row per form records what was shown, what was opened and the
case if they still sent it. A token that is someone else's, or malformed, never fails the form
and never touches another person's record."""

from __future__ import annotations

import uuid

import pytest

from aftersales.accounts.models import Role
from aftersales.cases.models import Case
from aftersales.core.tests.factories import CustomerUserFactory, UserFactory
from aftersales.kb.models import Deflection, SearchLog, Visibility
from aftersales.portal.tests.kb_support import HTMX, client_for, one, page_tree, text, with_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(kb):
    products = kb.category("products", {"en": ("Products", "")})
    return {
        "washer": kb.article(products, "washer-not-spinning", {
            "en": ("Washing machine not spinning or draining?", "Clean the drain filter; error E21 means it."),
            "zh-hant": ("洗衣機不脫水、不排水怎麼辦？", "洗衣機不脫水時先清潔排水過濾網，E21 代表排水異常。"),
            "zh-hans": ("洗衣机不脱水、不排水怎么办？", "洗衣机不脱水时先清洁排水过滤网，E21 代表排水异常。")}),
        "charging": kb.article(products, "phone-not-charging", {
            "en": ("Phone not charging?", "Try another cable and charger; clean the port.")}),
        "sanbao_en": kb.article(products, "sanbao-en", {
            "en": ("What is 三包?", "三包 means repair, exchange and return.")}),
        "sanbao_hant": kb.article(products, "sanbao-hant", {
            "zh-hant": ("三包是什麼？", "三包就是包修、包換、包退。")}),
        "internal": kb.article(products, "handbook-washers", {
            "en": ("Handbook: washing machine goodwill", "Staff only: washing machine not spinning.")},
            visibility=Visibility.INTERNAL),
    }


@pytest.fixture
def hans():
    return CustomerUserFactory(language="zh-hans")


def deflect(client, token, subject="", body="", **extra):
    params = {"subject": subject, "body": body, "deflection": str(token), **extra}
    return client.get("/help/deflect/", params, **HTMX)


def shown(response) -> list[tuple[str, str]]:
    return [(text(one(a, "deflection-title-text")), a.get("href"))
            for a in with_class(page_tree(response), "deflection-title", "a")]


def test_the_form_carries_a_new_token_and_asks_for_articles_as_the_customer_types(hans):
    client = client_for(hans)
    root = page_tree(client.get("/help/new/"))
    token = root.find(".//input[@name='deflection']").get("value")
    assert uuid.UUID(token).version == 4
    aside = one(root, "deflection", "aside")
    assert aside.get("hx-get") == "/help/deflect/"
    triggers = [t.strip() for t in aside.get("hx-trigger").split(",")]
    assert triggers == [f"{event} changed delay:500ms from:#id_{field}"
                        for event in ("keyup[!isComposing]", "input[!isComposing]", "compositionend")
                        for field in ("subject", "body")]
    assert "load" not in aside.get("hx-trigger")  # nothing typed yet
    assert aside.get("hx-include") == "#id_subject, #id_deflection"
    again = page_tree(client.get("/help/new/")).find(".//input[@name='deflection']").get("value")
    assert again != token  # a new form, a new record
    assert Deflection.objects.count() == 0  # nothing is kept until an article is shown


def test_matching_articles_appear_and_what_was_shown_is_recorded(hans, corpus):
    washer = corpus["washer"]
    token = uuid.uuid4()
    response = deflect(client_for(hans), token, subject="洗衣机不脱水", body="显示 E21")
    assert response.status_code == 200
    assert shown(response) == [("洗衣机不脱水、不排水怎么办？",
                                f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hans&d={token}")]
    item = one(page_tree(response), "deflection-item", "li")
    assert item.find("a").get("target") == "_blank"
    details = item.find("details")
    assert details.get("hx-get") == f"/help/a/{washer.pk}/washer-not-spinning/?lang=zh-hans&inline=1&d={token}"
    record = Deflection.objects.get()
    assert (record.token, record.user, record.shown, record.opened, record.case) == (token, hans, [washer.pk], [],
                                                                                     None)
    assert record.query == "洗衣机不脱水 显示 E21"
    assert SearchLog.objects.count() == 0  # typing is not searching

    # Typing on adds what else was shown; nothing shown twice.
    deflect(client_for(hans), token, subject="洗衣机不脱水", body="phone not charging either")
    record.refresh_from_db()
    assert record.shown == [washer.pk, corpus["charging"].pk]


def test_the_customers_language_comes_first(corpus):
    hant = CustomerUserFactory(language="zh-hant")
    response = deflect(client_for(hant), uuid.uuid4(), subject="三包")
    assert [title for title, _href in shown(response)] == ["三包是什麼？", "What is 三包?"]
    english = CustomerUserFactory(language="en")
    response = deflect(client_for(english), uuid.uuid4(), subject="三包")
    assert [title for title, _href in shown(response)] == ["What is 三包?", "三包是什麼？"]


def test_opening_an_article_from_the_form_is_recorded_once(hans, corpus):
    washer = corpus["washer"]
    client = client_for(hans)
    token = uuid.uuid4()
    deflect(client, token, subject="洗衣机不脱水")
    url = f"/help/a/{washer.pk}/washer-not-spinning/"
    assert client.get(url, {"lang": "zh-hans", "d": str(token)}).status_code == 200
    inline = client.get(url, {"lang": "zh-hans", "inline": "1", "d": str(token)}, **HTMX)
    assert inline.status_code == 200 and "洗衣机不脱水时先清洁排水过滤网" in inline.content.decode()
    assert Deflection.objects.get().opened == [washer.pk]


def test_sending_the_request_after_all_records_the_case(hans, corpus):
    client = client_for(hans)
    token = uuid.uuid4()
    deflect(client, token, subject="洗衣机不脱水")
    response = client.post("/help/new/", {"kind": "repair", "subject": "洗衣机不脱水", "body": "E21",
                                          "deflection": str(token)})
    case = Case.objects.get()
    assert response.status_code == 302
    record = Deflection.objects.get()
    assert (record.shown, record.case) == ([corpus["washer"].pk], case)


def test_a_form_sent_without_any_article_shown_leaves_no_record(hans, corpus):
    response = client_for(hans).post("/help/new/", {"kind": "consultation", "subject": "Hello", "body": "Hi",
                                                    "deflection": str(uuid.uuid4())})
    assert response.status_code == 302
    assert Case.objects.count() == 1 and Deflection.objects.count() == 0


def test_someone_elses_token_shows_articles_but_never_touches_their_record(hans, corpus):
    washer = corpus["washer"]
    theirs = uuid.uuid4()
    deflect(client_for(hans), theirs, subject="洗衣机不脱水")
    intruder = client_for(CustomerUserFactory(language="en"))

    response = deflect(intruder, theirs, subject="phone not charging")
    assert response.status_code == 200
    charging = corpus["charging"]
    assert shown(response) == [("Phone not charging?", f"/help/a/{charging.pk}/phone-not-charging/?lang=en")]
    intruder.get(f"/help/a/{washer.pk}/washer-not-spinning/", {"d": str(theirs)})
    sent = intruder.post("/help/new/", {"kind": "repair", "subject": "Phone", "body": "Not charging",
                                        "deflection": str(theirs)})
    assert sent.status_code == 302 and Case.objects.count() == 1
    record = Deflection.objects.get()
    assert (record.user, record.shown, record.opened, record.case) == (hans, [washer.pk], [], None)


@pytest.mark.parametrize("token", ["", "not-a-uuid", "x" * 5000, "1234", "\x00", "{" + "0" * 31 + "}"])
def test_a_malformed_token_never_fails_the_form(hans, corpus, token):
    client = client_for(hans)
    response = client.get("/help/deflect/", {"subject": "洗衣机不脱水", "deflection": token}, **HTMX)
    assert response.status_code == 200
    assert shown(response)[0][0] == "洗衣机不脱水、不排水怎么办？"
    assert "&d=" not in response.content.decode()
    bad = client.post("/help/new/", {"kind": "repair", "subject": "x", "body": "", "deflection": token})
    assert bad.status_code == 200  # the form comes back (no description) with a fresh token
    fresh = page_tree(bad).find(".//input[@name='deflection']").get("value")
    assert uuid.UUID(fresh).version == 4
    sent = client.post("/help/new/", {"kind": "repair", "subject": "x", "body": "y", "deflection": token})
    assert sent.status_code == 302
    assert Case.objects.count() == 1 and Deflection.objects.count() == 0


def test_the_form_coming_back_keeps_its_token_and_asks_again_at_once(hans, corpus):
    token = uuid.uuid4()
    response = client_for(hans).post("/help/new/", {"kind": "repair", "subject": "洗衣机不脱水", "body": "",
                                                    "deflection": str(token)})
    root = page_tree(response)
    assert root.find(".//input[@name='deflection']").get("value") == str(token)
    assert one(root, "deflection", "aside").get("hx-trigger").endswith(", load")


def test_nothing_typed_shows_the_hint_and_no_match_says_so(corpus):
    client = client_for(CustomerUserFactory(language="en"))
    empty = deflect(client, uuid.uuid4())
    assert "As you describe the problem" in text(page_tree(empty))
    none = deflect(client, uuid.uuid4(), subject="zzqx vvkw")
    assert "No matching articles yet." in text(page_tree(none))
    assert Deflection.objects.count() == 0


def test_only_signed_in_customers_get_deflection(corpus):
    token = uuid.uuid4()
    assert deflect(client_for(), token, subject="washing machine").status_code == 404
    assert deflect(client_for(UserFactory(role=Role.AGENT)), token, subject="washing machine").status_code == 404
    assert Deflection.objects.count() == 0


def test_internal_articles_are_never_shown_to_customers(hans, corpus):
    token = uuid.uuid4()
    response = deflect(client_for(hans), token, subject="washing machine goodwill")
    assert response.status_code == 200
    washer = corpus["washer"]
    assert shown(response) == [("Washing machine not spinning or draining?",
                                f"/help/a/{washer.pk}/washer-not-spinning/?lang=en&d={token}")]
    assert "Handbook" not in response.content.decode()
    assert Deflection.objects.get().shown == [washer.pk]


@pytest.mark.parametrize(("params", "code"), [
    ({"subject": "E21\x00"}, "invalid_input"),
    ({"body": "a\x00b"}, "invalid_input"),
    ({"subject": "x" * 1201}, "search_query_too_long"),
    ({"body": "x" * 20_001}, "search_query_too_long"),
])
def test_hostile_text_gets_a_400_with_a_message_and_records_nothing(hans, corpus, params, code):
    response = client_for(hans).get("/help/deflect/", {"deflection": str(uuid.uuid4()), **params}, **HTMX)
    assert response.status_code == 400
    error = one(page_tree(response), "error")
    assert error.get("data-code") == code and text(error)
    assert Deflection.objects.count() == 0


def test_a_long_description_is_matched_on_its_beginning(hans, corpus):
    body = "洗衣机不脱水。" + "很久以前的事情。" * 2000  # longer than what the page sends; still fine
    response = deflect(client_for(hans), uuid.uuid4(), body=body[:20_000])
    assert response.status_code == 200
    assert shown(response)[0][0] == "洗衣机不脱水、不排水怎么办？"
