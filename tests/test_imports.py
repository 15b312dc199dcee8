"""Importing action-plan items from a spreadsheet: the template, the preview,
all-or-nothing, conflicts, bad files, the log and who may import."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionItem, Status
from actions.services import update_action
from core import imports
from core.models import RAG
from core.spreadsheets import write_xlsx
from exchange import services
from exchange.models import ImportRun
from tests import factories

DATA = Path(__file__).parent / "data"
HEADINGS = ["Ref", "Action", "Section", "Recommendations", "Owner", "Deadline", "Due date", "Status", "RAG"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def plan_section(programme):
    area = factories.make_area(number=1, title="Leadership and culture", ref="lec-area-1")
    factories.make_recommendation(area=area, number=1, ref="lec-rec-1-1", text="Define the programme")
    factories.make_recommendation(area=area, number=2, ref="lec-rec-1-2", text="Publish the targets")
    plan = factories.make_section(area=area, number=1, title="Programme management").plan
    plan.programme = programme
    plan.save()
    return plan.sections.get()


@pytest.fixture
def oip_team(db):
    return factories.make_owner("OIP Team")


@pytest.fixture
def lorna(db):
    return factories.make_owner("Lorna Blackwood", kind="person")


def workbook(rows, headings=HEADINGS, *, sheet="Actions"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headings)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(data, name="actions.xlsx"):
    return SimpleUploadedFile(name, data)


def row(action="Agree the communications plan", *, section="1", recs="1.1", owner="OIP Team", **extra):
    values = {
        "Ref": "",
        "Action": action,
        "Section": section,
        "Recommendations": recs,
        "Owner": owner,
        "Deadline": "end of June 2010",
        "Due date": "30/06/2010",
        "Status": "In progress",
        "RAG": "Amber",
        **extra,
    }
    return [values[h] for h in HEADINGS]


def preview(data, *, user, target, name="actions.xlsx"):
    return services.preview_upload(
        kind=imports.get_kind("actions"), target=target, upload=upload(data, name), user=user
    )


def apply(run, user):
    return services.apply_run(run=run, kind=imports.get_kind("actions"), user=user, sha256=run.sha256)


@pytest.fixture
def ready(programme, plan_section, oip_team, lorna):
    factories.make_owner("COE", full_name="Chief Executive's Office")
    return programme


# --- The template -------------------------------------------------------------


def test_the_template_has_headings_examples_allowed_values_and_notes(client, manager, ready):
    client.force_login(manager)
    response = client.get(reverse("exchange:import_template", args=["actions", "xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="actions-template.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Actions", "Allowed values", "Notes"]
    sheet = list(book["Actions"].values)
    assert sheet[0][:3] == ("Ref", "Action", "Description")
    assert "Deadline" in sheet[0]
    assert "Owner" in sheet[0]
    assert "RAG" in sheet[0]
    assert any("post-elections" in (cell or "") for line in sheet[1:] for cell in line)
    allowed = list(book["Allowed values"].values)
    rag = allowed[0].index("RAG")
    assert [line[rag] for line in allowed[1:6]] == ["Red", "Amber", "Green", "Complete", "Not yet rated"]
    notes = "\n".join(str(cell) for line in book["Notes"].values for cell in line if cell)
    assert "matched by Ref" in notes


def test_the_filled_template_imports_as_new_actions(manager, ready):
    buffer = io.BytesIO()
    write_xlsx([imports.template_sheets(imports.get_kind("actions"))[0]], buffer)
    run = preview(buffer.getvalue(), user=manager, target=ready)
    assert (run.created, run.updated, run.problem_count) == (2, 0, 0)
    apply(run, manager)
    action = ActionItem.objects.get(title="Report progress to the Improvement & Efficiency Sub-Committee")
    assert action.due_wording == "post-elections"
    assert action.due_date is None


# --- Preview, apply, re-import -----------------------------------------------


def test_preview_writes_nothing_then_apply_creates_with_history_naming_the_import(manager, ready):
    run = preview(workbook([row(), row("Publish the savings targets", recs="1.1, 1.2")]), user=manager, target=ready)
    assert ActionItem.objects.count() == 0
    assert (run.status, run.created, run.updated, run.unchanged) == ("previewed", 2, 0, 0)
    assert [r["label"] for r in run.preview["rows"]] == ["Agree the communications plan", "Publish the savings targets"]

    apply(run, manager)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    action = ActionItem.objects.get(title="Publish the savings targets")
    assert action.owner.name == "OIP Team"
    assert action.due_wording == "end of June 2010"
    assert action.due_date == datetime.date(2010, 6, 30)
    assert (action.status, action.rag) == (Status.IN_PROGRESS, RAG.AMBER)
    assert sorted(r.ref for r in action.recommendations.all()) == ["lec-rec-1-1", "lec-rec-1-2"]
    record = action.history.first()
    assert record.history_user == manager
    assert record.history_change_reason == f"Import {run.pk}: actions.xlsx"
    assert [label for label, _url, _outcome in run.touched] == [
        "Agree the communications plan",
        "Publish the savings targets",
    ]


def test_reimporting_the_same_file_changes_nothing(manager, ready):
    data = workbook([row(), row("Publish the savings targets")])
    apply(preview(data, user=manager, target=ready), manager)
    versions = dict(ActionItem.objects.values_list("pk", "version"))

    again = preview(data, user=manager, target=ready)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert again.preview["unchanged"] == [
        {"row": 2, "label": "Agree the communications plan"},
        {"row": 3, "label": "Publish the savings targets"},
    ]
    apply(again, manager)
    assert dict(ActionItem.objects.values_list("pk", "version")) == versions


def test_an_exported_file_edited_in_excel_imports_back_as_exactly_that_change(client, manager, ready):
    apply(preview(workbook([row(), row("Publish the savings targets")]), user=manager, target=ready), manager)
    client.force_login(manager)
    exported = b"".join(client.get(reverse("actions:list"), {"download": "xlsx"}).streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = book["Actions"]
    headings = [c.value for c in sheet[1]]
    target = next(r for r in sheet.iter_rows(min_row=2) if r[headings.index("Action")].value.startswith("Publish"))
    target[headings.index("RAG")].value = "Red"
    target[headings.index("Owner")].value = "lorna  blackwood"  # any case and spacing
    buffer = io.BytesIO()
    book.save(buffer)

    run = preview(buffer.getvalue(), user=manager, target=ready)

    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert run.preview["rows"][0]["changes"] == [["Owner", "OIP Team", "Lorna Blackwood"], ["RAG", "Amber", "Red"]]
    page = client.get(run.get_absolute_url()).content.decode()
    assert "<strong>Owner</strong>: OIP Team → Lorna Blackwood" in page
    assert "<strong>RAG</strong>: Amber → Red" in page
    assert "1 row left unchanged (already as the file has it)" in page
    assert "Row 2: Agree the communications plan" in page
    apply(run, manager)
    action = ActionItem.objects.get(title="Publish the savings targets")
    assert (action.rag, action.owner.name) == (RAG.RED, "Lorna Blackwood")


def test_csv_imports_like_xlsx_and_reads_uk_dates(manager, ready):
    lines = [",".join(HEADINGS)]
    lines.append(",Agree the plan,1,1.1,OIP Team,by the end of May,31 May 2010,Not started,Green")
    lines.append(",Second action,1,,OIP Team,31/05/2010,,Not started,Green")
    lines.append(",Third action,1,,OIP Team,mid-April,,Not started,Green")
    run = preview("\n".join(lines).encode(), user=manager, target=ready, name="actions.csv")
    assert run.problem_count == 0, run.preview["problems"]
    apply(run, manager)
    dates = dict(ActionItem.objects.values_list("title", "due_date"))
    assert dates == {
        "Agree the plan": datetime.date(2010, 5, 31),
        "Second action": datetime.date(2010, 5, 31),  # the deadline was written as a date
        "Third action": None,
    }
    assert ActionItem.objects.get(title="Third action").due_wording == "mid-April"


def test_real_excel_dates_are_read(manager, ready):
    run = preview(workbook([row(**{"Due date": datetime.datetime(2010, 7, 15)})]), user=manager, target=ready)
    apply(run, manager)
    assert ActionItem.objects.get().due_date == datetime.date(2010, 7, 15)


# --- Problems: by row and column, and nothing written -------------------------


def test_each_problem_is_named_by_row_and_column_in_plain_words(manager, ready):
    data = workbook(
        [
            row(),
            row("Second", owner="Lorna Blackwod"),
            row("Third", **{"Due date": "31/13/2010"}),
            row("Fourth", RAG="Purple"),
            row("", owner="OIP Team"),
            row("Sixth", recs="9.9"),
        ]
    )
    run = preview(data, user=manager, target=ready)
    problems = [p["text"] for p in run.preview["problems"]]
    assert problems == [
        "Row 3, Owner: No owner called “Lorna Blackwod” — did you mean “Lorna Blackwood”?",
        "Row 4, Due date: “31/13/2010” is not a date. Write it as 31/05/2010 or 31 May 2010.",
        "Row 5, RAG: “Purple” is not one of: Red, Amber, Green, Complete, Not yet rated.",
        "Row 6, Action: this must be filled in.",
        "Row 7, Recommendations: No recommendation of a review this programme answers called “9.9”.",
    ]
    assert not run.can_apply
    with pytest.raises(imports.ImportRefused):
        apply(run, manager)
    assert ActionItem.objects.count() == 0


def test_the_models_rules_are_problems_too(manager, ready):
    run = preview(workbook([row(Status="Complete", RAG="Amber")]), user=manager, target=ready)
    assert [p["text"] for p in run.preview["problems"]] == [
        "Row 2, Completed on: A completed action needs the date it was completed.",
        "Row 2, RAG: A completed action is rated Complete: set the RAG status to Complete too.",
    ]


def test_one_bad_row_in_a_thousand_writes_nothing(manager, ready):
    rows = [row(f"Action number {i}") for i in range(1000)]
    rows[613] = row("Action number 613", owner="Nobody At All")
    run = preview(workbook(rows), user=manager, target=ready)
    assert run.problem_count == 1
    assert run.preview["problems"][0]["row"] == 615
    assert "Row 615, Owner" in run.preview["problems"][0]["text"]
    with pytest.raises(imports.ImportRefused):
        apply(run, manager)
    assert ActionItem.objects.count() == 0


def test_the_same_action_twice_in_one_file_is_a_problem(manager, ready):
    run = preview(workbook([row(), row()]), user=manager, target=ready)
    # The first row would create it; the second names it again by its text.
    assert run.problem_count == 0 or "same" in run.preview["problems"][0]["text"]


def test_a_ref_of_another_programmes_action_is_refused(manager, ready):
    elsewhere = factories.make_action(workstream=factories.make_workstream(), ref="theirs")
    run = preview(workbook([row("Take it over", Ref="theirs")]), user=manager, target=ready)
    assert [p["text"] for p in run.preview["problems"]] == [
        "Row 2, Ref: “theirs” is the ref of another action, not one in this programme."
    ]
    elsewhere.refresh_from_db()
    assert elsewhere.title != "Take it over"


# --- Changed since the preview --------------------------------------------------


def test_apply_is_refused_when_someone_saved_a_target_row_since_the_preview(manager, colleague, ready):
    apply(preview(workbook([row(), row("Second")]), user=manager, target=ready), manager)
    first = ActionItem.objects.get(title="Agree the communications plan")
    run = preview(workbook([row(RAG="Red"), row("Second", RAG="Red")]), user=manager, target=ready)
    assert run.updated == 2
    update_action(action=first, user=None, expected_version=first.version, description="Changed meanwhile")

    with pytest.raises(imports.ImportRefused) as refused:
        apply(run, manager)

    assert "Agree the communications plan has changed since your preview" in str(refused.value)
    assert set(ActionItem.objects.values_list("rag", flat=True)) == {RAG.AMBER}
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REFUSED


def test_apply_is_refused_when_the_file_changed_since_the_preview(manager, ready):
    run = preview(workbook([row()]), user=manager, target=ready)
    with pytest.raises(imports.ImportRefused, match="file has changed"):
        services.apply_run(run=run, kind=imports.get_kind("actions"), user=manager, sha256="0" * 64)
    assert ActionItem.objects.count() == 0


def test_a_failure_half_way_through_the_commit_rolls_back_every_row(manager, ready, monkeypatch):
    apply(preview(workbook([row("Existing")]), user=manager, target=ready), manager)
    run = preview(workbook([row("Existing", RAG="Red"), row("Second"), row("Third")]), user=manager, target=ready)
    from actions import services as action_services

    inserted = action_services.bulk_create_with_history

    def insert_then_fail(*args, **kwargs):
        inserted(*args, **kwargs)  # the new rows are in the database now ...
        raise ValidationError({"title": "The disk is full."})  # ... and then something fails

    monkeypatch.setattr(action_services, "bulk_create_with_history", insert_then_fail)
    with pytest.raises(imports.ImportRefused, match="The disk is full"):
        apply(run, manager)
    assert list(ActionItem.objects.values_list("title", "rag")) == [("Existing", RAG.AMBER)]


# --- Bad files --------------------------------------------------------------------


def bad_file(client, user, data, name="actions.xlsx", *, target):
    client.force_login(user)
    response = client.post(
        reverse("exchange:import_new", args=["actions"]), {"target": target.pk, "file": upload(data, name)}
    )
    assert response.status_code == 200
    return response.context["form"].errors["file"][0]


def test_bad_files_get_a_clear_message_and_nothing_is_kept(client, manager, ready):
    merged = openpyxl.Workbook()
    merged.active.append(["Ref", "Action", None, "Owner"])
    merged.active.merge_cells("B1:C1")
    merged_bytes = io.BytesIO()
    merged.save(merged_bytes)
    formula = workbook([row(**{"Due date": "=TODAY()"})])
    cases = {
        "not a spreadsheet": (b"%PDF-1.4\x00\x01binary", "not a spreadsheet"),
        "password-protected": ((DATA / "password-protected.xlsx").read_bytes(), "password-protected"),
        "missing column": (workbook([["x"]], headings=["Ref", "Owner"]), "no “Action” column, which is required"),
        "merged headings": (merged_bytes.getvalue(), "must not be merged"),
        "broken xlsx": (b"PK\x03\x04 not really a zip", "could not be opened as an Excel workbook"),
    }
    for label, (data, message) in cases.items():
        assert message in bad_file(client, manager, data, target=ready), label
    assert ImportRun.objects.count() == 0
    # A formula is a problem with its row and column, not a bad file.
    run = preview(formula, user=manager, target=ready)
    assert run.preview["problems"][0]["text"].startswith("Row 2, Due date: this cell holds a formula (=TODAY())")
    assert ActionItem.objects.count() == 0


def test_too_many_rows_and_too_large_files_are_refused(client, manager, ready, settings):
    lines = ",".join(HEADINGS) + "\n" + ",Action,1,,OIP Team,,,Not started,Green\n" * 50_000
    message = bad_file(client, manager, lines.encode(), "big.csv", target=ready)
    assert "more than 20,000 rows; the limit is 20,000" in message
    huge = b"Ref,Action\n" + b"x" * (20 * 1024 * 1024)
    assert "the largest file an import takes is 10 MB" in bad_file(client, manager, huge, "huge.csv", target=ready)
    assert ActionItem.objects.count() == 0
    assert ImportRun.objects.count() == 0


# --- Who may import -----------------------------------------------------------------


def test_officers_cannot_import_or_see_the_log(client, officer, ready):
    client.force_login(officer)
    for url in [
        reverse("exchange:imports"),
        reverse("exchange:import_new", args=["actions"]),
        reverse("exchange:import_template", args=["actions", "xlsx"]),
    ]:
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("exchange:import_new", args=["actions"]), {"target": ready.pk})
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0


def test_a_manager_cannot_import_into_another_programme(client, manager, ready):
    other = factories.make_programme(name="Customer Services")
    client.force_login(manager)
    page = client.get(reverse("exchange:import_new", args=["actions"]))
    assert list(page.context["form"].fields["target"].queryset) == [ready]
    response = client.post(
        reverse("exchange:import_new", args=["actions"]), {"target": other.pk, "file": upload(workbook([row()]))}
    )
    assert "Select a valid choice" in response.context["form"].errors["target"][0]
    assert ImportRun.objects.count() == 0
    assert ActionItem.objects.count() == 0


def test_a_manager_cannot_open_or_apply_another_managers_import(client, manager, administrator, ready):
    other = factories.make_programme(name="Customer Services")
    someone = factories.make_user("sam", "Programme manager")
    other.managers.add(someone)
    theirs = preview(workbook([row(section="", recs="")]), user=administrator, target=other)
    client.force_login(manager)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.post(reverse("exchange:import_apply", args=[theirs.pk]), {"sha256": theirs.sha256}).status_code == 404


# --- The pages ------------------------------------------------------------------------


def test_upload_preview_apply_through_the_pages(client, manager, ready):
    client.force_login(manager)
    response = client.post(
        reverse("exchange:import_new", args=["actions"]),
        {"target": ready.pk, "file": upload(workbook([row(), row("Second", owner="OIP Teem")]))},
        follow=True,
    )
    page = response.content.decode()
    assert "1 created, 0 updated" not in page
    assert "Row 3, Owner: No owner called “OIP Teem” — did you mean “OIP Team”?" in page
    assert "Apply this import" not in page

    response = client.post(
        reverse("exchange:import_new", args=["actions"]),
        {"target": ready.pk, "file": upload(workbook([row(), row("Second")]))},
        follow=True,
    )
    page = response.content.decode()
    assert "Apply this import" in page
    assert ActionItem.objects.count() == 0
    run = ImportRun.objects.first()

    response = client.post(reverse("exchange:import_apply", args=[run.pk]), {"sha256": run.sha256}, follow=True)

    page = response.content.decode()
    assert "Imported actions.xlsx: 2 created, 0 updated, 0 unchanged." in page
    assert "Rows it touched" in page
    assert "Agree the communications plan" in page
    assert ActionItem.objects.count() == 2
    log = client.get(reverse("exchange:imports")).content.decode()
    assert f"Import {run.pk}: actions.xlsx" in log
    assert "Applied" in log


def test_applying_twice_does_nothing_more(client, manager, ready):
    run = preview(workbook([row()]), user=manager, target=ready)
    client.force_login(manager)
    client.post(reverse("exchange:import_apply", args=[run.pk]), {"sha256": run.sha256})
    response = client.post(reverse("exchange:import_apply", args=[run.pk]), {"sha256": run.sha256}, follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert ActionItem.objects.count() == 1


def _runs(manager, programme, count):
    for i in range(count):
        run = preview(workbook([row(f"Action {i}")]), user=manager, target=programme)
        apply(run, manager)


@pytest.mark.parametrize("size", [1, 4])
def test_the_log_and_an_import_run_constant_queries(client, manager, ready, size, django_assert_num_queries):
    _runs(manager, ready, size)
    client.force_login(manager)
    run = ImportRun.objects.first()
    with django_assert_num_queries(9):
        assert client.get(reverse("exchange:imports")).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(run.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_preview_runs_constant_queries_whatever_the_rows(manager, ready, size, django_assert_num_queries):
    data = workbook([row(f"Action {i}") for i in range(size)])
    with django_assert_num_queries(10):
        preview(data, user=manager, target=ready)
