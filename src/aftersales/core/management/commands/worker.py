from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand

from aftersales.core.jobs import build_consumer


class Command(BaseCommand):
    help = ("Run a background job consumer on its own (for Redis deployments: any number of them, "
            "on any machines). `aftersales serve` already runs one inside itself.")

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None, help="worker threads (AFTERSALES_JOBS_WORKERS)")
        parser.add_argument("--no-periodic", action="store_true",
                            help="do not schedule periodic jobs here (keep them on one consumer)")
        parser.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                            help="also load jobs from MODULE (besides every app's tasks.py)")

    def handle(self, *args, workers: int | None, no_periodic: bool, imports: list[str], **options):
        for module in imports:
            importlib.import_module(module)
        consumer = build_consumer(workers=workers, periodic=False if no_periodic else None)
        self.stdout.write(self.style.SUCCESS(f"Job consumer running ({consumer.workers} workers); Ctrl-C stops it."))
        consumer.run()
