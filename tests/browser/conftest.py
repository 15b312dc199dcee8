"""Playwright driving Debian's Chromium against pytest-django's live server."""

import io
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections

from core.pdf import CHROMIUM_ARGS
from tests.conftest import IN_CI
from tests.seed_cache import restore_seed_data

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "demo-browser-pass"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    # After the test database is set up, so closed before it is torn down (below).
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"CI=true but {CHROMIUM} is missing: the browser tests must run in CI")
        pytest.skip(f"SKIPPED browser tests: {CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()
        # While Playwright's event loop runs in this thread, Django keeps the
        # thread's database connections apart from those it opened before
        # (asgiref's Local goes by context once a loop is running), and the
        # test database's teardown closes only those. Close these now, or
        # PostgreSQL refuses to drop a database "being accessed by other users".
        connections.close_all()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a fresh browser context (its own cookies) per call: two people at once."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def seeded(transactional_db, monkeypatch):
    """The real 2010 data and the demo accounts, as `make run` sets them up
    (the data restored from the session's first real load: tests/seed_cache.py)."""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    restore_seed_data()
    call_command("create_demo_users", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _seeded_first(request):
    # Seed before any other fixture adds rows, so the seeds can be restored rather than loaded.
    if "seeded" in request.fixturenames:
        request.getfixturevalue("seeded")


def log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def follow(link):
    """Clicks a link and waits for the page it opens, so that what runs next
    (axe above all) sees the new page, not the old one or none mid-navigation."""
    with link.page.expect_navigation():
        link.click()


def assert_no_axe_violations(page):
    page.wait_for_load_state("load")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def run_worker():
    """The real background worker (`manage.py db_worker`, as `make run` and the
    production service start it) until the queue is empty. It installs its own
    Ctrl-C handlers; pytest gets its own back."""
    import signal

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
