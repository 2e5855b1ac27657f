from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from aftersales.core.jobs import build_consumer


class Command(BaseCommand):
    help = "Serve the product over HTTP (ASGI, uvicorn) and run the background jobs in the same process."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--no-jobs", action="store_true",
                            help="do not run the job consumer here (when `aftersales worker` processes do)")

    def handle(self, *args, host: str, port: int, workers: int, no_jobs: bool, **options):
        import uvicorn

        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        # The one-command promise: the job consumer runs in threads of this process, started
        # before uvicorn and stopped (letting running jobs finish) after it (decision 0017).
        consumer = None if no_jobs else build_consumer(embedded=True)
        if consumer is not None:
            consumer.start()
        self.stdout.write(self.style.SUCCESS(f"Aftersales on http://{host}:{port}/  (API docs: /api/v1/docs)"))
        try:
            uvicorn.run("aftersales.asgi:application", host=host, port=port, workers=workers, log_level="info",
                        lifespan="off")
        finally:
            if consumer is not None:
                self.stdout.write("Stopping the job consumer (running jobs finish first)…")
                consumer.stop(graceful=True)
