"""`aftersales demo`: the realistic demo and the bulk generator."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from aftersales.accounts.models import User
from aftersales.cases import workflow
from aftersales.cases.models import Case, CaseEntry, CaseType, EntryKind, Severity, Status
from aftersales.catalog.actions import validate_imei
from aftersales.catalog.models import ProductModel, Purchase, Unit
from aftersales.core.models import AuditEntry
from aftersales.customers.models import Customer, CustomerIdentity
from aftersales.demo import build, content
from aftersales.demo.models import DemoLoad

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CJK = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = {"en", "zh-hant", "zh-hans", "ko"}
COUNTED = (User, Customer, CustomerIdentity, ProductModel, Purchase, Unit, Case, CaseEntry, AuditEntry, DemoLoad)


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO(), verbosity=0 if options.get("cases") else 1, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_content_files_are_complete_and_consistent():
    assert content.problems() == []
    data = content.load()
    assert len(data.scenarios) >= 30
    assert {s.type for s in data.scenarios} == set(CaseType.values)
    assert len(data.products) >= 20


def test_demo_imeis_pass_the_catalog_check_digit():
    for fourteen in ("35209914000000", "86451203123456", "35874022999999"):
        imei = build.luhn_complete(fourteen)
        assert len(imei) == 15 and validate_imei(imei) == imei


def test_the_plan_is_deterministic_and_in_the_past():
    today = timezone.now()
    first, second = build.Demo(7, today=today), build.Demo(7, today=today)
    plans_a, plans_b = first.plan(), second.plan()
    shape = [(p.scenario.key, p.final, p.person.name, p.steps[0].at, [s.text for s in p.steps]) for p in plans_a]
    assert shape == [(p.scenario.key, p.final, p.person.name, p.steps[0].at, [s.text for s in p.steps])
                     for p in plans_b]
    for plan in plans_a:
        times = [s.at for s in plan.steps]
        assert times == sorted(times) and times[-1] <= today
        assert plan.planned.paid_at < plan.planned.shipped_at < plan.planned.signed_at <= times[0]
        assert plan.planned.paid_at >= today - timedelta(days=731)


@pytest.mark.django_db
def test_demo_loads_a_multilingual_history_and_a_second_run_changes_nothing():
    output = run_demo()
    now = timezone.now()

    customers = Customer.objects.all()
    assert customers.count() >= 60
    by_language = Counter(customers.values_list("language", flat=True))
    assert set(by_language) == LANGUAGES and min(by_language.values()) >= 10
    assert set(customers.values_list("tier", flat=True)) == {"standard", "vip", "enterprise"}
    for identity in CustomerIdentity.objects.filter(kind="phone"):
        assert phonenumbers.is_valid_number(phonenumbers.parse(identity.value)), identity.value
    assert CustomerIdentity.objects.filter(kind="marketplace").exists()

    cases = Case.objects.all()
    assert cases.count() == build.CASE_COUNT >= 300
    assert set(cases.values_list("type", flat=True)) == set(CaseType.values)
    assert set(cases.values_list("severity", flat=True)) == set(Severity.values)
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    assert set(cases.values_list("language", flat=True)) == LANGUAGES
    assert len(set(cases.values_list("channel", flat=True))) >= 5
    assert cases.filter(reopen_count__gt=0).exists()
    assert cases.filter(tags__isnull=False).exists() and cases.filter(assignee__isnull=False).exists()
    assert cases.filter(purchase__isnull=False, unit__isnull=False).exists()
    assert cases.values("number").distinct().count() == cases.count()
    assert cases.filter(created_at__lt=now - timedelta(days=365)).exists()
    assert not cases.filter(updated_at__gt=now).exists()
    assert not CaseEntry.objects.filter(created_at__gt=now).exists()

    # Conversations are written in the customer's language; notes may be in the staff's.
    messages = CaseEntry.objects.filter(kind=EntryKind.MESSAGE).select_related("case")
    for lang, script in (("ko", HANGUL), ("zh-hant", CJK), ("zh-hans", CJK)):
        bodies = [m.body for m in messages if m.case.language == lang]
        assert bodies and all(script.search(b) for b in bodies), lang
    english = [m.body for m in messages if m.case.language == "en"]
    assert english and not any(HANGUL.search(b) or CJK.search(b) for b in english)
    assert CaseEntry.objects.filter(kind=EntryKind.NOTE).exists()
    assert messages.filter(from_customer=True).exists() and messages.filter(from_customer=False).exists()

    # Each case's timeline is in order, and its timestamps agree with its status.
    for case in cases.prefetch_related("entries"):
        times = [e.created_at for e in case.entries.all()]
        # SLA warnings and breaches are the system's, not activity: they do not move updated_at
        activity = [e.created_at for e in case.entries.all() if not e.event.startswith("sla_")]
        assert times == sorted(times) and times[0] == case.created_at and case.updated_at >= activity[-1]
        if case.status in workflow.DONE:
            assert case.resolved_at is not None
        if case.status == workflow.CLOSED:
            assert case.closed_at is not None
        if case.status != workflow.NEW and not (case.status == workflow.CLOSED and case.first_response_at is None):
            assert case.first_response_at is not None
    assert AuditEntry.objects.filter(action="case.status_changed").exists()

    for purchase in Purchase.objects.all():
        assert purchase.paid_at < purchase.shipped_at < purchase.signed_at <= now
        if purchase.currency == "KRW":
            assert purchase.amount == purchase.amount.to_integral_value()
    assert set(Purchase.objects.values_list("currency", flat=True)) == {"CNY", "TWD", "KRW", "USD"}
    for unit in Unit.objects.exclude(imei=None):
        assert validate_imei(unit.imei) == unit.imei

    for login in build.logins():
        assert authenticate(username=login.username, password="demo") is not None, login.username
        assert login.username in output
    for username, language in (("customer", "zh-hant"), ("customer.hans", "zh-hans"),
                               ("customer.ko", "ko"), ("customer.en", "en")):
        customer = Customer.objects.get(user__username=username)
        assert customer.language == language and customer.cases.count() >= 3
    assert "http://127.0.0.1:8000/" in output and "/api/v1/docs" in output and "/admin/" in output

    before = counts()
    again = run_demo()
    assert counts() == before
    assert "already loaded" in again and "customer.hans" in again


@pytest.mark.django_db
def test_bulk_cases_load_the_demo_first_and_add_exactly_n():
    run_demo(cases=500)
    assert Case.objects.count() == build.CASE_COUNT + 500
    assert Case.objects.values("number").distinct().count() == Case.objects.count()

    audit_rows, cases_before = AuditEntry.objects.count(), Case.objects.count()
    run_demo(cases=120)
    assert Case.objects.count() == cases_before + 120
    assert AuditEntry.objects.count() == audit_rows  # bulk cases write no audit rows

    now = timezone.now()
    bulk = Case.objects.filter(pk__gt=Case.objects.order_by("pk")[build.CASE_COUNT - 1].pk)
    assert bulk.count() == 620
    assert set(bulk.values_list("status", flat=True)) == set(Status.values)
    assert set(bulk.values_list("language", flat=True)) == LANGUAGES
    for case in bulk.prefetch_related("entries"):
        entries = list(case.entries.all())
        assert [e.kind for e in entries] == [EntryKind.EVENT, EntryKind.MESSAGE]
        assert entries[0].created_at == case.created_at <= case.updated_at <= now
        assert case.number.startswith(f"AS-{timezone.localtime(case.created_at).year}-")
        if case.status == workflow.NEW:
            assert case.first_response_at is None and case.resolved_at is None
        else:
            assert case.created_at <= case.first_response_at <= case.updated_at
        if case.status in workflow.DONE:
            assert case.first_response_at <= case.resolved_at <= case.updated_at
        else:
            assert case.resolved_at is None and case.closed_at is None
        if case.status == workflow.CLOSED:
            assert case.resolved_at <= case.closed_at <= case.updated_at
        elif case.status == workflow.RESOLVED:
            assert case.closed_at is None
    assert bulk.filter(created_at__lt=now - timedelta(days=365)).exists()
