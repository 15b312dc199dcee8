"""A programme manager publishes a highlight report and the committee clerk
prints the committee pack that presents it, in a real browser."""

import datetime
import io
import re

import pypdf
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from committees.models import Meeting
from core.models import RAG
from programmes.models import HighlightReport, Project
from programmes.services import draft_highlight_report, publish_highlight_report, record_project_update
from tests.browser.conftest import assert_no_axe_violations, log_in

PERIOD_START, PERIOD_END = datetime.date(2010, 6, 7), datetime.date(2010, 7, 20)
PERIOD_LABEL = "7 Jun 2010 to 20 Jul 2010"
VOICE_RECOGNITION = "oip-voice-recognition"
FRESH_PROGRESS = "Went live to all staff on 14 June"
COVER = {
    "Report number": "CEO1062",
    "Title": "Organisational Improvement Programme Update",
    "Contact officer": "Richard Hills, Programme Manager",
    "Decision maker": "Improvement and Efficiency Sub-Committee",
    "Decision type": "Non-Urgent Non-Executive Non-Key",
    "Chief officer": "Doug Patterson, Chief Executive",
    "Ward": "Borough wide",
    "Reason for report": "To update Members on the progress of the Organisational Improvement Programme",
    "Recommendations": "Note the progress made since the last meeting",
}


def oip_projects():
    """The OIP's projects of the 2010 papers (the fixtures also hold those of 2012)."""
    return Project.objects.filter(
        workstream__programme__ref="oip", updates__period_end=datetime.date(2010, 6, 6)
    ).order_by("pk")


def june_2010_meeting():
    return Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 6, 1))


def manager():
    return get_user_model().objects.get(username="demo-manager")


def update_other_projects_through_the_orm():
    """Fresh updates for every OIP project but Voice Recognition, whose update the test types."""
    for project in oip_projects().exclude(ref=VOICE_RECOGNITION):
        record_project_update(
            project=project,
            user=manager(),
            expected_version=project.version,
            rag=project.rag,
            period_start=PERIOD_START,
            period_end=PERIOD_END,
            key_progress=f"{project.name}: on plan for the period",
            risks_issues="",
            next_tasks="",
        )


def published_2010_report():
    """The 22 Apr to 6 Jun 2010 report from the fixtures, or one drafted and
    published from the fixtures' project updates if the fixture lacks it."""
    report = (
        HighlightReport.objects.filter(programme__ref="oip", period_end=datetime.date(2010, 6, 6)).published().first()
    )
    if report is None:
        programme = oip_projects().first().workstream.programme
        report = draft_highlight_report(
            programme=programme,
            period_start=datetime.date(2010, 4, 22),
            period_end=datetime.date(2010, 6, 6),
            user=manager(),
        )
        publish_highlight_report(report=report, user=manager())
    return report


def a_draft_report():
    programme = oip_projects().first().workstream.programme
    return draft_highlight_report(programme=programme, period_start=PERIOD_START, period_end=PERIOD_END, user=manager())


def manager_publishes_report(page):
    log_in(page, "demo-manager")
    page.goto(reverse("programmes:project_update", args=[VOICE_RECOGNITION]))
    expect(page.get_by_role("heading", name="Record a project update")).to_be_visible()
    page.get_by_label("Covers from").fill(PERIOD_START.isoformat())
    page.get_by_label("Covers to").fill(PERIOD_END.isoformat())
    page.get_by_label("Key progress during the period").fill(FRESH_PROGRESS)
    page.get_by_label("Tasks planned for next period").fill("Review call volumes after the first month")
    page.get_by_label("RAG status").select_option(label="Green")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status").filter(has_text="Update saved for")).to_be_visible()
    update_other_projects_through_the_orm()

    page.goto(reverse("programmes:reports", args=["oip"]))
    page.get_by_role("link", name="Start a report for a period").click()
    page.get_by_label("Reporting period from").fill(PERIOD_START.isoformat())
    page.get_by_label("Reporting period to").fill(PERIOD_END.isoformat())
    page.get_by_role("button", name="Draft the report").click()

    expect(page).to_have_url(re.compile(r"/reports/\d+/edit/$"))
    expect(page.get_by_role("status").filter(has_text="Drafted from the latest project updates")).to_be_visible()
    voice = page.get_by_role("group", name=re.compile(r": Voice Recognition$"))
    expect(voice.get_by_label("Key progress")).to_have_value(FRESH_PROGRESS)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=PERIOD_LABEL).click()

    expect(page.get_by_text("Draft: not yet published")).to_be_visible()
    row = page.locator("tr.report-row").filter(has_text="Voice Recognition")
    expect(row).to_contain_text(FRESH_PROGRESS)
    expect(row.locator(".rag")).to_have_text("Green")
    page.get_by_label("I understand that").check()
    page.get_by_role("button", name="Publish version 1").click()

    expect(page.get_by_role("status").filter(has_text="Version 1 published")).to_be_visible()
    expect(page.locator(".report-status")).to_contain_text("Published")
    expect(page.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)
    report = HighlightReport.objects.get(programme__ref="oip", period_start=PERIOD_START, period_end=PERIOD_END)
    assert report.status == HighlightReport.Status.PUBLISHED
    assert report.published_by == manager()
    return report


