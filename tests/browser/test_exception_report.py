"""The exception report and slippage as a reader finds them: from the review
and programme pages, printable, axe-clean."""

from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def test_officer_opens_the_action_plans_exception_report_and_slippage(page, seeded):
    log_in(page, "demo-officer")
    page.goto("/actions/reviews/lec-2010/")
    follow(page.get_by_test_id("exception-links").get_by_role("link", name="Exception report"))

    assert page.get_by_role("heading", level=1).inner_text().startswith("Exception report: London Efficiency Challenge")
    assert page.get_by_test_id("headline").inner_text().startswith("Of 25 actions:")
    assert_no_axe_violations(page)

    page.get_by_label("Show items rescheduled after").fill("2010-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "1 January 2010 (the date chosen)" in page.get_by_test_id("rows-basis").inner_text()

    follow(page.get_by_role("link", name="Print view"))
    assert page.get_by_role("heading", level=1).is_visible()
    assert "since=2010-01-01" in page.url
    assert_no_axe_violations(page)
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")

    page.goto("/actions/reviews/lec-2010/slippage/")
    assert page.get_by_role("table", name="By review area").is_visible()
    assert_no_axe_violations(page)


def test_programme_exception_report_is_accessible_at_phone_width(page, seeded):
    log_in(page, "demo-officer")
    page.goto("/programmes/oip/")
    follow(page.get_by_test_id("exception-links").get_by_role("link", name="Exception report"))
    assert page.get_by_role("table", name="The same, for each kind of item").is_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    follow(page.get_by_role("link", name="slippage"))
    assert page.get_by_role("heading", level=1).inner_text() == "Slippage: Organisational Improvement Programme"
    assert_no_axe_violations(page)
