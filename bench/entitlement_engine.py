"""How long the pure entitlement engine takes per claim (target: under 1 ms).

    .venv/bin/python bench/entitlement_engine.py [--rounds 200]

Takes every decided case in `src/aftersales/policies/tests/cases/*.yaml` (all shipped
policies: 三包 products, cars, returns, Korean phones and withdrawals with working-day
deadlines, marketplace guarantees), parses each request once, then evaluates the whole mix
`--rounds` times. Prints the median microseconds per evaluation, for `evaluate` alone and for
the whole JSON round trip (`claim_from_json` + `evaluate` + `decision_to_json`), and the
slowest policy. Tests never assert on time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from aftersales.policies.data import load_shipped  # noqa: E402
from aftersales.policies.engine import evaluate  # noqa: E402
from aftersales.policies.engine.io import claim_from_json, decision_to_json  # noqa: E402

CASES = ROOT / "src" / "aftersales" / "policies" / "tests" / "cases"


def requests() -> list[dict]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        found += [case["request"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))
                  if "error" not in case["expect"]]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    bodies = requests()
    policies = {code: {**load_shipped(code), "version": 1} for code in {b["policy"] for b in bodies}}
    mix = [(policies[b["policy"]], claim_from_json(b), b) for b in bodies]
    for doc, claim, _ in mix:  # warm up: calendars load their years, caches fill
        evaluate(doc, claim)

    per_eval, per_round_trip = [], []
    by_policy: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        start = time.perf_counter()
        for doc, claim, _ in mix:
            evaluate(doc, claim)
        per_eval.append((time.perf_counter() - start) / len(mix) * 1e6)
        start = time.perf_counter()
        for doc, _, body in mix:
            decision_to_json(evaluate(doc, claim_from_json(body)))
        per_round_trip.append((time.perf_counter() - start) / len(mix) * 1e6)
    for doc, claim, body in mix:
        samples = []
        for _ in range(max(5, args.rounds // 10)):
            start = time.perf_counter()
            evaluate(doc, claim)
            samples.append((time.perf_counter() - start) * 1e6)
        by_policy[body["policy"]].append(statistics.median(samples))

    slowest = max(by_policy, key=lambda code: statistics.median(by_policy[code]))
    print(f"{len(mix)} claims across {len(policies)} policies, {args.rounds} rounds")
    print(f"evaluate:                          median {statistics.median(per_eval):8.1f} µs per claim")
    print(f"claim_from_json + evaluate + JSON: median {statistics.median(per_round_trip):8.1f} µs per claim")
    print(f"slowest policy: {slowest}, median {statistics.median(by_policy[slowest]):.1f} µs")


if __name__ == "__main__":
    main()
