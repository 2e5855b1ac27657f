"""POST /api/v1/entitlements/evaluate: median response time over a mix of claims.

    .venv/bin/python bench/entitlement_endpoint.py [--rounds 20] [--database-url URL]

Builds a fresh database (SQLite in a temp dir unless --database-url; the migration loads the
shipped policies), signs in with a bearer token as a technician, and sends every request of
the case files (`policies/tests/cases/*.yaml`: every shipped policy, decisions and refusals)
`--rounds` times, end to end through Django's test client: token lookup, the strict parser,
the policy's current version, the engine, the translated explanation. Prints the median per
policy, overall, and with `?record=true` (the decision and its audit row written), plus the
pure engine's time per claim for comparison. The target: under 20 ms median.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

TARGET_MS = 20.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    os.environ["AFTERSALES_DATA_DIR"] = tempfile.mkdtemp(prefix="aftersales-bench-")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the refusals are part of the mix
    import yaml
    from django.core.management import call_command
    from django.test import Client

    from aftersales.accounts.actions import token_create
    from aftersales.accounts.models import Role, User
    from aftersales.policies.engine import evaluate
    from aftersales.policies.engine.io import claim_from_json
    from aftersales.policies.engine.types import ClaimError
    from aftersales.policies.selectors import policy_with_current

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench-technician", role=Role.TECHNICIAN, language="zh-hans")
    _token, secret = token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    cases_dir = Path(__file__).resolve().parents[1] / "src/aftersales/policies/tests/cases"
    cases = [case for path in sorted(cases_dir.glob("*.yaml"))
             for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    bodies = [(case["request"]["policy"], json.dumps(case["request"])) for case in cases]
    print(f"{len(bodies)} claims over {len({p for p, _b in bodies})} policies, {args.rounds} rounds")

    def post(body: str, query: str = "") -> float:
        start = time.perf_counter()
        response = client.post(f"/api/v1/entitlements/evaluate{query}", body, content_type="application/json")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code in (200, 422), response.content[:300]
        return elapsed

    for _policy, body in bodies:  # warm up: imports, catalogues, the token's first use
        post(body)
    per_policy: dict[str, list[float]] = defaultdict(list)
    everything: list[float] = []
    for _ in range(args.rounds):
        for policy, body in bodies:
            ms = post(body)
            per_policy[policy].append(ms)
            everything.append(ms)
    recorded = [post(body, "?record=true") for _ in range(max(1, args.rounds // 4)) for _p, body in bodies]

    engine: list[float] = []
    documents = {code: {**p.current_version.document, "version": p.current_version.number}
                 for code in {p for p, _b in bodies} if (p := policy_with_current(code))}
    for _ in range(args.rounds):
        for policy, body in bodies:
            start = time.perf_counter()
            try:
                evaluate(documents[policy], claim_from_json(json.loads(body)))
            except ClaimError:
                pass
            engine.append((time.perf_counter() - start) * 1000)

    print()
    for policy in sorted(per_policy):
        print(f"  {policy:28} {statistics.median(per_policy[policy]):7.2f} ms")
    median = statistics.median(everything)
    p95 = statistics.quantiles(everything, n=20)[-1]
    print(f"\nendpoint, all claims:        median {median:.2f} ms, p95 {p95:.2f} ms "
          f"({len(everything)} requests)")
    print(f"endpoint, ?record=true:      median {statistics.median(recorded):.2f} ms")
    print(f"pure engine (parse+decide):  median {statistics.median(engine):.3f} ms")
    verdict = "met" if median < TARGET_MS else "NOT met"
    print(f"\ntarget: endpoint median under {TARGET_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
