"""Policies in the admin, in each of the four languages: editing a document adds a new
(validated) version; a shop copies a policy and changes its numbers without code."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from aftersales.accounts.models import Role
from aftersales.catalog.models import ProductCategory
from aftersales.core.models import AuditEntry
from aftersales.core.tests.api_support import api_client
from aftersales.core.tests.factories import ProductModelFactory, UserFactory
from aftersales.policies import documents
from aftersales.policies.models import CategoryPolicy, ModelPolicy, Policy, PolicyVersion
from aftersales.policies.selectors import policy_for
from aftersales.policies.tests.support import EVALUATE, RETURN_CLAIM, document

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hant", "zh-hans", "ko"]


class FormFields(HTMLParser):
    """The fields of the form with the given id, as a browser would send them unchanged."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, str] = {}
        self._inside = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get("id") == self.form_id
        if not self._inside or not a.get("name"):
            return
        if tag == "input" and a.get("type") not in ("submit", "checkbox", "button"):
            self.data[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.data[a["name"]] = "on"
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._inside = False


def form_of(response, form_id: str = "policy_form") -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.ADMINISTRATOR, username="root")


def site(user, language: str = "en") -> Client:
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def _pages(test_policy) -> list[str]:
    version = test_policy.current_version
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["policies"]),
        reverse("admin:policies_policy_changelist"),
        reverse("admin:policies_policy_change", args=[test_policy.pk]),
        reverse("admin:policies_policy_copy", args=[test_policy.pk]),
        reverse("admin:policies_policyversion_changelist"),
        reverse("admin:policies_policyversion_change", args=[version.pk]),
        reverse("admin:policies_categorypolicy_changelist"),
        reverse("admin:policies_categorypolicy_add"),
        reverse("admin:policies_modelpolicy_changelist"),
        reverse("admin:policies_modelpolicy_add"),
        reverse("admin:policies_guaranteepolicy_changelist"),
        reverse("admin:policies_entitlementdecision_changelist"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_policies_admin_page_renders_in_each_language(admin_user, test_policy, language):
    client = site(admin_user, language)
    api_client(admin_user).post(EVALUATE + "?record=true", json.dumps(RETURN_CLAIM), content_type="application/json")
    from aftersales.policies.models import EntitlementDecision

    pages = [*_pages(test_policy),
             reverse("admin:policies_entitlementdecision_change", args=[EntitlementDecision.objects.get().pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert f'lang="{language}"' in response.content.decode(), url


def test_the_policy_page_shows_the_document_and_read_only_versions(admin_user, test_policy):
    page = site(admin_user).get(reverse("admin:policies_policy_change", args=[test_policy.pk]))
    fields = form_of(page)
    assert documents.parse_text(fields["document_text"]) == test_policy.current_version.document
    assert "versions-0-id" in fields
    assert not {"versions-0-note", "versions-0-number", "names-0-name"} & set(fields), fields
    assert "Copy policy" in page.content.decode()
    # Nothing to add or delete: policies come from copies or files, versions are history.
    assert site(admin_user).get(reverse("admin:policies_policy_add")).status_code == 403
    assert site(admin_user).get(reverse("admin:policies_policy_delete", args=[test_policy.pk])).status_code == 403
    assert site(admin_user).get(reverse("admin:policies_policyversion_delete",
                                        args=[test_policy.current_version.pk])).status_code == 403


def _save(client, policy: Policy, doc: dict | None = None, note: str = "", active: bool = True, **changes) -> object:
    url = reverse("admin:policies_policy_change", args=[policy.pk])
    data = form_of(client.get(url))
    if not active:
        data.pop("is_active", None)  # an unticked box is not sent
    if doc is not None:
        data["document_text"] = documents.dump_text(doc)
    data["version_note"] = note
    data.update(changes)
    return client.post(url, data)


def test_saving_a_changed_document_adds_a_version(admin_user, test_policy):
    client = site(admin_user)
    response = _save(client, test_policy, document(window=30), note="Thirty days")
    assert response.status_code == 302, form_of(response)
    test_policy.refresh_from_db()
    assert test_policy.current_version.number == 2
    assert test_policy.current_version.document["rules"]["window"]["days"] == 30
    assert (test_policy.current_version.created_by, test_policy.current_version.note) == (admin_user, "Thirty days")
    assert test_policy.versions.get(number=1).document["rules"]["window"]["days"] == 7


def test_saving_without_changes_adds_nothing(admin_user, test_policy):
    response = _save(site(admin_user), test_policy)
    assert response.status_code == 302
    assert PolicyVersion.objects.filter(policy=test_policy).count() == 1


def test_deactivating_is_audited_and_adds_no_version(admin_user, test_policy):
    assert _save(site(admin_user), test_policy, active=False).status_code == 302
    test_policy.refresh_from_db()
    assert test_policy.is_active is False
    assert PolicyVersion.objects.filter(policy=test_policy).count() == 1
    assert AuditEntry.objects.filter(action="policy_changed", object_id=str(test_policy.pk),
                                     after={"is_active": False}).exists()


@pytest.mark.parametrize(("text", "message"), [
    ("code: [unclosed", "flow sequence"),
    ("- a list\n- of things", "mapping"),
    (None, "rules.window.days"),
])
def test_an_invalid_document_is_shown_with_its_problems_and_saves_nothing(admin_user, test_policy, text, message):
    client = site(admin_user)
    url = reverse("admin:policies_policy_change", args=[test_policy.pk])
    data = form_of(client.get(url))
    data["document_text"] = text if text is not None else documents.dump_text(document(window=-3))
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PolicyVersion.objects.filter(policy=test_policy).count() == 1


def test_a_shop_copies_the_return_promise_and_makes_it_30_days_without_code(admin_user):
    """The whole path an administrator takes, then a claim on day 20 through the API."""
    client = site(admin_user)
    shipped = Policy.objects.get(code="cn-return-promise")
    changelist = reverse("admin:policies_policy_changelist")
    response = client.post(changelist, {"action": "copy_policy", "_selected_action": [shipped.pk]})
    assert response.status_code == 302
    copy_url = reverse("admin:policies_policy_copy", args=[shipped.pk])
    assert response["Location"] == copy_url
    response = client.post(copy_url, {"new_code": "myshop-return-30d", "note": "Our 30-day promise"})
    copy = Policy.objects.get(code="myshop-return-30d")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:policies_policy_change", args=[copy.pk])
    assert copy.based_on == shipped and copy.current_version.number == 1
    assert copy.current_version.document == {**shipped.current_version.document, "code": "myshop-return-30d"}

    doc = json.loads(json.dumps(copy.current_version.document))
    doc["rules"]["window"]["days"] = 30
    assert _save(client, copy, doc, note="30 days").status_code == 302
    claim = {"policy": "myshop-return-30d", "price": "199.00", "currency": "CNY", "signed_at": "2025-03-01",
             "dates": {"delivered": "2025-03-01"}, "claim_date": "2025-03-21"}
    agent = api_client(UserFactory(role=Role.AGENT))
    ours = agent.post(EVALUATE, json.dumps(claim), content_type="application/json").json()
    theirs = agent.post(EVALUATE, json.dumps({**claim, "policy": "cn-return-promise"}),
                        content_type="application/json").json()
    assert ours["policy_version"] == 2
    assert [r["kind"] for r in ours["remedies"]] == ["return"]
    assert ours["remedies"][0]["amount"] == "199.00"
    assert {"name": "return", "start": "2025-03-01", "ends": "2025-03-31", "extended_by_days": 0} in ours["periods"]
    assert theirs["remedies"] != ours["remedies"]  # the shipped 7-day promise is untouched
    assert Policy.objects.get(code="cn-return-promise").current_version.number == 1


def test_copying_to_a_code_in_use_is_refused(admin_user, test_policy):
    client = site(admin_user)
    response = client.post(reverse("admin:policies_policy_copy", args=[test_policy.pk]),
                           {"new_code": "cn-return-promise"})
    assert response.status_code == 200
    assert "There is already a policy cn-return-promise." in response.content.decode()
    assert Policy.objects.filter(based_on=test_policy).count() == 0


def test_the_copy_action_wants_exactly_one_policy(admin_user, test_policy):
    client = site(admin_user)
    response = client.post(reverse("admin:policies_policy_changelist"), {
        "action": "copy_policy", "_selected_action": list(Policy.objects.values_list("pk", flat=True)[:2])},
        follow=True)
    assert "Choose exactly one policy to copy." in response.content.decode()


def test_mappings_are_saved_through_their_actions(admin_user, test_policy):
    client = site(admin_user)
    model = ProductModelFactory(category=ProductCategory.objects.get(code="mobile-phone"))
    assert policy_for(product_model=model).code == "cn-mobile-phone"
    response = client.post(reverse("admin:policies_modelpolicy_add"),
                           {"product_model": model.pk, "policy": test_policy.pk})
    assert response.status_code == 302, response.content[:2000]
    assert policy_for(product_model=model) == test_policy
    link = ModelPolicy.objects.get(product_model=model)
    assert AuditEntry.objects.filter(action="policy_link_set", object_type="policies.modelpolicy",
                                     object_id=str(link.pk)).exists()
    response = client.post(reverse("admin:policies_modelpolicy_delete", args=[link.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert policy_for(product_model=model).code == "cn-mobile-phone"
    assert AuditEntry.objects.filter(action="policy_link_removed", object_type="policies.modelpolicy").exists()

    category_link = CategoryPolicy.objects.get(category__code="mobile-phone")
    url = reverse("admin:policies_categorypolicy_change", args=[category_link.pk])
    assert client.post(url, {"policy": test_policy.pk}).status_code == 302
    assert policy_for(product_model=model) == test_policy


@pytest.mark.parametrize("code", ["MyShop-30", "myshop_30", "-x", "x" * 61, ""])
def test_a_copy_needs_a_code_the_engine_accepts(admin_user, test_policy, code):
    response = site(admin_user).post(reverse("admin:policies_policy_copy", args=[test_policy.pk]), {"new_code": code})
    assert response.status_code == 200
    assert Policy.objects.filter(based_on=test_policy).count() == 0
