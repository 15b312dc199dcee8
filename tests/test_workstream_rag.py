"""A workstream nobody has rated shows the RAG of its projects (the worst open
one's), in words, or says why it has none, instead of “Not yet rated” over
Amber projects."""

import datetime
import re

import pytest

from core.models import RAG
from programmes.models import ProjectStage
from tests import factories


def workstream_heading(html, workstream):
    """The text of the workstream's heading on the programme page, tags removed."""
    match = re.search(rf'<h3 id="ws-{workstream.pk}"[^>]*>(.*?)</h3>', html, re.S)
    assert match, f"no heading for {workstream}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


CLOSED = {"closed_on": datetime.date(2010, 5, 28), "closure_note": "Handed over to business as usual."}


@pytest.fixture
def page(client, officer, programme):
    client.force_login(officer)
    return lambda: client.get(programme.get_absolute_url()).content.decode()


def test_unrated_workstream_shows_its_worst_open_projects_rag(page, programme):
    ws = factories.make_workstream(programme, name="Self-service and ICT")
    factories.make_project(ws, rag=RAG.GREEN)
    factories.make_project(ws, rag=RAG.AMBER)
    factories.make_project(ws, rag=RAG.RED, stage=ProjectStage.CLOSED, **CLOSED)  # closed: no longer counts
    factories.make_project(ws, rag=RAG.NOT_RATED)
    assert workstream_heading(page(), ws) == "Workstream: Self-service and ICT Amber (From its projects)"


def test_workstreams_own_rating_wins(page, programme):
    ws = factories.make_workstream(programme, name="Aligning Policy and Finance", rag=RAG.GREEN)
    factories.make_project(ws, rag=RAG.RED)
    assert workstream_heading(page(), ws) == "Workstream: Aligning Policy and Finance Green"


def test_workstream_whose_projects_are_all_complete_shows_complete(page, programme):
    ws = factories.make_workstream(programme, name="Procurement")
    factories.make_project(ws, rag=RAG.COMPLETE)
    factories.make_project(ws, rag=RAG.AMBER, stage=ProjectStage.CLOSED, **CLOSED)
    assert workstream_heading(page(), ws) == "Workstream: Procurement Complete (All its projects are complete)"


def test_workstream_without_projects_says_so(page, programme):
    ws = factories.make_workstream(programme, name="Staff engagement")
    assert workstream_heading(page(), ws) == "Workstream: Staff engagement Not yet rated (No projects yet)"


def test_workstream_whose_projects_are_unrated_says_so(page, programme):
    ws = factories.make_workstream(programme, name="Customer access")
    factories.make_project(ws, rag=RAG.NOT_RATED)
    assert (
        workstream_heading(page(), ws) == "Workstream: Customer access Not yet rated (Its projects are not yet rated)"
    )


@pytest.mark.parametrize("projects", [3, 30])
def test_roll_up_keeps_the_programme_page_queries_constant(
    client, officer, programme, officer_team, projects, django_assert_num_queries
):
    workstreams = [factories.make_workstream(programme, owner=officer_team) for _ in range(3)]
    for i in range(projects):
        factories.make_project(workstreams[i % 3], owner=officer_team, rag=[RAG.RED, RAG.AMBER, RAG.GREEN][i % 3])
    client.force_login(officer)
    # As tests/test_pages.py's overview count: the roll-up reads the prefetched projects.
    with django_assert_num_queries(23):  # with the data stamp and the page's heading (page cache)
        response = client.get(programme.get_absolute_url())
    html = response.content.decode()
    headings = [workstream_heading(html, ws) for ws in workstreams]
    assert [heading.split(" ", 3)[-1] for heading in headings] == [
        "Red (From its projects)",
        "Amber (From its projects)",
        "Green (From its projects)",
    ]
