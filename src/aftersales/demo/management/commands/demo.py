"""`aftersales demo`: load the realistic multilingual demo; `--cases N` adds N bulk cases."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from aftersales.demo import build, bulk, kb

URLS = ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/api/v1/docs", "http://127.0.0.1:8000/admin/")


class Command(BaseCommand):
    help = (
        "Load the realistic demo: teams, demo logins (password 'demo'), product models, 60+ customers "
        "in four languages, purchases and 300+ cases with conversations, all made through the actions "
        "so the audit log and timelines are real. Running it again changes nothing and prints the logins. "
        "With --cases N, also add N more cases for benchmarks (loading the demo first if needed); bulk "
        "cases are written with bulk_create in batches, each with a first message and a 'created' "
        "event, and WITHOUT audit rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0, metavar="N",
                            help="add N bulk cases for benchmarks (no audit rows are written for them)")
        parser.add_argument("--seed", type=int, default=build.DEFAULT_SEED,
                            help="random seed; the same seed on the same day gives the same demo")
        parser.add_argument("--batch-size", type=int, default=bulk.BATCH_SIZE,
                            help="bulk cases written per transaction (default %(default)s)")

    def handle(self, *args, cases: int, seed: int, batch_size: int, **options):
        if cases < 0:
            raise CommandError("--cases must be zero or more.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        result = build.load_demo(seed=seed)
        if result.loaded:
            self.stdout.write(self.style.SUCCESS(
                f"Demo loaded in {time.monotonic() - started:.1f}s (seed {seed}): "
                + ", ".join(f"{n} {what}" for what, n in result.counts.items())))
        else:
            self.stdout.write(f"The demo is already loaded (seed {result.seed}); nothing was changed.")
        for note in result.notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
        made = kb.load_kb(seed=seed)
        if made:
            self.stdout.write(self.style.SUCCESS(
                "Knowledge base loaded: " + ", ".join(f"{n} {what}" for what, n in made.items())))
        if cases:
            started = time.monotonic()
            added = bulk.add_cases(cases, seed=seed, batch_size=batch_size,
                                   progress=options["verbosity"] > 0,
                                   stream=getattr(self.stderr, "_out", self.stderr))
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(
                f"Added {added} bulk cases in {elapsed:.1f}s ({added / max(elapsed, 1e-9):,.0f} cases/s)."))
        self.print_logins(result.logins)

    def print_logins(self, logins):
        rows = [("user", "role", "language", "password")] + [(x.username, x.what, x.language, "demo") for x in logins]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for i, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Open {URLS[0]}  (API docs: {URLS[1]}, admin: {URLS[2]})")
