"""`aftersales search reindex [SCOPE …]` and `aftersales search query`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from aftersales.search import registry


class Command(BaseCommand):
    help = ("Rebuild the search indexes from their sources (`reindex`, every scope unless named), "
            "or show what a query finds (`query SCOPE TEXT`, as a supervisor sees it).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="rebuild the index of each scope named (default: all)")
        reindex.add_argument("scopes", nargs="*", metavar="SCOPE")
        reindex.add_argument("--batch-size", type=int, default=1000)
        query = sub.add_parser("query", help="search a scope as a supervisor would")
        query.add_argument("scope")
        query.add_argument("text")
        query.add_argument("--lang", default=None)
        query.add_argument("--limit", type=int, default=10)

    def handle(self, *args, action: str, **options):
        if action == "reindex":
            self.reindex(options["scopes"] or registry.names(), options["batch_size"], options["verbosity"])
        else:
            self.query(options["scope"], options["text"], options["lang"], options["limit"])

    def reindex(self, scopes: list[str], batch_size: int, verbosity: int) -> None:
        from aftersales.search.actions import reindex

        unknown = [s for s in scopes if registry.get(s) is None]
        if unknown:
            raise CommandError(f"Unknown scope {', '.join(unknown)}; the scopes are {', '.join(registry.names())}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        for scope in scopes:
            started = time.monotonic()
            written = reindex(scope=scope, batch_size=batch_size, progress=verbosity > 0,
                              stream=getattr(self.stderr, "_out", self.stderr))
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(
                f"{scope}: {written:,} documents indexed in {elapsed:.1f} s "
                f"({written / max(elapsed, 1e-9):,.0f} documents/s)."))

    def query(self, scope: str, text: str, lang: str | None, limit: int) -> None:
        from aftersales.accounts.models import Role, User
        from aftersales.search.selectors import search

        if registry.get(scope) is None:
            raise CommandError(f"Unknown scope {scope}; the scopes are {', '.join(registry.names())}.")
        reader = User(username="search-command", role=Role.SUPERVISOR, is_active=True)
        started = time.monotonic()
        results = search(user=reader, scope=scope, q=text, lang=lang, limit=limit)
        elapsed = (time.monotonic() - started) * 1000
        self.stdout.write(f"terms: {' '.join(results.terms)}; {results.matched} matched; {elapsed:.1f} ms")
        for hit in results.hits:
            self.stdout.write(f"{hit.score:9.4f}  {hit.id:>8}  {hit.number or hit.lang}  {hit.title}")
