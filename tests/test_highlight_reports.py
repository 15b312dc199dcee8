"""Highlight reports: drafted from the project updates in a reporting period,
edited by the programme's managers, published as a snapshot that never
changes, corrected by new versions, printed on A4 landscape and as a PDF."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import RAG
from programmes.models import HighlightReport, HighlightReportRow, ReportIsPublished
from programmes.services import correct_highlight_report, draft_highlight_report, publish_highlight_report
from tests import factories

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)
RAG_WORDS = {RAG.RED: "RED", RAG.AMBER: "AMBER", RAG.GREEN: "GREEN"}


@pytest.fixture
def committee():
    return factories.make_meeting().committee


@pytest.fixture
def projects(programme, committee):
    """Two workstreams as in the June 2010 report, each project with an update in the period."""
    committee.programmes.add(programme)
    programme.report_authors = "Organisational Improvement Team"
    programme.start_wording = "Oct 09"
    programme.management_summary = "Both COE and the I&E Sub Committee have approved the programme."
    programme.save()
    office = factories.make_workstream(programme, name="Office Accommodation", position=1)
    ict = factories.make_workstream(programme, name="Self-service and ICT", position=2)
    made = [
        factories.make_project(office, name="Office accommodation business case", rag=RAG.AMBER, position=1),
        factories.make_project(ict, name="Website upgrade", rag=RAG.AMBER, position=1),
        factories.make_project(ict, name="Voice Recognition", rag=RAG.GREEN, position=2),
    ]
    for project in made:
        factories.make_project_update(
            project,
            key_progress=f"Progress on {project.name}.",
            risks_issues=f"Risks for {project.name}.",
            next_tasks=f"Next for {project.name}.",
        )
    return made


def draft(programme, user, start=START, end=END):
    return draft_highlight_report(programme=programme, period_start=start, period_end=end, user=user)


def published(programme, user, start=START, end=END):
    return publish_highlight_report(report=draft(programme, user, start, end), user=user)


def edit_data(report, **header):
    """What the edit page posts back unchanged, with `header` overrides; rows as `rows-<i>-<field>`."""
    rows = list(report.rows.all())
    data = {
        "title": report.title,
        "as_at": report.as_at.isoformat() if report.as_at else "",
        "include_benefits": "on" if report.include_benefits else "",
        "include_milestones": "on" if report.include_milestones else "",
        "management_summary": report.management_summary,
        "overall_rag": report.overall_rag,
        "overall_rag_reason": report.overall_rag_reason,
        "version": report.version,  # as loaded: a stale version is refused (EditConflict)
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": len(rows),
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update(
            {
                f"rows-{i}-id": row.pk,
                f"rows-{i}-report": report.pk,
                f"rows-{i}-key_progress": row.key_progress,
                f"rows-{i}-risks_issues": row.risks_issues,
                f"rows-{i}-next_tasks": row.next_tasks,
                f"rows-{i}-rag": row.rag,
            }
        )
    data.update(header)
    return data


# --- Drafting ----------------------------------------------------------------------------


def test_draft_copies_the_header_from_the_programme(programme, projects, manager, committee):
    report = draft(programme, manager)
    assert report.title == "Organisational Improvement Programme Management Highlight Report"
    assert report.to_committee == committee.short_name
    assert report.programme_name == "Organisational Improvement Programme"
    assert report.report_authors == "Organisational Improvement Team"
    assert report.stage == "Definition"
    assert report.start_wording == "Oct 09"
    assert report.management_summary.startswith("Both COE")
    assert report.overall_rag == RAG.AMBER  # the worst row
    assert (report.status, report.version_number, report.created_by) == (HighlightReport.Status.DRAFT, 1, manager)


def test_draft_has_a_row_per_project_in_workstream_then_project_order(programme, projects, manager):
    report = draft(programme, manager)
    rows = list(report.rows.all())
    assert [(row.workstream_name, row.project_name) for row in rows] == [
        ("Office Accommodation", "Office accommodation business case"),
        ("Self-service and ICT", "Website upgrade"),
        ("Self-service and ICT", "Voice Recognition"),
    ]
    assert rows[2].key_progress == "Progress on Voice Recognition."
    assert rows[2].risks_issues == "Risks for Voice Recognition."
    assert rows[2].next_tasks == "Next for Voice Recognition."
    assert [row.rag for row in rows] == [RAG.AMBER, RAG.AMBER, RAG.GREEN]


def test_draft_takes_the_latest_update_within_the_period_and_ignores_later_ones(programme, projects, manager):
    voice = factories.make_project(projects[2].workstream, name="Switchboard", rag=RAG.GREEN, position=3)
    factories.make_project_update(voice, period_end=datetime.date(2010, 5, 1), key_progress="Early May.")
    factories.make_project_update(voice, period_end=datetime.date(2010, 6, 5), key_progress="Test group chosen.")
    factories.make_project_update(
        voice, period_start=datetime.date(2010, 6, 7), period_end=datetime.date(2010, 7, 20), key_progress="Live."
    )
    voice.rag = RAG.RED  # its current RAG, set by the July update
    voice.save()
    row = draft(programme, manager).rows.get(project=voice)
    assert row.key_progress == "Test group chosen."
    assert row.rag == RAG.GREEN


def test_project_without_an_update_in_the_period_gets_an_empty_row_with_its_current_rag(programme, projects, manager):
    quiet = factories.make_project(projects[0].workstream, name="Storage", rag=RAG.RED, position=2)
    factories.make_project_update(
        quiet, period_start=datetime.date(2010, 3, 1), period_end=datetime.date(2010, 4, 1), key_progress="Before."
    )
    row = draft(programme, manager).rows.get(project=quiet)
    assert (row.key_progress, row.risks_issues, row.next_tasks, row.rag) == ("", "", "", RAG.RED)


def test_a_second_draft_for_the_same_period_is_refused(programme, projects, manager):
    draft(programme, manager)
    with pytest.raises(Exception, match="already a draft report"):
        draft(programme, manager)


# --- Publishing freezes the report ---------------------------------------------------


def test_publishing_records_who_and_when(programme, projects, manager):
    report = published(programme, manager)
    report.refresh_from_db()
    assert report.status == HighlightReport.Status.PUBLISHED
    assert report.published_by == manager
    assert report.published_at is not None


def test_published_report_never_changes_when_projects_and_updates_do(client, programme, projects, manager, officer):
    report = published(programme, manager)
    voice = projects[2]
    voice.name = "Voice recognition (renamed)"
    voice.rag = RAG.RED
    voice.save()
    factories.make_project_update(voice, period_end=datetime.date(2010, 6, 6), key_progress="Rewritten later.")
    programme.name = "Renamed programme"
    programme.management_summary = "A new summary."
    programme.save()

    report.refresh_from_db()
    row = report.rows.get(project=voice)
    assert (row.project_name, row.rag) == ("Voice Recognition", RAG.GREEN)
    assert row.key_progress == "Progress on Voice Recognition."
    assert report.programme_name == "Organisational Improvement Programme"
    client.force_login(officer)
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Progress on Voice Recognition." in html
    assert "Rewritten later." not in html
    assert "A new summary." not in html


def test_saving_a_published_report_or_row_raises(programme, projects, manager):
    report = published(programme, manager)
    row = report.rows.first()
    row.key_progress = "Changed after publishing."
    with pytest.raises(ReportIsPublished):
        row.save()
    report.management_summary = "Changed after publishing."
    with pytest.raises(ReportIsPublished):
        report.save()
    with pytest.raises(ReportIsPublished):
        HighlightReportRow(report=report, position=99, workstream_name="W", project_name="P").save()
    assert HighlightReportRow.objects.filter(key_progress="Changed after publishing.").count() == 0


def test_a_stale_copy_of_a_draft_cannot_be_saved_once_published(programme, projects, manager):
    report = draft(programme, manager)
    stale = HighlightReport.objects.get(pk=report.pk)
    publish_highlight_report(report=report, user=manager)
    stale.management_summary = "Overwritten."
    with pytest.raises(ReportIsPublished):
        stale.save()


def test_edit_page_refuses_a_published_report(client, programme, projects, manager):
    report = published(programme, manager)
    client.force_login(manager)
    url = reverse("programmes:report_edit", args=[report.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert "has been published and cannot be changed" in response.content.decode()
    response = client.post(url, edit_data(report, management_summary="Sneaky change."))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.management_summary != "Sneaky change."


# --- Corrections ---------------------------------------------------------------------------


def test_correcting_makes_version_2_and_publishing_it_supersedes_version_1(client, programme, projects, manager, clerk):
    first = published(programme, manager)
    second = correct_highlight_report(report=first, user=manager, reason="A row was out of date.")
    assert (second.version_number, second.status) == (2, HighlightReport.Status.DRAFT)
    assert [r.key_progress for r in second.rows.all()] == [r.key_progress for r in first.rows.all()]
    row = second.rows.get(project=projects[1])
    row.key_progress = "Corrected wording."
    row.save()

    publish_highlight_report(report=second, user=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == HighlightReport.Status.SUPERSEDED
    assert second.supersedes == first
    assert second.status == HighlightReport.Status.PUBLISHED

    client.force_login(clerk)
    old = client.get(first.get_absolute_url())
    assert old.status_code == 200
    assert "Superseded" in old.content.decode()
    assert "Progress on Website upgrade." in old.content.decode()
    assert f'href="{second.get_absolute_url()}">version 2</a>' in old.content.decode()
    assert "Corrected wording." in client.get(second.get_absolute_url()).content.decode()


def test_only_a_published_report_can_be_corrected(programme, projects, manager):
    with pytest.raises(Exception, match="Only the published version"):
        correct_highlight_report(report=draft(programme, manager), user=manager, reason="A row was out of date.")


# --- Direction of travel -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "now", "label"),
    [
        (RAG.RED, RAG.AMBER, "↑ Improved"),
        (RAG.GREEN, RAG.COMPLETE, "↑ Improved"),
        (RAG.AMBER, RAG.AMBER, "→ Same"),
        (RAG.GREEN, RAG.RED, "↓ Worse"),
        ("", RAG.GREEN, "● New"),
        (RAG.NOT_RATED, RAG.GREEN, "● New"),
    ],
)
def test_direction_of_travel_in_words_and_arrow(previous, now, label):
    assert HighlightReportRow(previous_rag=previous, rag=now).direction_label == label


def test_direction_of_travel_compares_with_the_previous_published_report(client, programme, projects, manager):
    published(programme, manager)  # Amber, Amber, Green
    later = datetime.date(2010, 7, 20)
    office, website, voice = projects
    factories.make_project_update(office, period_start=END, period_end=later, rag=RAG.GREEN)
    factories.make_project_update(website, period_start=END, period_end=later, rag=RAG.RED)
    factories.make_project_update(voice, period_start=END, period_end=later, rag=RAG.GREEN)
    new = factories.make_project(voice.workstream, name="SharePoint review", rag=RAG.AMBER, position=3)

    report = draft(programme, manager, start=datetime.date(2010, 6, 7), end=later)
    directions = {row.project_name: row.direction_label for row in report.rows.all()}
    assert directions == {
        office.name: "↑ Improved",
        website.name: "↓ Worse",
        voice.name: "→ Same",
        new.name: "● New",
    }
    client.force_login(manager)
    html = client.get(report.get_absolute_url()).content.decode()
    assert '<span aria-hidden="true">↓</span> Worse<span class="direction-was"> (was Amber)</span>' in html


# --- Overall RAG -----------------------------------------------------------------------------


def test_overall_rag_that_differs_from_the_rows_needs_a_reason(programme, projects, manager):
    report = draft(programme, manager)
    report.overall_rag = RAG.GREEN
    with pytest.raises(Exception, match="Say why the overall RAG is Green when the worst project row is Amber"):
        report.full_clean()
    with pytest.raises(Exception, match="Say why"):
        publish_highlight_report(report=report, user=manager)
    report.overall_rag_reason = "Mitigations agreed by the Programme Board."
    report.full_clean()


def test_edit_page_requires_a_reason_against_the_row_ratings_being_saved(client, programme, projects, manager):
    report = draft(programme, manager)
    client.force_login(manager)
    url = reverse("programmes:report_edit", args=[report.pk])
    response = client.post(url, edit_data(report, overall_rag=RAG.GREEN))
    assert response.status_code == 200
    assert "Say why the overall RAG is Green" in response.content.decode()
    # Rating every row Green in the same save makes Green the worst row: no reason needed.
    everything_green = edit_data(report, overall_rag=RAG.GREEN, **{f"rows-{i}-rag": RAG.GREEN for i in range(3)})
    assert client.post(url, everything_green).status_code == 302
    report.refresh_from_db()
    assert report.overall_rag == RAG.GREEN


# --- Permissions for every write URL ----------------------------------------------------


def write_requests(programme, manager):
    """(url, data, check) for each write URL; `check` sees the manager's change."""
    report = draft(programme, manager)
    other = published(programme, manager, start=datetime.date(2010, 1, 1), end=datetime.date(2010, 3, 31))

    def started():
        return HighlightReport.objects.filter(period_start=datetime.date(2010, 7, 1)).exists()

    def edited():
        report.refresh_from_db()
        return report.management_summary == "Edited by the manager."

    def was_published():
        report.refresh_from_db()
        return report.status == HighlightReport.Status.PUBLISHED

    def corrected():
        return other.corrections.exists() or HighlightReport.objects.filter(version_number=2).exists()

    return {
        "start": (
            reverse("programmes:report_create", args=[programme.ref]),
            {"period_start": "2010-07-01", "period_end": "2010-08-31"},
            started,
        ),
        "edit": (
            reverse("programmes:report_edit", args=[report.pk]),
            edit_data(report, management_summary="Edited by the manager."),
            edited,
        ),
        "publish": (reverse("programmes:report_publish", args=[report.pk]), {"confirm": "on"}, was_published),
        "correct": (
            reverse("programmes:report_correct", args=[other.pk]),
            {"reason": "The Libraries row was out of date."},
            corrected,
        ),
    }


