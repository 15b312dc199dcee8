"""The open-data feed: programmes, projects and published highlight reports
as rows of plain values, for councils that publish performance data or feed
a dashboard tool (README, "Open data").

Each feed is a list of row dicts with stable snake_case keys: ISO 8601 dates,
RAG as its value and its word ("amber", "Amber"), owners by name, amounts in
pounds as numbers. The JSON wraps the rows in an envelope (what, when, under
which licence); the CSV is the same rows, one a line, with the nested lists
left out or joined.

Who sees what is decided here, once, for every feed (`programmes_for`): a
signed-in user reads every programme, as on the programme pages; anyone
else only the programmes whose managers published them as open data
(Programme.open_data_public). What no feed ever carries: draft or
superseded highlight reports, e-mail addresses or telephone numbers, and,
to the public, a report that went to committee as a Part 2 (exempt) paper.

Every feed costs a fixed number of queries whatever the number of
programmes, projects or reports: the rows are built from a few joined or
prefetched querysets, before the response starts to stream.
"""

import datetime
import decimal
from typing import NamedTuple

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import RAG
from programmes.models import (
    Benefit,
    HighlightReport,
    HighlightReportRow,
    Programme,
    Project,
    Workstream,
)

PUBLISHER = "London Borough of Bromley"
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# What each CSV carries, in column order; the JSON rows have these keys and,
# where noted in the README, nested lists besides.
PROGRAMME_COLUMNS = [
    "ref",
    "name",
    "description",
    "stage",
    "stage_label",
    "rag",
    "rag_label",
    "owner",
    "sponsor",
    "report_authors",
    "reports_to",
    "start_date",
    "start_wording",
    "due_date",
    "due_wording",
    "overdue",
    "management_summary",
    "workstream_count",
    "project_count",
    "savings_target_amount",
    "savings_realised_amount",
    "open_data_public",
    "url",
]
PROJECT_COLUMNS = [
    "ref",
    "name",
    "description",
    "programme_ref",
    "programme_name",
    "workstream_ref",
    "workstream_name",
    "stage",
    "stage_label",
    "status",
    "status_label",
    "rag",
    "rag_label",
    "overdue",
    "owner",
    "start_date",
    "start_wording",
    "due_date",
    "due_wording",
    "closed_on",
    "last_update_on",
    "savings_target_amount",
    "savings_realised_amount",
    "savings_targets",
    "shared_with",
    "url",
]
REPORT_COLUMNS = [
    "report_id",
    "programme_ref",
    "title",
    "programme_name",
    "to_committee",
    "report_authors",
    "period_start",
    "period_end",
    "as_at",
    "version_number",
    "published_at",
    "stage",
    "start_wording",
    "proposed_end_wording",
    "overall_rag",
    "overall_rag_label",
    "overall_rag_reason",
    "management_summary",
    "url",
]
REPORT_ROW_COLUMNS = [
    "position",
    "workstream_name",
    "project_name",
    "project_ref",
    "rag",
    "rag_label",
    "previous_rag",
    "previous_rag_label",
    "direction",
    "direction_label",
    "key_progress",
    "risks_issues",
    "next_tasks",
]
# A report's CSV line is its header then one of its rows; the row's RAG
# columns are named for the row, so they do not clash with the header's.
REPORT_CSV_COLUMNS = [*REPORT_COLUMNS, *(f"row_{name}" for name in REPORT_ROW_COLUMNS)]


class Feed(NamedTuple):
    """One feed's rows, ready for JSON (`rows`, with nested lists) or CSV (`csv_lines`, flat)."""

    name: str  # the envelope's key for the rows, and the file name: "projects"
    title: str
    columns: list
    rows: list
    csv_lines: list  # one dict per CSV line, keyed by `columns`
    programme: Programme | None
    public: bool  # built for someone not signed in


# --- Who sees what ------------------------------------------------------------------------------


def programmes_for(user):
    """The programmes the feeds show `user`: every one to a signed-in user
    (every council login reads programme data), only those published as
    open data to anyone else."""
    programmes = Programme.objects.order_by("name", "pk")
    if user.is_authenticated:
        return programmes
    return programmes.filter(open_data_public=True)


def programme_for(user, ref):
    """One programme of `programmes_for(user)`, else 404: to the public a
    programme not published as open data does not exist here."""
    return get_object_or_404(programmes_for(user), ref=ref)


