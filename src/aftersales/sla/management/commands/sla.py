from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Service levels: `sweep` handles every warning, breach, escalation and progress update due now (what "
            "the background job does every minute); `start` gives open cases without clocks the clocks of their "
            "policy (after an upgrade or a bulk import) and records, without notifying anyone, the warnings and "
            "breaches already past.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="run the SLA sweep once, now")
        sweep.add_argument("--batch", type=int, default=500)
        sub.add_parser("start", help="start clocks on open cases that have none")

    def handle(self, *args, action: str, **options):
        if action == "sweep":
            from aftersales.sla.sweep import sla_sweep

            result = sla_sweep(batch=options["batch"])
            self.stdout.write(f"{result.clocks} clocks, {result.milestones} milestones, "
                              f"{result.notifications} notifications.")
        else:
            from aftersales.sla.actions_clock import start_missing_clocks
            from aftersales.sla.settle import settle_past_milestones

            started = start_missing_clocks()
            settled = settle_past_milestones()
            self.stdout.write(f"{started} cases got their clocks; {settled} milestones already past were recorded "
                              "without notifications.")
