"""Highlight reports as programmes really run them (issue 10, points 1, 4 and 5):
an editable title and an "as at" date while a draft; optional savings-and-
benefits and key milestones sections copied from the projects; drafting only
projects active in the period; a left-out row put back before publishing."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import RAG
from programmes.models import (
    MilestoneStatus,
    Project,
    ProjectStage,
    ReportIsPublished,
)
from programmes.services import (
    copy_report_sections,
    correct_highlight_report,
    draft_highlight_report,
    publish_highlight_report,
    remove_report_row,
    restore_report_row,
)
from tests import factories
from tests.test_highlight_reports import edit_data

START, END = datetime.date(2011, 12, 1), datetime.date(2011, 12, 31)


@pytest.fixture
def shared_services(programme):
    """Two workstreams; the first project saves £350,000 and has key milestones."""
    first = factories.make_workstream(programme, name="Shared services", position=1)
    second = factories.make_workstream(programme, name="Customer access", position=2)
    legal = factories.make_project(first, name="Shared legal service", rag=RAG.GREEN, position=1)
    regulatory = factories.make_project(first, name="Regulatory services", rag=RAG.AMBER, position=2)
    web = factories.make_project(second, name="Joint web platform", rag=RAG.AMBER, position=1)
    for project in (legal, regulatory, web):
        factories.make_project_update(
            project,
            period_start=START,
            period_end=datetime.date(2011, 12, 20),
            key_progress=f"{project.name} moved on.",
        )
    saving = factories.make_benefit(legal, description="Lower management costs", target_amount=350_000)
    factories.make_realisation(saving, amount=83_333)
    factories.make_benefit(
        web,
        type="efficiency_gains",
        description="Combined management",
        target_amount=None,
        target_percent_low=20,
        percent_of="combined management cost",
        at_least=True,
    )
    owner = factories.make_owner("Lorna Blackwood")
    factories.make_milestone(
        legal,
        number="1.1",
        name="Business case agreed",
        due_wording="January 2012",
        due_date=datetime.date(2012, 1, 20),
        owner=owner,
    )
    factories.make_milestone(legal, number="1.2", name="Staff consultation", due_date=datetime.date(2012, 6, 1))
    factories.make_milestone(legal, number="1.3", name="Not key", due_date=datetime.date(2012, 1, 2), key=False)
    factories.make_milestone(
        web,
        number="2.1",
        name="Supplier chosen",
        due_date=datetime.date(2011, 11, 30),
        status=MilestoneStatus.ACHIEVED,
        achieved_on=datetime.date(2011, 12, 14),
    )
    factories.make_milestone(
        web,
        number="2.2",
        name="Achieved long ago",
        due_date=datetime.date(2011, 6, 30),
        status=MilestoneStatus.ACHIEVED,
        achieved_on=datetime.date(2011, 6, 30),
    )
    return {"legal": legal, "regulatory": regulatory, "web": web}


def draft(programme, user, start=START, end=END):
    return draft_highlight_report(programme=programme, period_start=start, period_end=end, user=user)


def with_sections(report, user):
    report.include_benefits = report.include_milestones = True
    report.save()
    return copy_report_sections(report=report, user=user)


# --- Title and "as at" -------------------------------------------------------------------


def test_manager_edits_the_title_and_as_at_date_of_a_draft(client, manager, programme, shared_services):
    report = draft(programme, manager)
    client.force_login(manager)
    data = edit_data(report, title="Shared Services Highlight Report", as_at="2012-01-18")
    assert client.post(reverse("programmes:report_edit", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    assert (report.title, report.as_at) == ("Shared Services Highlight Report", datetime.date(2012, 1, 18))
    page = client.get(report.get_absolute_url()).content.decode()
    assert "As at 18 January 2012" in page
    assert "Shared Services Highlight Report" in page
    assert "As at 18 January 2012" in client.get(reverse("programmes:report_print", args=[report.pk])).content.decode()


def test_publishing_keeps_the_as_at_date_and_records_the_real_time(manager, programme, shared_services):
    report = draft(programme, manager)
    report.as_at = datetime.date(2012, 1, 18)
    report.save()
    before = timezone.now()
    publish_highlight_report(report=report, user=manager)
    report.refresh_from_db()
    assert report.as_at == datetime.date(2012, 1, 18)
    assert report.published_at >= before


def test_title_cannot_be_edited_once_published(client, manager, programme, shared_services):
    report = publish_highlight_report(report=draft(programme, manager), user=manager)
    client.force_login(manager)
    response = client.post(reverse("programmes:report_edit", args=[report.pk]), edit_data(report, title="Rewritten"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title != "Rewritten"


def test_officer_cannot_edit_a_reports_title(client, officer, programme, shared_services, manager):
    report = draft(programme, manager)
    client.force_login(officer)
    response = client.post(reverse("programmes:report_edit", args=[report.pk]), edit_data(report, title="Mine"))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.title != "Mine"


# --- Savings and benefits, key milestones -----------------------------------------------------


def test_switching_the_sections_on_copies_benefits_and_key_milestones(client, manager, programme, shared_services):
    report = draft(programme, manager)
    assert not report.benefits.exists()
    client.force_login(manager)
    data = edit_data(report, include_benefits="on", include_milestones="on")
    assert client.post(reverse("programmes:report_edit", args=[report.pk]), data).status_code == 302
    benefits = list(report.benefits.values_list("project_name", "benefit_type", "target", "realised"))
    assert benefits == [
        ("Shared legal service", "Cash savings", "£350,000", "£83,333"),
        ("Joint web platform", "Efficiency gains", "at least 20% of combined management cost", ""),
    ]
    milestones = list(report.milestones.values_list("milestone", "target", "status", "responsible"))
    # Due by the end of the next period (31 Jan 2012) or achieved in this one; not "Not key",
    # not one achieved long ago, not one due in June.
    assert milestones == [
        ("1.1 Business case agreed", "January 2012", "Not started", "Lorna Blackwood"),
        ("2.1 Supplier chosen", "30 November 2011", "Achieved", ""),
    ]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Savings and benefits" in page
    assert "£350,000" in page
    assert "Key milestones" in page
    assert "1.1 Business case agreed" in page


def test_switching_a_section_off_removes_its_lines(client, manager, programme, shared_services):
    report = with_sections(draft(programme, manager), manager)
    client.force_login(manager)
    client.post(reverse("programmes:report_edit", args=[report.pk]), edit_data(report, include_benefits=""))
    report.refresh_from_db()
    assert not report.include_benefits
    assert not report.benefits.exists()
    assert report.milestones.count() == 2
    assert "Savings and benefits" not in client.get(report.get_absolute_url()).content.decode()


def test_sections_print_and_download(client, officer, manager, programme, shared_services):
    report = with_sections(draft(programme, manager), manager)
    client.force_login(officer)
    printed = client.get(reverse("programmes:report_print", args=[report.pk])).content.decode()
    assert "Savings and benefits" in printed
    assert "at least 20% of combined management cost" in printed
    assert "2.1 Supplier chosen" in printed
    assert "RAG status" in printed  # the four columns are still there
    workbook = load_workbook(io.BytesIO(client.get(reverse("programmes:report_xlsx", args=[report.pk])).content))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row if cell]
    assert "Savings and benefits" in cells
    assert "£350,000" in cells
    assert "1.1 Business case agreed" in cells


def test_sections_are_in_the_pdf(client, officer, manager, programme, shared_services):
    from pypdf import PdfReader

    report = with_sections(draft(programme, manager), manager)
    client.force_login(officer)
    response = client.get(reverse("programmes:report_pdf", args=[report.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Savings and benefits" in text
    assert "£350,000" in text
    assert "Business case agreed" in text


def test_later_changes_to_a_project_do_not_change_the_copied_lines(manager, programme, shared_services):
    report = with_sections(draft(programme, manager), manager)
    benefit = shared_services["legal"].benefits.get()
    benefit.target_amount = 1
    benefit.save()
    assert report.benefits.first().target == "£350,000"


def test_published_sections_never_change(manager, programme, shared_services):
    report = publish_highlight_report(report=with_sections(draft(programme, manager), manager), user=manager)
    line = report.benefits.first()
    line.target = "£1"
    with pytest.raises(ReportIsPublished):
        line.save()
    with pytest.raises(ReportIsPublished):
        copy_report_sections(report=report, user=manager)
    assert report.benefits.first().target == "£350,000"


def test_the_next_report_carries_on_including_the_sections(manager, programme, shared_services):
    publish_highlight_report(report=with_sections(draft(programme, manager), manager), user=manager)
    following = draft(programme, manager, datetime.date(2012, 1, 1), datetime.date(2012, 1, 31))
    assert following.include_benefits
    assert following.include_milestones
    assert following.benefits.count() == 2


def test_a_correction_copies_the_sections_and_the_as_at_date(manager, programme, shared_services):
    report = with_sections(draft(programme, manager), manager)
    report.as_at = datetime.date(2012, 1, 18)
    report.save()
    published = publish_highlight_report(report=report, user=manager)
    correction = correct_highlight_report(report=published, user=manager, reason="A row was out of date.")
    assert correction.as_at == datetime.date(2012, 1, 18)
    assert (correction.include_benefits, correction.include_milestones) == (True, True)
    assert list(correction.benefits.values_list("target", flat=True)) == [
        "£350,000",
        "at least 20% of combined management cost",
    ]
    assert correction.milestones.count() == 2


@pytest.mark.parametrize("size", [1, 6])
def test_report_pages_with_sections_run_constant_queries(
    client, officer, manager, programme, size, django_assert_num_queries
):
    workstream = factories.make_workstream(programme)
    for i in range(size):
        project = factories.make_project(workstream, name=f"Project {i}")
        factories.make_project_update(project, period_start=START, period_end=datetime.date(2011, 12, 20))
        factories.make_benefit(project)
        factories.make_milestone(project, due_date=datetime.date(2012, 1, 10))
    report = with_sections(draft(programme, manager), manager)
    remove_report_row(row=report.rows.first(), user=manager)
    client.force_login(officer)
    with django_assert_num_queries(11):  # with the data stamp (page cache)
        response = client.get(report.get_absolute_url())
    assert response.content.decode().count("Milestone ") >= size
    client.force_login(manager)
    with django_assert_num_queries(17):
        response = client.get(reverse("programmes:report_edit", args=[report.pk]))
    assert "Put back" in response.content.decode()


# --- Only projects active in the period ---------------------------------------------------


def test_drafting_offers_only_projects_active_in_the_period(manager, programme):
    workstream = factories.make_workstream(programme, name="Shared services")
    make = lambda name, **extra: factories.make_project(workstream, name=name, **extra)  # noqa: E731
    make("Running")
    make("On hold", on_hold=True)
    make("Closed before", stage=ProjectStage.CLOSED, closed_on=datetime.date(2011, 11, 30), closure_note="Done.")
    make("Closed during", stage=ProjectStage.CLOSED, closed_on=datetime.date(2011, 12, 15), closure_note="Done.")
    make("Not started yet", start_date=datetime.date(2012, 2, 1))
    make("Started in time", start_date=datetime.date(2011, 12, 31))
    report = draft(programme, manager)
    assert sorted(report.rows.values_list("project_name", flat=True)) == ["Closed during", "Running", "Started in time"]
    assert sorted(Project.objects.active_in(START, END).values_list("name", flat=True)) == [
        "Closed during",
        "Running",
        "Started in time",
    ]


# --- Leaving a row out and putting it back ---------------------------------------------------


def test_a_left_out_row_can_be_put_back_in_its_place(client, manager, programme, shared_services):
    report = draft(programme, manager)
    regulatory = report.rows.get(project=shared_services["regulatory"])
    client.force_login(manager)
    client.post(reverse("programmes:report_row_remove", args=[report.pk, regulatory.pk]))
    page = client.get(reverse("programmes:report_edit", args=[report.pk])).content.decode()
    assert "Left out" in page
    assert 'Put back<span class="visually-hidden"> “Regulatory services”' in page

    response = client.post(reverse("programmes:report_row_restore", args=[report.pk, shared_services["regulatory"].pk]))
    assert response.status_code == 302
    assert list(report.rows.order_by("position").values_list("project_name", "key_progress")) == [
        ("Shared legal service", "Shared legal service moved on."),
        ("Regulatory services", "Regulatory services moved on."),
        ("Joint web platform", "Joint web platform moved on."),
    ]
    assert (
        "None: every project active in the period has a row."
        in client.get(reverse("programmes:report_edit", args=[report.pk])).content.decode()
    )


def test_putting_back_a_row_moves_the_suggested_overall_rag(manager, programme, shared_services):
    report = draft(programme, manager)
    red = factories.make_project(shared_services["legal"].workstream, name="In trouble", rag=RAG.RED, position=9)
    # Added after drafting, so it has no row: it is offered under “Left out”.
    restore_report_row(report=report, project=red, user=manager)
    report.refresh_from_db()
    assert report.overall_rag == RAG.RED


def test_only_a_left_out_project_can_be_put_back(manager, programme, shared_services):
    from django.core.exceptions import ValidationError

    report = draft(programme, manager)
    with pytest.raises(ValidationError, match="already in the report"):
        restore_report_row(report=report, project=shared_services["legal"], user=manager)
    elsewhere = factories.make_project(name="Another programme's project")
    with pytest.raises(ValidationError):
        restore_report_row(report=report, project=elsewhere, user=manager)
    assert report.rows.count() == 3


def test_nothing_can_be_put_back_into_a_published_report(client, manager, programme, shared_services):
    report = draft(programme, manager)
    remove_report_row(row=report.rows.get(project=shared_services["web"]), user=manager)
    publish_highlight_report(report=report, user=manager)
    client.force_login(manager)
    client.post(reverse("programmes:report_row_restore", args=[report.pk, shared_services["web"].pk]))
    assert report.rows.count() == 2


def test_officer_cannot_put_a_row_back(client, officer, manager, programme, shared_services):
    report = draft(programme, manager)
    remove_report_row(row=report.rows.get(project=shared_services["web"]), user=manager)
    client.force_login(officer)
    response = client.post(reverse("programmes:report_row_restore", args=[report.pk, shared_services["web"].pk]))
    assert response.status_code == 403
    assert report.rows.count() == 2


def test_anonymous_user_cannot_put_a_row_back(client, manager, programme, shared_services):
    report = draft(programme, manager)
    response = client.post(reverse("programmes:report_row_restore", args=[report.pk, shared_services["web"].pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
