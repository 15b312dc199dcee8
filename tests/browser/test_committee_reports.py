"""The clerk writes a report's commentary in the browser: a paragraph added
in the middle takes its number and those after it move down."""

import datetime

from playwright.sync_api import expect

from committees.models import AgendaItem, Committee, Meeting, ReportAppendix
from committees.services import add_appendix, add_paragraph
from tests.browser.conftest import assert_no_axe_violations, log_in


def test_clerk_inserts_a_paragraph_and_the_numbers_shift(seeded, page):
    committee = Committee.objects.create(name="Reports Test Sub-Committee", ref="reports-test")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2012, 4, 18))
    item = AgendaItem.objects.create(
        meeting=meeting, number=6, title="Shared services update", has_report=True, report_number="CEO1199"
    )
    for kind, text in [("heading", "Background"), ("paragraph", "First point"), ("paragraph", "Second point")]:
        add_paragraph(item=item, user=None, kind=kind, text=text)
    for kind in ["matters_arising", "action_plan_progress"]:
        add_appendix(item=item, user=None, appendix=ReportAppendix(kind=kind, open_only=True))

    log_in(page, "demo-clerk")
    page.goto(f"/committees/meetings/{meeting.pk}/agenda/6/report/edit/")
    second = page.locator("[data-paragraph]").filter(has_text="Second point")
    expect(second.locator(".para-number")).to_have_text("3.2")
    assert_no_axe_violations(page)

    form = page.locator("form").filter(has=page.get_by_role("heading", name="Add to the commentary"))
    form.get_by_label("Text").fill("Inserted point")
    form.get_by_label("Position").fill("3")
    form.get_by_role("button", name="Add").click()

    expect(page.get_by_text("Added to the commentary.")).to_be_visible()
    inserted = page.locator("[data-paragraph]").filter(has_text="Inserted point")
    expect(inserted.locator(".para-number")).to_have_text("3.2")
    expect(second.locator(".para-number")).to_have_text("3.3")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="See the report as printed").click()
    expect(page.get_by_text("3.3 Second point")).to_be_visible()
    expect(page.get_by_role("heading", name="Appendix 2: LEC action plan progress")).to_be_visible()
    assert_no_axe_violations(page)
