"""Dates and sizes are bounded: dates outside 2000-2100 and over-long text are
refused with a clear message wherever they are entered; reporting periods end
at most a month ahead; pages cope with any date already stored; the largest
report allowed prints; Excel downloads say when a cell had to be cut."""

import datetime
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from actions.models import ActionItem, ActionUpdate, Finding
from committees.changes import window_for
from committees.models import AgendaItem, Meeting
from core.models import RAG
from core.seed import SeedError, load_seed_data
from programmes.models import (
    NARRATIVE_LIMIT,
    REPORT_LINES,
    REPORT_PERIOD_MARGIN,
    HighlightReport,
    HighlightReportRow,
    Programme,
    ProjectUpdate,
)
from programmes.report_views import EXCEL_CELL_LIMIT, _fit_excel_cell
from programmes.services import correct_highlight_report, draft_highlight_report, publish_highlight_report
from tests import factories

DATE_MESSAGE = "Enter a date between 1 Jan 2000 and 31 Dec 2100."
OUT_OF_RANGE = ["1900-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)


def limit(model, field):
    return model._meta.get_field(field).max_length


def too_long(model, field):
    """One character over the field's limit, written the way the message counts it."""
    over = limit(model, field) + 1
    return "x" * over, f"Keep this to {over - 1:,} characters or fewer: it has {over:,}."


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Self-service and ICT")


@pytest.fixture
def project(workstream, officer_team):
    return factories.make_project(workstream, name="Voice Recognition", owner=officer_team)


@pytest.fixture
def action(programme, officer_team):
    section = factories.make_section(area=factories.make_area())
    section.plan.programme = programme
    section.plan.save()
    return factories.make_action(
        title="Write up the e-forms proposal", owner=officer_team, section=section, rag=RAG.GREEN
    )


@pytest.fixture
def meeting(db):
    return factories.make_meeting(date=datetime.date(2010, 6, 1))


def action_update_data(action, **overrides):
    return {
        "version": action.version,
        "update_date": timezone.localdate().isoformat(),
        "note": "Proposal drafted and with COE.",
        "rag": RAG.AMBER,
        "status": "in_progress",
        "due_date": action.due_date.isoformat(),
        **overrides,
    }


def project_update_data(project, **overrides):
    return {
        "version": project.version,
        "period_start": "2010-06-07",
        "period_end": "2010-07-20",
        "key_progress": "Went live to all staff on 14 June.",
        "rag": RAG.GREEN,
        **overrides,
    }


def refused(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert "with what you entered" in html  # the error summary
    assert message in html
    return html


# --- Dates out of range --------------------------------------------------------------------


@pytest.mark.parametrize("value", [datetime.date(1999, 12, 31), datetime.date(2101, 1, 1), datetime.date.max])
def test_models_refuse_dates_outside_2000_to_2100(value, programme):
    with pytest.raises(ValidationError) as refused_:
        Meeting(committee=factories.make_meeting().committee, date=value).full_clean()
    assert refused_.value.message_dict["date"] == [DATE_MESSAGE]
    programme.start_date = value
    with pytest.raises(ValidationError) as refused_:
        programme.full_clean()
    assert refused_.value.message_dict["start_date"] == [DATE_MESSAGE]


def test_the_bounds_themselves_are_accepted(programme):
    programme.start_date, programme.due_date = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
    programme.full_clean()


@pytest.mark.parametrize("field", ["update_date", "due_date", "completed_on"])
@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31"])
def test_action_update_refuses_an_out_of_range_date_and_saves_nothing(client, officer, action, field, value):
    client.force_login(officer)
    data = action_update_data(action, **{field: value, "due_change_reason": "Slipped."})
    if field == "completed_on":
        data["status"] = "complete"
    refused(client.post(reverse("actions:update", args=[action.ref]), data), DATE_MESSAGE)
    action.refresh_from_db()
    assert (action.version, action.rag, action.due_date) == (1, RAG.GREEN, datetime.date(2010, 6, 30))
    assert not ActionUpdate.objects.filter(action=action).exists()


@pytest.mark.parametrize("field", ["period_start", "period_end"])
@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31"])
def test_project_update_refuses_an_out_of_range_date_and_saves_nothing(client, officer, project, field, value):
    client.force_login(officer)
    response = client.post(
        reverse("programmes:project_update", args=[project.ref]), project_update_data(project, **{field: value})
    )
    refused(response, DATE_MESSAGE)
    assert not ProjectUpdate.objects.filter(project=project).exists()
    project.refresh_from_db()
    assert project.version == 1


@pytest.mark.parametrize("field", ["period_start", "period_end"])
@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31"])
def test_report_start_refuses_an_out_of_range_date(client, manager, programme, project, field, value):
    client.force_login(manager)
    data = {"period_start": "2010-04-22", "period_end": "2010-06-06", field: value}
    refused(client.post(reverse("programmes:report_create", args=[programme.ref]), data), DATE_MESSAGE)
    assert not HighlightReport.objects.exists()


@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31"])
def test_meeting_forms_refuse_an_out_of_range_date(client, clerk, meeting, value):
    client.force_login(clerk)
    committee = meeting.committee
    refused(client.post(reverse("committees:meeting_create", args=[committee.ref]), {"date": value}), DATE_MESSAGE)
    assert list(committee.meetings.all()) == [meeting]
    refused(client.post(reverse("committees:meeting_edit", args=[meeting.pk]), {"date": value}), DATE_MESSAGE)
    meeting.refresh_from_db()
    assert meeting.date == datetime.date(2010, 6, 1)


@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31"])
def test_programme_and_action_edit_forms_refuse_an_out_of_range_date(client, manager, programme, action, value):
    client.force_login(manager)
    data = {"name": programme.name, "ref": programme.ref, "stage": "definition", "rag": programme.rag}
    data["version"] = programme.version
    refused(client.post(reverse("programmes:edit", args=[programme.ref]), {**data, "start_date": value}), DATE_MESSAGE)
    programme.refresh_from_db()
    assert (programme.start_date, programme.version) == (None, 1)
    data = {"title": action.title, "section": action.section_id, "version": action.version, "due_date": value}
    refused(client.post(reverse("actions:edit", args=[action.ref]), data), DATE_MESSAGE)
    action.refresh_from_db()
    assert (action.due_date, action.version) == (datetime.date(2010, 6, 30), 1)


@pytest.mark.parametrize("url", ["actions:list", "programmes:projects"])
def test_list_filters_show_an_out_of_range_date_as_an_error_and_ignore_it(client, officer, action, project, url):
    client.force_login(officer)
    response = client.get(reverse(url), {"due_after": "9999-12-31", "due_before": "1900-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(DATE_MESSAGE) == 2
    assert (action.title if url == "actions:list" else project.name) in html  # the filters were not applied


def test_date_boxes_are_typed_the_uk_way(client, officer, action):
    # Text boxes, not the browser's locale-bound picker (tests/test_uk_dates.py);
    # the range is checked on submit, as above.
    client.force_login(officer)
    html = client.get(reverse("actions:update", args=[action.ref])).content.decode()
    assert 'type="date"' not in html
    assert html.count("For example, 31/07/2010 or 31 July 2010") == 3


# --- Reporting periods ----------------------------------------------------------------------


def test_a_reporting_period_may_end_at_most_a_month_ahead(client, manager, programme, project):
    today = timezone.localdate()
    latest = today + REPORT_PERIOD_MARGIN
    client.force_login(manager)
    url = reverse("programmes:report_create", args=[programme.ref])
    data = {"period_start": today.isoformat(), "period_end": (latest + datetime.timedelta(days=1)).isoformat()}
    html = refused(client.post(url, data), "A reporting period may end at most 31 days from today")
    assert f"no later than {latest.day} {latest:%b %Y}" in html
    assert not HighlightReport.objects.exists()
    response = client.post(url, {**data, "period_end": latest.isoformat()})
    assert response.status_code == 302
    assert HighlightReport.objects.get().period_end == latest


def test_the_margin_is_the_draft_services_rule_not_only_the_forms(programme, manager):
    later = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as refused_:
        draft_highlight_report(programme=programme, period_start=START, period_end=later, user=manager)
    assert "at most 31 days from today" in refused_.value.message_dict["period_end"][0]
    assert not HighlightReport.objects.exists()


def test_editing_an_old_draft_is_not_caught_by_the_margin(client, manager, programme, project):
    report = draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)
    client.force_login(manager)
    data = {"management_summary": "Revised.", "overall_rag": report.overall_rag, "overall_rag_reason": ""}
    data |= {"title": report.title, "version": report.version}
    data |= {"rows-TOTAL_FORMS": 1, "rows-INITIAL_FORMS": 1, "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 1000}
    row = report.rows.get()
    data |= {"rows-0-id": row.pk, "rows-0-report": report.pk, "rows-0-key_progress": "", "rows-0-rag": row.rag}
    assert client.post(reverse("programmes:report_edit", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    assert report.management_summary == "Revised."


# --- Dates stored before the bounds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "this"),
    [(None, datetime.date.max), (datetime.date(9999, 12, 30), datetime.date.max), (None, datetime.date.min)],
)
def test_changes_since_the_last_meeting_copes_with_any_stored_date(client, clerk, meeting, previous, this):
    if previous:
        factories.make_meeting(meeting.committee, date=datetime.date(2010, 5, 1))
        Meeting.objects.filter(date=datetime.date(2010, 5, 1)).update(date=previous)
    Meeting.objects.filter(pk=meeting.pk).update(date=this)  # bypassing validation, as old data may
    client.force_login(clerk)
    for page in ("committees:changes", "committees:meeting", "committees:matters_arising"):
        response = client.get(reverse(page, args=[meeting.pk]))
        assert response.status_code == 200, page
    assert (
        "Changes since the last meeting"
        in client.get(reverse("committees:changes", args=[meeting.pk])).content.decode()
    )


def test_a_meeting_still_to_come_is_watched_up_to_now(meeting):
    meeting.date = datetime.date.max
    now = timezone.now()
    assert window_for(meeting, None, now=now) == (None, now)


def test_report_start_copes_with_a_stored_period_ending_in_9999(client, manager, programme, project):
    report = publish_highlight_report(
        report=draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager),
        user=manager,
    )
    HighlightReport.objects.filter(pk=report.pk).update(period_end=datetime.date.max)
    assert HighlightReport.objects.next_period_start(programme) is None
    client.force_login(manager)
    url = reverse("programmes:report_create", args=[programme.ref])
    response = client.get(url)
    assert response.status_code == 200
    (start,) = re.findall(r'<input[^>]*name="period_start"[^>]*>', response.content.decode())
    assert "value=" not in start  # no day after 31 Dec 9999 to suggest
    for page in ("programmes:report", "programmes:report_print", "programmes:report_xlsx", "programmes:reports"):
        assert (
            client.get(reverse(page, args=[programme.ref if page == "programmes:reports" else report.pk])).status_code
            == 200
        )
    response = client.post(url, {"period_start": "2010-06-07", "period_end": "2010-07-20"})
    assert response.status_code == 302
    assert HighlightReport.objects.filter(period_end=datetime.date(2010, 7, 20)).exists()


def test_next_period_starts_the_day_after_the_last_published_one(programme, project, manager):
    report = draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)
    publish_highlight_report(report=report, user=manager)
    assert HighlightReport.objects.next_period_start(programme) == datetime.date(2010, 6, 7)


def test_correcting_a_report_whose_period_is_out_of_range_says_why(client, manager, programme, project):
    report = publish_highlight_report(
        report=draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager),
        user=manager,
    )
    HighlightReport.objects.filter(pk=report.pk).update(period_end=datetime.date.max)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:report_correct", args=[report.pk]), {"reason": "The period was wrong."}, follow=True
    )
    assert f"Version 1, reporting period to: {DATE_MESSAGE}" in response.content.decode()
    assert HighlightReport.objects.count() == 1


# --- Text limits ---------------------------------------------------------------------------


def test_action_update_refuses_an_over_long_note_and_saves_nothing(client, officer, action):
    note, message = too_long(ActionUpdate, "note")
    client.force_login(officer)
    refused(client.post(reverse("actions:update", args=[action.ref]), action_update_data(action, note=note)), message)
    assert not ActionUpdate.objects.exists()
    action.refresh_from_db()
    assert action.version == 1


def test_project_update_refuses_over_long_or_too_many_lines_and_saves_nothing(client, officer, project):
    client.force_login(officer)
    url = reverse("programmes:project_update", args=[project.ref])
    text, message = too_long(ProjectUpdate, "risks_issues")
    refused(client.post(url, project_update_data(project, risks_issues=text)), message)
    lines = "\n".join(["- a task"] * (REPORT_LINES + 1))
    refused(
        client.post(url, project_update_data(project, next_tasks=lines)),
        f"Keep this to {REPORT_LINES} lines or fewer: it has {REPORT_LINES + 1}.",
    )
    assert not ProjectUpdate.objects.exists()


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(client, officer, project):
    """Browsers post a textarea's line breaks as CR LF but let people type up to maxlength counting each as one."""
    client.force_login(officer)
    lines = ["x" * ((NARRATIVE_LIMIT - REPORT_LINES) // REPORT_LINES)] * REPORT_LINES
    typed, posted = "\n".join(lines), "\r\n".join(lines)
    assert len(typed) <= NARRATIVE_LIMIT < len(posted)
    response = client.post(
        reverse("programmes:project_update", args=[project.ref]), project_update_data(project, key_progress=posted)
    )
    assert response.status_code == 302
    assert ProjectUpdate.objects.get().key_progress == typed  # stored as the person saw it


def test_report_edit_refuses_an_over_long_row(client, manager, programme, project):
    report = draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)
    row = report.rows.get()
    text, message = too_long(HighlightReportRow, "next_tasks")
    client.force_login(manager)
    data = {"management_summary": "", "overall_rag": report.overall_rag, "overall_rag_reason": ""}
    data |= {"rows-TOTAL_FORMS": 1, "rows-INITIAL_FORMS": 1, "rows-MIN_NUM_FORMS": 0, "rows-MAX_NUM_FORMS": 1000}
    data |= {"rows-0-id": row.pk, "rows-0-report": report.pk, "rows-0-next_tasks": text, "rows-0-rag": row.rag}
    response = client.post(reverse("programmes:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    row.refresh_from_db()
    assert row.next_tasks == ""


def test_agenda_item_refuses_an_over_long_reason(client, clerk, meeting):
    text, message = too_long(AgendaItem, "reason")
    client.force_login(clerk)
    response = client.post(
        reverse("committees:agenda_item_create", args=[meeting.pk]), {"number": 8, "title": "OIP", "reason": text}
    )
    refused(response, message)
    assert not AgendaItem.objects.exists()


def test_text_areas_carry_the_models_limit(client, officer, manager, action, project, programme):
    client.force_login(officer)
    html = client.get(reverse("actions:update", args=[action.ref])).content.decode()
    assert f'maxlength="{limit(ActionUpdate, "note")}"' in html
    html = client.get(reverse("programmes:project_update", args=[project.ref])).content.decode()
    assert html.count(f'maxlength="{NARRATIVE_LIMIT}"') == 3
    client.force_login(manager)
    html = client.get(reverse("programmes:edit", args=[programme.ref])).content.decode()
    assert f'maxlength="{limit(Programme, "management_summary")}"' in html


def test_services_refuse_over_long_text_for_every_writer(action, officer):
    from actions.services import record_action_update

    note, message = too_long(ActionUpdate, "note")
    with pytest.raises(ValidationError) as refused_:
        record_action_update(
            action=action,
            user=officer,
            expected_version=action.version,
            note=note,
            update_date=timezone.localdate(),
            rag=RAG.AMBER,
            status="in_progress",
            due_date=action.due_date,
        )
    assert refused_.value.message_dict["note"] == [message]
    assert not ActionUpdate.objects.exists()
    assert ActionItem.objects.get(pk=action.pk).version == 1


def test_seed_loader_refuses_over_long_text(tmp_path, db):
    area = factories.make_area(ref="leadership")
    text, message = too_long(Finding, "text")
    fixture = tmp_path / "finding.json"
    fixture.write_text(
        json.dumps([{"model": "actions.finding", "fields": {"area": area.pk, "number": 1, "ref": "f1", "text": text}}])
    )
    with pytest.raises(SeedError) as refused_:
        load_seed_data([fixture])
    assert message in str(refused_.value)
    assert not Finding.objects.exists()


def test_drafting_names_the_update_whose_old_text_is_over_the_limit(client, manager, programme, project):
    update = factories.make_project_update(project)
    ProjectUpdate.objects.filter(pk=update.pk).update(key_progress="x" * (NARRATIVE_LIMIT + 5))  # saved before limits
    client.force_login(manager)
    url = reverse("programmes:report_create", args=[programme.ref])
    response = client.post(url, {"period_start": "2010-04-22", "period_end": "2010-06-06"})
    html = refused(response, "The latest update of “Voice Recognition” in the period, key progress during the period")
    assert f"it has {NARRATIVE_LIMIT + 5:,}" in html
    assert not HighlightReport.objects.exists()


def test_correcting_checks_each_copied_row(client, manager, programme, project):
    factories.make_project_update(project)
    report = publish_highlight_report(
        report=draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager),
        user=manager,
    )
    HighlightReportRow.objects.filter(report=report).update(risks_issues="x" * (NARRATIVE_LIMIT + 1))
    with pytest.raises(ValidationError) as refused_:
        correct_highlight_report(report=report, user=manager, reason="A row was out of date.")
    assert "Version 1, the row for “Voice Recognition”, risks and issues" in " ".join(refused_.value.messages)
    assert HighlightReport.objects.count() == 1


# --- The largest report allowed -------------------------------------------------------------


def largest_narrative(marker):
    """A narrative at both limits: REPORT_LINES lines, NARRATIVE_LIMIT characters, ending in `marker`."""
    per_line = (NARRATIVE_LIMIT - (REPORT_LINES - 1)) // REPORT_LINES
    lines = [("Shelving moved to the new store. " * 3)[:per_line] for _ in range(REPORT_LINES)]
    text = "\n".join(lines)
    text = text + "x" * (NARRATIVE_LIMIT - len(text))
    return text[: -len(marker)] + marker


def test_a_row_at_every_limit_prints_to_pdf(client, manager, programme, workstream):
    project = factories.make_project(workstream, name="P" * limit(HighlightReportRow, "project_name"))
    narratives = {
        "key_progress": largest_narrative("ENDOFPROGRESS"),
        "risks_issues": largest_narrative("ENDOFRISKS"),
        "next_tasks": largest_narrative("ENDOFTASKS"),
    }
    update = ProjectUpdate(project=project, period_start=START, period_end=END, rag=RAG.AMBER, **narratives)
    update.full_clean()  # allowed, exactly
    update.save()
    report = draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)
    row = report.rows.get()
    assert row.taller_than_a_page
    client.force_login(manager)
    assert (
        'class="report-row report-row-long"'
        in client.get(reverse("programmes:report_print", args=[report.pk])).content.decode()
    )
    response = client.get(reverse("programmes:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    for marker in ("ENDOFPROGRESS", "ENDOFRISKS", "ENDOFTASKS"):
        assert marker in text
    assert len(reader.pages) >= 2


def test_rows_of_the_2010_report_keep_together_on_one_page(seed_data):
    rows = HighlightReportRow.objects.all()
    assert rows.count() == 6
    assert not any(row.taller_than_a_page for row in rows)


# --- Excel ---------------------------------------------------------------------------------


def test_xlsx_cuts_an_over_long_cell_visibly_and_warns_in_the_header(client, manager, officer, programme, project):
    report = draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)
    HighlightReportRow.objects.filter(report=report).update(key_progress="x" * 40_000)  # bypassing the limits
    client.force_login(officer)
    response = client.get(reverse("programmes:report_xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    header = {row[0]: row[1] for row in values[1:] if len(row) > 1 and row[1] is not None and row[0] != "Workstream"}
    assert header["Warning"] == (
        "1 cell was longer than Excel's 32,767 characters and cut short, each ending “[cut: …]”: "
        "read the full text in OIP Tracker."
    )
    (cell,) = [value for row in values for value in row if isinstance(value, str) and value.startswith("xxx")]
    assert EXCEL_CELL_LIMIT - 5 < len(cell) <= EXCEL_CELL_LIMIT
    kept = cell.index("…")
    assert cell.endswith(
        f"… [cut: {40_000 - kept:,} characters did not fit in an Excel cell; see the report in OIP Tracker]"
    )


def test_xlsx_of_an_ordinary_report_has_no_warning(client, manager, officer, programme, project):
    report = draft_highlight_report(programme=programme, period_start=START, period_end=END, user=manager)
    client.force_login(officer)
    response = client.get(reverse("programmes:report_xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Warning" not in [row[0] for row in sheet.iter_rows(values_only=True) if row]


def test_excel_cells_are_measured_as_excel_counts():
    """Excel counts UTF-16 code units: a character outside the Basic Multilingual Plane counts two."""
    assert _fit_excel_cell("x" * EXCEL_CELL_LIMIT) == "x" * EXCEL_CELL_LIMIT
    cut = _fit_excel_cell("\N{GRINNING FACE}" * 20_000)
    assert len(cut.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert cut.endswith("see the report in OIP Tracker]")
