from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aftersales.core.errors import DomainError
from aftersales.policies import actions, documents


class Command(BaseCommand):
    help = ("Policies: load [FILE.yaml ...] brings in new policies and changed documents as new versions "
            "(the shipped files in policies/data/ by default; an unchanged document adds nothing).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load policy documents (YAML) as new policies or new versions")
        load.add_argument("files", nargs="*", type=Path, help="YAML files (default: every shipped policy)")
        load.add_argument("--note", default="", help="a note kept with each new version")

    def handle(self, *args, action: str, **options):
        files = options["files"] or documents.shipped_files()
        if not files:
            raise CommandError("No policy files to load.")
        failed = []
        counts = {"created": 0, "new_version": 0, "unchanged": 0}
        for path in files:
            try:
                document = documents.read_file(path)
                policy, outcome = actions.policy_load(document=document, actor=None,
                                                      note=options["note"] or f"Loaded from {path.name}")
            except (OSError, documents.DocumentError, DomainError) as exc:
                failed.append(path)
                errors = getattr(exc, "errors", None) or []
                details = [e["detail"] for e in errors] or [str(getattr(exc, "detail", exc))]
                self.stderr.write(f"{path}: " + "; ".join(details))
                continue
            counts[outcome] += 1
            number = policy.current_version.number if policy.current_version else 0
            self.stdout.write(f"{policy.code}: {outcome.replace('_', ' ')} (v{number})")
        self.stdout.write(f"{counts['created']} created, {counts['new_version']} with a new version, "
                          f"{counts['unchanged']} unchanged.")
        if failed:
            raise CommandError(f"{len(failed)} file(s) not loaded.")
