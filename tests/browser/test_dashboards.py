"""The programme and review dashboards in a real browser: found from their
pages, charts with text alternatives and tables, axe-clean, usable with the
keyboard, printable on A4; and a manager adding charts to a draft highlight
report, which prints them as appendix figures once published."""

import os
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import Review
from programmes.models import HighlightReport, Programme
from programmes.services import draft_highlight_report, publish_highlight_report
from tests.browser.conftest import assert_no_axe_violations, follow, log_in

SHOTS = os.environ.get("DASHBOARD_SCREENSHOTS")  # a folder to keep screenshots in, when looking at them


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_manager_reads_the_dashboard_and_adds_a_chart_to_the_draft_report(seeded, page):
    programme = Programme.objects.get(ref="oip")
    manager = get_user_model().objects.get(username="demo-manager")
    start, end = HighlightReport.period_after(HighlightReport.objects.last_published(programme))
    draft = draft_highlight_report(programme=programme, period_start=start, period_end=end, user=manager)

    log_in(page, "demo-manager")
    page.goto(programme.get_absolute_url())
    follow(page.get_by_test_id("dashboard-link"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{programme.name}: dashboard")
    charts = page.get_by_role("img")
    expect(charts).to_have_count(5)
    expect(page.get_by_role("img", name="RAG of projects in each published highlight report")).to_be_visible()
    expect(page.locator("#rag-by-period").get_by_role("table")).to_contain_text("Total")
    assert_no_axe_violations(page)
    shot(page, "programme-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.emulate_media(media="print")
    # A4 portrait less the browser's print margins is about 720 CSS px: every chart fits inside it.
    page.set_viewport_size({"width": 720, "height": 1000})
    assert max(box["width"] for box in (svg.bounding_box() for svg in page.locator("svg.chart").all())) <= 720
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The keyboard reaches the table regions (they scroll on a phone) and the link to add figures.
    page.get_by_role("button", name="Print the dashboard").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Highlight reports").first).to_be_focused()
    add = page.get_by_role("link", name=re.compile("Choose appendix figures"))
    add.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    page.get_by_label("Direction of travel in the latest published report").focus()
    page.keyboard.press("Space")
    page.get_by_label("RAG of projects in each published highlight report").check()
    page.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_role("status").filter(has_text="2 appendix figures saved")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Appendix: Figure 1 — RAG of projects"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Appendix: Figure 2 — Direction of travel"))).to_be_visible()
    assert_no_axe_violations(page)

    draft.refresh_from_db()
    publish_highlight_report(report=draft, user=manager)
    page.goto(reverse("programmes:report_print", args=[draft.pk]))
    figure = page.locator(".report-figure").first
    expect(figure).to_contain_text("when this version was published")
    assert_no_axe_violations(page)
    page.emulate_media(media="print")
    # A4 landscape less its margins is about 1047 CSS px: the chart fits inside it.
    assert page.locator("svg.chart").first.bounding_box()["width"] <= 1047
    shot(page, "report-print-figures")


def test_anyone_reads_the_review_dashboard_from_the_review_page(seeded, page):
    review = Review.objects.first()
    log_in(page, "demo-officer")
    page.goto(review.get_absolute_url())
    follow(page.get_by_test_id("dashboard-link"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("action plan dashboard")
    expect(page.get_by_role("img")).to_have_count(4)
    expect(page.get_by_role("img", name="RAG status of the actions now, overall and by area")).to_be_visible()
    assert_no_axe_violations(page)
    shot(page, "review-dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    shot(page, "review-dashboard-phone")
