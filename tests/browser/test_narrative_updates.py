"""The demo manager drafts the OIP update of 18 January 2012 from the project
updates, rewrites a paragraph, and sees it numbered on the page and in print."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import NarrativeUpdate, Programme
from tests.browser.conftest import assert_no_axe_violations, follow, log_in

REWRITTEN = "Phase 3 of the Voice Recognition project went live to the public on 16 January 2012."


def test_manager_drafts_edits_and_reads_the_numbered_narrative_update(page, seeded):
    oip = Programme.objects.get(ref="oip")
    log_in(page, "demo-manager")
    page.goto(oip.get_absolute_url())
    follow(page.get_by_role("link", name="Narrative updates"))
    assert_no_axe_violations(page)

    follow(page.get_by_role("link", name="Draft a narrative update"))
    assert_no_axe_violations(page)
    page.get_by_label(re.compile(r"^\s*Covers from")).fill("2011-10-01")
    page.get_by_label(re.compile(r"^\s*Covers to")).fill("2012-01-18")
    page.get_by_role("button", name="Draft the narrative update").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Organisational Improvement Programme update")
    assert_no_axe_violations(page)

    voice = page.get_by_role("group", name="Voice Recognition")
    expect(voice.get_by_label(re.compile(r"^\s*Paragraphs"))).to_have_value(
        re.compile(r"^Phase 3 of the Voice Recognition project is looking")
    )
    voice.get_by_label(re.compile(r"^\s*Paragraphs")).fill(REWRITTEN)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Draft")).to_be_visible()
    narrative = NarrativeUpdate.objects.get()
    number = next(
        paragraph.number
        for _, paragraphs in narrative.numbered_sections()
        for paragraph in paragraphs
        if paragraph.text == REWRITTEN
    )
    paragraph = page.locator(".narrative-paragraph").filter(has_text=REWRITTEN)
    expect(paragraph.locator(".paragraph-number")).to_have_text(number)
    expect(page.get_by_role("heading", name="Voice Recognition", level=3)).to_be_visible()
    expect(page.get_by_text("3.14 Phase 3")).to_have_count(0)
    assert_no_axe_violations(page)

    page.goto(reverse("programmes:narrative_print", args=[narrative.pk]))
    expect(page.locator(".narrative-paragraph").filter(has_text=REWRITTEN)).to_contain_text(number)
    assert_no_axe_violations(page)
