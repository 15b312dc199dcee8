"""A manager adds a person in the browser, then gives a draft highlight report
an "as at" date and its savings and key milestones sections."""

import datetime

import pytest
from playwright.sync_api import expect

from core import roles
from core.models import RAG, Owner
from programmes.services import draft_highlight_report
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, follow, log_in

PASSWORD = "correct horse battery staple"  # tests.factories.make_user


@pytest.fixture
def draft(transactional_db):
    manager = factories.make_user("pat", roles.PROGRAMME_MANAGER, first_name="Pat", last_name="Manager")
    programme = factories.make_programme(name="Shared Services Programme", ref="shared-services")
    programme.managers.add(manager)
    workstream = factories.make_workstream(programme, name="Priority projects")
    legal = factories.make_project(workstream, name="Shared legal service", rag=RAG.GREEN)
    factories.make_project(workstream, name="Regulatory services", rag=RAG.AMBER)
    factories.make_project_update(
        legal, period_start=datetime.date(2011, 12, 1), period_end=datetime.date(2011, 12, 20), key_progress="Agreed."
    )
    factories.make_benefit(legal, description="Lower management costs", target_amount=350_000)
    factories.make_milestone(
        legal,
        number="1.1",
        name="Business case agreed",
        due_wording="January 2012",
        due_date=datetime.date(2012, 1, 20),
    )
    return draft_highlight_report(
        programme=programme,
        period_start=datetime.date(2011, 12, 1),
        period_end=datetime.date(2011, 12, 31),
        user=manager,
    )


def test_manager_adds_a_person_and_completes_a_draft_report(page, draft):
    log_in(page, "pat", PASSWORD)
    follow(page.get_by_role("link", name="People"))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Add a person or team").click()
    page.get_by_label("Name, as the council writes it").fill("Chris Spellman")
    page.get_by_label("Kind").select_option("person")
    page.get_by_label("Post title").fill("Assistant Director, Organisational Improvement")
    page.get_by_label("Telephone").fill("020 8461 7942")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("post-title")).to_have_text("Assistant Director, Organisational Improvement")
    assert_no_axe_violations(page)
    assert Owner.objects.get(name="Chris Spellman").telephone == "020 8461 7942"

    page.goto(f"/programmes/reports/{draft.pk}/edit/")
    page.get_by_label("As at (if entered after the event)").fill("2012-01-18")
    page.get_by_label("Include the savings and benefits summary").check()
    page.get_by_label("Include key milestones").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("as-at")).to_have_text("As at 18 January 2012")
    expect(page.get_by_role("table", name="Savings and benefits")).to_contain_text("£350,000")
    expect(page.get_by_role("table", name="Key milestones")).to_contain_text("1.1 Business case agreed")
    assert_no_axe_violations(page)

    page.goto(f"/programmes/reports/{draft.pk}/edit/")
    page.get_by_role("button", name="Leave “Regulatory services” out of this report").click()
    left_out = page.get_by_test_id("left-out")
    expect(left_out).to_contain_text("Regulatory services")
    assert_no_axe_violations(page)
    left_out.get_by_role("button", name="Put back “Regulatory services”").click()
    expect(page.get_by_test_id("left-out")).to_contain_text("None: every project active in the period has a row.")
    assert draft.rows.count() == 2