def published_reports_for(user, programmes):
    """The published (current) highlight reports of `programmes`: never a
    draft, never a version a correction superseded. To the public, never a
    report taken as a Part 2 (exempt) paper either, though its programme
    is published: the committee heard it with the press and public excluded."""
    reports = HighlightReport.objects.published().filter(programme__in=programmes)
    if not user.is_authenticated:
        reports = reports.exclude(appendices__agenda_item__exempt=True)
    return reports


# --- Values -------------------------------------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _number(value):
    """A Decimal as a JSON number: 350000, 83333.5 (pounds, or a percentage)."""
    if value is None:
        return None
    value = decimal.Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _rag(value):
    return value or None, RAG(value).label if value else None


def _owner(item):
    """Whoever is accountable, by the name the council writes (never their contact details)."""
    return item.owner.name if item.owner else None


def _total(amounts):
    amounts = [amount for amount in amounts if amount is not None]
    return sum(amounts) if amounts else None


def _csv_value(value):
    """Plain text for a CSV cell: lists joined, booleans as true/false
    (core.spreadsheets.csv_rows then neutralises text a spreadsheet would run)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(part) for part in value)
    return value


def _flat(row, columns):
    return {column: _csv_value(row.get(column)) for column in columns}


# --- Savings ------------------------------------------------------------------------------------


def _benefits_prefetch():
    return Prefetch(
        "benefits",
        queryset=Benefit.objects.prefetch_related("realisations"),
    )


def _benefit(benefit):
    realised = [
        {
            "financial_year": entry.financial_year,
            "financial_year_label": entry.financial_year_label,
            "amount": _number(entry.amount),
        }
        for entry in benefit.realisations.all()
    ]
    return {
        "type": benefit.type,
        "type_label": benefit.get_type_display(),
        "description": benefit.description,
        "financial_year": benefit.financial_year,
        "financial_year_label": benefit.financial_year_label or None,
        "target_amount": _number(benefit.target_amount),
        "target_percent_low": _number(benefit.target_percent_low),
        "target_percent_high": _number(benefit.target_percent_high),
        "percent_of": benefit.percent_of,
        "at_least": benefit.at_least,
        "target_label": benefit.target_label,
        "target_wording": benefit.target_wording,
        "realised_amount": _number(_total(entry.amount for entry in benefit.realisations.all())),
        "realised": realised,
    }


def _savings(benefits):
    """(target £, realised £) over a project's benefits: targets given in pounds only."""
    target = _total(benefit.target_amount for benefit in benefits)
    realised = _total(entry.amount for benefit in benefits for entry in benefit.realisations.all())
    return target, realised


# --- Programmes ---------------------------------------------------------------------------------


def _programme_row(programme, absolute, savings):
    workstreams = list(programme.workstreams.all())
    rag, rag_label = _rag(programme.rag)
    target, realised = savings
    return {
        "ref": programme.ref,
        "name": programme.name,
        "description": programme.description,
        "stage": programme.stage,
        "stage_label": programme.get_stage_display(),
        "rag": rag,
        "rag_label": rag_label,
        "owner": _owner(programme),
        "sponsor": programme.sponsor,
        "report_authors": programme.report_authors,
        "reports_to": programme.reports_to or None,
        "start_date": _date(programme.start_date),
        "start_wording": programme.start_wording,
        "due_date": _date(programme.due_date),
        "due_wording": programme.due_wording,
        "overdue": programme.is_overdue(),
        "management_summary": programme.management_summary,
        "workstream_count": len(workstreams),
        "project_count": sum(len(workstream.projects.all()) for workstream in workstreams),
        "savings_target_amount": _number(target),
        "savings_realised_amount": _number(realised),
        "open_data_public": programme.open_data_public,
        "url": absolute(programme.get_absolute_url()),
        "workstreams": [_workstream(workstream, absolute) for workstream in workstreams],
    }


def _workstream(workstream, absolute):
    rag, rag_label = _rag(workstream.rag)
    return {
        "ref": workstream.ref,
        "name": workstream.name,
        "stage": workstream.stage or None,
        "stage_label": workstream.get_stage_display() or None,
        "rag": rag,
        "rag_label": rag_label,
        "owner": _owner(workstream),
        "due_date": _date(workstream.due_date),
        "due_wording": workstream.due_wording,
        "project_count": len(workstream.projects.all()),
        "url": absolute(workstream.get_absolute_url()),
    }


