"""The clerk minutes a meeting in the browser and records an action under a
minute; it is a matter arising at the committee's next meeting."""

import datetime
import re

from playwright.sync_api import expect

from committees.models import Meeting
from tests.browser.conftest import assert_no_axe_violations, log_in


def test_clerk_adds_a_minute_and_an_action_that_becomes_a_matter_arising(seeded, page):
    feb = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 2, 11))
    june = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 6, 1))

    log_in(page, "demo-clerk")
    page.goto(feb.get_absolute_url())
    page.get_by_role("link", name="Minutes of this meeting").click()
    expect(page.get_by_role("heading", name="Minutes of the meeting held on 11 February 2010")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Add a minute").click()
    page.get_by_label("Number").fill("43")
    page.get_by_label("Title").fill("Voice recognition project")
    page.get_by_label("Text").fill("Members discussed the benefits of introducing voice recognition technology.")
    page.get_by_label("RESOLVED that …").fill(
        "the research findings be noted;\nthe implementation of voice recognition technology be supported."
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save minute").click()

    expect(page.get_by_text("Minute 43 Voice recognition project recorded.")).to_be_visible()
    minute = page.locator("[data-minute='43']")
    expect(minute.get_by_text("RESOLVED that", exact=True)).to_be_visible()
    expect(minute.get_by_text("the implementation of voice recognition technology be supported.")).to_be_visible()

    minute.get_by_role("link", name="Add an action under minute 43").click()
    page.get_by_label("Title").fill("Report on switchboard data cleansing")
    page.get_by_label("Decision/agreement").fill("Officers to report back on the data cleansing needed.")
    page.get_by_label("Action by").select_option(label="IE&E Team")
    page.get_by_label(re.compile(r"Completion date\W*$")).fill("2010-06-30")
    page.get_by_label("Completion date as written").fill("June 2010")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Record action").click()

    expect(page.get_by_text("Action recorded under minute 43: it will be a matter arising.")).to_be_visible()
    row = page.locator("[data-minute='43'] tbody tr")
    expect(row).to_contain_text("Report on switchboard data cleansing")
    expect(row).to_contain_text("IE&E Team")
    expect(row).to_contain_text("June 2010")
    assert_no_axe_violations(page)

    page.goto(f"/committees/meetings/{june.pk}/matters-arising/")
    matter = page.get_by_role("row").filter(has_text="43 Voice recognition project")
    expect(matter).to_contain_text("Officers to report back on the data cleansing needed.")
    expect(matter).to_contain_text("IE&E Team")
