"""A manager corrects a published highlight report, giving the reason, and
publishes the correction after ticking that it cannot be undone, in a real
browser and with the keyboard where it matters."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import HighlightReport
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.browser.test_committee_reporting import published_2010_report

REASON = "The Voice Recognition row gave last period's progress."


def test_a_correction_asks_its_reason_and_publishing_asks_to_confirm(seeded, page):
    report = published_2010_report()
    versions = HighlightReport.objects.filter(programme=report.programme, period_end=report.period_end)
    before = versions.count()
    log_in(page, "demo-manager")
    page.goto(report.get_absolute_url())
    page.get_by_text("Correct this report").click()
    reason = page.get_by_label("Reason for the correction")
    expect(reason).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Draft a correction").click()  # the browser asks for the reason first
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/$"))
    assert versions.count() == before

    reason.fill(REASON)
    page.get_by_role("button", name="Draft a correction").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/edit/$"))
    correction = versions.get(version_number=report.version_number + 1)
    page.goto(correction.get_absolute_url())
    expect(page.locator(".report-correction")).to_have_text(f"Correction of version {report.version_number}: {REASON}")

    publish = page.get_by_role("button", name=f"Publish version {correction.version_number}")
    publish.click()  # not ticked: the browser keeps the form back
    correction.refresh_from_db()
    assert correction.is_draft
    page.get_by_label("I understand that publishing freezes this version").focus()
    page.keyboard.press("Space")
    assert_no_axe_violations(page)
    publish.click()
    expect(page.get_by_role("status").filter(has_text="published. It can no longer be changed")).to_be_visible()
    correction.refresh_from_db()
    assert correction.status == HighlightReport.Status.PUBLISHED

    page.goto(reverse("programmes:report_print", args=[correction.pk]))
    expect(page.locator(".report-correction")).to_contain_text(REASON)