def programmes_feed(user, absolute):
    """Every programme `user` may read, with its workstreams and its savings:
    those of its own projects and of the projects other programmes share
    into its workstreams, as the programme page totals them. `absolute`
    makes a page address absolute (request.build_absolute_uri)."""
    programmes = list(
        programmes_for(user)
        .select_related("owner")
        .with_committee()
        .prefetch_related(
            Prefetch("workstreams", queryset=Workstream.objects.select_related("owner")),
            Prefetch("workstreams__projects", queryset=Project.objects.prefetch_related(_benefits_prefetch())),
            Prefetch("workstreams__shared_projects", queryset=Project.objects.prefetch_related(_benefits_prefetch())),
        )
    )
    rows = []
    for programme in programmes:
        projects = {
            project.pk: project
            for workstream in programme.workstreams.all()
            for project in [*workstream.projects.all(), *workstream.shared_projects.all()]
        }
        savings = [_savings(project.benefits.all()) for project in projects.values()]
        totals = (_total(target for target, _ in savings), _total(realised for _, realised in savings))
        rows.append(_programme_row(programme, absolute, totals))
    return Feed(
        name="programmes",
        title="Programmes",
        columns=PROGRAMME_COLUMNS,
        rows=rows,
        csv_lines=[_flat(row, PROGRAMME_COLUMNS) for row in rows],
        programme=None,
        public=not user.is_authenticated,
    )


# --- Projects -----------------------------------------------------------------------------------


def _project_row(project, absolute):
    programme = project.workstream.programme
    benefits = list(project.benefits.all())
    target, realised = _savings(benefits)
    rag, rag_label = _rag(project.rag)
    return {
        "ref": project.ref,
        "name": project.name,
        "description": project.description,
        "programme_ref": programme.ref,
        "programme_name": programme.name,
        "workstream_ref": project.workstream.ref,
        "workstream_name": project.workstream.name,
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "status": str(project.status),
        "status_label": project.status_label,
        "rag": rag,
        "rag_label": rag_label,
        "overdue": project.is_overdue(),
        "owner": _owner(project),
        "start_date": _date(project.start_date),
        "start_wording": project.start_wording,
        "due_date": _date(project.due_date),
        "due_wording": project.due_wording,
        "closed_on": _date(project.closed_on),
        "last_update_on": _date(project.last_update_on),
        "savings_target_amount": _number(target),
        "savings_realised_amount": _number(realised),
        "savings_targets": [
            f"{benefit.target_label} ({benefit.financial_year_label})"
            if benefit.financial_year
            else benefit.target_label
            for benefit in benefits
            if benefit.target_label
        ],
        "shared_with": [workstream.programme.ref for workstream in project.shared_with.all()],
        "url": absolute(project.get_absolute_url()),
        "benefits": [_benefit(benefit) for benefit in benefits],
    }


def projects_feed(user, absolute, programme=None):
    """Every project of the programmes `user` may read (or of `programme`),
    each once, under the programme that leads it; `shared_with` names the
    other programmes (of those) that report it too."""
    programmes = programmes_for(user)
    projects = Project.objects.filter(workstream__programme__in=programmes)
    if programme is not None:
        projects = projects.filter(workstream__programme=programme)
    projects = (
        projects.select_related("owner", "workstream__programme")
        .with_last_update()
        .prefetch_related(
            _benefits_prefetch(),
            Prefetch(
                "shared_with",
                queryset=Workstream.objects.filter(programme__in=programmes).select_related("programme"),
            ),
        )
    )
    rows = [_project_row(project, absolute) for project in projects]
    return Feed(
        name="projects",
        title="Projects" if programme is None else f"Projects of {programme.name}",
        columns=PROJECT_COLUMNS,
        rows=rows,
        csv_lines=[_flat(row, PROJECT_COLUMNS) for row in rows],
        programme=programme,
        public=not user.is_authenticated,
    )


# --- Published highlight reports ----------------------------------------------------------------


def _report_row_values(row):
    rag, rag_label = _rag(row.rag)
    previous, previous_label = _rag(row.previous_rag)
    return {
        "position": row.position,
        "workstream_name": row.workstream_name,
        "project_name": row.project_name,
        "project_ref": row.project.ref if row.project else None,
        "rag": rag,
        "rag_label": rag_label,
        "previous_rag": previous,
        "previous_rag_label": previous_label,
        "direction": str(row.direction),
        "direction_label": row.direction.label,
        "key_progress": row.key_progress,
        "risks_issues": row.risks_issues,
        "next_tasks": row.next_tasks,
    }


