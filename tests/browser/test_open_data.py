"""The demo manager publishes the OIP as open data from its edit form; a
member of the public, not logged in, finds the feeds from the footer and
reads the programme's projects; axe-clean signed in and out."""

import csv
import io

from playwright.sync_api import expect

from programmes.models import Programme
from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def test_manager_publishes_the_programme_and_the_public_reads_its_feed(seeded, new_page):
    manager = new_page()
    log_in(manager, "demo-manager")
    manager.goto("/programmes/oip/")
    expect(manager.get_by_test_id("open-data")).to_contain_text("signed-in users only")
    follow(manager.get_by_role("link", name="Edit programme"))
    manager.get_by_label("Publish as open data").check()
    follow(manager.get_by_role("button", name="Save"))
    expect(manager.get_by_test_id("open-data")).to_contain_text("published: open to everyone")
    assert Programme.objects.get(ref="oip").open_data_public
    follow(manager.get_by_test_id("open-data").get_by_role("link", name="Open data"))
    expect(manager.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(manager.locator("[data-programme=oip]")).to_contain_text("Published: open to everyone")
    assert_no_axe_violations(manager)

    public = new_page()
    public.goto("/login/")
    follow(public.get_by_role("contentinfo").get_by_role("link", name="Open data"))
    expect(public.get_by_test_id("access")).to_contain_text("open to everyone")
    expect(public.locator("[data-programme]")).to_have_count(1)
    assert_no_axe_violations(public)

    feed = public.request.get("/open-data/programmes/oip/projects.json")
    assert feed.ok
    assert feed.headers["cache-control"] == "public, max-age=300"
    data = feed.json()
    assert data["access"] == "public"
    assert data["count"] == len(data["projects"]) > 0
    assert {project["programme_ref"] for project in data["projects"]} == {"oip"}

    rows = list(csv.DictReader(io.StringIO(public.request.get("/open-data/projects.csv").text().lstrip("\ufeff"))))
    assert {row["programme_ref"] for row in rows} == {"oip"}
    assert {row["rag_label"] for row in rows} <= {"Red", "Amber", "Green", "Complete", "Not yet rated"}
