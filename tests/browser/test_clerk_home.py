"""The demo clerk signs in to their meetings, packs to prepare and matters
arising due, opens a meeting set up by mistake and deletes it, in a real
browser, with the keyboard for the delete, and axe-clean on each page."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from committees.models import AgendaItem, Committee, Meeting
from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def test_clerk_sees_their_meetings_and_deletes_one_set_up_by_mistake(seeded, page):
    committee = Committee.objects.order_by("pk").first()
    day = timezone.localdate() + datetime.timedelta(days=9)
    meeting = Meeting.objects.create(committee=committee, date=day, venue="Committee Room 1")
    AgendaItem.objects.create(meeting=meeting, number=1, title="Apologies for absence")
    log_in(page, "demo-clerk")
    next_meetings = page.locator("#next-meetings")
    expect(next_meetings).to_contain_text("Committee Room 1")
    expect(next_meetings).to_contain_text("Pack not issued yet")
    expect(page.locator(f'[data-pack-to-prepare="{meeting.pk}"]')).to_contain_text("In 9 days")
    assert_no_axe_violations(page)

    follow(next_meetings.get_by_role("link", name=f"{day:%A} {day.day} {day:%B %Y}"))
    follow(page.get_by_role("link", name="Delete meeting"))
    expect(page.get_by_test_id("deleted-with-it")).to_contain_text("1 agenda item: 1. Apologies for absence")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Delete the meeting").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="was deleted")).to_be_visible()
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