def _report(report, absolute):
    overall, overall_label = _rag(report.overall_rag)
    header = {
        "report_id": report.pk,
        "programme_ref": report.programme.ref,
        "title": report.title,
        "programme_name": report.programme_name,
        "to_committee": report.to_committee,
        "report_authors": report.report_authors,
        "period_start": _date(report.period_start),
        "period_end": _date(report.period_end),
        "as_at": _date(report.as_at),
        "version_number": report.version_number,
        "published_at": _datetime(report.published_at),
        "stage": report.stage,
        "start_wording": report.start_wording,
        "proposed_end_wording": report.proposed_end_wording,
        "overall_rag": overall,
        "overall_rag_label": overall_label,
        "overall_rag_reason": report.overall_rag_reason,
        "management_summary": report.management_summary,
        "url": absolute(report.get_absolute_url()),
    }
    rows = [_report_row_values(row) for row in report.rows.all()]
    sections = {
        "benefits": [
            {
                "project_name": line.project_name,
                "benefit_type": line.benefit_type,
                "description": line.description,
                "target": line.target,
                "realised": line.realised,
            }
            for line in report.benefits.all()
        ]
        if report.include_benefits
        else [],
        "milestones": [
            {
                "project_name": line.project_name,
                "milestone": line.milestone,
                "target": line.target,
                "status": line.status,
                "responsible": line.responsible,
            }
            for line in report.milestones.all()
        ]
        if report.include_milestones
        else [],
    }
    return header, rows, sections


def highlight_reports_feed(user, absolute, programme=None):
    """The published highlight reports of the programmes `user` may read (or
    of `programme`), newest period first within each programme: the header,
    the rows as the committee saw them, and the savings and milestones
    summaries where the report included them. The CSV has a line per row,
    the header repeated on each (a report without rows has one line)."""
    reports = published_reports_for(user, programmes_for(user))
    if programme is not None:
        reports = reports.filter(programme=programme)
    reports = reports.select_related("programme").prefetch_related(
        Prefetch("rows", queryset=HighlightReportRow.objects.select_related("project")),
        "benefits",
        "milestones",
    )
    rows, csv_lines = [], []
    for report in reports.order_by("programme__name", "-period_end", "-version_number"):
        header, report_rows, sections = _report(report, absolute)
        rows.append({**header, "rows": report_rows, **sections})
        for report_row in report_rows or [{}]:
            line = {**header, **{f"row_{name}": value for name, value in report_row.items()}}
            csv_lines.append(_flat(line, REPORT_CSV_COLUMNS))
    return Feed(
        name="highlight_reports",
        title="Published highlight reports" if programme is None else f"Published highlight reports of {programme}",
        columns=REPORT_CSV_COLUMNS,
        rows=rows,
        csv_lines=csv_lines,
        programme=programme,
        public=not user.is_authenticated,
    )


# --- The JSON envelope --------------------------------------------------------------------------


def envelope(feed, *, generated_at=None):
    """The JSON document: what the feed is, when it was made, under which
    licence, then its rows under the feed's name ("projects": [...])."""
    notes = [
        "Dates are ISO 8601 (YYYY-MM-DD); *_wording fields keep the council's own words (“post-elections”).",
        "RAG is given as a value (rag) and as its word (rag_label); never as a colour.",
        "Amounts are in pounds. Savings targets total the targets given in pounds; "
        "percentage targets are in each project's benefits and savings_targets.",
        "Highlight reports are the published versions only, as presented: never drafts or superseded versions.",
    ]
    if feed.public:
        notes.append("Only programmes published as open data are included.")
    else:
        notes.append(
            "You are signed in, so this also lists programmes not published as open data "
            "(open_data_public false): they are for council use and not under the licence."
        )
    return {
        "feed": feed.name,
        "title": feed.title,
        "publisher": PUBLISHER,
        "generated_at": (generated_at or timezone.now()).astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "access": "public" if feed.public else "signed_in",
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "notes": notes,
        "programme": feed.programme.ref if feed.programme else None,
        "count": len(feed.rows),
        feed.name: feed.rows,
    }


def csv_table(feed):
    """(headings, rows of values) for core.spreadsheets' CSV writer."""
    return feed.columns, ([line[column] for column in feed.columns] for line in feed.csv_lines)
