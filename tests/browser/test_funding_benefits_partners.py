"""A manager records a partner, its funding of a project, the spend profile,
a savings target and what was realised, and finds the project by its partner."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Project
from tests.browser.conftest import assert_no_axe_violations, follow, log_in


def field(page, label):
    """The form field labelled `label`, marked required (“Name*”) or not."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_manager_records_funding_savings_and_partners_and_filters_by_partner(page, seeded):
    project = Project.objects.filter(workstream__programme__ref="oip").order_by("pk").first()
    log_in(page, "demo-manager")

    # A new partner organisation.
    page.goto(reverse("programmes:partners"))
    assert_no_axe_violations(page)
    page.get_by_role("link", name="New partner organisation").click()
    field(page, "Name").fill("Kent County Council")
    field(page, "Short name").fill("KCC")
    page.get_by_role("button", name="Save partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kent County Council")
    assert_no_axe_violations(page)

    # A match funder, not yet secured.
    page.goto(project.get_absolute_url())
    follow(page.get_by_role("link", name="Add a funder"))
    assert_no_axe_violations(page)
    field(page, "Funder").select_option(label="Kent County Council")
    field(page, "Amount (£)").fill("£250,000")
    field(page, "Capital or revenue").select_option(label="Capital")
    field(page, "Decision date as written").fill("July 2010")
    page.get_by_role("button", name="Save funder").click()
    funders = page.get_by_test_id("funders")
    expect(funders.get_by_role("row", name="KCC")).to_contain_text("£250,000")
    expect(funders.get_by_role("row", name="KCC")).to_contain_text("Not secured — decision July 2010")

    # The spend profile, one bad amount first: nothing is saved.
    follow(page.get_by_role("link", name="Edit spend profile"))
    assert_no_axe_violations(page)
    field(page, "Capital, year 1, quarter 3 (£)").fill("83,333")
    field(page, "Capital, year 1, quarter 4 (£)").fill("lots")
    page.get_by_role("button", name="Save spend profile").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter an amount in pounds")
    assert_no_axe_violations(page)
    field(page, "Capital, year 1, quarter 4 (£)").fill("£83,333")
    page.get_by_role("button", name="Save spend profile").click()
    expect(page.get_by_test_id("spend-capital-total")).to_have_text("£166,666")

    # A savings target as a percentage of a base, then an amount realised.
    page.get_by_role("link", name="Add a benefit").click()
    field(page, "Type").select_option(label="Cash savings")
    field(page, "Description").fill("Savings in the combined management of both councils")
    field(page, "At least / a minimum of").check()
    field(page, "Target (%)").fill("20")
    field(page, "Percentage of").fill("combined management cost")
    field(page, "Financial year").fill("2012/13")
    page.get_by_role("button", name="Save benefit").click()
    benefits = page.get_by_test_id("benefits")
    expect(benefits).to_contain_text("at least 20% of combined management cost")
    expect(benefits).to_contain_text("2012/13")
    benefits.get_by_role("link", name="Record realised").first.click()
    field(page, "Realised (£)").fill("120000")
    page.get_by_role("button", name="Save amount realised").click()
    expect(page.get_by_test_id("benefits")).to_contain_text("2012/13: £120,000")
    assert_no_axe_violations(page)

    # The partner's role on the project.
    page.get_by_role("link", name="Add a partner", exact=True).click()
    field(page, "Partner").select_option(label="Kent County Council")
    field(page, "Role").select_option(label="Lead")
    field(page, "Share as written").fill("a third of the costs and savings")
    page.get_by_role("button", name="Save partner's role").click()
    expect(page.get_by_test_id("partners")).to_contain_text("a third of the costs and savings")
    assert_no_axe_violations(page)

    # All projects, by partner: exactly this project.
    page.goto(reverse("programmes:projects"))
    field(page, "Partner").select_option(label="Kent County Council")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 project found.")
    expect(page.get_by_role("link", name=project.name, exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    # The programme page rolls up what was realised.
    page.goto(project.workstream.programme.get_absolute_url())
    expect(page.locator("#savings")).to_contain_text("£120,000")
    assert_no_axe_violations(page)
