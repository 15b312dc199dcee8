"""The action form's recommendations are ticked, not Ctrl-clicked: one
checkbox each, grouped under their review area, with a hint (issue 13,
"Every screen")."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionItem
from core.models import RAG
from tests import factories

HINT = "Tick each recommendation this action answers"


@pytest.fixture
def lec(programme):
    """The London Efficiency Challenge 2010, answered by Pat's programme's action plan."""
    review = factories.make_review(title="London Efficiency Challenge 2010")
    access = factories.make_area(review, number=1, title="Customer access")
    buying = factories.make_area(review, number=2, title="Procurement")
    section = factories.make_section(area=access, title="Customer access")
    section.plan.programme = programme
    section.plan.save()
    recommendations = [
        factories.make_recommendation(access, number=1, text="Set up a single contact centre"),
        factories.make_recommendation(access, number=2, text="Publish service standards"),
        factories.make_recommendation(buying, number=1, text="Join a purchasing consortium"),
    ]
    return section, recommendations


def checkboxes(html):
    return re.findall(r'<input type="checkbox"[^>]*name="recommendations"[^>]*>', html)


def test_the_new_action_form_offers_a_checkbox_per_recommendation_under_its_area(client, manager, lec):
    _, recommendations = lec
    client.force_login(manager)
    html = client.get(reverse("actions:create")).content.decode()
    assert len(checkboxes(html)) == 3
    assert not re.search(r'<select[^>]*name="recommendations"', html)  # no Ctrl-click multi-select
    assert HINT in html
    # A legend names the group of checkboxes; each area heads its own recommendations.
    assert re.search(r"<legend[^>]*>\s*Recommendations", html)
    first, second = (
        html.index("London Efficiency Challenge 2010: 1. Customer access"),
        html.index("London Efficiency Challenge 2010: 2. Procurement"),
    )
    assert first < html.index("1.1 Set up a single contact centre") < html.index("1.2 Publish service") < second
    assert second < html.index("2.1 Join a purchasing consortium")
    for recommendation in recommendations:
        assert f'value="{recommendation.pk}"' in html


def test_ticking_several_recommendations_links_them_all(client, manager, lec):
    section, (centre, _, consortium) = lec
    client.force_login(manager)
    data = {
        "title": "Open the contact centre",
        "section": section.pk,
        "rag": RAG.NOT_RATED,
        "recommendations": [centre.pk, consortium.pk],
    }
    response = client.post(reverse("actions:create"), data)
    assert response.status_code == 302
    action = ActionItem.objects.get(title="Open the contact centre")
    assert set(action.recommendations.all()) == {centre, consortium}


def test_the_edit_form_shows_the_linked_recommendations_ticked(client, manager, lec):
    section, (_, standards, _) = lec
    action = factories.make_action([standards], title="Publish standards", section=section)
    client.force_login(manager)
    boxes = checkboxes(client.get(reverse("actions:edit", args=[action.ref])).content.decode())
    ticked = [box for box in boxes if "checked" in box]
    assert len(boxes) == 3
    assert len(ticked) == 1
    assert f'value="{standards.pk}"' in ticked[0]
    data = {"title": "Publish standards", "section": section.pk, "version": action.version}  # all unticked
    assert client.post(reverse("actions:edit", args=[action.ref]), data).status_code == 302
    assert not action.recommendations.exists()


def test_only_recommendations_the_manager_may_choose_are_offered(client, manager, lec):
    other = factories.make_programme(name="Customer Access Programme", ref="cap")
    theirs = factories.make_section(area=factories.make_area(title="Their area"))
    theirs.plan.programme = other
    theirs.plan.save()
    factories.make_recommendation(theirs.area, text="Their recommendation")
    client.force_login(manager)
    html = client.get(reverse("actions:create")).content.decode()
    assert len(checkboxes(html)) == 3
    assert "Their recommendation" not in html
    assert "Their area" not in html


def test_the_new_action_form_runs_constant_queries(client, manager, lec):
    _, recommendations = lec

    def queries():
        with CaptureQueriesContext(connection) as run:
            assert client.get(reverse("actions:create")).status_code == 200
        return len(run)

    client.force_login(manager)
    client.get(reverse("actions:create"))  # warm the session
    few = queries()
    review = recommendations[0].area.review
    for number in range(3, 8):
        area = factories.make_area(review, number=number, title=f"Area {number}")
        for rec in range(1, 4):
            factories.make_recommendation(area, number=rec, text=f"Recommendation {number}.{rec}")
    html = client.get(reverse("actions:create")).content.decode()
    assert len(checkboxes(html)) == 3 + 15
    assert queries() == few
