"""Writes to programmes, workstreams, projects and highlight reports.

Every create and update goes through these services (see core.services), so
the app's pages, the admin and scripts apply the same rules and record who
made the change.
"""

import datetime
import re

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Prefetch, Q
from django.utils import timezone
from django.utils.text import normalize_newlines

from core.models import RAG, EditConflict
from core.money import pounds
from core.scope import check_scope
from core.services import full_clean_together, save_accountable, set_fields
from programmes import dashboard
from programmes.models import (
    MILESTONE_DONE,
    Benefit,
    BenefitRealisation,
    Funder,
    HighlightReport,
    HighlightReportBenefit,
    HighlightReportMilestone,
    HighlightReportRow,
    Milestone,
    MilestoneStatus,
    NarrativeSection,
    NarrativeUpdate,
    Partner,
    Partnership,
    Programme,
    Project,
    ProjectStage,
    ProjectStatus,
    ProjectUpdate,
    Risk,
    RiskStatus,
    SpendProfileEntry,
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


def create_project(*, user, project=None, shared_with=None, **fields):
    """A new project (its `workstream` among the fields, or on the unsaved
    `project`); `shared_with`, other programmes' workstreams that report it too."""
    m2m = {"shared_with": shared_with} if shared_with is not None else {}
    return save_accountable(set_fields(project or Project(), fields), user=user, m2m=m2m)


def update_project(*, project, user, expected_version, shared_with=None, **changes):
    """Change a project; Project.clean and its constraints keep its stage,
    hold and closure consistent (a closed project has a closing date and a
    note). `shared_with`, if given, replaces the workstreams it is shared into
    (Project.validate_scope: only those of programmes the user manages may be added)."""
    m2m = {"shared_with": shared_with} if shared_with is not None else {}
    return save_accountable(set_fields(project, changes), user=user, expected_version=expected_version, m2m=m2m)


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

    The header is copied from the programme, and each project active in the
    period (Project.objects.active_in: not on hold, not closed before it
    starts, started by its end), its own or shared into its workstreams by
    another programme, gets one row, in workstream then project order, from
    its latest update whose period ends within the reporting period; later
    updates belong to the next report. A project with no update in the period
    gets a row with no narrative and its current RAG, so the committee still
    sees it. Each row remembers the project's RAG in the previous published
    report, for direction of travel. The savings-and-benefits and key
    milestones sections are included as in the previous published report,
    and copied from the projects when they are.
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

    placed = _in_report_order(programme, _reportable_projects(programme, period_start, period_end))
    latest_updates = _latest_updates([project for _, project in placed], period_start, period_end)
    previous = HighlightReport.objects.previous_published(programme, period_start)
    previous_rags = dict(previous.rows.values_list("project_id", "rag")) if previous else {}
    if previous is not None:  # the manager's choice of sections carries on from the last report
        report.include_benefits, report.include_milestones = previous.include_benefits, previous.include_milestones

    rows = [
        _draft_row(project, workstream, latest_updates.get(project.pk), previous_rags, position)
        for position, (workstream, project) in enumerate(placed, start=1)
    ]
    report.overall_rag = report.worst_row_rag([row.rag for row in rows])
    _full_clean_copy(report, f"The programme “{programme}”", typed=["period_start", "period_end"])
    report.save()
    for row in rows:
        row.report = report
        _full_clean_copy(row, f"The latest update of “{row.project_name}” in the period", exclude=["report"])
    HighlightReportRow.objects.bulk_create(rows)
    _copy_report_sections(report)
    return report


@transaction.atomic
def remove_report_row(*, row, user):
    """Leave a project's row out of a draft report, before publishing.

    The project itself is untouched. Unless the manager has overridden the
    overall RAG (with a reason), it follows the rows left: the suggestion is
    always the worst of the rows actually in the report.
    """
    # Fetched afresh (the caller's report may hold its rows prefetched), and
    # locked, so the version a save below bumps is the one stored.
    report = HighlightReport.objects.select_for_update().get(pk=row.report_id)
    check_scope(user, report)
    report.ensure_draft()
    suggested = report.worst_row_rag()
    row.delete()
    _follow_suggested_rag(report, suggested)
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
    report.appendix_figures = dashboard.frozen_figures(report)  # the numbers as published, never again
    report.full_clean()
    report.save()
    return report


CORRECTION_REASON_REQUIRED = "Say why the report is being corrected: the reason prints on the new version."


@transaction.atomic
def correct_highlight_report(*, report, user, reason):
    """A new draft version of a published report, with its header and rows
    copied, for the manager to correct and publish in its place. The `reason`
    is required: it prints on the new version, since the committee may
    already have read the old one."""
    if report.status != HighlightReport.Status.PUBLISHED:
        raise ValidationError("Only the published version of a report can be corrected.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"correction_reason": CORRECTION_REASON_REQUIRED})
    correction = HighlightReport(
        programme_id=report.programme_id,
        period_start=report.period_start,
        period_end=report.period_end,
        version_number=_next_version(report.programme_id, report.period_start, report.period_end),
        created_by=user,
        as_at=report.as_at,
        include_benefits=report.include_benefits,
        include_milestones=report.include_milestones,
        appendix_figures=report.appendix_figures,  # taken afresh when the correction is published
        correction_reason=reason,
        **{field: getattr(report, field) for field in HighlightReport.HEADER_FIELDS},
    )
    check_scope(user, correction)
    _full_clean_copy(correction, f"Version {report.version_number}", typed=("correction_reason",))
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
    _copy_sections_to(report, correction)
    return correction


# --- Funding, benefits and savings, partner organisations -------------------------


def create_funder(*, user, funder=None, **fields):
    """A funder of a project (its `project` among the fields, or on the unsaved `funder`)."""
    return save_accountable(set_fields(funder or Funder(), fields), user=user)


def update_funder(*, funder, user, expected_version, **changes):
    return save_accountable(set_fields(funder, changes), user=user, expected_version=expected_version)


def create_benefit(*, user, benefit=None, **fields):
    """A benefit or saving a project is to deliver; Benefit.clean keeps a
    percentage target in range and naming its base."""
    return save_accountable(set_fields(benefit or Benefit(), fields), user=user)


def update_benefit(*, benefit, user, expected_version, **changes):
    return save_accountable(set_fields(benefit, changes), user=user, expected_version=expected_version)


def create_realisation(*, user, realisation=None, **fields):
    """An amount of a benefit realised, by the project's owner or a manager;
    whoever records it is remembered."""
    realisation = set_fields(realisation or BenefitRealisation(), fields)
    if realisation.recorded_by_id is None and user is not None:
        realisation.recorded_by = user
    return save_accountable(realisation, user=user)


def update_realisation(*, realisation, user, expected_version, **changes):
    return save_accountable(set_fields(realisation, changes), user=user, expected_version=expected_version)


def create_partner(*, user, partner=None, **fields):
    """A partner organisation (another council, a public body, a funder), by a programme manager."""
    return save_accountable(set_fields(partner or Partner(), fields), user=user)


def update_partner(*, partner, user, expected_version, **changes):
    return save_accountable(set_fields(partner, changes), user=user, expected_version=expected_version)


def create_partnership(*, user, partnership=None, **fields):
    """A partner's role on a programme or on a project (its `programme` or `project` among the fields)."""
    return save_accountable(set_fields(partnership or Partnership(), fields), user=user)


def update_partnership(*, partnership, user, expected_version, **changes):
    return save_accountable(set_fields(partnership, changes), user=user, expected_version=expected_version)


@transaction.atomic
def delete_part(*, part, user, expected_version):
    """Remove a funder, benefit, realised amount or partner's role.

    Only someone who may change it (its model's can_be_edited_by) and whose
    role may remove that kind of row (officers record savings realised but
    never delete them), and only if nobody has saved it since
    `expected_version`: a removal never discards a change its remover has
    not seen. The history keeps the row and who removed it.
    """
    perm = f"{part._meta.app_label}.delete_{part._meta.model_name}"
    if user is not None and not (user.has_perm(perm) and part.can_be_edited_by(user)):
        raise PermissionDenied(f"You cannot remove this {part._meta.verbose_name}.")
    manager = type(part)._default_manager
    if not manager.filter(pk=part.pk, version=expected_version).update(version=expected_version):
        current = manager.filter(pk=part.pk).first()
        if current is None:
            return None  # someone else removed it first
        raise EditConflict(current, expected_version)
    part._history_user = user
    part.delete()
    return part


SPEND_PROFILE_CHANGED = "spend_profile_changed"


@transaction.atomic
def save_spend_profile(*, project, user, amounts, expected_fingerprint):
    """Set a project's spend profile from `amounts`, {(kind, year, quarter):
    Decimal, or None for no spend planned}, all or nothing.

    Quarters left out of `amounts` keep theirs. Every row is validated before
    any is written, and the errors come back together keyed
    "<kind>-<year>-q<quarter>" (the grid form's field names); if anyone has
    changed the profile since `expected_fingerprint`
    (SpendProfileQuerySet.fingerprint) nothing is saved.
    """
    check_scope(user, SpendProfileEntry(project=project))
    # Ordered by pk alone, so the lock takes these rows and not the project's joined for ordering.
    current = SpendProfileEntry.objects.filter(project=project).order_by("pk").select_for_update()
    if current.fingerprint() != expected_fingerprint:
        raise ValidationError(
            "Someone else changed this spend profile while you were editing it, so your changes have not been "
            "saved. Check the amounts below against the profile on the project page and save again.",
            code=SPEND_PROFILE_CHANGED,
        )
    existing = {(entry.kind, entry.year, entry.quarter): entry for entry in current}
    to_save, to_delete, errors = [], [], {}
    for (kind, year, quarter), amount in amounts.items():
        entry = existing.get((kind, year, quarter))
        if amount is None:
            if entry is not None:
                to_delete.append(entry)
            continue
        if entry is None:
            entry = SpendProfileEntry(project=project, kind=kind, year=year, quarter=quarter)
        elif entry.amount == amount:
            continue
        entry.amount = amount
        try:
            entry.full_clean()
        except ValidationError as error:
            errors[f"{kind}-{year}-q{quarter}"] = error.messages
        to_save.append(entry)
    if errors:
        raise ValidationError(errors)
    for entry in to_delete:
        entry.delete()
    for entry in to_save:
        entry.save()
    return SpendProfileEntry.objects.filter(project=project)


# --- Milestones and the risk and issue register -------------------------------------


def _rate_achieved(milestone):
    """An achieved milestone is rated Complete, as a completed action is, and
    only an achieved one: Complete would otherwise take an unmet milestone
    out of My work, reminders and the overdue lists."""
    if milestone.status == MilestoneStatus.ACHIEVED:
        milestone.rag = RAG.COMPLETE
    elif milestone.rag == RAG.COMPLETE:
        message = "Only an achieved milestone is rated Complete: mark it achieved, with its date, or choose a RAG."
        raise ValidationError({"rag": message})


def create_milestone(*, user, milestone=None, **fields):
    """A milestone of a project (its `project` among the fields, or on the
    unsaved `milestone`), by the project's programme managers."""
    milestone = set_fields(milestone or Milestone(), fields)
    _rate_achieved(milestone)
    return save_accountable(milestone, user=user)


def update_milestone(*, milestone, user, expected_version, **changes):
    """Change a milestone itself (its text, stage, target, responsible officer), by its programme's managers."""
    milestone = set_fields(milestone, changes)
    _rate_achieved(milestone)
    return save_accountable(milestone, user=user, expected_version=expected_version)


MILESTONE_TARGET_FIELDS = {"due_date", "due_wording"}


@transaction.atomic
def record_milestone_progress(*, milestone, user, expected_version, status, rag=None, achieved_on=None, **target):
    """Record how a milestone stands: its status, the date it was achieved,
    its RAG and, in `target`, a revised target date (`due_date`, `due_wording`).

    For its responsible officer (or their team), the project's owner or a
    manager (Milestone.can_be_updated_by), who may record progress but not
    change the milestone itself, so nothing else is changed here and the
    managers-only scope check of editing does not apply. Saved only if nobody
    has saved the milestone since `expected_version` (EditConflict otherwise).
    """
    if unknown := set(target) - MILESTONE_TARGET_FIELDS:
        raise TypeError(f"record_milestone_progress() cannot change {', '.join(sorted(unknown))}")
    if user is not None and not milestone.can_be_updated_by(user):
        raise PermissionDenied(
            "Only the milestone's responsible officer, the project's owner or its programme's managers "
            "can record its progress."
        )
    set_fields(milestone, {"status": status, "achieved_on": achieved_on, **target})
    if rag is not None:
        milestone.rag = rag
    _rate_achieved(milestone)
    milestone.full_clean()
    milestone._history_user = user
    milestone.save_if_unchanged(expected_version)
    return milestone


def create_risk(*, user, risk=None, **fields):
    """A line of a project's risk and issue register, by its programme's
    managers; numbered one after the project's highest if no number is given."""
    risk = set_fields(risk or Risk(), fields)
    if risk.number is None and risk.project_id is not None:
        risk.number = Risk.objects.next_number(risk.project_id)
    return save_accountable(risk, user=user)


def update_risk(*, risk, user, expected_version, **changes):
    return save_accountable(set_fields(risk, changes), user=user, expected_version=expected_version)


@transaction.atomic
def record_risk_progress(*, risk, user, expected_version, status, mitigation, escalated, closed_on=None):
    """Record where a risk or issue stands: open or closed, its mitigating
    actions, and whether it is escalated to the programme (and so offered to
    the highlight report). For its responsible officer, the project's owner
    or a manager (Risk.can_be_updated_by); its description and grading are
    the managers' to change.

    Closing it without a date closes it today; reopening it clears the
    closing date (its history keeps it). Saved only if nobody has saved the
    risk since `expected_version` (EditConflict otherwise).
    """
    if user is not None and not risk.can_be_updated_by(user):
        raise PermissionDenied(
            "Only the risk's responsible officer, the project's owner or its programme's managers can update it."
        )
    closed_on = (closed_on or timezone.localdate()) if status == RiskStatus.CLOSED else None
    set_fields(risk, {"status": status, "mitigation": mitigation, "escalated": escalated, "closed_on": closed_on})
    risk.full_clean()
    risk._history_user = user
    risk.save_if_unchanged(expected_version)
    return risk


# --- Highlight reports: which projects, left-out rows, savings and milestones, moves -----


def _reportable_projects(programme, period_start, period_end):
    """The projects a report of `programme` for the period has a row for: its
    own and those shared into its workstreams, active in the period. Drafting
    and putting a row back both start here, so they offer the same projects
    with the same related rows loaded."""
    here = Prefetch("shared_with", queryset=Workstream.objects.filter(programme=programme), to_attr="shared_here")
    return (
        Project.objects.in_programme(programme)
        .active_in(period_start, period_end)
        .select_related("workstream")
        .prefetch_related(here)
        .with_escalated_risks()  # pulled into each row's risks and issues
    )


def _in_report_order(programme, projects):
    """[(workstream, project)] in the report's order: by the workstream the
    project sits under in this programme (its own, or the one another
    programme shared it into), then by its position and name."""
    placed = []
    for project in projects:
        if project.workstream.programme_id == programme.pk:
            workstream = project.workstream
        else:
            workstream = min(project.shared_here, key=lambda ws: (ws.position, ws.name))
        placed.append((workstream, project))
    placed.sort(key=lambda pair: (pair[0].position, pair[0].name, pair[0].pk, pair[1].position, pair[1].name))
    return placed


def _latest_updates(projects, period_start, period_end):
    """Each project's latest update whose period ends within the reporting period."""
    latest = {}
    in_period = ProjectUpdate.objects.filter(
        project__in=projects, period_end__gte=period_start, period_end__lte=period_end
    ).order_by("project", "-period_end", "-recorded_at")
    for update in in_period:
        latest.setdefault(update.project_id, update)
    return latest


def _draft_row(project, workstream, update, previous_rags, position):
    """A project's row as drafted from its latest update in the period (or
    none): used when drafting and when a left-out row is put back."""
    return HighlightReportRow(
        position=position,
        workstream_name=workstream.name,
        project_name=project.name,
        project=project,
        key_progress=update.key_progress if update else "",
        risks_issues=project.risks_issues_for_report(update.risks_issues if update else ""),
        next_tasks=update.next_tasks if update else "",
        rag=update.rag if update else project.rag,
        previous_rag=previous_rags.get(project.pk, ""),
    )


def _follow_suggested_rag(report, suggested_before):
    """Keep the overall RAG on the suggestion (the worst row) after rows
    change, unless the manager overrode it with a reason. Either way the
    report's version moves on, so an edit page opened before the rows
    changed cannot save over them."""
    if report.overall_rag == suggested_before and not report.overall_rag_reason.strip():
        report.overall_rag = report.worst_row_rag()
        report.full_clean()
        report.save()  # Versioned: bumps the version
    else:
        HighlightReport.objects.mark_changed(report.pk)


def left_out_projects(report):
    """The projects a draft report could have a row for but has not (left
    out by the manager): what “Put back” offers. One query for the projects,
    one for the report's rows."""
    programme = report.programme
    in_report = set(report.rows.values_list("project_id", flat=True))
    placed = _in_report_order(programme, _reportable_projects(programme, report.period_start, report.period_end))
    return [(workstream, project) for workstream, project in placed if project.pk not in in_report]


@transaction.atomic
def restore_report_row(*, report, project, user):
    """Put a project left out of a draft report back, drafted afresh from its
    latest update in the period, in its place among the workstreams.

    Only a project the report could have a row for (active in the period, in
    the programme or shared into it) and not already in it. The overall RAG
    follows the rows unless the manager has overridden it with a reason.
    """
    # Locked (the report only), so the version a save below bumps is the one stored.
    report = HighlightReport.objects.select_related("programme").select_for_update(of=("self",)).get(pk=report.pk)
    check_scope(user, report)
    report.ensure_draft()
    placed = {p.pk: (ws, p) for ws, p in left_out_projects(report)}
    if project.pk not in placed:
        raise ValidationError(
            f"“{project}” cannot be put back: it is already in the report or not active in the period."
        )
    workstream, project = placed[project.pk]
    reportable = _reportable_projects(report.programme, report.period_start, report.period_end)
    order = [p.pk for _, p in _in_report_order(report.programme, reportable)]
    rank = order.index(project.pk)
    rows = list(report.rows.order_by("position"))
    # After the last row of a project that comes before it in the drafting order.
    before = [row.position for row in rows if row.project_id in order and order.index(row.project_id) < rank]
    position = (max(before) if before else 0) + 1
    # Make room in two steps, so no two rows share a position on the way.
    report.rows.filter(position__gte=position).update(position=F("position") + 10_000)
    report.rows.filter(position__gte=10_000).update(position=F("position") - 9_999)
    previous = HighlightReport.objects.previous_published(report.programme, report.period_start)
    previous_rags = dict(previous.rows.values_list("project_id", "rag")) if previous else {}
    update = _latest_updates([project], report.period_start, report.period_end).get(project.pk)
    row = _draft_row(project, workstream, update, previous_rags, position)
    row.report = report
    _full_clean_copy(row, f"The latest update of “{row.project_name}” in the period", exclude=["report"])
    suggested = report.worst_row_rag()
    row.save()
    _follow_suggested_rag(report, suggested)
    return row


def _milestone_target(milestone):
    if milestone.due_wording:
        return milestone.due_wording
    date = milestone.due_date
    return f"{date.day} {date:%B %Y}" if date else ""


def _copy_report_sections(report):
    """Copy the savings-and-benefits summary and the key milestones from the
    report's projects into its snapshot rows, as the manager chose to include
    them (replacing any copied before): from then on they are the report's
    text, and a published report keeps them as printed.

    Key milestones are those marked key that are not yet achieved or dropped
    and are due by the end of the next period (one as long as this one), and
    those achieved within this period.
    """
    report.benefits.all().delete()
    report.milestones.all().delete()
    if not (report.include_benefits or report.include_milestones):
        return
    order = {}
    for row in report.rows.exclude(project=None).order_by("position"):
        order.setdefault(row.project_id, len(order))
    if report.include_benefits:
        benefits = sorted(
            Benefit.objects.filter(project__in=order).with_realised().select_related("project"),
            key=lambda b: (order[b.project_id], b.position, b.pk),
        )
        lines = [
            HighlightReportBenefit(
                report=report,
                position=position,
                project_name=benefit.project.name,
                benefit_type=benefit.get_type_display(),
                description=benefit.description,
                target=benefit.target_label,
                realised=pounds(benefit.realised),
            )
            for position, benefit in enumerate(benefits, start=1)
        ]
        for line in lines:
            _full_clean_copy(line, f"A benefit of “{line.project_name}”", exclude=["report"])
        HighlightReportBenefit.objects.bulk_create(lines)
    if report.include_milestones:
        next_end = report.period_end + (report.period_end - report.period_start) + datetime.timedelta(days=1)
        due = Q(due_date__lte=next_end) & ~Q(status__in=MILESTONE_DONE)
        achieved = Q(status=MilestoneStatus.ACHIEVED, achieved_on__gte=report.period_start)
        achieved &= Q(achieved_on__lte=report.period_end)
        chosen = Milestone.objects.filter(project__in=order, key=True).filter(due | achieved)
        milestones = sorted(
            chosen.select_related("project", "owner"),
            key=lambda m: (order[m.project_id], m.position, m.number, m.pk),
        )
        lines = [
            HighlightReportMilestone(
                report=report,
                position=position,
                project_name=milestone.project.name,
                milestone=str(milestone),
                target=_milestone_target(milestone),
                status=milestone.get_status_display(),
                responsible=milestone.owner.name if milestone.owner else "",
            )
            for position, milestone in enumerate(milestones, start=1)
        ]
        for line in lines:
            _full_clean_copy(line, f"A milestone of “{line.project_name}”", exclude=["report"])
        HighlightReportMilestone.objects.bulk_create(lines)


@transaction.atomic
def copy_report_sections(*, report, user):
    """Copy the chosen sections afresh into a draft report (after the manager
    switches one on or off), by the programme's managers only."""
    check_scope(user, report)
    report.ensure_draft()
    _copy_report_sections(report)
    return report


def _copy_sections_to(source, correction):
    """A correction keeps its sections as the published version printed them."""
    benefit_fields = ("position", "project_name", "benefit_type", "description", "target", "realised")
    milestone_fields = ("position", "project_name", "milestone", "target", "status", "responsible")
    HighlightReportBenefit.objects.bulk_create(
        HighlightReportBenefit(report=correction, **{f: getattr(line, f) for f in benefit_fields})
        for line in source.benefits.all()
    )
    HighlightReportMilestone.objects.bulk_create(
        HighlightReportMilestone(report=correction, **{f: getattr(line, f) for f in milestone_fields})
        for line in source.milestones.all()
    )


def _place(workstream):
    return f"{workstream.name} ({workstream.programme.name})"


@transaction.atomic
def move_project(*, project, user, expected_version, workstream, reason):
    """Move a project to another workstream, in its programme or another one
    the manager also manages (Project.validate_scope refuses any other).

    The project stays the same record, so its updates, history and the rows
    of earlier reports still point at it; the move and its reason are in its
    audit history (“Moved from … to …: reason”). If it was shared into the
    workstream it moves to, that sharing ends: it is now at home there.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why the project is moving: it is kept in the project's history."})
    if workstream.pk == project.workstream_id:
        raise ValidationError({"workstream": "The project is already in that workstream: choose another."})
    origin = Workstream.objects.select_related("programme").get(pk=project.workstream_id)
    destination = Workstream.objects.select_related("programme").get(pk=workstream.pk)
    project._change_reason = f"Moved from {_place(origin)} to {_place(destination)}: {reason.strip()}"
    moved = update_project(project=project, user=user, expected_version=expected_version, workstream=destination)
    moved.shared_with.remove(destination)
    return moved


# --- Narrative programme updates ----------------------------------------------------

# "3.14 Phase 3 of …": the number an officer typed at the head of a paragraph
# copied from a report. Numbers are generated when a narrative is shown, so a
# drafted paragraph drops its own. Only a number followed by a capital or a
# quote, so "1.5 million residents …" keeps its figure.
PARAGRAPH_NUMBER = re.compile(r"^\d{1,2}\.\d{1,3}\.?\s+(?=[A-Z0-9\u201c\u2018\"'(])")
NARRATIVE_SECTIONS_LIMIT = 300
_POSITION_SHIFT = 10_000  # out of the way of 1..limit while sections are renumbered


def without_paragraph_numbers(text):
    """`text` as paragraphs separated by blank lines, each without a leading “3.14 ”."""
    paragraphs = [part.strip() for part in normalize_newlines(text or "").split("\n\n") if part.strip()]
    return "\n\n".join(PARAGRAPH_NUMBER.sub("", paragraph, count=1) for paragraph in paragraphs)


def _drafted_text(*texts):
    return "\n\n".join(drafted for drafted in map(without_paragraph_numbers, texts) if drafted)


@transaction.atomic
def draft_narrative_update(*, programme, period_start, period_end, user, title=None):
    """Draft a narrative programme update for the period from the project updates.

    A heading per workstream (its description as its opening paragraphs) and,
    under it, a heading per project with an update in the period (the same
    projects a highlight report for the period would have, shared ones
    included, in the same workstream then project order), its text the key
    progress of its latest update in the period then its next tasks. Leading
    paragraph numbers are dropped: they are generated when it is shown.
    Refused, saving nothing, if no project has an update in the period.
    """
    narrative = NarrativeUpdate(
        programme=programme,
        title=title or f"{programme.name} update",
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )
    check_scope(user, narrative)
    narrative.full_clean()
    placed = _in_report_order(programme, _reportable_projects(programme, period_start, period_end))
    latest_updates = _latest_updates([project for _, project in placed], period_start, period_end)
    sections, heading_for = [], None
    for workstream, project in placed:
        update = latest_updates.get(project.pk)
        if update is None:
            continue
        if workstream != heading_for:
            heading_for = workstream
            text = without_paragraph_numbers(workstream.description)
            sections.append(NarrativeSection(heading=workstream.name, level=1, text=text))
        text = _drafted_text(update.key_progress, update.next_tasks)
        sections.append(NarrativeSection(heading=project.name, level=2, project=project, text=text))
    if not sections:
        raise ValidationError(
            f"No project in {programme} has an update whose period ends between {period_start:%-d %B %Y} "
            f"and {period_end:%-d %B %Y}, so there is nothing to draft from: choose another period."
        )
    narrative._history_user = user
    narrative.save()
    for position, section in enumerate(sections, start=1):
        section.narrative, section.position = narrative, position
        _full_clean_copy(section, f"The text drafted for “{section.heading}”")
    NarrativeSection.objects.bulk_create(sections)
    return narrative


class NarrativeIsFinal(ValidationError):
    def __init__(self):
        super().__init__("This narrative update is final, so it cannot be changed: set it back to draft first.")


@transaction.atomic
def update_narrative_update(*, narrative, user, expected_version, sections, **changes):
    """Change a draft narrative update's title or status and its sections.

    `sections` are the NarrativeSection rows it is to have, in their new
    order: its own (changed or not) and new ones; any of its sections left out
    are deleted. Saved only if nobody has saved it since `expected_version`
    (EditConflict) and only while it is a draft as stored: a final one is
    read-only until a manager sets it back to draft (reopen_narrative_update).
    """
    stored = NarrativeUpdate.objects.select_for_update().get(pk=narrative.pk)
    if not stored.is_draft:
        raise NarrativeIsFinal()
    if len(sections) > NARRATIVE_SECTIONS_LIMIT:
        raise ValidationError(f"A narrative update has at most {NARRATIVE_SECTIONS_LIMIT} headings.")
    if any(section.pk and section.narrative_id != narrative.pk for section in sections):
        raise ValidationError("Only this narrative update's own sections can be changed here: reload the page.")
    set_fields(narrative, changes)
    check_scope(user, narrative)
    narrative.full_clean()
    narrative._history_user = user
    narrative.save_if_unchanged(expected_version)
    narrative.sections.exclude(pk__in=[section.pk for section in sections if section.pk]).delete()
    narrative.sections.update(position=F("position") + _POSITION_SHIFT)
    for position, section in enumerate(sections, start=1):
        section.narrative, section.position = narrative, position
    full_clean_together(*sections)
    for section in sections:
        section.save()
    return narrative


@transaction.atomic
def reopen_narrative_update(*, narrative, user, expected_version):
    """Set a final narrative update back to draft, so it can be edited again.
    A committee pack issued with it keeps the copy it printed."""
    if narrative.is_draft:
        raise ValidationError("This narrative update is already a draft.")
    narrative.status = NarrativeUpdate.Status.DRAFT
    check_scope(user, narrative)
    narrative.full_clean()
    narrative._history_user = user
    narrative.save_if_unchanged(expected_version)
    return narrative
