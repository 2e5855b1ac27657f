"""Desk list pages with a million cases: median response time per queue view.

    .venv/bin/python bench/desk_pages.py [--cases 1000000] [--database-url URL]

Builds a fresh database (SQLite in a temp dir unless --database-url) with the demo plus N
generated cases, signs in as the demo supervisor (sees every case) and the demo agent (sees
their teams' cases), and times each desk queue page end to end through Django (median of
9 requests after one warm-up), plus a filtered view, the next page via cursor, and a case
page. The target: every list page under 200 ms median on SQLite with 1,000,000 cases.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time

TARGET_MS = 200.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", default="", help="reuse a data dir built before (skips building)")
    args = parser.parse_args()

    os.environ["AFTERSALES_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="aftersales-bench-")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from aftersales.accounts.models import User
    from aftersales.cases.models import Case, Tag
    from aftersales.desk.selectors import QUEUES

    call_command("migrate", verbosity=0)
    if Case.objects.count() < args.cases:
        started = time.perf_counter()
        call_command("demo", cases=args.cases, verbosity=0)
        print(f"built {Case.objects.count():,} cases in {time.perf_counter() - started:.0f} s")
    print(f"{Case.objects.count():,} cases in the database")

    def timed(client: Client, url: str) -> float:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        samples = []
        for _ in range(9):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
        return statistics.median(samples)

    # A product and a tag of middling frequency: the filters must seek, not scan.
    product = Case.objects.exclude(product_model=None).values_list("product_model_id", flat=True).first()
    tag = Tag.objects.order_by("id").values_list("name", flat=True).first()
    worst = 0.0
    for username in ("supervisor", "agent"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        rows = [(f"view={q.key}", f"/desk/?view={q.key}") for q in QUEUES]
        rows.append(("view=open&severity=urgent", "/desk/?view=open&severity=urgent"))
        rows.append(("view=open&sort=oldest", "/desk/?view=open&sort=oldest"))
        rows.append((f"view=open&product={product}", f"/desk/?view=open&product={product}"))
        rows.append(("view=open&tier=vip", "/desk/?view=open&tier=vip"))
        rows.append((f"view=open&tag={tag}", f"/desk/?view=open&tag={tag}"))
        rows.append(("view=teams&type=return&channel=phone", "/desk/?view=teams&type=return&channel=phone"))
        # Worst case: a rare combination over half a million closed cases, so the whole
        # lane index is read to fill the page.
        rare = "view=closed&type=installation&severity=major&channel=api"
        rows.append((rare, f"/desk/?{rare}"))
        html = client.get("/desk/?view=open").content.decode()
        cursor = re.search(r'[?&;]cursor=([A-Za-z0-9_\-]+)', html)
        if cursor:
            rows.append(("next page (cursor)", f"/desk/?view=open&cursor={cursor.group(1)}"))
        case_id = Case.objects.filter(team__members__username=username).values_list("id", flat=True).first()
        if case_id:
            rows.append(("case page", f"/desk/cases/{case_id}/"))
        print(f"\n{username}")
        for label, url in rows:
            ms = timed(client, url)
            worst = max(worst, ms) if label != "case page" else worst
            print(f"  {label:58} {ms:8.1f} ms {'ok' if ms < TARGET_MS else 'OVER'}")
    verdict = "met" if worst < TARGET_MS else "NOT met"
    print(f"\nslowest list page: {worst:.1f} ms (target {TARGET_MS:.0f} ms): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
