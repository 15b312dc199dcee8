"""Highlight reports: a programme's managers draft, edit and publish them;
every council login reads, prints and downloads them."""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import add_conflict_error
from core.models import RAG, EditConflict
from core.page_cache import render_with_cached_part
from core.views import pdf_download
from programmes.access import get_programme_for_user, get_report_for_user
from programmes.models import HighlightReport, Project, ReportIsPublished
from programmes.report_forms import (
    CorrectReportForm,
    HighlightReportForm,
    HighlightReportRowFormSet,
    PublishReportForm,
    StartReportForm,
)
from programmes.services import (
    copy_report_sections,
    correct_highlight_report,
    draft_highlight_report,
    left_out_projects,
    publish_highlight_report,
    remove_report_row,
    restore_report_row,
)


def _load_sections(report):
    """Fetch the lines of the optional sections the report includes, and only
    those: a report without them costs no extra query."""
    lookups = [name for name in ("benefits", "milestones") if getattr(report, f"include_{name}")]
    prefetch_related_objects([report], *lookups)
    return report


def _print_context(request, report):
    _load_sections(report)
    return {
        "report": report,
        "can_edit": report.programme.can_be_edited_by(request.user),
        "corrected": report.corrected_report(),
    }


def report_list(request, ref):
    programme = get_programme_for_user(request, ref)
    reports = programme.highlight_reports.select_related("published_by").order_by("-period_end", "-version_number")
    return render(
        request,
        "programmes/highlight_report_list.html",
        {"programme": programme, "reports": reports, "can_edit": programme.can_be_edited_by(request.user)},
    )


def report_create(request, ref):
    programme = get_programme_for_user(request, ref, for_edit=True)
    form = StartReportForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        period = {name: form.cleaned_data[name] for name in ("period_start", "period_end")}
        try:
            report = draft_highlight_report(programme=programme, user=request.user, **period)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            drafted = f"Version {report.version_number} drafted" if report.version_number > 1 else "Drafted"
            messages.success(request, f"{drafted} from the latest project updates: check the wording, then publish.")
            return redirect("programmes:report_edit", report.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Start a highlight report for {programme}",
            "cancel_url": programme.get_absolute_url(),
        },
    )


def report_detail(request, pk):
    report = get_report_for_user(request, pk, heading_only=True)

    def page():  # the rows, sections and forms, unless the page cache has the page
        prefetch_related_objects([report], "rows", "corrections")
        context = _print_context(request, report)
        if context["can_edit"]:
            context.update(publish_form=PublishReportForm(auto_id="publish-%s"), correct_form=CorrectReportForm())
        return context

    template = "programmes/highlight_report_detail.html"
    return render_with_cached_part(request, template, "programmes:report", {"report": report}, page)


def _confirm_page(request, report, *, form, title, explanation):
    """Where a publish or correction the form on the report page did not
    confirm lands: nothing was done, the error says why, and the same form
    is offered again."""
    context = {"report": report, "form": form, "title": title, "explanation": explanation}
    return render(request, "programmes/highlight_report_confirm.html", context, status=400)


def report_edit(request, pk):
    report = get_report_for_user(request, pk, for_edit=True)
    if not report.is_draft:
        messages.error(request, str(ReportIsPublished()))
        return redirect(report)
    rows = HighlightReportRowFormSet(request.POST or None, instance=report)
    form = HighlightReportForm(request.POST or None, instance=report, rows=rows, user=request.user)
    if request.method == "POST" and all([rows.is_valid(), form.is_valid()]):
        try:
            with transaction.atomic():
                # Claim the report at the version this page loaded before
                # anything is written: a stale page saves neither header nor rows.
                form.save(commit=False).save_if_unchanged(form.cleaned_data["version"] or 0)
                rows.save()
                if form.sections_changed:
                    copy_report_sections(report=report, user=request.user)
        except EditConflict as conflict:
            if not conflict.current.is_draft:  # published meanwhile: the version moved on with it
                messages.error(request, str(ReportIsPublished()))
                return redirect(report)
            add_conflict_error(form, conflict)
            report = get_report_for_user(request, pk, for_edit=True)  # as saved, not as typed
        except ReportIsPublished as refused:
            messages.error(request, str(refused))
            return redirect(report)
        else:
            messages.success(request, "Draft saved.")
            return redirect(report)
    context = {"report": _load_sections(report), "form": form, "rows": rows, "left_out": left_out_projects(report)}
    return render(request, "programmes/highlight_report_edit.html", context)


