"""Downloads of the review page (its recommendations and findings, in the
import sheets' layouts) and of its action plan progress table (in the
Actions sheet's layout): exactly the rows shown, formulas neutralised, and
a file edited in Excel imports back as exactly that change."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionItem, ActionPlan, Recommendation
from core import imports
from core.models import RAG
from exchange import services
from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def review(programme):
    """LEC 2010: two areas, each with a finding and recommendations, answered
    by actions of the manager's programme's action plan."""
    review = factories.make_review(ref="lec-2010", title="London Efficiency Challenge 2010")
    plan = ActionPlan.objects.create(review=review, ref="lec-2010-ap", title="LEC action plan", programme=programme)
    team = factories.make_owner("OIP Team")
    one = factories.make_area(review, number=1, title="Strategic approach to efficiency", ref="lec-2010-area-1")
    three = factories.make_area(review, number=3, title="Customer access", ref="lec-2010-area-3")
    factories.make_finding(one, number=1, text="Change programmes brought together", ref="lec-2010-finding-1-1")
    factories.make_finding(three, number=1, text="Limited transactional website", ref="lec-2010-finding-3-1")
    r11 = factories.make_recommendation(area=one, number=1, ref="lec-2010-rec-1-1", text="Strong leadership")
    r12 = factories.make_recommendation(
        area=one, number=2, ref="lec-2010-rec-1-2", text="=Involve staff", owner=team, due_wording="mid-April"
    )
    r31 = factories.make_recommendation(
        area=three, number=1, ref="lec-2010-rec-3-1", text="Expand the contact centre", rag=RAG.AMBER
    )
    section = factories.make_section(plan=plan, area=one, number=1, title="Leadership", ref="lec-2010-ap-section-1")
    factories.make_action(
        recommendations=[r11, r31], ref="lec-2010-ap-1-1", title="List the key OIP projects", section=section
    )
    factories.make_action(ref="lec-2010-ap-1-2", title="Brief managers", section=section, owner=team)
    factories.make_action(recommendations=[r12], ref="lec-2010-ap-1-3", title="Staff suggestions", section=section)
    return review


def get(client, url, fmt):
    response = client.get(url, {"download": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def sheet_rows(data, name):
    return list(openpyxl.load_workbook(io.BytesIO(data))[name].values)


def reimport(kind, data, *, user, target):
    run = services.preview_upload(
        kind=imports.get_kind(kind), target=target, upload=SimpleUploadedFile("edited.xlsx", data), user=user
    )
    return run


def edited(data, name, change):
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[name]
    headings = [c.value for c in sheet[1]]
    change(headings, list(sheet.iter_rows(min_row=2)))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- The review page ------------------------------------------------------------


def test_the_review_page_links_its_downloads(client, officer, review):
    client.force_login(officer)
    page = client.get(review.get_absolute_url()).content.decode()
    assert 'href="?download=xlsx"' in page
    assert 'href="?download=csv"' in page
    assert 'Download .xlsx<span class="visually-hidden"> of this review\'s recommendations</span>' in page
    assert 'Download .csv<span class="visually-hidden"> of this review\'s recommendations</span>' in page


def test_the_review_workbook_has_its_recommendations_and_findings_in_page_order(client, officer, review):
    client.force_login(officer)
    data = get(client, review.get_absolute_url(), "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Recommendations", "Findings"]
    rows = sheet_rows(data, "Recommendations")
    assert rows[0] == tuple(c.heading for c in imports.get_kind("recommendations").columns)
    assert [r[:5] for r in rows[1:]] == [
        (1, "Strategic approach to efficiency", 1, "Strong leadership", "Recommendation"),
        (1, "Strategic approach to efficiency", 2, "'=Involve staff", "Recommendation"),
        (3, "Customer access", 1, "Expand the contact centre", "Recommendation"),
    ]
    by_ref = {r[-1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_ref["lec-2010-rec-1-2"]["Owner"] == "OIP Team"
    assert by_ref["lec-2010-rec-1-2"]["Deadline"] == "mid-April"
    assert by_ref["lec-2010-rec-3-1"]["RAG"] == "Amber"
    assert by_ref["lec-2010-rec-3-1"]["Actions answering it"] == "List the key OIP projects"
    findings = sheet_rows(data, "Findings")
    assert findings[1:] == [
        (1, "Strategic approach to efficiency", 1, "Change programmes brought together", "lec-2010-finding-1-1"),
        (3, "Customer access", 1, "Limited transactional website", "lec-2010-finding-3-1"),
    ]


def test_the_review_csv_has_the_recommendations(client, officer, review):
    client.force_login(officer)
    text = get(client, review.get_absolute_url(), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["Area"], r["Number"], r["Recommendation"], r["Ref"]) for r in rows] == [
        ("1", "1", "Strong leadership", "lec-2010-rec-1-1"),
        ("1", "2", "'=Involve staff", "lec-2010-rec-1-2"),
        ("3", "1", "Expand the contact centre", "lec-2010-rec-3-1"),
    ]


def test_the_review_export_edited_in_excel_imports_back_as_exactly_that_change(client, manager, review):
    client.force_login(manager)
    data = get(client, review.get_absolute_url(), "xlsx")

    def reword(headings, rows):
        target = next(r for r in rows if r[headings.index("Ref")].value == "lec-2010-rec-3-1")
        target[headings.index("Recommendation")].value = "Expand the contact centre, corporately"
        target[headings.index("RAG")].value = "green"

    run = reimport("recommendations", edited(data, "Recommendations", reword), user=manager, target=review)

    assert (run.created, run.updated, run.unchanged, run.problem_count) == (0, 1, 2, 0), run.preview["problems"]
    assert run.preview["rows"][0]["changes"] == [
        ["Recommendation", "Expand the contact centre", "Expand the contact centre, corporately"],
        ["RAG", "Amber", "Green"],
    ]
    versions = dict(Recommendation.objects.values_list("ref", "version"))
    services.apply_run(run=run, kind=imports.get_kind("recommendations"), user=manager, sha256=run.sha256)
    after = {r.ref: r for r in Recommendation.objects.all()}
    assert (after["lec-2010-rec-3-1"].text, after["lec-2010-rec-3-1"].rag) == (
        "Expand the contact centre, corporately",
        RAG.GREEN,
    )
    assert after["lec-2010-rec-1-2"].text == "=Involve staff"  # the neutralised formula came back as written
    assert {ref: r.version for ref, r in after.items()} == {
        **versions,
        "lec-2010-rec-3-1": versions["lec-2010-rec-3-1"] + 1,
    }

    findings = reimport("findings", data, user=manager, target=review)
    assert (findings.created, findings.updated, findings.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_review_download_runs_constant_queries(client, officer, review, fmt, django_assert_num_queries):
    client.force_login(officer)
    url = review.get_absolute_url()
    get(client, url, fmt)  # the session and the user's scope, as on any later request
    with django_assert_num_queries(13):
        get(client, url, fmt)
    area = factories.make_area(review, number=4, title="Back office")
    factories.make_finding(area, number=1)
    section = factories.make_section(plan=review.action_plans.get(), area=area)
    for number in range(1, 6):
        rec = factories.make_recommendation(area=area, number=number, owner=factories.make_owner())
        factories.make_action(recommendations=[rec], section=section)
    with django_assert_num_queries(13):
        get(client, url, fmt)


# --- The action plan progress table ---------------------------------------------


def progress_url(review):
    return reverse("actions:progress", args=[review.ref])


def test_the_progress_page_links_its_downloads(client, officer, review):
    client.force_login(officer)
    page = client.get(progress_url(review)).content.decode()
    assert 'Download .xlsx<span class="visually-hidden"> of the action plan progress table</span>' in page
    assert 'Download .csv<span class="visually-hidden"> of the action plan progress table</span>' in page


def test_the_progress_download_has_the_tables_actions_once_each_in_the_actions_layout(client, officer, review):
    action = ActionItem.objects.get(ref="lec-2010-ap-1-2")
    factories.make_action_update(action, update_date=datetime.date(2010, 5, 1), note="Older.")
    factories.make_action_update(action, update_date=datetime.date(2010, 5, 20), note="Briefing booked.")
    client.force_login(officer)
    rows = sheet_rows(get(client, progress_url(review), "xlsx"), "Action plan progress")
    actions_headings = [c.heading for c in imports.get_kind("actions").columns]
    assert rows[0] == ("Area", *actions_headings, "Latest update note")
    table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(r["Area"], r["Ref"], r["Action"]) for r in table] == [
        ("1. Strategic approach to efficiency", "lec-2010-ap-1-1", "List the key OIP projects"),
        ("1. Strategic approach to efficiency", "lec-2010-ap-1-3", "Staff suggestions"),
        ("1. Strategic approach to efficiency", "lec-2010-ap-1-2", "Brief managers"),
    ]
    assert table[0]["Recommendations"] == "1.1, 3.1"
    assert table[0]["Section"] == "1. Leadership"
    assert (table[2]["Owner"], table[2]["Last update"], table[2]["Latest update note"]) == (
        "OIP Team",
        "20 May 2010",
        "Briefing booked.",
    )


def test_the_progress_csv_has_the_same_rows(client, officer, review):
    client.force_login(officer)
    text = get(client, progress_url(review), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [(r["Ref"], r["Status"], r["RAG"], r["Due date"]) for r in rows] == [
        ("lec-2010-ap-1-1", "Not started", "Not yet rated", "30/06/2010"),
        ("lec-2010-ap-1-3", "Not started", "Not yet rated", "30/06/2010"),
        ("lec-2010-ap-1-2", "Not started", "Not yet rated", "30/06/2010"),
    ]


def test_the_progress_export_edited_in_excel_imports_back_into_the_programme(client, manager, review, programme):
    client.force_login(manager)
    data = get(client, progress_url(review), "xlsx")

    def slip(headings, rows):
        target = next(r for r in rows if r[headings.index("Ref")].value == "lec-2010-ap-1-3")
        target[headings.index("Status")].value = "In progress"
        target[headings.index("RAG")].value = "Amber"

    run = reimport("actions", edited(data, "Action plan progress", slip), user=manager, target=programme)

    assert (run.created, run.updated, run.unchanged, run.problem_count) == (0, 1, 2, 0), run.preview["problems"]
    assert run.preview["rows"][0]["changes"] == [
        ["Status", "Not started", "In progress"],
        ["RAG", "Not yet rated", "Amber"],
    ]
    assert set(run.preview["ignored_headings"]) == {"Area", "Latest update note"}
    services.apply_run(run=run, kind=imports.get_kind("actions"), user=manager, sha256=run.sha256)
    changed = ActionItem.objects.get(ref="lec-2010-ap-1-3")
    assert (changed.status, changed.rag, changed.version) == ("in_progress", RAG.AMBER, 2)
    assert set(ActionItem.objects.exclude(pk=changed.pk).values_list("version", flat=True)) == {1}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_progress_download_runs_constant_queries(client, officer, review, fmt, django_assert_num_queries):
    client.force_login(officer)
    url = progress_url(review)
    get(client, url, fmt)
    with django_assert_num_queries(14):
        get(client, url, fmt)
    area = factories.make_area(review, number=4, title="Back office")
    section = factories.make_section(plan=review.action_plans.get(), area=area)
    for number in range(1, 6):
        rec = factories.make_recommendation(area=area, number=number)
        action = factories.make_action(recommendations=[rec], section=section, owner=factories.make_owner())
        factories.make_action_update(action)
    factories.make_action(section=section)
    with django_assert_num_queries(14):
        get(client, url, fmt)
