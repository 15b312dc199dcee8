"""What the list pages' speed-ups (issue 13, point 3; bench/list_pages.py)
must not change: the review page of a large plan shows one area's actions at
a time and everything on request, in a fixed number of queries; the quick
drop-downs, RAG badges, due dates and dates print what Django's templates
printed."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from actions import access
from core.models import RAG
from core.widgets import QuickSelect
from tests import factories


def build_review(areas, actions_per_area, owner):
    """`areas` areas, each with two recommendations answered by
    `actions_per_area` actions between them, and one other action under the
    area's plan section."""
    review = factories.make_review(title="London Efficiency Challenge")
    for a in range(areas):
        area = factories.make_area(review, number=a + 1, title=f"Area number {a + 1}")
        section = factories.make_section(area=area)
        recs = [factories.make_recommendation(area, text=f"Recommendation {a + 1}.{r + 1}") for r in range(2)]
        for i in range(actions_per_area):
            factories.make_action([recs[i % 2]], owner=owner, section=section, title=f"Action {a + 1}-{i + 1}")
        factories.make_action(owner=owner, section=section, title=f"Other action {a + 1}")
    return review


@pytest.fixture
def small_page_limit(monkeypatch):
    monkeypatch.setattr(access, "REVIEW_PAGE_ROWS", 5)


def test_large_review_shows_the_first_areas_actions_and_counts_for_the_others(
    client, officer, officer_team, small_page_limit
):
    review = build_review(areas=3, actions_per_area=4, owner=officer_team)
    client.force_login(officer)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "This review has 15 action rows" in html
    assert "Action 1-1" in html
    assert "Other action 1" in html
    assert "Action 2-1" not in html
    assert "Other action 2" not in html
    # Every area's recommendations are there, with how many actions answer each.
    assert "Recommendation 2.1" in html
    assert "Recommendation 3.2" in html
    assert "2 actions answer this." in html
    assert 'href="?area=2#area-2"' in html
    assert "1 other action under" in html
    assert """<a href="?area=all">Show every area's actions</a>""" in html


def test_large_review_shows_the_chosen_area_or_every_area(client, officer, officer_team, small_page_limit):
    review = build_review(areas=3, actions_per_area=4, owner=officer_team)
    client.force_login(officer)
    second = client.get(review.get_absolute_url() + "?area=2").content.decode()
    assert "Action 2-1" in second
    assert "Action 1-1" not in second
    assert 'href="?area=2#area-2" aria-current="true"' in second
    everything = client.get(review.get_absolute_url() + "?area=all").content.decode()
    assert everything.count('data-action="') == 15
    assert "This review has" not in everything
    # An area that does not exist shows the first.
    assert "Action 1-1" in client.get(review.get_absolute_url() + "?area=99").content.decode()


def test_small_review_shows_every_action_without_choosing(client, officer, officer_team):
    review = build_review(areas=3, actions_per_area=4, owner=officer_team)
    client.force_login(officer)
    html = client.get(review.get_absolute_url()).content.decode()
    assert html.count('data-action="') == 15
    assert "This review has" not in html


@pytest.mark.parametrize("size", [1, 4])
def test_large_review_page_runs_constant_queries(
    client, officer, officer_team, small_page_limit, size, django_assert_num_queries
):
    review = build_review(areas=size + 1, actions_per_area=size * 2, owner=officer_team)
    client.force_login(officer)
    with django_assert_num_queries(16):  # with the data stamp and the page's heading (page cache)
        response = client.get(review.get_absolute_url())
    assert response.content.count(b'data-action="') == size * 2 + 1


def test_quick_select_marks_the_chosen_option_and_escapes_labels():
    widget = QuickSelect(choices=[("", "Any owner"), (1, "OIP <Team>"), (2, "HR")], attrs={"id": "id_owner"})
    html = widget.render("owner", "1")
    assert html == (
        '<select name="owner" id="id_owner"><option value="">Any owner</option>'
        '<option value="1" selected>OIP &lt;Team&gt;</option><option value="2">HR</option></select>'
    )


def test_filter_drop_downs_keep_the_chosen_owner(client, officer, officer_team):
    factories.make_action(owner=officer_team)
    client.force_login(officer)
    html = client.get(f"/actions/?owner={officer_team.pk}").content.decode()
    assert f'<option value="{officer_team.pk}" selected>{officer_team.name}</option>'.replace("'", "&#x27;") in html


def render(source, **context):
    return Template("{% load core_tags %}" + source).render(Context(context))


@pytest.mark.parametrize("month", range(1, 13))
def test_short_date_prints_what_the_date_filter_prints(month):
    day = datetime.date(2010, month, 9)
    with translation.override("en-gb"):
        assert render("{{ d|short_date }}", d=day) == render('{{ d|date:"j M Y" }}', d=day)
    assert render("{{ d|short_date|default:'None' }}", d=None) == "None"


def test_rag_badge_and_due_print_the_words(db):
    action = factories.make_action(rag=RAG.AMBER, due_date=datetime.date(2010, 4, 30), due_wording="by end of <April>")
    assert render("{% rag_badge 'amber' %}") == '<span class="rag rag-amber">Amber</span>'
    assert render("{% rag_badge '' %}") == '<span class="rag rag-not_rated">Not yet rated</span>'
    html = render("{% due action %}", action=action)
    assert '<time datetime="2010-04-30">30 Apr 2010</time>' in html
    assert "“by end of &lt;April&gt;”" in html
    assert '<span class="overdue-flag">Overdue</span>' in html
    assert '<span class="text-body-secondary">No date</span>' in render(
        "{% due action %}", action=factories.make_action(due_date=None)
    )


def test_all_actions_lists_an_action_once_whatever_joins_the_filters_make(client, officer):
    """DISTINCT is asked for only with a filter across recommendations
    (core.filters.AccountableFilterSet.repeating_filters), and then works."""
    area = factories.make_area()
    both = [factories.make_recommendation(area), factories.make_recommendation(area)]
    factories.make_action(title="Answers two of the area's recommendations", recommendations=both)
    factories.make_action(title="Answers nothing")
    client.force_login(officer)
    for params in ({}, {"area": area.pk}, {"q": "answers"}):
        html = client.get(reverse("actions:list"), params).content.decode()
        assert html.count("Answers two of the area&#x27;s recommendations</a>") == 1, params
    assert "1 action found." in client.get(reverse("actions:list"), {"area": area.pk}).content.decode()
