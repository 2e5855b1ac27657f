"""In a real browser: the help centre's search (results, and suggestions as you type worked by
the keyboard), an article on a phone with "was this helpful?", and deflection — a customer
types their problem on Ask for help, sees matching articles beside the form, opens one, and
still sends the request; the Deflection row holds all three."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import expect

from aftersales.cases.models import Case
from aftersales.core.tests.factories import CustomerUserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.kb.models import Article, ArticleVote, Deflection, SearchLog
from aftersales.portal.tests.kb_support import KB

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _committed(execute=True):  # a transactional test commits each action: the index follows at once
    return contextlib.nullcontext()


@pytest.fixture
def corpus():
    kb = KB(_committed)
    products = kb.category("products", {"en": ("Product care and troubleshooting", "Quick checks before a repair."),
                                        "zh-hans": ("产品保养与故障排除", "报修前可以先检查的项目。")})
    phones = kb.category("phones", {"en": ("Phones and tablets", "Charging, batteries and screens."),
                                    "zh-hans": ("手机与平板", "充电、电池与屏幕。")}, parent=products)
    appliances = kb.category("appliances", {"en": ("Home appliances", "Washers, fridges and air conditioners."),
                                            "zh-hans": ("家电", "洗衣机、冰箱与空调。")}, parent=products)
    returns = kb.category("returns", {"en": ("Returns and refunds", "Sending an item back and your money."),
                                      "zh-hans": ("退货与退款", "寄回商品与退款进度。")}, position=1)
    washer = kb.article(appliances, "washer-not-spinning", {
        "en": ("Why is my washing machine not spinning or draining?",
               "Try these checks first.\n\n## It will not spin\n\n- **Unbalanced load.** Add a few towels.\n\n"
               "## It will not drain (error E21)\n\n1. Unplug the machine.\n2. **Clean the drain filter.**"),
        "zh-hans": ("洗衣机不脱水、不排水怎么办？",
                    "先做以下检查。\n\n## 不脱水\n\n- **衣物不平衡**：加几条毛巾。\n\n## 不排水（错误码 E21）\n\n"
                    "1. 关机并拔掉插头。\n2. **清洁排水过滤网**。"),
    }, views=120)
    charging = kb.article(phones, "phone-not-charging", {
        "en": ("Phone not charging, or charging very slowly?",
               "Most charging problems come from the cable, the charger or dust in the port.\n\n"
               "## Quick checks\n\n1. **Try another cable and charger.**\n2. **Clean the port** gently."),
        "zh-hans": ("手机充不进电或充电很慢？", "大多数充电问题来自充电线、充电器或充电口的灰尘。"),
    }, views=90)
    battery = kb.article(phones, "battery-care", {
        "en": ("How do I make my phone battery last longer?", "Keep it between 20 and 80 percent when you can."),
    }, views=60)
    refund = kb.article(returns, "refund-time", {
        "en": ("When will I get my refund?", "Refunds reach your account within 7 working days."),
        "zh-hans": ("退款多久到账？", "退款会在 7 个工作日内退回原支付账户。"),
    }, views=80)
    kb.relate(charging, battery)
    kb.relate(washer, refund)
    return {"washer": washer, "charging": charging, "battery": battery, "refund": refund}


def test_search_results_and_suggestions_worked_by_the_keyboard(page, corpus):
    charging, washer = corpus["charging"], corpus["washer"]
    page.goto("/help/")
    page.wait_for_selector("form.kb-search[data-kb-ready]")
    expect(page.locator(".kb-card h3")).to_have_text(["Product care and troubleshooting", "Returns and refunds"])
    shot(page, "kb-help-centre-home-desktop")

    box = page.locator("#kb-q")
    box.press_sequentially("phone charg", delay=40)
    options = page.locator("#kb-q-list [role=option]")
    expect(options.first).to_have_text("Phone not charging, or charging very slowly?")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.first.locator("mark").first).to_have_text("Phone")
    shot(page, "kb-suggestions-desktop", full_page=False)

    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "kb-q-list-0")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#kb-q-list")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")  # the list comes back with the first article chosen
    expect(options.first).to_have_attribute("aria-selected", "true")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"/help/a/{charging.pk}/phone-not-charging/\?lang=en$", page.url)
    expect(page.locator("h1")).to_have_text("Phone not charging, or charging very slowly?")
    expect(page.locator(".kb-article-side")).to_contain_text("How do I make my phone battery last longer?")
    charging.refresh_from_db()
    assert charging.view_count == 91
    assert SearchLog.objects.count() == 0  # suggestions are not searches

    # Enter with nothing chosen searches; the results are ranked and highlighted; a click is recorded.
    page.goto("/help/")
    page.wait_for_selector("form.kb-search[data-kb-ready]")
    page.locator("#kb-q").fill("washing machine")
    with page.expect_navigation():
        page.locator("#kb-q").press("Enter")
    assert page.url.endswith("/help/search/?q=washing+machine")
    expect(page.locator("h1")).to_have_text("1 article for “washing machine”")
    result = page.locator(".kb-results li h3 a")
    expect(result).to_have_text("Why is my washing machine not spinning or draining?")
    expect(result.locator("mark")).to_have_text(["washing", "machine"])
    log = SearchLog.objects.get()
    assert (log.query, log.results, log.source) == ("washing machine", 1, "portal")
    with page.expect_navigation():
        result.click()
    expect(page.locator("h1")).to_have_text("Why is my washing machine not spinning or draining?")
    log.refresh_from_db()
    assert log.clicked_id == washer.pk

    # A search with no results says so and offers the way to ask.
    page.goto("/help/search/?q=gift+card+balance")
    expect(page.locator(".kb-problem h2")).to_have_text("No articles match “gift card balance”")
    expect(page.locator(".kb-cta a", has_text="Ask for help")).to_have_attribute("href", "/help/new/")


def test_an_article_on_a_phone_in_the_readers_language_and_was_it_helpful(browser, live_server, corpus):
    washer = corpus["washer"]
    CustomerUserFactory(username="mei", language="zh-hans")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "mei")
    page.goto(f"/help/a/{washer.pk}/washer-not-spinning/")
    expect(page.locator("h1")).to_have_text("洗衣机不脱水、不排水怎么办？")
    expect(page.locator(".kb-body h3").first).to_have_text("不脱水")
    expect(page.locator(".kb-crumbs a")).to_have_count(3)  # the help centre, then the categories in Chinese
    expect(page.locator(".kb-crumbs a").nth(1)).to_have_text("产品保养与故障排除")
    expect(page.locator(".kb-crumbs a").nth(2)).to_have_text("家电")
    expect(page.locator(".kb-langs a")).to_have_text(["English"])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the article scrolls sideways on a phone ({width}px)"
    shot(page, "kb-article-phone")

    expect(page.locator("#kb-comment")).to_have_count(0)
    page.locator(".kb-vote button[value=no]").click()
    expect(page.locator(".kb-thanks")).to_be_visible()
    expect(page.locator(".kb-vote button[value=no]")).to_have_attribute("aria-pressed", "true")
    page.fill("#kb-comment", "没写要等多久。")
    page.locator("#kb-feedback button.kb-send-comment").click()
    expect(page.locator("#kb-comment")).to_have_count(0)  # sent: the box gives way to the thanks
    recorded = ArticleVote.objects.get()
    assert (recorded.helpful, recorded.comment, recorded.translation.language) == (False, "没写要等多久。", "zh-hans")
    page.locator(".kb-vote button[value=yes]").click()  # a change of mind
    expect(page.locator(".kb-vote button[value=yes]")).to_have_attribute("aria-pressed", "true")
    recorded.translation.refresh_from_db()
    assert (recorded.translation.helpful_yes, recorded.translation.helpful_no) == (1, 0)
    context.close()


@pytest.mark.parametrize(("language", "subject", "body", "article", "title"), [
    ("zh-hans", "洗衣机不脱水", "从昨天开始，洗完衣服后不脱水，显示 E21。", "washer", "洗衣机不脱水、不排水怎么办？"),
    ("en", "phone not charging", "My phone stopped charging yesterday.", "charging",
     "Phone not charging, or charging very slowly?"),
])
def test_deflection_beside_ask_for_help(page, corpus, language, subject, body, article, title):
    me = CustomerUserFactory(username=f"chen-{language}", language=language)
    sign_in(page, me.username)
    page.goto("/help/new/")
    token = page.locator("#id_deflection").input_value()
    expect(page.locator(".deflection-results p.muted")).to_have_count(1)  # the hint, no articles yet
    expect(page.locator(".deflection-item")).to_have_count(0)

    page.locator("#id_subject").click()
    if subject.isascii():
        page.locator("#id_subject").press_sequentially(subject, delay=30)  # keyup, as on a keyboard
    else:
        page.keyboard.insert_text(subject)  # input only, as an input method commits text
    first = page.locator(".deflection-item").first
    expect(first.locator(".deflection-title-text")).to_have_text(title)
    page.locator("#id_body").click()
    page.keyboard.insert_text(body)
    expect(first.locator(".deflection-title-text")).to_have_text(title)
    box = page.locator(".deflection").bounding_box()
    form = page.locator(".help-main").bounding_box()
    assert box["x"] >= form["x"] + form["width"], "the articles sit beside the form on a desktop"

    # Read it here, then open it in a new tab: the form keeps what was typed.
    first.locator("summary").click()
    expect(first.locator(".deflection-article .kb-body")).to_be_visible()
    shot(page, f"kb-ask-for-help-deflection-{language}", full_page=False)
    with page.context.expect_page() as opened:
        first.locator("a.deflection-title").click()
    tab = opened.value
    tab.wait_for_load_state()
    expect(tab.locator("h1")).to_have_text(title)
    assert f"d={token}" in tab.url
    tab.close()
    expect(page.locator("#id_subject")).to_have_value(subject)

    page.locator("input[name=kind][value=repair]").check()
    with page.expect_navigation():
        page.locator("form.help-form button[type=submit]").click()
    case = Case.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/")
    record = Deflection.objects.get()
    wanted = Article.objects.get(slug=corpus[article].slug)
    assert str(record.token) == token and record.user == me
    assert wanted.pk in record.shown
    assert record.opened == [wanted.pk]
    assert record.case == case


def test_nothing_is_asked_while_an_input_method_composes_a_word(page, corpus):
    """Chinese and Korean are typed through an input method: the letters being composed
    (pinyin "xiyiji") are not a search; the committed word (洗衣机) is."""
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/help/suggest/" in request.url else None)
    page.goto("/help/")
    page.wait_for_selector("form.kb-search[data-kb-ready]")
    page.locator("#kb-q").click()
    ime = page.context.new_cdp_session(page)
    for letters in ("x", "xi", "xiyi", "xiyiji"):
        ime.send("Input.imeSetComposition", {"text": letters, "selectionStart": len(letters),
                                             "selectionEnd": len(letters)})
        page.wait_for_timeout(100)
    page.wait_for_timeout(600)  # longer than the box waits after the last change
    assert asked == []
    ime.send("Input.insertText", {"text": "洗衣机"})
    expect(page.locator("#kb-q-list [role=option]").first).to_have_text("洗衣机不脱水、不排水怎么办？")
    assert len(asked) == 1 and "q=%E6%B4%97%E8%A1%A3%E6%9C%BA" in asked[0]
