"""In a real browser: the technicians' monthly report, on screen, printed and in Korean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from aftersales.accounts.models import Role, User
from aftersales.core.tests.factories import UserFactory
from aftersales.desk.tests.browser_support import shot, sign_in
from aftersales.desk.tests.test_technician_report import bench_job, on_site_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_monthly_report_reads_and_prints(page, live_server):
    wang = UserFactory(username="wang", role=Role.SUPERVISOR, display_name="Wang Supervisor",
                       time_zone="Asia/Shanghai")
    li = UserFactory(role=Role.TECHNICIAN, display_name="李技師")
    chen = UserFactory(role=Role.TECHNICIAN, display_name="Chen Technician")
    on_site_job(wang, li, "2026-06-03")
    bench_job(wang, chen, "2026-06-05", sent_back=True)
    bench_job(wang, chen, "2026-06-08", result="no_fault_found")
    sign_in(page, "wang")
    page.goto("/desk/reports/technicians/?month=2026-06")
    table = page.locator("table.report")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tfoot th")).to_have_text("All technicians")
    expect(table.locator("tfoot [data-cell=jobs]")).to_have_text("3")
    shot(page, "report-technicians-en")
    page.emulate_media(media="print")
    expect(page.locator("form.register-pick")).to_be_hidden()
    shot(page, "report-technicians-print-en")
    page.emulate_media(media="screen")
    User.objects.filter(pk=wang.pk).update(language="ko")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.set_viewport_size({"width": 390, "height": 800})
    shot(page, "report-technicians-390-ko")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
