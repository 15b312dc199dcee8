"""The project initiation document's sections (issue 10, point 2): objectives,
scope and exclusions, dependencies, assumptions and constraints, governance."""

import datetime

import pytest
from django.urls import reverse

from programmes.models import Project
from tests import factories

OBJECTIVES = "To realise 10-15% channel shift to web self service systems."
SCOPE = "The development of a common online self service portal is in scope."


@pytest.fixture
def project(programme):
    return factories.make_project(factories.make_workstream(programme), name="Website upgrade")


def initiation_data(project, **overrides):
    data = {
        "version": project.version,
        "start_date": "2010-06-01",
        "start_wording": "June 2010",
        "objectives": OBJECTIVES,
        "scope": SCOPE,
        "exclusions": "",
        "dependencies": "There is clearly a relationship to the Capital Ambition funded project.",
        "assumptions": "",
        "constraints_note": "Sufficient pump prime funding.",
        "governance": "The project board will include one representative from each borough.",
    }
    return {**data, **overrides}


def test_manager_records_the_initiation_document_and_the_page_shows_it(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:project_initiation", args=[project.ref])
    response = client.post(url, initiation_data(project))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.objectives == OBJECTIVES
    assert project.start_date == datetime.date(2010, 6, 1)
    page = client.get(project.get_absolute_url()).content.decode()
    for text in ["Initiation document", "Objectives", OBJECTIVES, "In scope", SCOPE, "Constraints", "June 2010"]:
        assert text in page
    assert "Specific exclusions" not in page  # empty sections are left out
    assert project.history.first().history_user == manager


def test_project_without_one_says_so(client, officer, project):
    client.force_login(officer)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "No objectives, scope, dependencies or governance recorded yet." in page
    assert reverse("programmes:project_initiation", args=[project.ref]) not in page


@pytest.mark.parametrize("who", ["officer", "colleague", "outsider", "clerk"])
def test_only_the_programmes_managers_edit_it(client, request, who, project):
    client.force_login(request.getfixturevalue(who))
    url = reverse("programmes:project_initiation", args=[project.ref])
    assert client.get(url).status_code == 403
    assert client.post(url, initiation_data(project)).status_code == 403
    assert Project.objects.get(pk=project.pk).objectives == ""


def test_a_stale_copy_is_refused_with_the_conflict_message(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:project_initiation", args=[project.ref])
    stale = initiation_data(project)
    client.post(url, initiation_data(project, objectives="First save."))
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "saved this while you were editing it" in response.content.decode()
    project.refresh_from_db()
    assert project.objectives == "First save."


def test_over_long_text_is_refused_and_nothing_saved(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:project_initiation", args=[project.ref])
    response = client.post(url, initiation_data(project, governance="x" * 10_001))
    assert response.status_code == 200
    assert "10,000 characters or fewer" in response.content.decode()
    project.refresh_from_db()
    assert project.objectives == ""
