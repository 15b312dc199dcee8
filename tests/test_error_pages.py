"""The 403, 404, 500 and CSRF-failure pages: the site's layout, plain words,
what to do next, and nothing about the code behind them (with DEBUG off)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import path
from django.views.defaults import server_error

from bromley_oip.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("database password is hunter2")


def refuse(request):
    raise PermissionDenied


# The site's own URLs plus two that fail, for the 500 and the bare 403 (ROOT_URLCONF = this module).
urlpatterns = [*site_urlpatterns, path("test-boom/", boom), path("test-refuse/", refuse)]

DEBUG_PAGE_WORDS = ["URLconf", "Traceback", "urlpatterns", "The current path", "Django", "settings.py"]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def assert_leaks_nothing(html):
    for words in DEBUG_PAGE_WORDS:
        assert words not in html, f"the error page says {words!r}"


def assert_site_layout(html, user):
    assert 'aria-label="Main"' in html
    assert '<main id="main"' in html
    assert "All actions" in html  # the navigation
    assert f"({user.username})" in html  # the user menu: "Logged in as …"
    assert 'href="/"' in html  # My work, the home page
    assert "contact the programme office" in html


def test_a_missing_page_says_so_in_the_site_layout(client, officer):
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found · OIP Tracker</title>" in html
    assert "There is no page at this address" in html
    assert_site_layout(html, officer)
    assert_leaks_nothing(html)


def test_a_missing_object_does_not_name_the_model(client, officer):
    client.force_login(officer)
    response = client.get("/actions/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "matches the given query" not in html
    assert_leaks_nothing(html)


def test_a_missing_page_for_someone_not_logged_in_offers_the_login(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/login/"' in html
    assert "Logged in as" not in html
    assert_leaks_nothing(html)


def test_a_refusal_shows_the_views_reason_in_the_site_layout(client, officer):
    client.force_login(officer)
    response = client.get("/imports/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot open this page" in html
    assert "Only programme managers and administrators can import spreadsheets." in html
    assert "your username, alice" in html
    assert_site_layout(html, officer)
    assert_leaks_nothing(html)


def test_a_refusal_without_a_reason_still_says_what_to_do(client, officer, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(officer)
    response = client.get("/test-refuse/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot open this page" in html
    assert 'data-testid="error-reason"' not in html
    assert_site_layout(html, officer)


def test_a_server_error_page_needs_no_request_context_nor_database():
    # No `db` fixture: pytest-django refuses any query, so rendering it proves it needs none.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<meta name="viewport"' in html
    assert "Something went wrong" in html
    assert "<main" in html
    assert 'href="/"' in html
    assert "contact the programme office" in html
    assert "Logged in as" not in html  # no user menu: there is no user to show
    assert_leaks_nothing(html)


def test_a_crash_shows_the_server_error_page_and_no_detail(client, officer, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(officer)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "hunter2" not in html
    assert "RuntimeError" not in html
    assert_leaks_nothing(html)


def test_a_form_sent_without_its_csrf_token_says_nothing_was_saved(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post("/logout/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form could not be sent" in html
    assert "Nothing was saved" in html
    assert "CSRF" not in html
    assert_site_layout(html, officer)
    assert_leaks_nothing(html)


@pytest.mark.parametrize("status", [403, 404])
def test_error_pages_carry_a_viewport_meta_tag(client, officer, status):
    client.force_login(officer)
    response = client.get({403: "/imports/", 404: "/no-such-page/"}[status])
    assert response.status_code == status
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in response.content.decode()
