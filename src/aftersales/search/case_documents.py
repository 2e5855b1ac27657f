"""The `cases` scope: what a case is indexed under, who may find it, how a hit is shown.

A case's document: the subject and number (title); its public messages, the unit's serial
number or IMEI and the order number (body); internal notes (extra, for staff only). Its
filters say who may find it, mirroring `cases.access.cases_visible_to`: `c<customer>`,
`t<team>`, `a<assignee>`, and `l<language>` for the language filter. Every hit is checked
against `cases_visible_to` before it is shown, so a reassignment not yet re-indexed can
hide a case for a moment but never show one.

The case actions announce their changes (`cases/signals.py`); `SearchConfig.ready` connects
them to `index_later`, so the index is written when the action's transaction commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from aftersales.accounts.permissions import Op, can
from aftersales.accounts.selectors import user_team_ids
from aftersales.cases.access import cases_visible_to, sees_internal
from aftersales.cases.models import Case, CaseEntry, EntryKind
from aftersales.search import registry, scoring
from aftersales.search.documents import Document
from aftersales.search.models import CaseDocument

SCOPE = "cases"


def lang_key(code: str) -> str:
    return "l" + "".join(ch for ch in code.lower() if ch.isalnum())


def case_documents(ids: list[int]) -> list[Document]:
    cases = list(Case.objects.filter(id__in=ids).values(
        "id", "number", "subject", "language", "customer_id", "team_id", "assignee_id", "updated_at",
        "unit__serial_number", "unit__imei", "purchase__order_number"))
    if not cases:
        return []
    public: dict[int, list[str]] = defaultdict(list)
    internal: dict[int, list[str]] = defaultdict(list)
    entries = (CaseEntry.objects.filter(case_id__in=[c["id"] for c in cases], kind__in=[EntryKind.MESSAGE,
                                                                                        EntryKind.NOTE])
               .order_by("case_id", "created_at", "id").values_list("case_id", "kind", "is_public", "body"))
    for case_id, kind, is_public, body in entries.iterator(chunk_size=2000):
        (public if kind == EntryKind.MESSAGE and is_public else internal)[case_id].append(body)
    out = []
    for c in cases:
        identifiers = [c["unit__serial_number"], c["unit__imei"], c["purchase__order_number"]]
        filters = [f"c{c['customer_id']}", lang_key(c["language"])]
        if c["team_id"]:
            filters.append(f"t{c['team_id']}")
        if c["assignee_id"]:
            filters.append(f"a{c['assignee_id']}")
        out.append(Document(
            id=c["id"], parent=c["id"], lang=c["language"], title=f"{c['subject']} {c['number']}",
            body="\n".join([*public[c["id"]], *(x for x in identifiers if x)]),
            extra="\n".join(internal[c["id"]]), filters=tuple(filters), recency=c["updated_at"]))
    return out


def all_case_ids(batch: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(Case.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:batch])
        if not ids:
            return
        yield ids
        last = ids[-1]


def filters_for(user, lang: str | None = None, **_narrow) -> list[tuple[str, ...]] | None:
    if not can(user, Op.CASE_VIEW):
        return None
    groups: list[tuple[str, ...]] = []
    if lang:
        groups.append(registry.any_of([lang_key(lang)]))
    if can(user, Op.CASE_SEE_ALL):
        return groups
    if user.is_customer:
        from aftersales.customers.models import Customer

        mine = list(Customer.objects.filter(user=user).values_list("id", flat=True))
        if not mine:
            return None
        return [*groups, registry.any_of(f"c{i}" for i in mine)]
    return [*groups, registry.any_of([*(f"t{t}" for t in user_team_ids(user)), f"a{user.pk}"])]


def fields_for(user) -> tuple[str, ...]:
    return scoring.ALL_FIELDS if sees_internal(user) else scoring.PUBLIC_FIELDS


def shown(user, ids: list[int]) -> dict[int, registry.Shown]:
    cases = {c["id"]: c for c in cases_visible_to(user).filter(id__in=ids).values(
        "id", "number", "subject", "language")}
    if not cases:
        return {}
    texts: dict[int, list[str]] = defaultdict(list)
    entries = CaseEntry.objects.filter(case_id__in=list(cases), kind__in=[EntryKind.MESSAGE, EntryKind.NOTE])
    if not sees_internal(user):
        entries = entries.filter(kind=EntryKind.MESSAGE, is_public=True)
    for case_id, body in entries.order_by("case_id", "created_at", "id").values_list("case_id", "body"):
        texts[case_id].append(body)
    staff = not user.is_customer
    return {
        i: registry.Shown(
            id=i, title=c["subject"], text="\n".join(texts[i]), lang=c["language"], number=c["number"],
            url=reverse("desk:case", args=[i]) if staff else reverse("portal:case_detail", args=[i]))
        for i, c in cases.items()
    }


def register() -> None:
    registry.register(registry.Scope(
        name=SCOPE, model=CaseDocument, documents=case_documents, all_ids=all_case_ids,
        filters_for=filters_for, fields_for=fields_for, shown=shown))


def on_case_changed(*, case, **_kw) -> None:
    from aftersales.search.actions import index_later

    index_later(SCOPE, [case.pk])


def on_case_deleted(*, instance, **_kw) -> None:
    from aftersales.search.actions import index_later

    index_later(SCOPE, [instance.pk])
