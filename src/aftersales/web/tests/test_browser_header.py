"""In a real browser: at phone width the header navigation folds behind a Menu button that
works by keyboard; at desk width it is simply there."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from aftersales.core.tests.factories import CustomerUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Screenshots for a person to look at, when AFTERSALES_SCREENSHOTS names a folder."""
    folder = os.environ.get("AFTERSALES_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def sign_in(page, user) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_phone_width_menu_opens_and_closes_by_keyboard(page):
    me = CustomerUserFactory(username="mei@example.com", display_name="Lin Mei")
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, me)
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("data-ready", "1")  # nav.js has wired the button (it loads deferred)
    expect(nav).to_be_hidden()
    shot(page, "phone-closed")

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="My cases")).to_be_visible()
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(nav.get_by_role("combobox")).to_be_visible()
    outline = menu.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus ring shows on the button the keyboard reached
    shot(page, "phone-open")

    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="My cases")).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.click()
    nav.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profile")
    expect(nav).to_be_hidden()  # a new page starts folded
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing pushes the page sideways


def test_wide_screens_show_the_navigation_without_a_menu_button(page):
    me = CustomerUserFactory(username="mei@example.com")
    sign_in(page, me)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="My cases")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    shot(page, "wide")
