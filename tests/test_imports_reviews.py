"""Importing a review's recommendations and findings into a review, and
progress updates on actions into a programme (actions/review_imports.py):
templates, previews, applying, re-importing, problems and who may import."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionPlan, ActionUpdate, DueDateRevision, Finding, Recommendation, ReviewArea, Status
from actions.services import record_action_update
from core import imports
from core.models import RAG
from core.spreadsheets import write_xlsx
from exchange import services
from exchange.models import ImportRun
from tests import factories

REC_HEADINGS = ["Area", "Area title", "Number", "Recommendation", "Type", "Owner", "Deadline", "RAG", "Ref"]
FINDING_HEADINGS = ["Area", "Area title", "Number", "Finding"]
UPDATE_HEADINGS = ["Action ref", "Action", "Date", "Note", "RAG", "Status", "Due date", "Reason for due date change"]
N_RECOMMENDATION_PREVIEW, N_FINDING_PREVIEW, N_UPDATE_PREVIEW = 7, 5, 8


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def review(programme):
    """The LEC 2010 review, delivered by the manager's programme, with area 1,
    its first finding and its first recommendation."""
    review = factories.make_review(ref="lec-2010", title="London Efficiency Challenge 2010")
    ActionPlan.objects.create(review=review, ref="lec-2010-ap", title="LEC action plan", programme=programme)
    area = factories.make_area(review, number=1, title="Strategic approach to efficiency", ref="lec-2010-area-1")
    factories.make_finding(area, number=1, text="Change programmes brought together", ref="lec-2010-finding-1-1")
    factories.make_recommendation(
        area=area, number=1, ref="lec-2010-rec-1-1", text="Strong leadership and a corporate approach"
    )
    return review


@pytest.fixture
def other_review(db):
    """A review delivered by a programme Pat does not manage."""
    review = factories.make_review(ref="other-review", title="Customer services peer review")
    ActionPlan.objects.create(review=review, ref="other-plan", title="Plan", programme=factories.make_programme())
    return review


@pytest.fixture
def oip_team(db):
    return factories.make_owner("OIP Team")


def workbook(rows, headings, *, sheet):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headings)
    for line in rows:
        ws.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def recommendations_file(*rows):
    return workbook([[r.get(h, "") for h in REC_HEADINGS] for r in rows], REC_HEADINGS, sheet="Recommendations")


def findings_file(*rows):
    return workbook([[r.get(h, "") for h in FINDING_HEADINGS] for r in rows], FINDING_HEADINGS, sheet="Findings")


def updates_file(*rows):
    return workbook([[r.get(h, "") for h in UPDATE_HEADINGS] for r in rows], UPDATE_HEADINGS, sheet="Progress updates")


def preview(kind, data, *, user, target, name="sheet.xlsx"):
    return services.preview_upload(
        kind=imports.get_kind(kind), target=target, upload=SimpleUploadedFile(name, data), user=user
    )


def apply(run, user):
    return services.apply_run(run=run, kind=imports.get_kind(run.kind), user=user, sha256=run.sha256)


def template(kind):
    buffer = io.BytesIO()
    write_xlsx([imports.template_sheets(imports.get_kind(kind))[0]], buffer)
    return buffer.getvalue()


def problems(run):
    return [p["text"] for p in run.preview["problems"]]


# --- Recommendations ------------------------------------------------------------


def test_the_recommendations_template_imports_as_new_areas_and_recommendations(manager, programme):
    empty = factories.make_review(ref="lec-2012", title="LEC 2012")
    ActionPlan.objects.create(review=empty, ref="lec-2012-ap", title="Plan", programme=programme)

    run = preview("recommendations", template("recommendations"), user=manager, target=empty)

    assert (run.created, run.updated, run.problem_count) == (3, 0, 0), problems(run)
    assert run.review == empty
    assert ReviewArea.objects.filter(review=empty).count() == 0
    apply(run, manager)
    areas = ReviewArea.objects.filter(review=empty)
    assert [(a.number, a.title, a.ref) for a in areas] == [
        (1, "Strategic approach to efficiency", "lec-2012-area-1"),
        (3, "Customer access", "lec-2012-area-3"),
    ]
    good_practice = Recommendation.objects.get(area__review=empty, area__number=3, number=5)
    assert good_practice.kind == Recommendation.Kind.GOOD_PRACTICE
    assert good_practice.ref == "lec-2012-area-3-rec-5"
    deadline = Recommendation.objects.get(area__review=empty, area__number=1, number=2)
    assert (deadline.due_wording, deadline.kind, deadline.rag) == (
        "end of June 2010",
        Recommendation.Kind.RECOMMENDATION,
        RAG.NOT_RATED,
    )


def test_preview_shows_creates_updates_old_to_new_and_unchanged_and_writes_nothing(manager, review, oip_team):
    data = recommendations_file(
        {"Area": 1, "Number": 1, "Recommendation": "Strong leadership and a corporate approach"},
        {"Area": 1, "Number": 2, "Recommendation": "Involve and value staff", "Owner": "oip  team"},
        {
            "Area": 2,
            "Area title": "Flexible and mobile working and property use",
            "Number": 1,
            "Recommendation": "Support the culture change",
            "RAG": "Amber",
        },
    )
    run = preview("recommendations", data, user=manager, target=review)
    assert (run.created, run.updated, run.unchanged, run.problem_count) == (2, 0, 1, 0), problems(run)
    assert [r["label"] for r in run.preview["rows"]] == ["Recommendation 1.2", "Recommendation 2.1"]
    assert Recommendation.objects.count() == 1
    assert ReviewArea.objects.count() == 1

    changed = recommendations_file(
        {"Area": 1, "Area title": "strategic approach  to efficiency", "Number": 1, "Recommendation": "Lead it"},
    )
    run = preview("recommendations", changed, user=manager, target=review)
    assert (run.created, run.updated, run.unchanged) == (0, 1, 0)
    assert run.preview["rows"][0]["changes"] == [
        ["Recommendation", "Strong leadership and a corporate approach", "Lead it"]
    ]
    assert Recommendation.objects.get().text == "Strong leadership and a corporate approach"


def test_apply_creates_and_updates_with_history_naming_the_user_and_the_import(manager, review, oip_team):
    data = recommendations_file(
        {"Area": 1, "Number": 1, "Recommendation": "Lead it", "Ref": "lec-2010-rec-1-1", "RAG": "Green"},
        {"Area": 4, "Area title": "Back office productivity", "Number": 1, "Recommendation": "E-payments"},
        {"Area": 4, "Number": 2, "Recommendation": "Joint working with the NHS", "Owner": "OIP Team"},
    )
    run = preview("recommendations", data, user=manager, target=review, name="lec.xlsx")

    apply(run, manager)

    run.refresh_from_db()
    assert (run.status, run.created, run.updated) == (ImportRun.Status.APPLIED, 2, 1)
    updated = Recommendation.objects.get(ref="lec-2010-rec-1-1")
    assert (updated.text, updated.rag, updated.version) == ("Lead it", RAG.GREEN, 2)
    area = ReviewArea.objects.get(review=review, number=4)
    assert area.title == "Back office productivity"
    assert [(r.number, r.owner) for r in area.recommendations.all()] == [(1, None), (2, oip_team)]
    for recommendation in Recommendation.objects.all():
        record = recommendation.history.first()
        assert record.history_user == manager
        assert record.history_change_reason == f"Import {run.pk}: lec.xlsx"
    assert [label for label, _url, _outcome in run.touched] == [
        "Recommendation 1.1",
        "Recommendation 4.1",
        "Recommendation 4.2",
    ]
    assert run.touched[1][1] == Recommendation.objects.get(area=area, number=1).get_absolute_url()


def test_reimporting_the_same_recommendations_changes_nothing(manager, review):
    data = recommendations_file(
        {"Area": 1, "Number": 1, "Recommendation": "Strong leadership and a corporate approach"},
        {"Area": 5, "Area title": "Joint working and shared services", "Number": 1, "Recommendation": "Extend I&P"},
    )
    apply(preview("recommendations", data, user=manager, target=review), manager)
    versions = dict(Recommendation.objects.values_list("pk", "version"))

    again = preview("recommendations", data, user=manager, target=review)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    apply(again, manager)
    assert dict(Recommendation.objects.values_list("pk", "version")) == versions
    assert ReviewArea.objects.filter(review=review).count() == 2


def test_recommendation_problems_are_named_by_row_and_nothing_is_written(manager, review):
    data = recommendations_file(
        {"Area": 6, "Number": 1, "Recommendation": "An area with no title"},
        {"Area": 1, "Area title": "Customer access", "Number": 2, "Recommendation": "Wrong area title"},
        {"Area": 1, "Number": 1, "Recommendation": "Renumbered", "Ref": "new-ref"},
        {"Area": 1, "Number": 3, "Recommendation": "Once"},
        {"Area": 1, "Number": 3, "Recommendation": "Twice"},
        {"Area": 1, "Number": 4, "Recommendation": "Odd type", "Type": "Opinion"},
        {"Area": "one", "Number": 5, "Recommendation": "Area in words"},
    )
    run = preview("recommendations", data, user=manager, target=review)

    assert problems(run) == [
        "Row 2: Area 6 is not in this review yet: give its Area title to add it.",
        "Row 3: Area 1 of this review is “Strategic approach to efficiency”, not “Customer access”. "
        "Correct the Area or the Area title, or leave the title blank.",
        "Row 4: Recommendation 1.1 is already in this review, with the ref “lec-2010-rec-1-1”: correct the Ref, "
        "the Area or the Number, or leave the Ref blank.",
        "Row 6: an earlier row of this file is also recommendation 1.3.",
        "Row 7, Type: “Opinion” is not one of: Recommendation, Good-practice example, For information.",
        "Row 8, Area: “one” is not a whole number.",
    ]
    assert not run.can_apply
    assert (Recommendation.objects.count(), ReviewArea.objects.count()) == (1, 1)


def test_a_ref_of_another_reviews_recommendation_is_a_problem(manager, review, other_review):
    area = factories.make_area(other_review, number=1, title="Elsewhere")
    factories.make_recommendation(area=area, number=1, ref="theirs")
    data = recommendations_file({"Area": 1, "Number": 2, "Recommendation": "Mine", "Ref": "theirs"})
    run = preview("recommendations", data, user=manager, target=review)
    assert problems(run) == ["Row 2, Ref: “theirs” is the ref of another recommendation, not one in this review."]


def test_an_officer_cannot_import_recommendations_findings_or_updates(client, officer, review):
    client.force_login(officer)
    for kind in ["recommendations", "findings", "action-updates"]:
        assert client.get(reverse("exchange:import_new", args=[kind])).status_code == 403, kind
        assert client.get(reverse("exchange:import_template", args=[kind, "xlsx"])).status_code == 403, kind
    data = recommendations_file({"Area": 1, "Number": 2, "Recommendation": "Mine"})
    response = client.post(
        reverse("exchange:import_new", args=["recommendations"]),
        {"target": review.pk, "file": SimpleUploadedFile("r.xlsx", data)},
    )
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0
    assert Recommendation.objects.count() == 1


def test_a_manager_cannot_import_into_another_programmes_review(client, manager, review, other_review):
    client.force_login(manager)
    page = client.get(reverse("exchange:import_new", args=["recommendations"]))
    assert page.status_code == 200
    assert list(page.context["form"].fields["target"].queryset) == [review]
    data = recommendations_file({"Area": 1, "Area title": "Elsewhere", "Number": 1, "Recommendation": "Mine"})
    response = client.post(
        reverse("exchange:import_new", args=["recommendations"]),
        {"target": other_review.pk, "file": SimpleUploadedFile("r.xlsx", data)},
    )
    assert "Select a valid choice" in response.context["form"].errors["target"][0]
    assert ImportRun.objects.count() == 0

    # Past the form (a run made some other way), the services still refuse it.
    run = preview("recommendations", data, user=manager, target=other_review)
    with pytest.raises(imports.ImportRefused):
        apply(run, manager)
    assert not ReviewArea.objects.filter(review=other_review).exists()
    assert Recommendation.objects.count() == 1


def test_an_administrator_imports_into_any_review(administrator, other_review):
    assert list(imports.get_kind("recommendations").targets(administrator)) == [other_review]
    data = recommendations_file({"Area": 1, "Area title": "Elsewhere", "Number": 1, "Recommendation": "Theirs"})
    apply(preview("recommendations", data, user=administrator, target=other_review), administrator)
    assert Recommendation.objects.get().area.review == other_review


def test_the_upload_page_takes_recommendations_into_a_review(client, manager, review):
    client.force_login(manager)
    data = recommendations_file({"Area": 1, "Number": 2, "Recommendation": "Involve and value staff"})
    response = client.post(
        reverse("exchange:import_new", args=["recommendations"]),
        {"target": review.pk, "file": SimpleUploadedFile("recs.xlsx", data)},
        follow=True,
    )
    run = ImportRun.objects.get()
    assert run.review == review
    assert run.programme is None
    assert response.status_code == 200
    response = client.post(reverse("exchange:import_apply", args=[run.pk]), {"sha256": run.sha256}, follow=True)
    assert "Imported recs.xlsx: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Recommendation.objects.filter(area__review=review, number=2).exists()


# --- Findings -----------------------------------------------------------------


def test_the_findings_template_imports_as_new_areas_and_findings(manager, programme):
    empty = factories.make_review(ref="lec-2012", title="LEC 2012")
    ActionPlan.objects.create(review=empty, ref="lec-2012-ap", title="Plan", programme=programme)

    run = preview("findings", template("findings"), user=manager, target=empty)

    assert (run.created, run.problem_count) == (2, 0), problems(run)
    apply(run, manager)
    assert list(Finding.objects.filter(area__review=empty).values_list("area__number", "number", "text")) == [
        (1, 1, "Change programmes brought together within a single Organisational Improvement Programme"),
        (3, 1, "Limited transactional capability of website"),
    ]


def test_findings_update_old_to_new_then_reimport_unchanged(manager, review):
    data = findings_file(
        {"Area": 1, "Number": 1, "Finding": "Change programmes brought together in one OIP"},
        {"Area": 3, "Area title": "Customer access", "Number": 1, "Finding": "Limited transactional website"},
    )
    run = preview("findings", data, user=manager, target=review)
    assert (run.created, run.updated, run.unchanged) == (1, 1, 0), problems(run)
    assert run.preview["rows"][0]["changes"] == [
        ["Finding", "Change programmes brought together", "Change programmes brought together in one OIP"]
    ]
    apply(run, manager)
    assert Finding.objects.get(ref="lec-2010-finding-1-1").text == "Change programmes brought together in one OIP"
    assert ReviewArea.objects.get(review=review, number=3).title == "Customer access"

    again = preview("findings", data, user=manager, target=review)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_manager_cannot_add_findings_to_another_programmes_review(manager, other_review):
    data = findings_file({"Area": 1, "Area title": "Elsewhere", "Number": 1, "Finding": "Theirs"})
    run = preview("findings", data, user=manager, target=other_review)
    with pytest.raises(imports.ImportRefused):
        apply(run, manager)
    assert not Finding.objects.exists()
    assert not ReviewArea.objects.exists()


def test_findings_refuse_an_apply_when_someone_changed_the_finding_since(manager, review):
    data = findings_file({"Area": 1, "Number": 1, "Finding": "Reworded"})
    run = preview("findings", data, user=manager, target=review)
    Finding.objects.filter(ref="lec-2010-finding-1-1").update(text="Changed by someone else")
    with pytest.raises(imports.ImportRefused, match="has changed since your preview"):
        apply(run, manager)
    assert Finding.objects.get().text == "Changed by someone else"


# --- Progress updates on actions ----------------------------------------------


@pytest.fixture
def plan_actions(review):
    """Two actions of the LEC action plan (the manager's programme), due 30 June 2010."""
    plan = review.action_plans.get()
    section = factories.make_section(plan=plan, number=1, title="Programme management")
    return [
        factories.make_action(
            ref="lec-2010-ap-1-1", title="Produce a list of key OIP projects", section=section, rag=RAG.AMBER
        ),
        factories.make_action(ref="lec-2010-ap-1-2", title="Communicate the OIP projects", section=section),
    ]


def test_the_action_updates_template_imports_as_new_updates(manager, plan_actions):
    programme = plan_actions[0].section.plan.programme
    run = preview("action-updates", template("action-updates"), user=manager, target=programme)

    assert (run.created, run.problem_count) == (2, 0), problems(run)
    apply(run, manager)
    first, second = (a.__class__.objects.get(pk=a.pk) for a in plan_actions)
    assert (first.rag, first.status) == (RAG.GREEN, Status.IN_PROGRESS)
    update = first.updates.get()
    assert (update.update_date, update.author, update.author_name) == (datetime.date(2010, 5, 20), manager, "OIP Team")
    assert (update.rag_before, update.rag_after) == (RAG.AMBER, RAG.GREEN)
    assert second.due_date == datetime.date(2010, 7, 31)
    revision = DueDateRevision.objects.get(action=second)
    assert (revision.old_date, revision.reason) == (datetime.date(2010, 6, 30), "Managers' Briefing rescheduled.")


def test_two_updates_of_one_action_in_a_file_both_apply_in_order(manager, plan_actions):
    action = plan_actions[0]
    data = updates_file(
        {"Action ref": action.ref, "Date": "20/05/2010", "Note": "Draft list to the board.", "RAG": "Green"},
        {"Action ref": action.ref, "Date": "1 June 2010", "Note": "List agreed.", "Status": "Complete"},
    )
    run = preview("action-updates", data, user=manager, target=action.section.plan.programme, name="upd.xlsx")
    assert (run.created, run.problem_count) == (2, 0), problems(run)
    assert [r["label"] for r in run.preview["rows"]] == [
        "Produce a list of key OIP projects: 20 May 2010",
        "Produce a list of key OIP projects: 1 June 2010",
    ]

    apply(run, manager)

    action.refresh_from_db()
    assert (action.status, action.rag, action.completed_on) == (
        Status.COMPLETE,
        RAG.COMPLETE,
        datetime.date(2010, 6, 1),
    )
    assert action.version == 3
    later, earlier = action.updates.all()
    assert (earlier.rag_before, earlier.rag_after, earlier.status_after) == (RAG.AMBER, RAG.GREEN, Status.NOT_STARTED)
    assert (later.rag_before, later.rag_after, later.status_after) == (RAG.GREEN, RAG.COMPLETE, Status.COMPLETE)
    record = action.history.first()
    assert record.history_user == manager
    assert record.history_change_reason == f"Import {run.pk}: upd.xlsx"
    run.refresh_from_db()
    assert run.touched[1][1] == later.get_absolute_url()


def test_an_update_already_recorded_is_unchanged_and_reimport_adds_nothing(manager, plan_actions):
    action = plan_actions[1]
    factories.make_action_update(action, update_date=datetime.date(2010, 5, 20), note="Article in Inform.")
    data = updates_file(
        {"Action ref": action.ref, "Date": "20/05/2010", "Note": "Article  in Inform. ", "RAG": "Red"},
        {"Action ref": action.ref, "Date": "02/06/2010", "Note": "Briefing held.", "RAG": "Green"},
    )
    programme = action.section.plan.programme
    run = preview("action-updates", data, user=manager, target=programme)
    assert (run.created, run.updated, run.unchanged) == (1, 0, 1), problems(run)
    apply(run, manager)
    assert ActionUpdate.objects.count() == 2

    again = preview("action-updates", data, user=manager, target=programme)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    apply(again, manager)
    assert ActionUpdate.objects.count() == 2


def test_update_problems_are_named_by_row_and_nothing_is_written(manager, plan_actions, other_review):
    action = plan_actions[0]
    elsewhere = factories.make_action(
        ref="theirs", section=factories.make_section(plan=other_review.action_plans.get(), number=1)
    )
    data = updates_file(
        {"Action ref": elsewhere.ref, "Date": "20/05/2010", "Note": "Not mine."},
        {"Action ref": action.ref, "Date": "20/05/2010", "Note": "Later.", "Due date": "31/08/2010"},
        {"Action ref": action.ref, "Date": "21/05/2010", "Note": "Done?", "RAG": "Complete"},
        {"Action ref": action.ref, "Date": "22/05/2010", "Note": "Twice."},
        {"Action ref": action.ref, "Date": "22/05/2010", "Note": "Twice."},
        {"Action ref": action.ref, "Date": "31/12/2099", "Note": "From the future."},
        {"Action ref": action.ref, "Date": "someday", "Note": "When?"},
        {"Action ref": action.ref, "Date": "23/05/2010", "Note": ""},
    )
    run = preview("action-updates", data, user=manager, target=action.section.plan.programme)

    assert problems(run) == [
        "Row 2: Action ref: no action of this programme has the ref “theirs”.",
        "Row 3: Reason for due date change: the due date changes from 30 June 2010 to 31 August 2010, "
        "so give a reason.",
        "Row 4: RAG: Only a complete action can be rated Complete: set the status to Complete too.",
        "Row 6: an earlier row of this file has the same action, date and note.",
        "Row 7: Date: An update cannot be dated in the future.",
        "Row 8, Date: “someday” is not a date. Write it as 31/05/2010 or 31 May 2010.",
        "Row 9, Note: this must be filled in.",
    ]
    assert ActionUpdate.objects.count() == 0


def test_an_update_import_is_refused_when_the_action_was_saved_since_the_preview(manager, colleague, plan_actions):
    action = plan_actions[0]
    data = updates_file({"Action ref": action.ref, "Date": "20/05/2010", "Note": "Mine.", "RAG": "Green"})
    run = preview("action-updates", data, user=manager, target=action.section.plan.programme)
    record_action_update(
        action=action,
        user=manager,
        expected_version=action.version,
        note="Someone else's.",
        update_date=datetime.date(2010, 5, 21),
        rag=RAG.RED,
        status=Status.BLOCKED,
        due_date=action.due_date,
    )

    with pytest.raises(imports.ImportRefused, match="has changed since your preview"):
        apply(run, manager)

    action.refresh_from_db()
    assert action.rag == RAG.RED
    assert list(action.updates.values_list("note", flat=True)) == ["Someone else's."]


def test_a_manager_cannot_import_updates_into_another_programme(client, manager, plan_actions):
    other = factories.make_programme(name="Customer Services")
    client.force_login(manager)
    page = client.get(reverse("exchange:import_new", args=["action-updates"]))
    assert list(page.context["form"].fields["target"].queryset) == [plan_actions[0].section.plan.programme]
    data = updates_file({"Action ref": plan_actions[0].ref, "Date": "20/05/2010", "Note": "Mine."})
    response = client.post(
        reverse("exchange:import_new", args=["action-updates"]),
        {"target": other.pk, "file": SimpleUploadedFile("u.xlsx", data)},
    )
    assert "Select a valid choice" in response.context["form"].errors["target"][0]
    assert ImportRun.objects.count() == 0
    assert ActionUpdate.objects.count() == 0


def test_exported_updates_import_back_unchanged(manager, plan_actions):
    action = plan_actions[0]
    factories.make_action_update(
        action, update_date=datetime.date(2010, 5, 20), note="=SUM(A1) is not a formula", author_name="OIP Team"
    )
    kind = imports.get_kind("action-updates")
    programme = action.section.plan.programme
    buffer = io.BytesIO()
    write_xlsx([imports.export_sheet(kind, kind.export_queryset(programme))], buffer)
    sheet = list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Progress updates"].values)
    assert sheet[1][:4] == (action.ref, action.title, datetime.datetime(2010, 5, 20), "'=SUM(A1) is not a formula")

    run = preview("action-updates", buffer.getvalue(), user=manager, target=programme)

    assert (run.created, run.updated, run.unchanged, run.problem_count) == (0, 0, 1, 0), problems(run)


# --- Templates and the imports page -------------------------------------------


def test_the_review_sheets_have_templates_with_allowed_values_and_notes(client, manager, review):
    client.force_login(manager)
    page = client.get(reverse("exchange:imports")).content.decode()
    for title in ["Review recommendations", "Review findings", "Progress updates on actions"]:
        assert title in page
    response = client.get(reverse("exchange:import_template", args=["recommendations", "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Recommendations", "Allowed values", "Notes"]
    assert next(iter(book["Recommendations"].values))[:4] == ("Area", "Area title", "Number", "Recommendation")
    allowed = list(book["Allowed values"].values)
    assert allowed[0][:2] == ("Type", "RAG")
    assert [line[0] for line in allowed[1:4]] == ["Recommendation", "Good-practice example", "For information"]
    notes = "\n".join(str(cell) for line in book["Notes"].values for cell in line if cell)
    assert "matched by its Area and Number" in notes
    assert "Findings go on the Findings sheet" in notes

    response = client.get(reverse("exchange:import_template", args=["action-updates", "csv"]))
    first = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert first == (
        "Action ref,Action,Date,Note,RAG,Status,Completed on,Due date,Reason for due date change,Written by"
    )
    response = client.get(reverse("exchange:import_template", args=["findings", "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert next(iter(book["Findings"].values)) == ("Area", "Area title", "Number", "Finding", "Ref")


@pytest.mark.parametrize("size", [2, 12])
def test_recommendation_and_finding_previews_run_constant_queries(manager, review, size, django_assert_num_queries):
    recommendations = recommendations_file(
        {"Area": 1, "Number": 1, "Recommendation": "Reworded"},
        *(
            {"Area": 2 + i % 3, "Area title": f"Area {i % 3}", "Number": i, "Recommendation": "New"}
            for i in range(size)
        ),
    )
    findings = findings_file(
        {"Area": 1, "Number": 1, "Finding": "Reworded"},
        *({"Area": 2 + i % 3, "Area title": f"Area {i % 3}", "Number": i, "Finding": "New"} for i in range(size)),
    )
    with django_assert_num_queries(N_RECOMMENDATION_PREVIEW):
        run = preview("recommendations", recommendations, user=manager, target=review)
    assert (run.created, run.updated, run.problem_count) == (size, 1, 0)
    with django_assert_num_queries(N_FINDING_PREVIEW):
        run = preview("findings", findings, user=manager, target=review)
    assert (run.created, run.updated, run.problem_count) == (size, 1, 0)


@pytest.mark.parametrize("size", [2, 12])
def test_update_preview_runs_constant_queries(manager, plan_actions, size, django_assert_num_queries):
    for action in plan_actions:
        factories.make_action_update(action, update_date=datetime.date(2010, 5, 1), note="Recorded.")
    rows = [{"Action ref": plan_actions[i % 2].ref, "Date": "02/05/2010", "Note": f"Note {i}"} for i in range(size)]
    data = updates_file({"Action ref": plan_actions[0].ref, "Date": "01/05/2010", "Note": "Recorded."}, *rows)
    with django_assert_num_queries(N_UPDATE_PREVIEW):
        run = preview("action-updates", data, user=manager, target=plan_actions[0].section.plan.programme)
    assert (run.created, run.unchanged, run.problem_count) == (size, 1, 0)
