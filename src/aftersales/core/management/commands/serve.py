from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the product over HTTP (ASGI, uvicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args, host: str, port: int, workers: int, **options):
        import uvicorn

        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Aftersales on http://{host}:{port}/  (API docs: /api/v1/docs)"))
        uvicorn.run("aftersales.asgi:application", host=host, port=port, workers=workers, log_level="info",
                    lifespan="off")
