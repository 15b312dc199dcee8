"""A member of the public, not logged in, finds the committee's published
papers: the issued Part 1 pack of 1 June 2010 and the highlight report
presented to it; axe-clean, and nothing there asks for a login."""

import datetime
import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from committees import issuing
from committees.models import Committee, IssuedPack, Meeting
from tests.browser.conftest import assert_no_axe_violations, run_worker


def test_public_reads_the_issued_pack_and_the_published_report_without_a_login(seeded, page, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    Committee.objects.filter(ref="ie-sub-committee").update(publish_online=True)
    june = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 6, 1))
    issuing.request_issue(
        meeting=june, part=IssuedPack.Part.PUBLIC, user=get_user_model().objects.get(username="demo-clerk")
    )
    run_worker()
    pack = IssuedPack.objects.get(meeting=june)
    assert pack.status == IssuedPack.Status.ISSUED

    page.goto("/public/")
    expect(page.get_by_role("heading", name="Committee papers", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Improvement and Efficiency Sub-Committee").click()
    expect(page.get_by_role("heading", name="Tuesday 1 June 2010", exact=False)).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Agenda and reports \(PDF")).click()
    assert download.value.suggested_filename == pack.download_name

    page.get_by_role("link", name=re.compile(r"\(highlight report\)|Highlight Report")).first.click()
    expect(page.get_by_text("AMBER").first).to_be_visible()
    expect(page).not_to_have_url(re.compile("/login"))
    assert_no_axe_violations(page)
