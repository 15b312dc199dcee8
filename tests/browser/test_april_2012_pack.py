"""The demo clerk builds the 18 April 2012 meeting's pack, with its two
reports from the OIP team (the shared services update and CEO1198), adds an
appendix, reads the pack and issues it; the issued PDF holds both reports."""

import datetime
import re

import pypdf
from playwright.sync_api import expect

from committees.models import IssuedPack, Meeting
from tests.browser.conftest import assert_no_axe_violations, follow, log_in, run_worker


def test_clerk_builds_and_issues_the_april_2012_pack(seeded, page, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    april = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2012, 4, 18))

    log_in(page, "demo-clerk")
    page.goto(april.get_absolute_url())
    expect(page.get_by_role("link", name="Shared Services Update")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Transition Report"))).to_be_visible()
    assert_no_axe_violations(page)

    # The shared services update takes the programme's key milestones as its appendix.
    follow(page.get_by_role("link", name="Report for item 1"))
    assert_no_axe_violations(page)
    form = page.locator("form").filter(has=page.get_by_role("heading", name="Add an appendix"))
    form.get_by_label("Kind").select_option(label="Key milestones")
    form.get_by_label("Programme", exact=True).select_option(label="Shared Services")
    form.get_by_role("button", name="Add appendix").click()
    expect(page.get_by_text("Appendix 1: Key milestones (Shared Services)")).to_be_visible()
    assert_no_axe_violations(page)

    # The pack: agenda front sheet, then both reports, each under its own cover.
    page.goto(april.get_absolute_url())
    page.get_by_role("link", name="Committee pack (print)").click()
    expect(page.get_by_text("A G E N D A")).to_be_visible()
    expect(page.get_by_text("SHARED SERVICES UPDATE").first).to_be_visible()
    expect(page.get_by_text("CEO1198").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Appendix 1: Key milestones"))).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(april.get_absolute_url())
    page.get_by_label("Part 1 (public)").check()
    page.get_by_label("I understand that").check()
    page.get_by_role("button", name="Issue the pack").click()
    row = page.get_by_role("row").filter(has_text="Version 1")
    expect(row).to_contain_text("Queued")
    run_worker()
    expect(row.get_by_text("Issued", exact=True)).to_be_visible(timeout=20_000)
    assert_no_axe_violations(page)

    pack = IssuedPack.objects.get(meeting=april, status=IssuedPack.Status.ISSUED)
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("^Download version 1")).click()
    pdf = pypdf.PdfReader(download.value.path())
    assert len(pdf.pages) == pack.page_count
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "SHARED SERVICES UPDATE" in text
    assert "CEO1198" in text
    assert "Key milestones" in text
