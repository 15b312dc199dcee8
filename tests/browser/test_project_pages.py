"""A manager fills in a project's initiation document and moves the project,
from its page, with the keyboard-reachable links and forms; axe-clean."""

from playwright.sync_api import expect

from programmes.models import Project
from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def test_manager_writes_the_initiation_document_and_moves_the_project(page, seeded):
    project = Project.objects.get(ref="oip-voice-recognition")
    log_in(page, "demo-manager")
    page.goto(project.get_absolute_url())
    follow(page.get_by_role("link", name="Edit initiation document"))
    assert_no_axe_violations(page)

    page.get_by_label("Objectives").fill("To handle high volume service requests by voice recognition.")
    page.get_by_label("Governance").fill("Reported to the Customer Contact Centre board.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{project.get_absolute_url()}")
    initiation = page.locator("#initiation")
    expect(initiation.get_by_text("To handle high volume service requests by voice recognition.")).to_be_visible()
    assert_no_axe_violations(page)

    follow(page.get_by_role("link", name="Move project"))
    assert_no_axe_violations(page)
    page.get_by_label("Move to workstream").select_option(label="Shared Services: Priority projects")
    page.get_by_label("Reason for the move").fill("Taken over by the Shared Services programme")
    page.get_by_role("button", name="Move the project").click()
    page.wait_for_url(f"**{project.get_absolute_url()}")
    expect(page.get_by_text("Taken over by the Shared Services programme").first).to_be_visible()
    assert_no_axe_violations(page)
    project.refresh_from_db()
    assert project.workstream.programme.ref == "shared-services"
    assert project.objectives.startswith("To handle high volume")
