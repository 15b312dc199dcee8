"""Two managers editing one draft highlight report never silently overwrite
each other: the edit page carries the version it loaded, and a save from a
stale page (after another manager's save, a row left out or put back, or
appendix figures chosen) saves nothing and says why, keeping what was typed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from core import roles
from core.models import RAG
from programmes.models import HighlightReport
from programmes.services import draft_highlight_report, remove_report_row
from tests import factories
from tests.test_admin import form_data
from tests.test_highlight_reports import edit_data

START, END = datetime.date(2011, 12, 1), datetime.date(2011, 12, 31)
CONFLICT = "saved this while you were editing it, so your changes have not been saved."


@pytest.fixture
def colleague_manager(programme):
    """Quentin: a second manager of Pat's programme."""
    user = factories.make_user("quentin", roles.PROGRAMME_MANAGER, first_name="Quentin", last_name="Manager")
    programme.managers.add(user)
    return user


@pytest.fixture
def report(programme, manager):
    """A draft with two rows, each drafted from its project's update in the period."""
    workstream = factories.make_workstream(programme, name="Shared services", position=1)
    for position, name in enumerate(("Shared legal service", "Regulatory services"), start=1):
        project = factories.make_project(workstream, name=name, rag=RAG.AMBER, position=position)
        factories.make_project_update(
            project, period_start=START, period_end=datetime.date(2011, 12, 20), key_progress=f"{name} moved on."
        )
    return draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)


def edit_url(report):
    return reverse("programmes:report_edit", args=[report.pk])


def opened(client, user, report):
    """What `user`'s edit page posts back unchanged: the version comes from the page itself."""
    client.force_login(user)
    page = client.get(edit_url(report)).content.decode()
    version = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert version, "the edit page carries the version it loaded"
    return edit_data(report, version=version.group(1))


def test_the_second_manager_to_save_is_told_and_keeps_what_they_typed(client, report, manager, colleague_manager):
    pats = opened(client, manager, report)
    quentins = opened(client, colleague_manager, report)
    first_row = report.rows.first()

    client.force_login(manager)
    assert client.post(edit_url(report), pats | {"management_summary": "Pat's summary."}).status_code == 302

    client.force_login(colleague_manager)
    stale = quentins | {"management_summary": "Quentin's summary.", "rows-0-key_progress": "Quentin's progress."}
    response = client.post(edit_url(report), stale)
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    assert "Quentin&#x27;s summary." in page  # still in the form, to merge
    assert "Quentin&#x27;s progress." in page

    report.refresh_from_db()
    assert report.management_summary == "Pat's summary."
    first_row.refresh_from_db()
    assert first_row.key_progress == "Shared legal service moved on."  # the rows were not saved either

    # The page is re-armed at the version now stored: saving again, after merging, saves.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert int(version) == report.version
    merged = stale | {"version": version, "management_summary": "Pat's and Quentin's summary."}
    assert client.post(edit_url(report), merged).status_code == 302
    report.refresh_from_db()
    assert report.management_summary == "Pat's and Quentin's summary."
    first_row.refresh_from_db()
    assert first_row.key_progress == "Quentin's progress."


def test_a_page_without_its_version_saves_nothing(client, report, manager):
    client.force_login(manager)
    data = edit_data(report, management_summary="From nowhere.")
    del data["version"]
    response = client.post(edit_url(report), data)
    assert CONFLICT in response.content.decode()
    report.refresh_from_db()
    assert report.management_summary != "From nowhere."


def test_a_stale_page_cannot_undo_a_row_left_out(client, report, manager, colleague_manager):
    pats = opened(client, manager, report)
    left_out = report.rows.last()
    client.force_login(colleague_manager)
    client.post(reverse("programmes:report_row_remove", args=[report.pk, left_out.pk]))
    assert not report.rows.filter(pk=left_out.pk).exists()

    client.force_login(manager)
    response = client.post(edit_url(report), pats | {"management_summary": "Pat's summary."})
    assert response.status_code == 200
    assert "Only this report&#x27;s own rows can be changed here" in response.content.decode()
    report.refresh_from_db()
    assert report.management_summary != "Pat's summary."
    assert list(report.rows.values_list("project_name", flat=True)) == ["Shared legal service"]


def test_a_stale_page_is_refused_after_a_row_is_put_back(client, report, manager, colleague_manager):
    row = report.rows.last()
    client.force_login(colleague_manager)
    client.post(reverse("programmes:report_row_remove", args=[report.pk, row.pk]))
    pats = opened(client, manager, report)  # one row, before Quentin puts the other back

    client.force_login(colleague_manager)
    client.post(reverse("programmes:report_row_restore", args=[report.pk, row.project_id]))

    client.force_login(manager)
    response = client.post(edit_url(report), pats | {"management_summary": "Pat's summary."})
    assert CONFLICT in response.content.decode()
    assert "Pat&#x27;s summary." in response.content.decode()
    report.refresh_from_db()
    assert report.management_summary != "Pat's summary."
    assert report.rows.count() == 2


def test_leaving_a_row_out_moves_the_version_on_even_when_the_overall_rag_stays(report, manager):
    # The manager's own overall RAG, with a reason: the removal does not change it.
    HighlightReport.objects.filter(pk=report.pk).update(overall_rag=RAG.RED, overall_rag_reason="Budget risk.")
    before = HighlightReport.objects.get(pk=report.pk).version
    remove_report_row(row=report.rows.last(), user=manager)
    report.refresh_from_db()
    assert (report.overall_rag, report.version) == (RAG.RED, before + 1)


def test_a_stale_page_cannot_undo_the_appendix_figures_chosen(client, report, manager, colleague_manager):
    pats = opened(client, manager, report)
    client.force_login(colleague_manager)
    response = client.post(reverse("programmes:report_figures", args=[report.pk]), {"kinds": ["rag_now"]})
    assert response.status_code == 302

    client.force_login(manager)
    response = client.post(edit_url(report), pats | {"management_summary": "Pat's summary."})
    assert CONFLICT in response.content.decode()
    report.refresh_from_db()
    assert [figure["kind"] for figure in report.appendix_figures] == ["rag_now"]
    assert report.management_summary != "Pat's summary."


def test_a_page_opened_before_publishing_says_it_was_published(client, report, manager, colleague_manager):
    pats = opened(client, manager, report)
    client.force_login(colleague_manager)
    client.post(reverse("programmes:report_publish", args=[report.pk]), {"confirm": "on"})
    report.refresh_from_db()
    assert report.status == HighlightReport.Status.PUBLISHED
    assert report.version_number == 1  # the printed version is not the edit counter

    client.force_login(manager)
    response = client.post(edit_url(report), pats | {"management_summary": "Pat's summary."}, follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert escape("has been published and cannot be changed") in response.content.decode()
    report.refresh_from_db()
    assert report.management_summary != "Pat's summary."


def test_an_admin_change_form_opened_before_a_save_on_the_edit_page_is_refused(admin_client, client, report, manager):
    change_url = reverse("admin:programmes_highlightreport_change", args=[report.pk])
    in_the_admin = form_data(admin_client.get(change_url))
    assert in_the_admin["version"] == report.version

    pats = opened(client, manager, report)
    assert client.post(edit_url(report), pats | {"management_summary": "Pat's summary."}).status_code == 302

    response = admin_client.post(change_url, in_the_admin | {"management_summary": "The admin's summary."})
    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    report.refresh_from_db()
    assert report.management_summary == "Pat's summary."
