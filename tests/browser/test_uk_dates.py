"""In a US-English browser, dates still show and are typed the UK way."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ActionItem
from tests.browser.conftest import assert_no_axe_violations, log_in


@pytest.fixture
def us_page(browser, live_server):
    """A browser whose locale would make a type=date picker read mm/dd/yyyy."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-US",
        timezone_id="America/New_York",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_us_browser_shows_and_takes_uk_dates(us_page, seeded):
    page = us_page
    action = ActionItem.objects.filter(owner__name="OIP Team", due_date__isnull=False).order_by("pk").first()
    log_in(page, "demo-officer")
    assert page.evaluate("navigator.language") == "en-US"

    page.goto(reverse("actions:update", args=[action.ref]))
    due = page.get_by_label("Due date", exact=True)
    expect(due).to_have_attribute("type", "text")
    expect(due).to_have_value(action.due_date.strftime("%d/%m/%Y"))
    expect(page.get_by_text("For example, 31/07/2010 or 31 July 2010").first).to_be_visible()
    assert_no_axe_violations(page)

    due.fill("07/31/2010")  # month first, as the locale would have it: refused
    page.get_by_label("Reason for changing the due date").fill("Members asked for a consultation.")
    page.get_by_label("Progress note").fill("Consultation agreed with members.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Enter a date like 31/07/2010 or 31 July 2010.").first).to_be_visible()
    expect(due).to_have_value("07/31/2010")
    action.refresh_from_db()
    assert action.due_date != datetime.date(2010, 7, 31)

    due.fill("31 July 2010")
    page.get_by_role("button", name="Save update").click()
    expect(page).to_have_url(re.compile(rf"/{re.escape(action.ref)}/$"))
    action.refresh_from_db()
    assert action.due_date == datetime.date(2010, 7, 31)
    expect(page.get_by_text("31 Jul 2010").first).to_be_visible()

    page.goto(reverse("actions:update", args=[action.ref]))
    expect(page.get_by_label("Due date", exact=True)).to_have_value("31/07/2010")
