"""A manager closes a project from its page, and it leaves the next draft report."""

from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Project, ProjectStage
from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def test_manager_closes_a_project_and_the_page_says_closed(page, seeded):
    project = Project.objects.filter(workstream__programme__ref="oip").order_by("pk").first()
    log_in(page, "demo-manager")
    page.goto(project.get_absolute_url())
    follow(page.get_by_role("link", name="Close, hold or resume"))
    assert_no_axe_violations(page)

    page.get_by_label("Closed").check()
    page.get_by_label("Closing date").fill("2012-01-18")
    page.get_by_label("Closure note").fill("Outcome: merged into the customer access programme. Lessons: scope early.")
    page.get_by_role("button", name="Save stage and status").click()

    page.wait_for_url(f"**{project.get_absolute_url()}")
    expect(page.get_by_test_id("status")).to_have_text("Closed")
    expect(page.get_by_text("Lessons: scope early.").first).to_be_visible()
    assert_no_axe_violations(page)
    project.refresh_from_db()
    assert project.stage == ProjectStage.CLOSED

    page.goto(reverse("programmes:projects") + "?status=closed")
    expect(page.get_by_role("link", name=project.name)).to_be_visible()
    assert_no_axe_violations(page)
