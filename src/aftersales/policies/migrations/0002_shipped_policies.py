"""The policies shipped in `policies/data/*.yaml`, each as its version 1, and the shipped
product categories and seller guarantees pointed at them.

Later changes to the files come in with `aftersales policies load` (a new version for each
changed document). This migration reads the files as they are when it runs and does not
ask the engine to validate them: a migration must not depend on code that changes later.
"""

from datetime import date, datetime
from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGES = {"en", "zh-hant", "zh-hans", "ko"}

# Shipped category (catalog 0002) → shipped policy, where one is made for it.
CATEGORY_POLICIES = {
    "mobile-phone": "cn-mobile-phone",
    "personal-computer": "cn-personal-computer",
    "flat-panel-tv": "cn-flat-panel-tv",
    "air-conditioner": "cn-air-conditioner",
    "refrigerator": "cn-refrigerator",
    "washing-machine": "cn-washing-machine",
    "household-car": "cn-household-car",
}
# Guarantee a seller offers (catalog.models.Guarantee) → the policy that decides claims on it.
GUARANTEE_POLICIES = {
    "no_reason_return_7d": "cn-online-return-7d",
    "late_shipment": "cn-late-shipment",
    "counterfeit": "cn-counterfeit",
    "damage_in_transit": "cn-damage-in-transit",
    "arrival_promise": "cn-arrival-promise",
    "return_promise": "cn-return-promise",
}


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _documents():
    for path in sorted(DATA.glob("*.yaml")) if DATA.is_dir() else []:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and isinstance(doc.get("code"), str):
            yield _plain(doc)


def forwards(apps, schema_editor):
    Policy = apps.get_model("policies", "Policy")
    PolicyName = apps.get_model("policies", "PolicyName")
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    CategoryPolicy = apps.get_model("policies", "CategoryPolicy")
    GuaranteePolicy = apps.get_model("policies", "GuaranteePolicy")
    Category = apps.get_model("catalog", "ProductCategory")

    for doc in _documents():
        if Policy.objects.filter(code=doc["code"]).exists():
            continue
        policy = Policy.objects.create(code=doc["code"], family=str(doc.get("family") or "")[:40],
                                       jurisdiction=str(doc.get("jurisdiction") or "")[:10],
                                       currency=str(doc.get("currency") or "")[:3])
        version = PolicyVersion.objects.create(policy=policy, number=1, document=doc,
                                               note="Shipped with Aftersales")
        policy.current_version = version
        policy.save(update_fields=["current_version"])
        names = doc.get("names") if isinstance(doc.get("names"), dict) else {}
        PolicyName.objects.bulk_create([PolicyName(policy=policy, language=lang, name=str(name)[:200])
                                        for lang, name in names.items() if lang in LANGUAGES and name])

    policies = {p.code: p for p in Policy.objects.all()}
    for category in Category.objects.filter(code__in=CATEGORY_POLICIES):
        policy = policies.get(CATEGORY_POLICIES[category.code])
        if policy is not None:
            CategoryPolicy.objects.get_or_create(category=category, defaults={"policy": policy})
    for guarantee, code in GUARANTEE_POLICIES.items():
        if code in policies:
            GuaranteePolicy.objects.get_or_create(guarantee=guarantee, defaults={"policy": policies[code]})


def backwards(apps, schema_editor):
    Policy = apps.get_model("policies", "Policy")
    PolicyVersion = apps.get_model("policies", "PolicyVersion")
    CategoryPolicy = apps.get_model("policies", "CategoryPolicy")
    GuaranteePolicy = apps.get_model("policies", "GuaranteePolicy")
    codes = [doc["code"] for doc in _documents()]
    CategoryPolicy.objects.filter(policy__code__in=codes).delete()
    GuaranteePolicy.objects.filter(policy__code__in=codes).delete()
    # Policies that decided something keep their versions (PROTECT): those are history.
    shipped = (Policy.objects.filter(code__in=codes).exclude(versions__decisions__isnull=False)
               .exclude(model_links__isnull=False).exclude(copies__isnull=False))
    shipped.update(current_version=None)
    PolicyVersion.objects.filter(policy__in=shipped).delete()
    shipped.delete()


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial"), ("catalog", "0002_default_categories")]
    operations = [migrations.RunPython(forwards, backwards)]