WRITE_URLS = ["start", "edit", "publish", "correct"]


@pytest.mark.parametrize("name", WRITE_URLS)
def test_anonymous_write_is_sent_to_login(client, programme, projects, manager, name):
    url, data, changed = write_requests(programme, manager)[name]
    response = client.post(url, data)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not changed()


@pytest.mark.parametrize("who", ["officer", "clerk", "colleague"])
@pytest.mark.parametrize("name", WRITE_URLS)
def test_non_manager_cannot_write(request, client, programme, projects, manager, name, who):
    url, data, changed = write_requests(programme, manager)[name]
    client.force_login(request.getfixturevalue(who))
    assert client.post(url, data).status_code == 403
    assert not changed()


def test_manager_of_another_programme_cannot_write(client, programme, projects, manager):
    other_manager = factories.make_user("quentin", "Programme manager")
    factories.make_programme().managers.add(other_manager)
    url, data, changed = write_requests(programme, manager)["edit"]
    client.force_login(other_manager)
    assert client.post(url, data).status_code == 403
    assert not changed()


@pytest.mark.parametrize("name", WRITE_URLS)
def test_manager_can_write(client, programme, projects, manager, name):
    url, data, changed = write_requests(programme, manager)[name]
    client.force_login(manager)
    response = client.post(url, data)
    assert response.status_code == 302
    assert changed()


