"""Every page on a phone (390 px wide) fits the screen: no sideways scrolling, lists
read as one card per row, the Update button in reach, the navigation behind a Menu
button that works from the keyboard. From 1024 px up the navigation is one line,
for every role."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from committees.models import Meeting
from programmes.models import HighlightReport
from tests.browser.conftest import assert_no_axe_violations, follow, log_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_as(browser, live_server):
    """A fresh browser context (its own cookies) at the given size, logged in."""
    contexts = []

    def open_page(username, viewport):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page, what):
    page.wait_for_load_state("load")
    width = page.viewport_size["width"]
    assert page_width(page) <= width, f"{what} scrolls sideways at {width} px"


def assert_within_screen(locator):
    box = locator.bounding_box()
    assert box is not None, "not shown"
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= locator.page.viewport_size["width"]


def test_an_officer_works_on_a_phone(open_as, seeded):
    page = open_as("demo-officer", PHONE)
    assert_fits(page, "My work")
    # Each action is a card: its title, then each cell labelled with its column's heading.
    first = page.locator("#overdue tbody tr").first
    expect(first.locator("td").first).to_have_attribute("data-label", "Kind")
    label = first.locator("td[data-label='Deadline / due date']").evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert label == '"Deadline / due date"'
    update = first.get_by_role("link", name="Update")
    assert_within_screen(update)
    assert_no_axe_violations(page)

    # The Update button leads to the form, which fits too and posts one CSRF token.
    follow(update)
    expect(page.get_by_role("heading", name="Record an update")).to_be_visible()
    assert_fits(page, "the action update form")
    form = page.locator("main form", has=page.get_by_role("button", name="Save update"))
    assert form.locator("input[name=csrfmiddlewaretoken]").count() == 1
    assert_within_screen(page.get_by_role("button", name="Save update"))
    assert_no_axe_violations(page)


def test_the_menu_opens_and_is_used_from_the_keyboard(open_as, seeded):
    page = open_as("demo-officer", PHONE)
    nav = page.get_by_role("navigation", name="Main")
    toggler = nav.get_by_role("button", name="Menu")
    expect(toggler).to_be_visible()
    expect(nav.get_by_role("link", name="All actions")).to_be_hidden()

    # Skip link, brand, then the Menu button.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(toggler).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="All actions")).to_be_visible()
    expect(nav.get_by_role("link", name="My work")).to_have_attribute("aria-current", "page")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="All actions")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="All actions", level=1)).to_be_visible()
    assert_fits(page, "All actions")

    # The account menu is in the collapsed navigation too.
    toggler.click()
    account = nav.get_by_role("button", name="Your account")
    account.focus()
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Change password")).to_be_visible()
    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    assert_fits(page, "the open menu")


def test_the_managers_and_clerks_pages_fit_a_phone(open_as, seeded):
    report = HighlightReport.objects.filter(status="published").first()
    meeting = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 6, 1))
    manager = open_as("demo-manager", PHONE)

    manager.goto(reverse("actions:list"))
    assert_fits(manager, "All actions")
    assert_no_axe_violations(manager)
    # The filters fold away, so the first card is on the first screen; they open from the keyboard.
    card = manager.locator("tbody tr").first
    assert card.bounding_box()["y"] < PHONE["height"]
    expect(card.locator("td[data-label='Owner']")).to_be_visible()
    filters = manager.get_by_role("form", name="Filter")
    expect(filters).to_be_hidden()
    manager.get_by_text("Filter and sort").focus()
    manager.keyboard.press("Enter")
    expect(filters).to_be_visible()
    # Sorting stays: the sortable headings are a "Sort by" line above the cards.
    assert_within_screen(manager.locator("thead").get_by_role("link", name="Due date"))

    manager.goto(reverse("programmes:projects"))
    assert_fits(manager, "All projects")
    assert_no_axe_violations(manager)

    manager.goto(report.get_absolute_url())
    assert_fits(manager, "the highlight report")
    assert_no_axe_violations(manager)
    # Its rows are cards too: the project first, each column's heading above its text.
    row = manager.locator("tr.report-row").first
    expect(row.locator("td[data-label='Tasks planned for next period']")).to_be_visible()
    assert row.locator(".project-name").bounding_box()["y"] < row.locator(".prose").first.bounding_box()["y"]

    # The programme and review pages' tables are the same stacked lists as All actions'
    # (test_foundation checks these two pages with axe).
    manager.goto(reverse("programmes:detail", args=["oip"]))
    assert_fits(manager, "the programme page")
    manager.goto(reverse("actions:review", args=["lec-2010"]))
    assert_fits(manager, "the review page")  # a recommendation quotes a long web address

    clerk = open_as("demo-clerk", PHONE)
    clerk.goto(meeting.get_absolute_url())
    assert_fits(clerk, "the meeting page")
    assert_no_axe_violations(clerk)
    assert_within_screen(clerk.locator("#agenda-1").get_by_role("link", name="Edit item 1"))
    follow(clerk.get_by_role("link", name="Committee pack (print)"))
    assert_fits(clerk, "the committee pack")
    assert_no_axe_violations(clerk)


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_navigation_is_one_line_for_every_role(open_as, seeded, width):
    viewport = {"width": width, "height": 800}
    page = None
    for username in ["demo-officer", "demo-manager", "demo-clerk", "demo-admin"]:
        if page is None:
            page = open_as(username, viewport)
        else:
            page.context.clear_cookies()
            log_in(page, username)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("button", name="Menu")).to_be_hidden()
        # Every link (the account menu's button too) on the same line, none of them wrapped.
        boxes = nav.locator(".nav-link").evaluate_all(
            "links => links.map(link => [Math.round(link.getBoundingClientRect().top), link.offsetHeight])"
        )
        assert len(boxes) >= 7
        assert len(set(map(tuple, boxes))) == 1, f"{username}'s navigation wraps at {width} px: {boxes}"
        assert nav.bounding_box()["height"] < 70, f"{username}'s navigation is taller than one line at {width} px"
        assert_fits(page, f"{username}'s My work")
    # The administrator has the most links: Admin.
    expect(nav.get_by_role("link", name="Admin")).to_be_visible()

    # The account menu opens from the keyboard and closes with Escape.
    account = nav.get_by_role("button", name="Your account")
    account.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("logged-in-as")).to_contain_text("(demo-admin)")
    page.keyboard.press("ArrowDown")
    expect(nav.get_by_role("link", name="Change password")).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Change password")).to_be_hidden()
    expect(account).to_be_focused()
