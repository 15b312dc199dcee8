"""A programme manager ticks the recommendations a new action answers, from
the keyboard, with no Ctrl-click (issue 13, "Every screen")."""

from django.urls import reverse
from playwright.sync_api import expect

from actions.models import ActionItem
from tests.browser.conftest import assert_no_axe_violations, log_in

TITLE = "Answer two recommendations at once"


def test_manager_ticks_two_recommendations_with_the_keyboard(page, seeded):
    log_in(page, "demo-manager")
    page.goto(reverse("actions:create"))
    expect(page.get_by_text("Tick each recommendation this action answers")).to_be_visible()
    boxes = page.get_by_role("group", name="Recommendations").get_by_role("checkbox")
    first, second = boxes.nth(0), boxes.nth(1)
    chosen = {first.get_attribute("value"), second.get_attribute("value")}
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(second).to_be_checked()
    assert_no_axe_violations(page)

    page.get_by_label("Title").fill(TITLE)
    page.locator("#id_section").select_option(index=1)
    page.locator("form input[type=submit]").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    action = ActionItem.objects.get(title=TITLE)
    assert {str(pk) for pk in action.recommendations.values_list("pk", flat=True)} == chosen
