"""The shipped policies are in the database as version 1 after migrating, point at the shipped
categories and guarantees, and `aftersales policies load` brings changed files in as new versions."""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from aftersales.catalog.models import Guarantee, ProductCategory
from aftersales.core.tests.factories import ProductModelFactory, PurchaseFactory
from aftersales.policies import documents
from aftersales.policies.engine import validate_policy
from aftersales.policies.models import CategoryPolicy, GuaranteePolicy, Policy, PolicyVersion
from aftersales.policies.selectors import guarantee_policies_for, policy_for

pytestmark = pytest.mark.django_db

SHIPPED = {path.stem: path for path in documents.shipped_files()}
REQUIRED = {  # the codes the issue names
    "cn-general", "cn-mobile-phone", "cn-personal-computer", "cn-flat-panel-tv", "cn-air-conditioner",
    "cn-refrigerator", "cn-washing-machine", "cn-household-car", "cn-online-return-7d", "kr-smartphone",
    "kr-online-withdrawal", "cn-late-shipment", "cn-counterfeit", "cn-damage-in-transit", "cn-arrival-promise",
    "cn-return-promise",
}
CATEGORY_POLICIES = {"mobile-phone": "cn-mobile-phone", "personal-computer": "cn-personal-computer",
                     "flat-panel-tv": "cn-flat-panel-tv", "air-conditioner": "cn-air-conditioner",
                     "refrigerator": "cn-refrigerator", "washing-machine": "cn-washing-machine",
                     "household-car": "cn-household-car"}


def test_every_required_policy_is_shipped():
    assert REQUIRED <= set(SHIPPED)


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_each_shipped_file_is_version_1_as_written_and_valid(code):
    policy = Policy.objects.select_related("current_version").get(code=code)
    file_doc = documents.read_file(SHIPPED[code])
    assert policy.current_version.number == 1
    assert policy.current_version.document == file_doc
    assert validate_policy(policy.current_version.document) == []
    assert (policy.family, policy.jurisdiction, policy.currency) == (
        file_doc["family"], file_doc["jurisdiction"], file_doc["currency"])
    assert dict(policy.names.values_list("language", "name")) == file_doc["names"]


def test_shipped_categories_and_guarantees_point_at_their_policies():
    links = dict(CategoryPolicy.objects.values_list("category__code", "policy__code"))
    assert links == CATEGORY_POLICIES
    for category, code in CATEGORY_POLICIES.items():
        model = ProductModelFactory(category=ProductCategory.objects.get(code=category))
        assert policy_for(product_model=model).code == code
    guarantees = dict(GuaranteePolicy.objects.values_list("guarantee", "policy__code"))
    assert guarantees == {
        "no_reason_return_7d": "cn-online-return-7d", "late_shipment": "cn-late-shipment",
        "counterfeit": "cn-counterfeit", "damage_in_transit": "cn-damage-in-transit",
        "arrival_promise": "cn-arrival-promise", "return_promise": "cn-return-promise",
    }
    purchase = PurchaseFactory(guarantees=[Guarantee.LATE_SHIPMENT, Guarantee.QUALITY_PROMISE])
    assert {g: p.code for g, p in guarantee_policies_for(purchase).items()} == {"late_shipment": "cn-late-shipment"}


def test_the_data_migration_reverses_and_applies_again():
    migration = importlib.import_module("aftersales.policies.migrations.0002_shipped_policies")
    migration.backwards(apps, None)
    assert not Policy.objects.filter(code__in=SHIPPED).exists()
    assert not CategoryPolicy.objects.exists()
    migration.forwards(apps, None)
    assert set(Policy.objects.values_list("code", flat=True)) >= set(SHIPPED)
    assert CategoryPolicy.objects.count() == len(CATEGORY_POLICIES)


# ---- aftersales policies load --------------------------------------------------------------------

def _load(*args: str) -> str:
    out = StringIO()
    call_command("policies", "load", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_loading_the_unchanged_shipped_files_adds_nothing():
    versions = PolicyVersion.objects.count()
    output = _load()
    assert f"0 created, 0 with a new version, {len(SHIPPED)} unchanged." in output
    assert PolicyVersion.objects.count() == versions


def test_a_changed_file_comes_in_as_a_new_version_once(tmp_path):
    text = SHIPPED["cn-return-promise"].read_text(encoding="utf-8")
    changed = tmp_path / "cn-return-promise.yaml"
    changed.write_text(text.replace("days: 7", "days: 30", 1), encoding="utf-8")
    assert "cn-return-promise: new version (v2)" in _load(str(changed), "--note", "30-day promise")
    assert "cn-return-promise: unchanged (v2)" in _load(str(changed))
    policy = Policy.objects.get(code="cn-return-promise")
    assert policy.current_version.note == "30-day promise"
    assert policy.versions.get(number=1).document == documents.read_file(SHIPPED["cn-return-promise"])


def test_an_invalid_file_is_reported_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: cn-late-shipment\nfamily: cn_late_shipment\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed\n", encoding="utf-8")
    versions = PolicyVersion.objects.count()
    out = StringIO()
    with pytest.raises(CommandError, match="2 file"):
        call_command("policies", "load", str(bad), str(broken), stdout=out, stderr=out)
    assert "bad.yaml: " in out.getvalue() and "names" in out.getvalue()
    assert "broken.yaml: " in out.getvalue()
    assert PolicyVersion.objects.count() == versions
