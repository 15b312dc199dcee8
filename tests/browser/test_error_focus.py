"""After a failed submit the page opens on its error summary, so keyboard and
screen-reader users hear what went wrong first; its links take them to the field."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, log_in


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_wrong_password_focuses_the_error_summary(page, seeded):
    page.goto("/login/")
    page.get_by_label("Username").fill("demo-officer")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("username and password didn\u2019t match")
    assert page.get_by_text("username and password didn\u2019t match").count() == 1
    assert focused_id(page) == "error-summary"
    assert_no_axe_violations(page)


def test_a_new_action_without_a_title_focuses_the_summary_and_its_link_the_field(page, seeded):
    log_in(page, "demo-manager")
    page.goto("/actions/new/")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert focused_id(page) == "error-summary"
    assert_no_axe_violations(page)

    # Tab from the summary reaches its first link; following it puts the cursor in the field.
    page.keyboard.press("Tab")
    link = summary.get_by_role("link", name="Title")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    assert focused_id(page) == "id_title"
    page.keyboard.type("Review the contact centre opening hours")
    expect(page.get_by_label("Title")).to_have_value("Review the contact centre opening hours")


def test_a_page_without_errors_keeps_focus_where_it_was(page, seeded):
    log_in(page, "demo-manager")
    page.goto("/actions/new/")
    assert page.locator("#error-summary").count() == 0
    assert focused_id(page) in ("", None)
