"""In a real browser: on a case page an agent searches the knowledge base, "Insert text" puts the
article's words in the customer's language (and its link) at the cursor in the reply, and the
reply is sent; an agent makes an article from a good reply, a supervisor publishes it and
customers find it; the editor's tabs, preview, image upload and history; the analytics page.
Screenshots at desktop and phone widths when AFTERSALES_SCREENSHOTS names a folder."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.cases.models import CaseEntry
from aftersales.core.tests.api_support import png_bytes
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.desk.tests.kb_support import build_kb, translation
from aftersales.kb.actions_feedback import search_logged, vote_record
from aftersales.kb.models import Article, ArticleAttachment, Deflection
from aftersales.search.selectors import search
from aftersales.search.tokenizer import query_terms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BASE = "https://help.example.com"


def _world():
    return build_kb(lambda execute=True: nullcontext())  # on_commit runs for real here


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")


@override_settings(AFTERSALES_BASE_URL=BASE)
def test_search_insert_text_in_the_customers_language_and_send(page):
    w = _world()
    sign_in(page, "kb-agent")
    page.goto(f"/desk/cases/{w.case.pk}/")
    panel = page.locator("#kb-panel")
    # suggested for the case before anything is typed
    expect(panel.locator(".kb-hit")).to_have_count(2)
    expect(panel.locator(".kb-hit").first).to_contain_text("洗衣機不脫水怎麼辦？")
    expect(panel.locator(".kb-hit.internal")).to_contain_text("Internal")

    # the agent starts the reply, then searches
    page.fill("#reply-body", "您好：")
    page.locator("#reply-body").press("End")
    panel.locator("#kb-q").fill("排水管")
    expect(panel.locator(".kb-results-head")).to_contain_text("1 article found")
    hit = panel.locator(".kb-hit")
    expect(hit).to_have_count(1)
    expect(hit.locator(".kb-hit-title mark")).to_have_count(0)  # 排水管 is in the text, not the title
    expect(hit.locator(".kb-snippet mark").first).to_have_text("排水")
    shot(page, "kb-case-panel-desktop")

    hit.get_by_role("button", name="Insert text").click()
    link = f"{BASE}/help/a/{w.washer.pk}/washer-not-spinning/?lang=zh-hant"
    words = "先檢查排水\n先檢查排水管是否堵塞，再清理過濾網。\n• 拔掉電源\n• 打開底部蓋板"
    expect(page.locator("#reply-body")).to_have_value(f"您好：\n\n{words}\n\n{link}")
    expect(panel.locator("#kb-insert-status")).to_have_text("The text is in the reply.")

    # the internal handbook: text only, no link to offer
    panel.locator("#kb-q").fill("E21")
    internal = panel.locator(".kb-hit.internal")
    expect(internal).to_have_count(1)
    expect(internal.get_by_role("button", name="Insert link")).to_have_count(0)

    page.get_by_role("button", name="Reply to customer").click()
    expect(page.locator("#timeline .entry.staff").last).to_contain_text("先檢查排水管是否堵塞")
    expect(page.locator("#reply-body")).to_have_value("")
    sent = CaseEntry.objects.filter(case=w.case, kind="message", author__username="kb-agent").order_by("-pk")[0]
    assert sent.body.replace("\r\n", "\n") == f"您好：\n\n{words}\n\n{link}"  # a form sends CRLF
    assert sent.is_public

    # a link goes in where the cursor is, inside a sentence
    page.fill("#reply-body", "請看這篇說明。")
    page.locator("#reply-body").evaluate("el => el.setSelectionRange(3, 3)")
    panel.locator("#kb-q").fill("排水管")
    panel.locator(".kb-hit").first.get_by_role("button", name="Insert link").click()
    expect(page.locator("#reply-body")).to_have_value(f"請看這 {link} 篇說明。")

    page.set_viewport_size({"width": 390, "height": 844})
    panel.scroll_into_view_if_needed()
    shot(page, "kb-case-panel-phone")


def test_make_an_article_from_a_reply_then_publish_it(page):
    w = _world()
    sign_in(page, "kb-agent")
    page.goto(f"/desk/cases/{w.case.pk}/")
    reply = page.locator(f"#entry-{w.reply.pk}")
    with page.expect_navigation():
        reply.get_by_role("link", name="Make an article").click()
    expect(page.locator("#kb-source")).to_contain_text(w.case.number)
    expect(page.locator("#kb-title")).to_have_value("洗衣機不脫水")
    expect(page.locator("#kb-body")).to_have_value("請先檢查排水管是否堵塞，再清理過濾網。")
    expect(page.locator("#kb-language")).to_have_value("zh-hant")
    expect(page.locator("input[name=status][value=published]")).to_have_count(0)
    page.select_option("#kb-category", str(w.washers.pk))
    page.fill("#kb-title", "洗衣機排水慢：清過濾網")
    page.fill("#kb-key", "washer-filter")
    with page.expect_navigation():
        page.get_by_role("button", name="Save as draft").click()
    article = Article.objects.get(slug="washer-filter")
    expect(page.locator(".flash")).to_contain_text("The article is saved.")
    expect(page.locator("#kb-tab-zh-hant")).to_contain_text("Draft")
    assert search(user=w.customer, scope="kb", q="洗衣機排水慢").hits == []
    _sign_out(page)

    sign_in(page, "kb-super")
    page.goto("/desk/kb/?state=draft")
    with page.expect_navigation():
        page.get_by_role("link", name="洗衣機排水慢：清過濾網").click()
    panel = page.locator("#kb-panel-zh-hant")
    panel.locator("input[name=status][value=published]").check()
    panel.locator("#kb-note-zh-hant").fill("publish")
    with page.expect_navigation():
        panel.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Saved as revision 2.")
    expect(page.locator("#kb-tab-zh-hant")).to_contain_text("Published")

    hits = search(user=w.customer, scope="kb", q="洗衣機排水慢", prefer_lang="zh-hant").hits
    assert [(h.id, h.lang) for h in hits] == [(article.pk, "zh-hant")]
    assert hits[0].url == f"/help/a/{article.pk}/washer-filter/?lang=zh-hant"
    # the help centre's search page finds it too
    response = page.goto("/help/search/?q=洗衣機排水慢")
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("洗衣機排水慢：清過濾網")


def test_the_editor_tabs_preview_image_and_history(page):
    w = _world()
    sign_in(page, "kb-super")
    page.goto(f"/desk/kb/{w.washer.pk}/?lang=zh-hant")
    expect(page.locator("#kb-panel-zh-hant")).to_be_visible()
    expect(page.locator("#kb-panel-ko")).to_be_hidden()
    shot(page, "kb-editor-desktop")

    # upload an image, switch to the missing Korean tab, put the image into the text, preview
    page.set_input_files("#kb-file", files=[{"name": "drum.png", "mimeType": "image/png", "buffer": png_bytes(5)}])
    with page.expect_navigation():
        page.locator(".kb-upload").get_by_role("button", name="Upload", exact=True).click()
    attachment = ArticleAttachment.objects.get(article=w.washer)
    expect(page.locator(".kb-file-list img")).to_have_js_property("naturalWidth", 1)
    page.locator("#kb-tab-ko").click()
    expect(page.locator("#kb-panel-ko")).to_be_visible()
    expect(page.locator("#kb-panel-zh-hant")).to_be_hidden()
    assert "?lang=ko" in page.url  # the address says which tab is open
    ko = page.locator("#kb-panel-ko")
    ko.locator("#kb-title-ko").fill("세탁기 탈수가 안 돼요")
    ko.locator("#kb-body-ko").fill("**배수 호스**를 먼저 확인하세요.")
    page.locator(".kb-file-list").get_by_role("button", name="Insert into text").click()
    expect(ko.locator("#kb-body-ko")).to_have_value(
        f"**배수 호스**를 먼저 확인하세요.\n\n![drum.png](attachment:{attachment.pk})")
    ko.get_by_role("button", name="Preview").click()
    preview = ko.locator("#kb-body-ko-preview")
    expect(preview.locator("strong")).to_have_text("배수 호스")
    expect(preview.locator("img")).to_have_attribute("src", f"/desk/kb/{w.washer.pk}/files/{attachment.pk}/")
    with page.expect_navigation():
        ko.get_by_role("button", name="Save").click()
    expect(page.locator("#kb-tab-ko")).to_contain_text("Draft")
    assert translation(w.washer, "ko").title == "세탁기 탈수가 안 돼요"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/desk/kb/{w.washer.pk}/?lang=ko")
    shot(page, "kb-editor-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # history: a second save, then restore the first
    ko = page.locator("#kb-panel-ko")
    ko.locator("#kb-title-ko").fill("탈수 문제")
    with page.expect_navigation():
        ko.get_by_role("button", name="Save").click()
    page.goto(f"/desk/kb/{w.washer.pk}/ko/history/")
    expect(page.locator("table.kb-history tbody tr")).to_have_count(2)
    with page.expect_navigation():
        page.get_by_role("link", name="1", exact=True).click()
    expect(page.locator(".kb-diff-add")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name="Restore revision 1").click()
    expect(page.locator(".flash")).to_contain_text("Revision 1 is back, as revision 3.")
    expect(page.locator("#kb-title-ko")).to_have_value("세탁기 탈수가 안 돼요")


def test_the_analytics_page(page):
    w = _world()
    now = timezone.now()
    for query, times, results in (("洗衣機不脫水", 9, 2), ("冷氣漏水", 6, 0), ("battery", 5, 1), ("退貨", 4, 3),
                                  ("배터리 교체", 3, 0), ("發票", 2, 1)):
        for _n in range(times):
            search_logged(query=query, terms=query_terms(query), language="zh-hant", source="portal",
                          results=results, user=None)
    hant = translation(w.washer, "zh-hant")
    vote_record(translation=hant, voter="a", user=None, helpful=True)
    for n, comment in enumerate(["沒寫要等多久。", "運費誰付？", "", "太長了。", ""]):
        vote_record(translation=hant, voter=f"n{n}", user=None, helpful=False, comment=comment)
    for n in range(8):
        Deflection.objects.create(token=uuid.uuid4(), user=w.customer, shown=[w.washer.pk],
                                  opened=[w.washer.pk] if n % 2 else [], case=w.case if n % 3 == 0 else None,
                                  updated_at=now - timedelta(hours=2))
    sign_in(page, "kb-super")
    page.goto("/desk/kb/analytics/?days=7")
    expect(page.locator("#kb-empty-searches tbody tr")).to_have_count(2)
    expect(page.locator("#kb-empty-searches")).to_contain_text("冷氣漏水")
    expect(page.locator("#kb-top-searches tbody tr").first).to_contain_text("洗衣機不脫水")
    expect(page.locator("#kb-poor")).to_contain_text("17% helpful")
    expect(page.locator("#kb-deflection")).to_contain_text("63%")  # 5 of 8 not sent
    shot(page, "kb-analytics-desktop")
    with page.expect_navigation():
        page.locator("#kb-empty-searches").get_by_role("link", name="Write an article").first.click()
    expect(page.locator("#kb-title")).to_have_value("冷氣漏水")
