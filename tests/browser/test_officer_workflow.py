"""An officer records progress on their overdue actions in a real browser."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ActionItem
from programmes.models import Project
from tests.browser.conftest import assert_no_axe_violations, log_in

NOTE = "Briefing agreed with COE; awaiting dates"


def oip_team_action_refs():
    return set(ActionItem.objects.filter(owner__name="OIP Team").values_list("ref", flat=True))


def first_overdue_oip_team_row(page):
    """The first row of the Overdue group on My work that is an OIP Team action."""
    overdue = page.locator("section#overdue")
    expect(overdue.get_by_role("heading", name=re.compile(r"^Overdue"))).to_be_visible()
    refs = oip_team_action_refs()
    assert refs, "the seed data should give the OIP Team some actions"
    for row in overdue.locator("tbody tr[data-work^='action-']").all():
        ref = row.get_attribute("data-work").removeprefix("action-")
        if ref in refs:
            return row, ref
    raise AssertionError("no OIP Team action in the Overdue group of My work")


def test_officer_updates_overdue_action_from_my_work(page, seeded):
    log_in(page, "demo-officer")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    row, ref = first_overdue_oip_team_row(page)
    title = ActionItem.objects.get(ref=ref).title

    row.get_by_role("link", name=re.compile(r"^Update")).click()
    expect(page).to_have_url(re.compile(rf"/{re.escape(ref)}/update/$"))
    expect(page.get_by_role("heading", name="Record an update")).to_be_visible()
    page.get_by_label("Progress note").fill(NOTE)
    page.get_by_label("RAG status").select_option(label="Amber")
    page.get_by_role("button", name="Save update").click()

    expect(page).to_have_url(re.compile(rf"/{re.escape(ref)}/$"))
    expect(page.get_by_role("status").filter(has_text="Update saved for")).to_be_visible()
    latest = page.locator("ol.timeline > li").first
    expect(latest).to_contain_text(NOTE)
    expect(latest.locator(".rag").last).to_have_text("Amber")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="All actions").click()
    filters = page.get_by_role("form", name="Filter")
    filters.get_by_role("checkbox", name="Amber", exact=True).check()
    filters.get_by_label("Search").fill("Briefing")
    filters.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]rag=amber(&|$)"))
    assert "q=Briefing" in page.url
    expect(page.locator(f"tr[data-action='{ref}']")).to_contain_text(title)
    # The form shows the filters that produced the page.
    filters = page.get_by_role("form", name="Filter")
    expect(filters.get_by_role("checkbox", name="Amber", exact=True)).to_be_checked()
    expect(filters.get_by_label("Search")).to_have_value("Briefing")


def test_second_editor_gets_conflict_message_and_keeps_text(new_page, seeded):
    first, second = new_page(), new_page()
    log_in(first, "demo-officer")
    log_in(second, "demo-manager")
    _, ref = first_overdue_oip_team_row(first)
    update_url = reverse("actions:update", args=[ref])
    first.goto(update_url)
    second.goto(update_url)

    first.get_by_label("Progress note").fill("First: chased the COE for dates")
    first.get_by_role("button", name="Save update").click()
    expect(first.get_by_role("status").filter(has_text="Update saved for")).to_be_visible()

    theirs = "Second: the committee asked for a revised plan"
    second.get_by_label("Progress note").fill(theirs)
    second.get_by_label("RAG status").select_option(label="Red")
    second.get_by_role("button", name="Save update").click()

    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("saved this while you were editing")
    expect(alert).to_contain_text("your changes have not been saved")
    expect(second.get_by_label("Progress note")).to_have_value(theirs)
    expect(second.get_by_label("RAG status")).to_have_value("red")
    # The form now carries the version the first editor saved, so a second save goes through.
    second.get_by_role("button", name="Save update").click()
    expect(second.get_by_role("status").filter(has_text="Update saved for")).to_be_visible()
    timeline = second.locator("ol.timeline > li")
    expect(timeline.nth(0)).to_contain_text(theirs)
    expect(timeline.nth(1)).to_contain_text("First: chased the COE for dates")
    assert ActionItem.objects.get(ref=ref).updates.count() >= 2


def focused(page, script="el => el"):
    return page.evaluate(f"({script})(document.activeElement)")


def tab_until(page, predicate_js, limit=80, key="Tab"):
    """Press Tab until the focused element satisfies the JS predicate."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"({predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element matching {predicate_js}")


def assert_focus_visible(page):
    """The focused element shows the app's focus outline, not just the browser's or Bootstrap's faint ring."""
    style = focused(
        page,
        """el => {
            const s = getComputedStyle(el);
            return {visible: el.matches(':focus-visible'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }""",
    )
    assert style["visible"], style
    assert style["outline"] != "none", style
    assert style["width"] >= 2, style


def test_update_flow_works_with_keyboard_only(page, seeded):
    log_in(page, "demo-officer")
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    assert focused(page, "el => el.textContent.trim()") == "Skip to main content"
    assert_focus_visible(page)
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()

    tab_until(page, "el => el.matches('section#overdue tr[data-work^=\"action-\"] a.btn-oip')")
    assert_focus_visible(page)
    ref = focused(page, "el => el.closest('tr').dataset.work").removeprefix("action-")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{re.escape(ref)}/update/$"))

    tab_until(page, "el => el.id === 'id_note'")
    assert_focus_visible(page)
    page.keyboard.type(NOTE)
    tab_until(page, "el => el.id === 'id_rag'")
    assert_focus_visible(page)
    # Arrow keys move through the options without opening the list; Amber is second.
    steps = focused(page, "el => el.selectedIndex - [...el.options].findIndex(o => o.value === 'amber')")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowUp" if steps > 0 else "ArrowDown")
    expect(page.get_by_label("RAG status")).to_have_value("amber")
    tab_until(page, "el => el.type === 'submit' && el.value === 'Save update'")
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{re.escape(ref)}/$"))
    expect(page.get_by_role("status").filter(has_text="Update saved for")).to_be_visible()
    latest = page.locator("ol.timeline > li").first
    expect(latest).to_contain_text(NOTE)
    expect(latest.locator(".rag").last).to_have_text("Amber")


def test_officer_pages_have_no_wcag_violations(new_page, seeded):
    page = new_page()
    log_in(page, "demo-officer")
    ref = sorted(oip_team_action_refs())[0]
    actions_url = reverse("actions:list")
    for url in [
        reverse("home"),
        actions_url,
        f"{actions_url}?rag=amber&rag=red&overdue=on&o=-due",
        f"{actions_url}?q=no-such-words-anywhere",
        reverse("actions:detail", args=[ref]),
        reverse("actions:update", args=[ref]),
        reverse("programmes:projects"),
    ]:
        page.goto(url)
        assert_no_axe_violations(page)
        if "no-such-words" in url:
            expect(page.get_by_test_id("result-count")).to_have_text("0 actions found.")

    page.goto(reverse("actions:update", args=[ref]))
    page.get_by_label("Update as at").fill("")
    page.get_by_role("button", name="Save update").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Write a progress note")
    assert_no_axe_violations(page)

    # The manager of the OIP may update its projects.
    page = new_page()
    log_in(page, "demo-manager")
    project = Project.objects.filter(workstream__programme__ref="oip").order_by("pk").first()
    page.goto(reverse("programmes:project_update", args=[project.ref]))
    expect(page.get_by_role("heading", name="Record a project update")).to_be_visible()
    assert_no_axe_violations(page)


def test_clerk_cannot_update_actions(page, seeded):
    log_in(page, "demo-clerk")
    ref = sorted(oip_team_action_refs())[0]
    page.goto(reverse("actions:detail", args=[ref]))
    expect(page.get_by_role("heading", level=1)).to_have_text(ActionItem.objects.get(ref=ref).title)
    expect(page.get_by_role("link", name="Record an update")).to_have_count(0)

    response = page.goto(reverse("actions:update", args=[ref]))
    assert response.status == 403
    expect(page.get_by_label("Progress note")).to_have_count(0)
