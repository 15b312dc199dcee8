"""The clerk uploads a paper produced elsewhere as a report's appendix, sees
it in the printed report with its pages and a download link, and opens the
Part 2 (exempt) papers from the meeting page; each page axe-clean."""

import datetime

from playwright.sync_api import expect
from weasyprint import HTML

from committees.models import AgendaItem, Committee, Meeting, ReportAppendix
from committees.services import add_appendix, add_paragraph
from programmes.models import Programme
from tests.browser.conftest import assert_no_axe_violations, log_in


def test_clerk_uploads_a_pdf_appendix_and_opens_the_exempt_papers(seeded, page, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    committee = Committee.objects.create(name="Uploads Test Sub-Committee", ref="uploads-test")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2012, 4, 18))
    AgendaItem.objects.create(meeting=meeting, number=6, title="Shared services update", has_report=True)
    exempt = AgendaItem.objects.create(
        meeting=meeting,
        number=9,
        title="Printing contract award",
        has_report=True,
        exempt=True,
        exempt_reason="Information relating to the financial or business affairs of any particular person",
    )
    add_paragraph(item=exempt, user=None, kind="paragraph", text="The bids are compared below.")
    oip = Programme.objects.order_by("pk").first()
    add_appendix(item=exempt, user=None, appendix=ReportAppendix(kind="savings", programme=oip))
    paper = tmp_path / "budget-monitoring.pdf"
    paper.write_bytes(
        HTML(string='<p>Budget page one</p><p style="break-before: page">Budget page two</p>').write_pdf()
    )

    log_in(page, "demo-clerk")
    page.goto(f"/committees/meetings/{meeting.pk}/agenda/6/report/edit/")
    form = page.locator("form").filter(has=page.get_by_role("heading", name="Add an appendix"))
    form.get_by_label("Kind").select_option(label="Uploaded file (PDF)")
    form.get_by_label("Title").fill("Budget monitoring 2011/12")
    form.get_by_label("PDF file (for an uploaded paper)").set_input_files(str(paper))
    form.get_by_role("button", name="Add appendix").click()
    expect(page.get_by_text("Appendix added.")).to_be_visible()
    expect(page.get_by_role("link", name="budget-monitoring.pdf")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="See the report as printed").click()
    expect(page.get_by_role("heading", name="Appendix 1: Budget monitoring 2011/12")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Budget monitoring 2011/12 (PDF, 2 pages)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert_no_axe_violations(page)

    page.goto(f"/committees/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Part 2 (exempt) papers (print)").click()
    expect(page.get_by_text("PART 2 - EXEMPT", exact=False).first).to_be_visible()
    expect(page.get_by_text("The bids are compared below.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Appendix 1: Savings and benefits, {oip.name}")).to_be_visible()
    assert_no_axe_violations(page)
