"""The refusal and not-found pages, as an officer meets them: the site's layout, axe-clean."""

from django.test import RequestFactory
from django.views.defaults import server_error

from tests.browser.conftest import assert_no_axe_violations, log_in


def test_refusal_and_missing_pages_are_accessible_and_say_what_to_do(page, seeded):
    log_in(page, "demo-officer")

    response = page.goto("/imports/")  # only managers and administrators import spreadsheets
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot open this page"
    assert "Only programme managers and administrators can import spreadsheets." in page.inner_text("main")
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="All actions").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("main").get_by_role("link", name="My work").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"

    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert "URLconf" not in page.content()
    assert_no_axe_violations(page)


def test_server_error_page_is_accessible(page, live_server):
    # Django renders 500.html with no context at all; serve exactly that body at a made-up address.
    html = server_error(RequestFactory().get("/")).content.decode()
    page.route(
        f"{live_server.url}/crashed/", lambda route: route.fulfill(status=500, body=html, content_type="text/html")
    )
    response = page.goto("/crashed/")
    assert response.status == 500
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"
    assert page.get_by_role("main").get_by_role("link", name="My work").get_attribute("href") == "/"
    assert_no_axe_violations(page)
