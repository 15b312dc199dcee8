"""A person's own login: a locked login says so plainly, and anyone can
change their password, by keyboard, without accessibility faults."""

from django.conf import settings

from tests.browser.conftest import DEMO_PASSWORD, assert_no_axe_violations, follow, log_in


def test_repeated_wrong_passwords_show_the_lockout_page(page, seeded):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/login/")
        page.get_by_label("Username").fill("demo-officer")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()
    locked = page.get_by_test_id("locked-out")
    assert "wrong passwords in a row for demo-officer" in locked.inner_text()
    assert "ask an OIP Tracker administrator to unlock" in locked.inner_text()
    assert_no_axe_violations(page)

    # Even the right password is refused until the lockout ends.
    page.goto("/login/")
    page.get_by_label("Username").fill("demo-officer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_test_id("locked-out").is_visible()


def test_officer_changes_their_password_with_the_keyboard(page, seeded):
    log_in(page, "demo-officer")
    page.get_by_role("button", name="Your account").click()  # the account menu in the navigation
    follow(page.get_by_role("link", name="Change password"))
    assert_no_axe_violations(page)
    page.get_by_label("Old password").focus()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type("Bromley civic centre 2010")
    page.keyboard.press("Tab")
    page.keyboard.type("Bromley civic centre 2010")
    page.keyboard.press("Enter")
    page.wait_for_url("**/password/changed/")
    assert page.get_by_role("status").filter(has_text="Your password has been changed").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Your account").click()
    page.get_by_role("button", name="Log out").click()
    log_in(page, "demo-officer", password="Bromley civic centre 2010")
    page.get_by_role("button", name="Your account").click()
    assert page.get_by_test_id("logged-in-as").is_visible()
