"""Downloading a list as .xlsx or .csv: exactly the filtered rows, under the
headings the page shows plus refs, with formula text made harmless."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from actions.models import ActionItem
from core import imports
from core.models import RAG
from core.spreadsheets import neutralise, restore
from exchange import services
from tests import factories

DANGEROUS = ['=HYPERLINK("http://evil","Click")', "+44 20 8464 3333", "-1 day", "@SUM(A1)", "\tTabbed", "\rReturn"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def actions(programme):
    workstream = factories.make_workstream(programme, name="Customer Services")
    owner = factories.make_owner("OIP Team")
    made = [
        factories.make_action(workstream=workstream, owner=owner, title="Agree the plan", rag=RAG.GREEN),
        factories.make_action(workstream=workstream, owner=owner, title="Publish the targets", rag=RAG.RED),
    ]
    factories.make_action(title="Someone else's", rag=RAG.RED)
    return made


def download(client, url, fmt, **params):
    response = client.get(url, {"download": fmt, **params})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def test_all_actions_downloads_exactly_the_filtered_rows(client, officer, actions):
    client.force_login(officer)
    response, content = download(client, reverse("actions:list"), "csv", rag="red")
    assert response["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = csv_rows(content)
    assert rows[0][:2] == ["Ref", "Action"]
    assert sorted(r[1] for r in rows[1:]) == ["Publish the targets", "Someone else's"]

    _, content = download(client, reverse("actions:list"), "xlsx", rag="green")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Actions"]
    values = list(sheet.values)
    assert [v[1] for v in values[1:]] == ["Agree the plan"]
    assert values[1][values[0].index("RAG")] == "Green"
    assert values[1][values[0].index("Ref")] == actions[0].ref


def test_the_list_page_links_its_downloads_with_the_filters_kept(client, officer, actions):
    client.force_login(officer)
    page = client.get(reverse("actions:list"), {"rag": "red", "page": "1"}).content.decode()
    assert 'href="?rag=red&amp;download=xlsx"' in page
    assert 'href="?rag=red&amp;download=csv"' in page
    assert 'Download .xlsx<span class="visually-hidden"> of these actions</span>' in page


def test_exports_stream(client, officer, actions):
    client.force_login(officer)
    assert isinstance(client.get(reverse("actions:list"), {"download": "csv"}), StreamingHttpResponse)
    assert isinstance(client.get(reverse("actions:list"), {"download": "xlsx"}), FileResponse)


@pytest.mark.parametrize("size", [2, 12])
def test_an_export_runs_constant_queries(client, officer, programme, size, django_assert_num_queries):
    for i in range(size):
        rec = factories.make_recommendation()
        factories.make_action(title=f"Action {i}", recommendations=[rec], owner=factories.make_owner())
    client.force_login(officer)
    for fmt in ["csv", "xlsx"]:
        with django_assert_num_queries(4):
            download(client, reverse("actions:list"), fmt)


def test_neutralise_and_restore_are_inverse():
    for text in DANGEROUS:
        assert neutralise(text) == "'" + text
        assert restore(neutralise(text)) == text
    assert neutralise("Plain text") == "Plain text"
    assert neutralise(-5) == -5  # numbers are numbers


def test_formula_text_is_neutralised_in_every_format_and_survives_a_round_trip(client, manager, programme):
    workstream = factories.make_workstream(programme, name="Customer Services")
    owner = factories.make_owner("OIP Team")
    for text in DANGEROUS:
        factories.make_action(workstream=workstream, owner=owner, title=f"Title {text!r}", description=text)
    client.force_login(manager)

    _, content = download(client, reverse("actions:list"), "csv")
    rows = csv_rows(content)
    column = rows[0].index("Description")
    assert sorted(r[column] for r in rows[1:]) == sorted("'" + t for t in DANGEROUS)

    _, content = download(client, reverse("actions:list"), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Actions"]
    headings = [c.value for c in sheet[1]]
    cells = [r[headings.index("Description")] for r in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    # A carriage return is kept as Excel's own escape for it (XML would make it a line feed).
    assert sorted(c.value for c in cells) == sorted("'" + t.replace("\r", "_x000D_") for t in DANGEROUS)

    for name, data in [("actions.xlsx", content), ("actions.csv", download(client, reverse("actions:list"), "csv")[1])]:
        run = services.preview_upload(
            kind=imports.get_kind("actions"), target=programme, upload=SimpleUploadedFile(name, data), user=manager
        )
        assert (run.problem_count, run.created, run.updated, run.unchanged) == (0, 0, 0, len(DANGEROUS)), run.preview
    assert sorted(ActionItem.objects.values_list("description", flat=True)) == sorted(DANGEROUS)


def test_matters_arising_download(client, clerk):
    june = factories.make_meeting(date=datetime.date(2010, 6, 1))
    july = factories.make_meeting(committee=june.committee, date=datetime.date(2010, 7, 27))
    owner = factories.make_owner("COE")
    action = factories.make_action(
        arising_from=june,
        minute_number="5",
        minute_title="Organisational Improvement Programme",
        title="Circulate the savings table",
        description="=Members asked for the savings table",
        owner=owner,
        due_wording="July 2010",
    )
    client.force_login(clerk)
    url = reverse("committees:matters_arising", args=[july.pk])
    assert "Download .xlsx" in client.get(url).content.decode()
    response, content = download(client, url, "csv")
    assert response["Content-Disposition"] == 'attachment; filename="matters-arising-2010-07-27.csv"'
    rows = csv_rows(content)
    assert rows[0][:3] == ["Ref", "Minute Number/Title", "Meeting"]
    assert rows[1][0] == action.ref
    assert rows[1][1] == "5 Organisational Improvement Programme"
    assert rows[1][4] == "'=Members asked for the savings table"
    assert rows[1][6:8] == ["COE", "July 2010"]
    _, content = download(client, url, "xlsx")
    assert list(openpyxl.load_workbook(io.BytesIO(content))["Matters arising"].values)[1][0] == action.ref


def test_matters_arising_download_marks_a_superseded_deadline(client, clerk):
    june = factories.make_meeting(date=datetime.date(2010, 6, 1))
    july = factories.make_meeting(committee=june.committee, date=datetime.date(2010, 7, 27))
    action = factories.make_action(arising_from=june, minute_number="5", title="Circulate the savings table")
    ActionItem.objects.filter(pk=action.pk).update(
        due_wording="mid-April", due_wording_superseded=True, due_date=datetime.date(2010, 7, 31)
    )
    client.force_login(clerk)
    _, content = download(client, reverse("committees:matters_arising", args=[july.pk]), "csv")
    row = csv_rows(content)[1]
    assert row[7:9] == ["revised; was “mid-April”", "31/07/2010"]