def test_publish_and_correct_refuse_get(client, programme, projects, manager):
    report = draft(programme, manager)
    client.force_login(manager)
    assert client.get(reverse("programmes:report_publish", args=[report.pk])).status_code == 405
    assert client.get(reverse("programmes:report_correct", args=[report.pk])).status_code == 405


def test_manager_sees_start_form_with_the_next_period(client, programme, projects, manager):
    published(programme, manager)
    client.force_login(manager)
    response = client.get(reverse("programmes:report_create", args=[programme.ref]))
    assert response.status_code == 200
    assert 'value="07/06/2010"' in response.content.decode()


def test_any_login_reads_the_report_list_and_report(client, programme, projects, manager, outsider):
    report = published(programme, manager)
    client.force_login(outsider)
    listing = client.get(reverse("programmes:reports", args=[programme.ref]))
    assert report.get_absolute_url() in listing.content.decode()
    assert "Start a report" not in listing.content.decode()
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "Correct this report" not in page.content.decode()
    overview = client.get(programme.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("programmes:reports", args=[programme.ref])}">Highlight reports</a>' in overview


# --- Print view and PDF ------------------------------------------------------------------


def test_print_view_shows_rag_words_and_the_draft_watermark_only_on_drafts(client, programme, projects, manager, clerk):
    report = draft(programme, manager)
    client.force_login(clerk)
    url = reverse("programmes:report_print", args=[report.pk])
    html = client.get(url).content.decode()
    assert '<div class="watermark" aria-hidden="true">DRAFT</div>' in html
    assert '<span class="rag rag-amber">Amber</span>' in html
    assert '<span class="rag rag-green">Green</span>' in html
    assert "Work stream: Self-service and ICT" in html
    assert "Tasks planned for next period" in html
    assert "css/report-print.css" in html
    assert "RAG key:" in html

    publish_highlight_report(report=report, user=manager)
    html = client.get(url).content.decode()
    assert "DRAFT" not in html
    assert '<span class="rag rag-amber">Amber</span>' in html


