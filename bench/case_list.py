"""Keyset paging stays flat with depth; OFFSET paging does not.

    .venv/bin/python bench/case_list.py [--cases 200000] [--database-url URL]

Builds a fresh database (SQLite in a temp dir unless --database-url), loads the demo and N
generated cases, then times GET /api/v1/cases for the first page and for a page deep in the
list, and the same depth with OFFSET as the baseline. Prints milliseconds and the ratio
deep / first for each: keyset should stay near 1, OFFSET grows with depth.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def timed(fn, repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()

    os.environ["AFTERSALES_DATA_DIR"] = tempfile.mkdtemp(prefix="aftersales-bench-")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from aftersales.accounts.actions import token_create
    from aftersales.accounts.models import User
    from aftersales.cases.models import Case
    from aftersales.cases.selectors import with_case_details
    from aftersales.core.pagination import encode_cursor

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", cases=args.cases, verbosity=0)
    print(f"built {Case.objects.count():,} cases in {time.perf_counter() - started:.0f} s")

    supervisor = User.objects.get(username="supervisor")
    _t, secret = token_create(user=supervisor)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    total = Case.objects.count()
    depth = int(total * 0.9)
    deep_row = Case.objects.order_by("-updated_at", "-id").values("updated_at", "id")[depth]
    deep_cursor = encode_cursor([deep_row["updated_at"], deep_row["id"]])

    def api(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.content

    first = timed(lambda: api(f"/api/v1/cases?limit={args.limit}"))
    deep = timed(lambda: api(f"/api/v1/cases?limit={args.limit}&cursor={deep_cursor}"))

    qs = with_case_details(Case.objects.all()).order_by("-updated_at", "-id")
    offset_first = timed(lambda: list(qs[: args.limit]))
    offset_deep = timed(lambda: list(qs[depth: depth + args.limit]))

    filtered_first = timed(lambda: api(f"/api/v1/cases?limit={args.limit}&status=open"))
    print(f"{'':28} {'first page':>12} {'at ' + format(depth, ','):>14} {'deep/first':>11}")
    print(f"{'keyset (API, end to end)':28} {first:10.2f}ms {deep:12.2f}ms {deep / first:10.2f}x")
    print(f"{'OFFSET (query only)':28} {offset_first:10.2f}ms {offset_deep:12.2f}ms "
          f"{offset_deep / offset_first:10.2f}x")
    print(f"{'keyset, status=open filter':28} {filtered_first:10.2f}ms")


if __name__ == "__main__":
    sys.exit(main())
