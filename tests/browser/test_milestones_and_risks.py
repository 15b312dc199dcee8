"""A manager adds a milestone and a risk to a project; the officer who
answers for the milestone records it achieved; the programme page rolls
them up. Every page on the way passes the axe checks."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import Milestone, MilestoneStatus, Project, Risk
from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def test_manager_adds_a_milestone_and_a_risk_and_the_officer_records_it_achieved(new_page, seeded):
    project = Project.objects.active().filter(workstream__programme__ref="oip").order_by("pk").first()
    target = timezone.localdate() + datetime.timedelta(days=30)

    manager = new_page()
    log_in(manager, "demo-manager")
    manager.goto(project.get_absolute_url())
    follow(manager.get_by_role("link", name="Add a milestone"))
    assert_no_axe_violations(manager)
    manager.get_by_label("No.").fill("9.1")
    manager.get_by_label("Project stage or phase").fill("Implementation")
    manager.locator("#id_name").fill("Browser-tested milestone signed off")
    manager.get_by_label("Target date as written").fill("next month")
    manager.locator("#id_due_date").fill(target.isoformat())
    manager.get_by_label("Responsible officer").select_option(label="OIP Team")
    follow(manager.get_by_role("button", name="Save"))

    milestone = Milestone.objects.get(name="Browser-tested milestone signed off")
    row = manager.locator(f'[data-milestone="{milestone.ref}"]')
    expect(row).to_contain_text("Not started")
    expect(row).to_contain_text("“next month”")
    assert_no_axe_violations(manager)

    follow(manager.get_by_role("link", name="Add a risk or issue"))
    assert_no_axe_violations(manager)
    manager.get_by_label("Description").fill("Browser-tested risk: suppliers slip")
    manager.get_by_label("Probability").select_option(label="Medium")
    manager.get_by_label("Impact").select_option(label="High")
    manager.get_by_label("Escalated to the programme").check()
    follow(manager.get_by_role("button", name="Save"))
    risk = Risk.objects.get(description="Browser-tested risk: suppliers slip")
    expect(manager.locator(f'[data-risk="{risk.ref}"]')).to_contain_text("M/H, score 6 (High)")
    assert_no_axe_violations(manager)

    officer = new_page()
    log_in(officer, "demo-officer")
    officer.goto(project.get_absolute_url())
    follow(officer.locator(f'[data-milestone="{milestone.ref}"]').get_by_role("link", name="Update"))
    assert_no_axe_violations(officer)
    officer.locator("#id_status").select_option(label="Achieved")
    officer.get_by_label("Date achieved").fill(timezone.localdate().isoformat())
    follow(officer.get_by_role("button", name="Save progress"))

    row = officer.locator(f'[data-milestone="{milestone.ref}"]')
    expect(row).to_contain_text("Achieved")
    expect(officer.get_by_text("Progress saved for milestone")).to_be_visible()
    assert_no_axe_violations(officer)
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.ACHIEVED

    officer.goto(project.workstream.programme.get_absolute_url())
    expect(officer.get_by_role("heading", name="Milestones and risks")).to_be_visible()
    assert_no_axe_violations(officer)
