"""The quicker filter form and the review page one area at a time, in a real
browser: keyboard-usable and axe-clean (tests/test_list_speed.py has the rest)."""

from django.urls import reverse

from actions import access
from tests.browser.conftest import assert_no_axe_violations, log_in


def test_filter_form_with_an_error_is_accessible_and_keeps_what_was_chosen(page, seeded):
    log_in(page, "demo-officer")
    page.goto(reverse("actions:list") + "?due_after=31/12/9999&rag=amber&overdue=on")
    filters = page.get_by_role("form", name="Filter")
    assert filters.get_by_role("checkbox", name="Amber", exact=True).is_checked()
    assert filters.get_by_role("checkbox", name="Overdue only").is_checked()
    due_after = filters.get_by_label("Due on or after")
    assert due_after.get_attribute("aria-invalid") == "true"
    assert "Enter a date between" in page.locator(f"#{due_after.get_attribute('id')}_error").inner_text()
    assert_no_axe_violations(page)
    filters.get_by_label("Owner").select_option(label="OIP Team")
    filters.get_by_label("Due on or after").fill("")
    filters.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("form", name="Filter").get_by_label("Owner").input_value() != ""


def test_large_review_opens_one_area_at_a_time(page, seeded, monkeypatch):
    monkeypatch.setattr(access, "REVIEW_PAGE_ROWS", 5)
    log_in(page, "demo-officer")
    page.goto(reverse("actions:review", args=["lec-2010"]))
    assert page.get_by_test_id("review-collapsed").is_visible()
    assert_no_axe_violations(page)
    areas = page.get_by_role("navigation", name="Review areas")
    areas.get_by_role("link").nth(2).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**area=3**")
    assert areas.get_by_role("link").nth(2).get_attribute("aria-current") == "true"
    page.get_by_role("link", name="Show every area's actions").click()
    page.wait_for_url("**area=all**")
    assert page.locator("[data-action]").count() >= 25