@require_POST
def report_row_restore(request, pk, project_pk):
    """Put back a project's row that was left out of a draft report."""
    report = get_report_for_user(request, pk, for_edit=True)
    project = get_object_or_404(Project, pk=project_pk)
    try:
        row = restore_report_row(report=report, project=project, user=request.user)
    except ReportIsPublished as refused:
        messages.error(request, str(refused))
        return redirect(report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programmes:report_edit", report.pk)
    messages.success(request, f"“{row.project_name}” put back, drafted from its latest update in the period.")
    return redirect("programmes:report_edit", report.pk)


@require_POST
def report_row_remove(request, pk, row_pk):
    report = get_report_for_user(request, pk, for_edit=True)
    row = get_object_or_404(report.rows.all(), pk=row_pk)
    try:
        remove_report_row(row=row, user=request.user)
    except ReportIsPublished as refused:
        messages.error(request, str(refused))
        return redirect(report)
    messages.success(request, f"“{row.project_name}” left out of this report. The project itself is unchanged.")
    return redirect("programmes:report_edit", report.pk)


@require_POST
def report_publish(request, pk):
    report = get_report_for_user(request, pk, for_edit=True)
    form = PublishReportForm(request.POST, auto_id="publish-%s")
    if report.is_draft and not form.is_valid():
        explanation = (
            f"Publishing freezes version {report.version_number} as it is now: it becomes what the committee "
            "sees, and it can no longer be changed. A mistake found later needs a correction, a new version "
            "printed with its reason."
        )
        return _confirm_page(
            request, report, form=form, title=f"Publish version {report.version_number}?", explanation=explanation
        )
    try:
        publish_highlight_report(report=report, user=request.user)
    except ReportIsPublished as refused:
        messages.error(request, str(refused))
    except ValidationError as error:
        messages.error(request, "Not published: " + " ".join(error.messages))
        return redirect("programmes:report_edit", report.pk)
    else:
        messages.success(request, f"Version {report.version_number} published. It can no longer be changed.")
    return redirect(report)


@require_POST
def report_correct(request, pk):
    report = get_report_for_user(request, pk, for_edit=True)
    form = CorrectReportForm(request.POST)
    if form.is_valid() or report.status != HighlightReport.Status.PUBLISHED:
        try:
            reason = form.cleaned_data.get("reason", "")
            correction = correct_highlight_report(report=report, user=request.user, reason=reason)
        except ValidationError as error:
            errors = error.update_error_dict({})
            if "correction_reason" not in errors:
                messages.error(request, " ".join(error.messages))
                return redirect(report)
            form.add_error("reason", errors.pop("correction_reason"))
            for others in errors.values():
                form.add_error(None, others)
        else:
            messages.success(
                request, f"Version {correction.version_number} drafted as a copy: correct it, then publish."
            )
            return redirect("programmes:report_edit", correction.pk)
    explanation = (
        f"A correction is a new draft version, copied from version {report.version_number}, to put right and "
        f"publish in its place. Version {report.version_number} stays on record as it was presented. "
        "The reason prints on the new version."
    )
    return _confirm_page(
        request, report, form=form, title=f"Correct version {report.version_number}", explanation=explanation
    )


def report_print(request, pk):
    report = get_report_for_user(request, pk)
    return render(request, "programmes/highlight_report_print.html", _print_context(request, report))


def report_pdf(request, pk):
    """The print view rendered by WeasyPrint, with the stylesheet inlined so it
    needs no HTTP fetch back to this server."""
    from weasyprint import HTML  # slow to import; only this view needs it

    report = get_report_for_user(request, pk)
    html = render_to_string(
        "programmes/highlight_report_print.html", {**_print_context(request, report), "pdf": True}, request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return pdf_download(pdf, _download_name(report, "pdf"))


def _download_name(report, extension):
    """e.g. oip-highlight-report-2010-06-06-v1.pdf: programme, period end and version."""
    return f"{report.programme.ref}-highlight-report-{report.period_end:%Y-%m-%d}-v{report.version_number}.{extension}"


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_COLUMNS = (
    ("Workstream", 24),
    ("Project", 30),
    ("Key progress during reporting period", 60),
    ("Risks and issues to be raised for information or escalated", 50),
    ("Tasks planned for next period", 50),
    ("RAG status", 12),
    ("Direction of travel", 20),
)


# Excel keeps at most this many characters (UTF-16 code units) in a cell and
# cuts longer text without a word when the file is opened. The text limits
# keep every field far below it; text saved before them may not be.
EXCEL_CELL_LIMIT = 32_767
EXCEL_CUT = "… [cut: {:,} characters did not fit in an Excel cell; see the report in OIP Tracker]"


def _excel_length(text):
    return len(text.encode("utf-16-le")) // 2


def _fit_excel_cell(text):
    """`text`, or as much of it as fits with a visible note of what was cut."""
    if _excel_length(text) <= EXCEL_CELL_LIMIT:
        return text
    units = text.encode("utf-16-le")
    room = EXCEL_CELL_LIMIT - len(EXCEL_CUT.format(len(text)))  # the note for cutting less is no longer
    kept = units[: room * 2].decode("utf-16-le", errors="ignore")  # never half a character
    return kept + EXCEL_CUT.format(len(text) - len(kept))


def report_xlsx(request, pk):
    """The report as an Excel workbook, one row per project, for whoever
    works on it in a spreadsheet. Same access as the report page."""
    report = _load_sections(get_report_for_user(request, pk))
    response = HttpResponse(_report_workbook(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_download_name(report, "xlsx")}"'
    return response


def _report_workbook(report):
    """The header block, then the rows table. Write-only mode streams rows to
    the file instead of holding a cell object per value."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    workbook = Workbook(write_only=True)
    workbook.properties.title = f"{report.title}, {report.period_label}"
    sheet = workbook.create_sheet("Highlight report")
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    for index, (_, width) in enumerate(XLSX_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def text_of(value):
        # Officers paste from Word: drop the control characters Excel refuses.
        return ILLEGAL_CHARACTERS_RE.sub("", value)

    def cell(value, font=None):
        if isinstance(value, str):
            value = _fit_excel_cell(text_of(value))
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # a leading "=" stays text, not a formula
            written.alignment = wrapped
        elif isinstance(value, datetime.date):
            written.number_format = "d mmm yyyy"
        if font:
            written.font = font
        return written

    status = report.get_status_display()
    if report.is_draft:
        status = "DRAFT, not yet published"
    elif report.published_at:
        published = timezone.localtime(report.published_at)
        status += f" {published.day} {published:%b %Y}"
    header = [
        ("To", report.to_committee),
        *([("As at", report.as_at)] if report.as_at else []),
        ("Project / Programme name", report.programme_name),
        ("Reporting period from", report.period_start),
        ("Reporting period to", report.period_end),
        ("Report author(s)", report.report_authors),
        ("Stage / Status", report.stage),
        ("Start date", report.start_wording),
        ("Proposed end date", report.proposed_end_wording),
        ("Overall RAG status", RAG(report.overall_rag).label),
    ]
    if report.overall_rag_reason:
        header.append(("Reason for the overall RAG", report.overall_rag_reason))
    header += [
        ("Management summary", report.management_summary),
        ("Report status", status),
        ("Version", report.version_number),
    ]
    rows = list(report.rows.all())
    sections = _report_section_tables(report)
    texts = [report.title, *(value for _, value in header)] + [
        text for row in rows for text in (row.workstream_name, row.project_name, *_row_narratives(row))
    ]
    texts += [text for _, _, lines in sections for line in lines for text in line]
    cut = sum(_excel_length(text_of(text)) > EXCEL_CELL_LIMIT for text in texts if isinstance(text, str))
    if cut:  # first in the header block, where whoever opens the file sees it
        cells = f"{cut} cells were" if cut > 1 else "1 cell was"
        header.insert(
            0,
            (
                "Warning",
                f"{cells} longer than Excel's {EXCEL_CELL_LIMIT:,} characters and cut short, each ending "
                "“[cut: …]”: read the full text in OIP Tracker.",
            ),
        )

    # A write-only sheet writes its settings with the first row, so set them first.
    # The column headings repeat on every printed page; they are not frozen on
    # screen, where the header block above them would fill the window.
    table_row = 1 + len(header) + 2  # the title, the header block, a blank row
    sheet.print_title_rows = f"{table_row}:{table_row}"

    sheet.append([cell(report.title, Font(bold=True, size=14))])
    for label, value in header:
        sheet.append([cell(label, bold), cell(value)])
    sheet.append([])
    sheet.append([cell(heading, bold) for heading, _ in XLSX_COLUMNS])
    for row in rows:
        direction = row.direction.label
        if row.previous_rag and row.direction != row.Direction.NEW:
            direction += f" (was {row.get_previous_rag_display()})"
        sheet.append(
            [
                cell(row.workstream_name),
                cell(row.project_name, bold),
                *(cell(text) for text in _row_narratives(row)),
                cell(RAG(row.rag).label),
                cell(direction),
            ]
        )

    for title, headings, lines in sections:
        sheet.append([])
        sheet.append([cell(title, Font(bold=True, size=12))])
        sheet.append([cell(heading, bold) for heading in headings])
        for line in lines:
            sheet.append([cell(value) for value in line])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _report_section_tables(report):
    """(title, headings, lines) of the optional sections the report includes,
    as printed: the savings-and-benefits summary and the key milestones."""
    sections = []
    if report.include_benefits:
        lines = [
            (b.project_name, b.benefit_type, b.description, b.target, b.realised or "None recorded")
            for b in report.benefits.all()
        ]
        headings = ("Project", "Type", "Benefit", "Target", "Realised so far")
        sections.append(("Savings and benefits", headings, lines))
    if report.include_milestones:
        lines = [(m.project_name, m.milestone, m.target, m.status, m.responsible) for m in report.milestones.all()]
        sections.append(("Key milestones", ("Project", "Milestone", "Target date", "Status", "Responsible"), lines))
    return sections


def _row_narratives(row):
    return row.key_progress, row.risks_issues, row.next_tasks
