"""The `aftersales` command: Django's management commands under one name.

`aftersales serve`, `aftersales demo`, `aftersales token create USERNAME`,
`aftersales migrate` and every other management command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["aftersales", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
