"""The clerk issues the 1 June 2010 pack in the browser: it is queued, the
background worker generates it, the page updates itself to "Issued", and the
download is the stored file."""

import datetime
from pathlib import Path

from playwright.sync_api import expect

from committees.models import IssuedPack, Meeting
from tests.browser.conftest import assert_no_axe_violations, log_in, run_worker


def test_clerk_issues_the_pack_and_downloads_the_stored_file(seeded, page, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    june = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 6, 1))

    log_in(page, "demo-clerk")
    page.goto(june.get_absolute_url())
    expect(page.get_by_role("heading", name="Issued packs")).to_be_visible()
    expect(page.get_by_text("Not issued yet.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Part 1 (public)").check()
    page.get_by_label("I understand that").check()
    page.get_by_role("button", name="Issue the pack").click()
    expect(
        page.get_by_text("Version 1 of the Part 1 (public) pack is being generated in the background.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Version 1")
    expect(row).to_contain_text("Queued, waiting for the background worker")
    assert_no_axe_violations(page)

    run_worker()  # what `make run` (or the production service) does beside the web server

    # The page asks for the row's state every few seconds: no reload.
    expect(row.get_by_text("Issued", exact=True)).to_be_visible(timeout=20_000)
    pack = IssuedPack.objects.get(meeting=june)
    expect(page.locator("[data-issued-announce]")).to_have_text("Part 1 (public) pack, version 1: Issued")
    expect(row).to_contain_text(f"{pack.page_count}")
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        row.get_by_role("link", name="Download version 1 of the Part 1 (public) pack (PDF)").click()
    assert download.value.suggested_filename == "ie-sub-committee-2010-06-01-public-pack-v1.pdf"
    assert Path(download.value.path()).read_bytes() == Path(pack.pdf.path).read_bytes()

    page.goto(june.get_absolute_url())
    expect(
        page.get_by_role("link", name=f"Part 1 (public) pack, version 1 (PDF, {pack.page_count} pages)")
    ).to_be_visible()
