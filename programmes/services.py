"""Writes to programmes, workstreams, projects and highlight reports.

Every create and update goes through these services (see core.services), so
the app's pages, the admin and scripts apply the same rules and record who
made the change.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.scope import check_scope
from core.services import full_clean_together, save_accountable, set_fields
from programmes.models import (
    HighlightReport,
    HighlightReportRow,
    Programme,
    Project,
    ProjectStage,
    ProjectStatus,
    ProjectUpdate,
    Workstream,
)


def create_programme(*, user, programme=None, managers=(), **fields):
    """A new programme from `fields` (or the unsaved `programme` a form built).

    Whoever creates it becomes one of its managers, beside any `managers`
    given, so they can go on to add its workstreams and projects.
    """
    programme = set_fields(programme or Programme(), fields)
    managers = [*managers, user] if user is not None else managers
    return save_accountable(programme, user=user, m2m={"managers": managers})


def update_programme(*, programme, user, expected_version, managers=None, **changes):
    """Change a programme; `managers`, if given, replaces its managers."""
    m2m = {"managers": managers} if managers is not None else {}
    return save_accountable(set_fields(programme, changes), user=user, expected_version=expected_version, m2m=m2m)


def create_workstream(*, user, workstream=None, **fields):
    """A new workstream (its `programme` among the fields, or on the unsaved `workstream`)."""
    return save_accountable(set_fields(workstream or Workstream(), fields), user=user)


def update_workstream(*, workstream, user, expected_version, **changes):
    return save_accountable(set_fields(workstream, changes), user=user, expected_version=expected_version)


def create_project(*, user, project=None, **fields):
    """A new project (its `workstream` among the fields, or on the unsaved `project`)."""
    return save_accountable(set_fields(project or Project(), fields), user=user)


def update_project(*, project, user, expected_version, **changes):
    """Change a project; Project.clean and its constraints keep its stage,
    hold and closure consistent (a closed project has a closing date and a note)."""
    return save_accountable(set_fields(project, changes), user=user, expected_version=expected_version)


def change_project_status(*, project, user, expected_version, status, stage=None, closed_on=None, closure_note=""):
    """Close a project, put it on hold, or resume or reopen it, by its programme's managers.

    Closing needs `closed_on` and `closure_note` (the outcome and lessons
    learned). Resuming or reopening sets `stage` (by default the stage it was
    in, or Implementation for a closed project) and clears the closing date
    and note; the project's history keeps them.
    """
    if status == ProjectStatus.CLOSED:
        changes = {"stage": ProjectStage.CLOSED, "on_hold": False, "closed_on": closed_on, "closure_note": closure_note}
    else:
        if not stage:
            stage = ProjectStage.IMPLEMENTATION if project.is_closed else project.stage
        changes = {
            "stage": stage,
            "on_hold": status == ProjectStatus.ON_HOLD,
            "closed_on": None,
            "closure_note": "",
        }
    return update_project(project=project, user=user, expected_version=expected_version, **changes)


@transaction.atomic
def record_project_update(*, project, user, expected_version, rag, **narrative):
    """Append a period's narrative to a project and set its RAG, together and
    only if nobody saved the project since `expected_version`, and only by
    someone who may update it."""
    check_scope(user, ProjectUpdate(project=project))
    rag_before = project.rag
    project.rag = rag
    update = ProjectUpdate(project=project, rag=rag, rag_before=rag_before, author=user, **narrative)
    full_clean_together(project, update)
    project._history_user = user
    project.save_if_unchanged(expected_version)
    update.save()
    return update


def _full_clean_copy(instance, source, *, typed=(), exclude=None):
    """full_clean a report or row made of text copied from `source`.

    The manager starting or correcting a report did not type that text (it
    may predate the text limits), so a refusal says where it came from, to be
    put right there; only the errors of the `typed` fields stay on them.
    """
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict({})
        copied = [name for name in errors if name not in typed and name != NON_FIELD_ERRORS]
        for name in copied:
            label = instance._meta.get_field(name).verbose_name
            messages = ValidationError(errors.pop(name)).messages
            errors.setdefault(NON_FIELD_ERRORS, []).extend(f"{source}, {label}: {message}" for message in messages)
        raise ValidationError(errors) from error


def _date_wording(wording, date):
    """The date as the programme writes it (“Oct 09”), else as a month and year."""
    return wording or (f"{date:%b %y}" if date else "")


def _next_version(programme, period_start, period_end):
    latest = HighlightReport.objects.for_period(programme, period_start, period_end).aggregate(n=Max("version_number"))
    return (latest["n"] or 0) + 1


@transaction.atomic
def draft_highlight_report(*, programme, period_start, period_end, user):
    """Start a programme's highlight report for a reporting period.

    The header is copied from the programme, and each active project (not
    closed, not on hold: Project.objects.active()) gets one row,
    in workstream then project order, from its latest update whose period ends
    within the reporting period; later updates belong to the next report. A
    project with no update in the period gets a row with no narrative and its
    current RAG, so the committee still sees it. Each row remembers the
    project's RAG in the previous published report, for direction of travel.
    """
    programme = Programme.objects.with_committee().get(pk=programme.pk)
    report = HighlightReport(
        programme=programme,
        period_start=period_start,
        period_end=period_end,
        title=f"{programme.name} Management Highlight Report",
        to_committee=programme.reports_to_short or programme.reports_to or "",
        programme_name=programme.name,
        report_authors=programme.report_authors,
        stage=programme.get_stage_display(),
        start_wording=_date_wording(programme.start_wording, programme.start_date),
        proposed_end_wording=_date_wording(programme.due_wording, programme.due_date),
        management_summary=programme.management_summary,
        version_number=_next_version(programme, period_start, period_end),
        created_by=user,
    )
    check_scope(user, report)

    projects = (
        Project.objects.filter(workstream__programme=programme)
        .active()
        .select_related("workstream")
        .order_by("workstream__position", "workstream__name", "position", "name")
    )
    latest_updates = {}
    in_period = ProjectUpdate.objects.filter(
        project__workstream__programme=programme, period_end__gte=period_start, period_end__lte=period_end
    ).order_by("project", "-period_end", "-recorded_at")
    for update in in_period:
        latest_updates.setdefault(update.project_id, update)
    previous = HighlightReport.objects.previous_published(programme, period_start)
    previous_rags = dict(previous.rows.values_list("project_id", "rag")) if previous else {}

    rows = []
    for position, project in enumerate(projects, start=1):
        update = latest_updates.get(project.pk)
        rows.append(
            HighlightReportRow(
                position=position,
                workstream_name=project.workstream.name,
                project_name=project.name,
                project=project,
                key_progress=update.key_progress if update else "",
                risks_issues=update.risks_issues if update else "",
                next_tasks=update.next_tasks if update else "",
                rag=update.rag if update else project.rag,
                previous_rag=previous_rags.get(project.pk, ""),
            )
        )
    report.overall_rag = report.worst_row_rag([row.rag for row in rows])
    _full_clean_copy(report, f"The programme “{programme}”", typed=["period_start", "period_end"])
    report.save()
    for row in rows:
        row.report = report
        _full_clean_copy(row, f"The latest update of “{row.project_name}” in the period", exclude=["report"])
    HighlightReportRow.objects.bulk_create(rows)
    return report


@transaction.atomic
def remove_report_row(*, row, user):
    """Leave a project's row out of a draft report, before publishing.

    The project itself is untouched. Unless the manager has overridden the
    overall RAG (with a reason), it follows the rows left: the suggestion is
    always the worst of the rows actually in the report.
    """
    # Fetched afresh: the caller's report may hold its rows prefetched.
    report = HighlightReport.objects.get(pk=row.report_id)
    check_scope(user, report)
    report.ensure_draft()
    suggested = report.worst_row_rag()
    row.delete()
    if report.overall_rag == suggested and not report.overall_rag_reason.strip():
        report.overall_rag = report.worst_row_rag()
        report.full_clean()
        report.save()
    return report


@transaction.atomic
def publish_highlight_report(*, report, user):
    """Freeze a draft as the report the committee sees, recording who and when.

    Publishing a later version for the same period marks the earlier published
    one superseded. That status change is made with update(), because a
    published report refuses every save.
    """
    check_scope(user, report)
    report.ensure_draft()
    current = (
        HighlightReport.objects.for_period(report.programme_id, report.period_start, report.period_end)
        .published()
        .exclude(pk=report.pk)
        .first()
    )
    if current is not None:
        HighlightReport.objects.filter(pk=current.pk).update(status=HighlightReport.Status.SUPERSEDED)
        report.supersedes = current
    report.status = HighlightReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = user
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def correct_highlight_report(*, report, user):
    """A new draft version of a published report, with its header and rows
    copied, for the manager to correct and publish in its place."""
    if report.status != HighlightReport.Status.PUBLISHED:
        raise ValidationError("Only the published version of a report can be corrected.")
    correction = HighlightReport(
        programme_id=report.programme_id,
        period_start=report.period_start,
        period_end=report.period_end,
        version_number=_next_version(report.programme_id, report.period_start, report.period_end),
        created_by=user,
        **{field: getattr(report, field) for field in HighlightReport.HEADER_FIELDS},
    )
    check_scope(user, correction)
    _full_clean_copy(correction, f"Version {report.version_number}")
    correction.save()
    copied = ("position", "workstream_name", "project_name", "project_id", "key_progress", "risks_issues")
    copied += ("next_tasks", "rag", "previous_rag")
    rows = [
        HighlightReportRow(report=correction, **{field: getattr(row, field) for field in copied})
        for row in report.rows.all()
    ]
    for row in rows:
        _full_clean_copy(row, f"Version {report.version_number}, the row for “{row.project_name}”", exclude=["report"])
    HighlightReportRow.objects.bulk_create(rows)
    return correction