def clerk_sets_up_meeting(page, report):
    log_in(page, "demo-clerk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Committees").click()
    page.get_by_role("link", name="Improvement and Efficiency Sub-Committee").click()
    page.get_by_role("link", name="New meeting").click()
    page.get_by_label("Date").fill("2010-07-27")
    page.get_by_label("Time").fill("19:30")
    page.get_by_label("Venue").fill("Bromley Civic Centre")
    page.get_by_role("button", name="Save meeting").click()

    expect(page.get_by_role("heading", name="Improvement and Efficiency Sub-Committee", level=1)).to_be_visible()
    expect(page.get_by_text("Tuesday 27 July 2010 at 7.30 p.m., Bromley Civic Centre")).to_be_visible()
    page.get_by_role("link", name="Add an agenda item").click()
    for label, value in COVER.items():
        # Crispy marks required fields with an asterisk in the label.
        page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")).fill(value)
    page.get_by_role("button", name="Save agenda item").click()

    agenda_row = page.locator("#agenda-1")
    expect(agenda_row).to_contain_text(COVER["Title"])
    expect(agenda_row).to_contain_text("CEO1062")
    page.get_by_role("link", name="Choose pack contents").click()
    page.get_by_role("checkbox", name=str(report)).check()
    page.get_by_label("Cover sheet from agenda item").select_option(label=f"1. {COVER['Title']}")
    page.get_by_role("button", name="Save pack contents").click()

    expect(page.get_by_role("status").filter(has_text="Committee pack contents saved.")).to_be_visible()
    papers = page.get_by_role("region", name="Papers for this meeting")
    expect(papers.get_by_role("link", name=re.compile(re.escape(PERIOD_LABEL)))).to_be_visible()


def pdf_text(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def assert_rows_print_their_rag(text, report):
    """Each project's row, in report order, carries its RAG as a word."""
    rows = list(report.rows.order_by("position"))
    # The 2010 projects, and those of the 2012 papers, whose start the papers do not give.
    active = Project.objects.filter(workstream__programme__ref="oip").active_in(report.period_start, report.period_end)
    assert {row.project.name for row in rows} == set(active.values_list("name", flat=True))
    assert set(oip_projects().values_list("name", flat=True)) <= {row.project.name for row in rows}
    starts, position = [], text.index("Key progress during reporting period")
    for row in rows:
        position = text.index(row.project_name, position)
        starts.append(position)
    ends = [*starts[1:], text.index("RAG key:", starts[-1])]
    for row, start, end in zip(rows, starts, ends, strict=True):
        assert RAG(row.rag).label.upper() in text[start:end], (row.project_name, text[start:end])


def test_manager_publishes_report_and_clerk_prints_pack(new_page, seeded):
    report = manager_publishes_report(new_page())

    page = new_page()
    clerk_sets_up_meeting(page, report)
    page.get_by_role("link", name="Committee pack (print)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("27 July 2010: committee pack")
    expect(page.locator(".pack-section").first).to_contain_text(FRESH_PROGRESS)

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Pack actions")).to_be_hidden()
    pdf_bytes = page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf_bytes.startswith(b"%PDF")
    text, pages = pdf_text(pdf_bytes)
    assert pages >= 2
    for field in [
        "Report No. CEO1062",
        "Decision Maker Improvement and Efficiency Sub-Committee",
        "Decision Type Non-Urgent Non-Executive Non-Key",
        "ORGANISATIONAL IMPROVEMENT PROGRAMME UPDATE",
        "Contact Officer Richard Hills, Programme Manager",
        "Chief Officer Doug Patterson, Chief Executive",
        "Ward Borough wide",
        COVER["Reason for report"],
        COVER["Recommendations"],
        "Improvement and Efficiency Sub-Committee, 27 July 2010",
        f"Reporting period {PERIOD_LABEL}",
        "Organisational Improvement Programme Management Highlight Report",
        FRESH_PROGRESS,
        "MATTERS ARISING FROM PREVIOUS MEETINGS",
    ]:
        assert field in text, field
    names = list(oip_projects().values_list("name", flat=True))
    assert len(names) == 6
    for name in names:
        assert name in text, name
    assert_rows_print_their_rag(text, report)
    key = text[text.index("RAG key:") :]
    for word in ["RED", "AMBER", "GREEN"]:  # the print stylesheet capitalises RAG words
        assert word in key, word


def test_committee_pages_have_no_wcag_violations(new_page, seeded):
    report = published_2010_report()
    meeting = june_2010_meeting()
    meeting.reports.add(report)
    page = new_page()
    log_in(page, "demo-clerk")
    for url in [
        reverse("programmes:report", args=[report.pk]),
        reverse("programmes:report_print", args=[report.pk]),
        reverse("programmes:reports", args=["oip"]),
        reverse("committees:list"),
        reverse("committees:detail", args=["ie-sub-committee"]),
        reverse("committees:meeting", args=[meeting.pk]),
        reverse("committees:matters_arising", args=[meeting.pk]),
        reverse("actions:progress", args=["lec-2010"]),
        reverse("committees:changes", args=[meeting.pk]),
        reverse("committees:pack", args=[meeting.pk]),
        reverse("committees:pack_contents", args=[meeting.pk]),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_no_axe_violations(page)

    draft = a_draft_report()
    page = new_page()
    log_in(page, "demo-manager")
    for url in [
        reverse("programmes:report", args=[draft.pk]),
        reverse("programmes:report_print", args=[draft.pk]),
        reverse("programmes:report_edit", args=[draft.pk]),
    ]:
        page.goto(url)
        assert_no_axe_violations(page)
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()


def test_officer_cannot_publish_or_change_packs(page, seeded):
    draft = a_draft_report()
    log_in(page, "demo-officer")
    page.goto(reverse("programmes:report", args=[draft.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    expect(page.get_by_text("Draft: not yet published")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)
    expect(page.get_by_role("link", name="Edit draft")).to_have_count(0)

    response = page.goto(reverse("committees:pack_contents", args=[june_2010_meeting().pk]))
    assert response.status == 403
    expect(page.get_by_role("button", name="Save pack contents")).to_have_count(0)