def test_print_stylesheet_is_a4_landscape_with_repeated_headers_and_unsplit_rows():
    css = Path(finders.find("css/report-print.css")).read_text(encoding="utf-8")
    assert "size: A4 landscape" in css
    assert "thead { display: table-header-group; }" in css
    assert "tr { break-inside: avoid; page-break-inside: avoid; }" in css
    assert '"Page " counter(page) " of " counter(pages)' in css


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def six_project_report(programme, manager, projects):
    workstream = projects[0].workstream
    for i, rag in enumerate([RAG.RED, RAG.GREEN, RAG.AMBER], start=2):
        project = factories.make_project(workstream, name=f"Storage phase {i}", rag=rag, position=i)
        factories.make_project_update(project, key_progress="Shelving moved.\n" * 6, risks_issues="Space.\n" * 4)
    return draft(programme, manager)


def test_pdf_has_every_project_name_and_rag_word(client, programme, projects, manager, clerk):
    report = six_project_report(programme, manager, projects)
    client.force_login(clerk)
    response = client.get(reverse("programmes:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader, text = pdf_text(response)
    assert len(reader.pages) >= 1
    for row in report.rows.all():
        assert row.project_name in text
    for word in ("RED", "AMBER", "GREEN"):
        assert word in text
    assert "DRAFT" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Management Highlight Report \N{EN DASH} 22 Apr 2010 to 6 Jun 2010" in text  # the page footer


def test_published_pdf_has_no_watermark(client, programme, projects, manager):
    report = published(programme, manager)
    client.force_login(manager)
    _, text = pdf_text(client.get(reverse("programmes:report_pdf", args=[report.pk])))
    assert "DRAFT" not in text
    assert "Voice Recognition" in text


# --- Query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_report_page_runs_constant_queries(client, programme, manager, officer, size, django_assert_num_queries):
    workstreams = [factories.make_workstream(programme) for _ in range(3)]
    for i in range(size):
        project = factories.make_project(workstreams[i % 3], rag=[RAG.RED, RAG.AMBER, RAG.GREEN][i % 3])
        factories.make_project_update(project)
    first = published(programme, manager)
    report = publish_highlight_report(
        report=correct_highlight_report(report=first, user=manager, reason="A row was out of date."), user=manager
    )
    client.force_login(officer)
    with django_assert_num_queries(9):  # with the data stamp (page cache)
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert response.content.count(b'class="report-row"') == size


# --- The 2010 report from the seed fixtures --------------------------------------------------


@pytest.fixture
def seeded_report(seed_data):
    return HighlightReport.objects.get(programme__ref="oip", period_start=START, period_end=END)


def row_html(html, row):
    """The report's table row for one project row, so each check is about that project."""
    match = re.search(rf'<tr id="row-{row.pk}".*?</tr>', html, re.DOTALL)
    assert match, f"no table row for {row.project_name}"
    return match.group()


def longest_line(text):
    return max(text.splitlines(), key=len)


def test_seeded_2010_report_is_published_with_the_printed_header(seeded_report):
    report = seeded_report
    assert (report.status, report.version_number, report.published_by) == (HighlightReport.Status.PUBLISHED, 1, None)
    assert timezone.localtime(report.published_at).date() == datetime.date(2010, 5, 20)
    assert (report.to_committee, report.report_authors, report.stage) == (
        "I&E sub-committee",
        "Organisational Improvement Team",
        "Definition",
    )
    assert (report.start_wording, report.proposed_end_wording, report.overall_rag) == ("Oct 09", "", RAG.AMBER)
    rows = list(report.rows.select_related("project"))
    assert [(row.project.ref, row.rag, row.direction) for row in rows] == [
        ("oip-office-accommodation-business-case", RAG.AMBER, "new"),
        ("oip-website-upgrade", RAG.AMBER, "new"),
        ("oip-sharepoint-review-and-strategy", RAG.AMBER, "new"),
        ("oip-ccc-service-migrations", RAG.GREEN, "new"),
        ("oip-customer-insight-analysis", RAG.GREEN, "new"),
        ("oip-voice-recognition", RAG.GREEN, "new"),
    ]
    for row in rows:
        update = row.project.updates.get(period_end=END)
        assert (row.key_progress, row.risks_issues, row.next_tasks) == (
            update.key_progress,
            update.risks_issues,
            update.next_tasks,
        )


@pytest.mark.parametrize("view", ["programmes:report", "programmes:report_print"])
def test_seeded_2010_report_renders_every_project_row_and_rag(client, seeded_report, clerk, view):
    client.force_login(clerk)
    response = client.get(reverse(view, args=[seeded_report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "I&amp;E sub-committee" in html
    assert "Organisational Improvement Team" in html
    assert "Both COE and the I&amp;E Sub Committee have approved the creation" in html
    assert "22 Apr 2010" in html
    assert "6 Jun 2010" in html
    assert "DRAFT" not in html
    rows = list(seeded_report.rows.all())
    assert len(rows) == 6
    for row in rows:
        shown = row_html(html, row)
        assert escape(row.project_name) in shown
        for text in (row.key_progress, row.risks_issues, row.next_tasks):
            assert escape(longest_line(text)) in shown, row.project_name
        assert f'<span class="rag rag-{row.rag}">{RAG(row.rag).label}</span>' in shown
        assert '<span aria-hidden="true">●</span> New' in shown
    assert html.count("Work stream: ") == 3


def test_seeded_2010_report_pdf_names_every_project(client, seeded_report, clerk):
    client.force_login(clerk)
    response = client.get(reverse("programmes:report_pdf", args=[seeded_report.pk]))
    assert response.status_code == 200
    reader, text = pdf_text(response)
    words = " ".join(text.split())  # long names wrap inside their table cell
    for row in seeded_report.rows.all():
        assert row.project_name in words
    assert "AMBER" in words
    assert "GREEN" in words
    assert "DRAFT" not in words
    assert len(reader.pages) >= 2


# --- Excel download ---------------------------------------------------------------------------


def xlsx_rows(response):
    """The header block as {label: value}, and the project rows after the table heading, as tuples."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    heading = next(i for i, row in enumerate(values) if row and row[0] == "Workstream")
    header = {row[0]: row[1] for row in values[1:heading] if row and row[0]}
    return values[0][0], header, values[heading], values[heading + 1 :]


def test_xlsx_has_the_header_and_one_row_per_project(client, seeded_report, officer):
    client.force_login(officer)
    response = client.get(reverse("programmes:report_xlsx", args=[seeded_report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="oip-highlight-report-2010-06-06-v1.xlsx"'
    title, header, heading, rows = xlsx_rows(response)
    assert title == "Organisational Improvement Programme Management Highlight Report"
    assert header["To"] == "I&E sub-committee"
    assert header["Project / Programme name"] == "Organisational Improvement Programme"
    assert header["Reporting period from"].date() == START
    assert header["Reporting period to"].date() == END
    assert header["Report author(s)"] == "Organisational Improvement Team"
    assert (header["Stage / Status"], header["Start date"], header["Proposed end date"]) == (
        "Definition",
        "Oct 09",
        None,
    )
    assert header["Overall RAG status"] == "Amber"
    assert header["Management summary"].startswith("Both COE and the I&E Sub Committee")
    assert (header["Report status"], header["Version"]) == ("Published 20 May 2010", 1)
    assert heading == (
        "Workstream",
        "Project",
        "Key progress during reporting period",
        "Risks and issues to be raised for information or escalated",
        "Tasks planned for next period",
        "RAG status",
        "Direction of travel",
    )
    expected = [
        (row.workstream_name, row.project_name, row.key_progress, row.risks_issues, row.next_tasks)
        for row in seeded_report.rows.all()
    ]
    assert [row[:5] for row in rows] == expected
    assert [row[5:] for row in rows] == [("Amber", "New")] * 3 + [("Green", "New")] * 3


def test_xlsx_of_a_draft_says_draft_and_shows_direction_in_words(client, programme, projects, manager, officer):
    published(programme, manager)
    later = datetime.date(2010, 7, 20)
    factories.make_project_update(projects[1], period_start=END, period_end=later, rag=RAG.RED)
    report = draft(programme, manager, start=datetime.date(2010, 6, 7), end=later)
    client.force_login(officer)
    _, header, _, rows = xlsx_rows(client.get(reverse("programmes:report_xlsx", args=[report.pk])))
    assert header["Report status"] == "DRAFT, not yet published"
    assert {row[1]: (row[5], row[6]) for row in rows} == {
        "Office accommodation business case": ("Amber", "Same (was Amber)"),
        "Website upgrade": ("Red", "Worse (was Amber)"),
        "Voice Recognition": ("Green", "Same (was Green)"),
    }


def test_xlsx_keeps_pasted_text_as_text(client, programme, projects, manager, officer):
    report = draft(programme, manager)
    row = report.rows.get(project=projects[0])
    row.key_progress = '=HYPERLINK("http://example.org", "Click")\x0b pasted from Word'
    row.save()
    client.force_login(officer)
    response = client.get(reverse("programmes:report_xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    (cell,) = [cell for line in sheet.iter_rows() for cell in line if str(cell.value).startswith("=HYPERLINK")]
    assert cell.data_type == "s"  # a string, not a formula Excel would run
    assert cell.value == '=HYPERLINK("http://example.org", "Click") pasted from Word'


def test_anonymous_xlsx_download_is_sent_to_login(client, programme, projects, manager):
    report = published(programme, manager)
    response = client.get(reverse("programmes:report_xlsx", args=[report.pk]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_any_login_can_download_the_xlsx_from_the_report_and_print_pages(client, seeded_report, outsider):
    url = reverse("programmes:report_xlsx", args=[seeded_report.pk])
    client.force_login(outsider)
    for page in ("programmes:report", "programmes:report_print"):
        html = client.get(reverse(page, args=[seeded_report.pk])).content.decode()
        assert f'href="{url}">Download as Excel (.xlsx)</a>' in html
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_xlsx_runs_constant_queries(client, programme, manager, officer, size, django_assert_num_queries):
    workstreams = [factories.make_workstream(programme) for _ in range(3)]
    for i in range(size):
        project = factories.make_project(workstreams[i % 3], rag=[RAG.RED, RAG.AMBER, RAG.GREEN][i % 3])
        factories.make_project_update(project)
    first = published(programme, manager)
    report = publish_highlight_report(
        report=correct_highlight_report(report=first, user=manager, reason="A row was out of date."), user=manager
    )
    client.force_login(officer)
    with django_assert_num_queries(5):
        response = client.get(reverse("programmes:report_xlsx", args=[report.pk]))
    assert response.status_code == 200
    assert len(xlsx_rows(response)[3]) == size
