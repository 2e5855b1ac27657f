"""What the desk's browser tests share: signing in, and screenshots kept on request."""

from __future__ import annotations

import os
from pathlib import Path

# Set to a folder to keep screenshots of the pages at desktop and phone widths.
SHOTS = os.environ.get("AFTERSALES_SCREENSHOTS")


def shot(page, name: str, *, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def sign_in(page, username: str, password: str = "pw") -> None:  # noqa: S107 — the factories' password
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
