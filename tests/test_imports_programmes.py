"""Importing a programme's sheets: workstreams and projects, milestones, the
risk log, benefits and project updates. Each kind's template imports as new
rows, the preview says what would be created, updated (old → new) and left
unchanged, applying writes through the services with the import named in the
history, a re-import changes nothing, and only the programme's managers import."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import imports, roles
from core.models import RAG
from exchange import services
from exchange.models import ImportRun
from programmes.models import (
    Benefit,
    BenefitType,
    Level,
    Milestone,
    MilestoneStatus,
    Project,
    ProjectStage,
    ProjectUpdate,
    Risk,
    RiskKind,
    RiskStatus,
    Workstream,
)
from programmes.services import update_project
from tests import factories

KINDS = ["workstreams-projects", "milestones", "risks", "benefits", "project-updates"]
MODELS = {
    "workstreams-projects": Project,
    "milestones": Milestone,
    "risks": Risk,
    "benefits": Benefit,
    "project-updates": ProjectUpdate,
}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def oip_team(db):
    return factories.make_owner("OIP Team", full_name="Organisational Improvement Team")


@pytest.fixture
def bexley_bromley(db):
    return factories.make_owner("Bexley / Bromley")


@pytest.fixture
def lorna(db):
    return factories.make_owner("Lorna Blackwood", kind="person")


@pytest.fixture
def self_service(programme):
    return factories.make_workstream(programme, name="Self-service and ICT", ref="oip-self-service-and-ict")


@pytest.fixture
def customer(programme):
    return factories.make_workstream(
        programme, name="Customer and Service Led Improvement", ref="oip-customer-and-service-led-improvement"
    )


@pytest.fixture
def website(self_service, oip_team, bexley_bromley, lorna):
    return factories.make_project(
        self_service, name="Website upgrade", ref="oip-website-upgrade", owner=oip_team, rag=RAG.AMBER
    )


@pytest.fixture
def ccc(customer, oip_team):
    return factories.make_project(
        customer, name="CCC Service Migrations", ref="oip-ccc-service-migrations", owner=oip_team, rag=RAG.GREEN
    )


@pytest.fixture
def other_programme(db):
    """Another programme, with a project of its own, that Pat does not manage."""
    other = factories.make_programme(name="Shared Services Programme", ref="shared-services")
    factories.make_project(factories.make_workstream(other, name="Shared ICT"), name="Joint CRM", ref="joint-crm")
    return other


def workbook(headings, rows, *, sheet="Sheet"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headings)
    for row in rows:
        ws.append([row.get(h) for h in headings] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview(slug, data, *, user, target, name=None):
    name = name or f"{slug}.xlsx"
    upload = SimpleUploadedFile(name, data)
    return services.preview_upload(kind=imports.get_kind(slug), target=target, upload=upload, user=user)


def apply(run, user):
    return services.apply_run(run=run, kind=imports.get_kind(run.kind), user=user, sha256=run.sha256)


def problems(run):
    return [p["text"] for p in run.preview["problems"]]


def reason(run):
    return f"Import {run.pk}: {run.filename}"


def template(client, user, slug):
    client.force_login(user)
    response = client.get(reverse("exchange:import_template", args=[slug, "xlsx"]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- Every kind: its template, history, re-import and who may import ------------------


@pytest.fixture
def for_templates(programme, website, ccc):
    """What the templates' example rows name: the seeds' projects and owners."""
    return programme


@pytest.mark.parametrize("slug", KINDS)
def test_each_template_downloads_with_headings_examples_and_imports_as_new_rows(
    client, manager, programme, oip_team, bexley_bromley, slug, request
):
    kind = imports.get_kind(slug)
    if slug != "workstreams-projects":
        request.getfixturevalue("for_templates")
    data = template(client, manager, slug)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [kind.sheet_name, "Allowed values", "Notes"]
    assert [c.value for c in book[kind.sheet_name][1]] == [c.heading for c in kind.columns]
    before = MODELS[slug].objects.count()

    run = preview(slug, data, user=manager, target=programme)

    assert problems(run) == []
    assert (run.created, run.updated, run.unchanged) == (len(kind.examples), 0, 0)
    assert MODELS[slug].objects.count() == before
    apply(run, manager)
    assert MODELS[slug].objects.count() == before + len(kind.examples)
    # The rows go in through the services: the history names the user and the import.
    written = Project.objects.get(ref="oip-website-upgrade") if slug == "project-updates" else None
    written = written or MODELS[slug].objects.order_by("-pk").first()
    record = written.history.first()
    assert (record.history_user, record.history_change_reason) == (manager, reason(run))

    again = preview(slug, data, user=manager, target=programme, name="again.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(kind.examples))


@pytest.mark.parametrize("slug", KINDS)
def test_an_officer_cannot_import_any_programme_sheet(client, officer, programme, slug):
    client.force_login(officer)
    assert client.get(reverse("exchange:import_new", args=[slug])).status_code == 403
    assert client.get(reverse("exchange:import_template", args=[slug, "xlsx"])).status_code == 403
    response = client.post(reverse("exchange:import_new", args=[slug]), {"target": programme.pk})
    assert response.status_code == 403
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("slug", KINDS)
def test_a_manager_is_offered_only_their_programmes_and_cannot_import_into_another(
    client, manager, programme, other_programme, slug
):
    client.force_login(manager)
    page = client.get(reverse("exchange:import_new", args=[slug]))
    assert list(page.context["form"].fields["target"].queryset) == [programme]
    upload = SimpleUploadedFile("x.xlsx", workbook(["Project"], [["Joint CRM"]]))
    response = client.post(reverse("exchange:import_new", args=[slug]), {"target": other_programme.pk, "file": upload})
    assert "Select a valid choice" in response.context["form"].errors["target"][0]
    assert ImportRun.objects.count() == 0


@pytest.mark.parametrize("slug", ["milestones", "risks", "benefits", "project-updates"])
def test_rows_cannot_name_another_programmes_project(manager, programme, website, other_programme, slug):
    kind = imports.get_kind(slug)
    example = {**kind.examples[0], "Project": "joint-crm"}
    headings = [c.heading for c in kind.columns]
    run = preview(slug, workbook(headings, [example]), user=manager, target=programme)
    assert problems(run) == [
        "Row 2, Project: No project in this programme called “joint-crm”. "
        "Give the project's Ref or its name as the programme page lists it."
    ]
    assert not run.can_apply


# --- Workstreams and projects -----------------------------------------------------------

PROJECT_HEADINGS = ["Ref", "Workstream", "Project", "Owner", "Stage", "RAG", "Deadline", "Due date"]


def test_projects_are_created_updated_and_left_unchanged_with_old_and_new_values(
    manager, programme, website, ccc, lorna
):
    rows = [
        {
            "Workstream": "Self-service and ICT",
            "Project": "website  upgrade",
            "Owner": "Lorna Blackwood",
            "Stage": "Implementation",
            "RAG": "Red",
            "Deadline": "December 2011",
        },
        {
            "Ref": "oip-ccc-service-migrations",
            "Workstream": "Customer and Service Led Improvement",
            "Project": "CCC Service Migrations",
            "Owner": "OIP Team",
            "Stage": "Implementation",
            "RAG": "Green",
        },
        {
            "Workstream": "Self-service and ICT",
            "Project": "SharePoint Review and Strategy",
            "Owner": "OIP Team",
            "RAG": "Amber",
            "Deadline": "31/07/2010",
        },
    ]
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)

    assert problems(run) == []
    assert (run.created, run.updated, run.unchanged) == (1, 1, 1)
    update = next(r for r in run.preview["rows"] if r["outcome"] == "update")
    assert update["changes"] == [
        ["Owner", "OIP Team", "Lorna Blackwood"],
        ["RAG", "Amber", "Red"],
        ["Deadline", "", "December 2011"],
    ]
    apply(run, manager)
    website.refresh_from_db()
    assert (website.owner, website.rag, website.due_wording) == (lorna, RAG.RED, "December 2011")
    assert website.history.first().history_change_reason == reason(run)
    sharepoint = Project.objects.get(name="SharePoint Review and Strategy")
    assert sharepoint.workstream.name == "Self-service and ICT"
    # A deadline written as a date is the due date too; a blank stage is the default.
    assert (sharepoint.due_date, sharepoint.stage) == (datetime.date(2010, 7, 31), ProjectStage.IMPLEMENTATION)
    assert sharepoint.position > website.position


def test_a_workstream_not_yet_in_the_programme_is_added_once_through_the_services(manager, programme, oip_team):
    rows = [
        {"Workstream": "Office Accommodation", "Project": "Business case for office accommodation", "RAG": "Amber"},
        {"Workstream": "office accommodation", "Project": "Storage project", "RAG": "Green"},
    ]
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)

    assert [r["label"] for r in run.preview["rows"]] == [
        "Business case for office accommodation (new workstream “Office Accommodation”)",
        "Storage project (new workstream “Office Accommodation”)",
    ]
    assert Workstream.objects.count() == 0
    apply(run, manager)
    workstream = Workstream.objects.get()
    assert (workstream.programme, workstream.name, workstream.ref) == (
        programme,
        "Office Accommodation",
        "office-accommodation",
    )
    assert sorted(workstream.projects.values_list("name", flat=True)) == [
        "Business case for office accommodation",
        "Storage project",
    ]
    record = workstream.history.first()
    assert (record.history_user, record.history_change_reason) == (manager, reason(run))


def test_a_new_workstream_close_to_an_existing_one_is_questioned_in_the_preview(manager, programme, self_service):
    rows = [{"Workstream": "Self-servce and ICT", "Project": "Portal"}]
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)
    assert [r["label"] for r in run.preview["rows"]] == [
        "Portal (new workstream “Self-servce and ICT” — did you mean “Self-service and ICT”?)"
    ]


def test_project_rows_that_cannot_be_read_are_named_by_row_and_column(manager, programme, website):
    rows = [
        {"Workstream": "Self-service and ICT", "Project": "New one", "Owner": "Lorna Blackwod"},
        {"Workstream": "Self-service and ICT", "Project": "Another", "Stage": "Finished"},
        {"Workstream": "Self-service and ICT", "Project": "Another"},
        {"Workstream": "", "Project": "Homeless"},
        {"Workstream": "Self-service and ICT", "Project": "Closing", "Stage": "Closed"},
    ]
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == [
        "Row 2, Owner: No owner called “Lorna Blackwod” — did you mean “Lorna Blackwood”?",
        "Row 3, Stage: “Finished” is not one of: Proposed, Scoping, Business case, Implementation, Live, Closed.",
        "Row 5, Workstream: this must be filled in.",
        "Row 6: Closed on: Give the date the project closed.",
        "Row 6: Closure note: Say what the project achieved and the lessons learned.",
    ]
    assert Project.objects.count() == 1


def test_the_same_new_project_twice_in_a_file_is_a_problem(manager, programme, self_service):
    rows = [{"Workstream": "Self-service and ICT", "Project": "Portal"}] * 2
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == ["Row 3: An earlier row in this file already adds this project: give each one row."]


def test_a_ref_of_another_programmes_project_is_refused(manager, programme, self_service, other_programme):
    rows = [{"Ref": "joint-crm", "Workstream": "Self-service and ICT", "Project": "Take it over"}]
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == ["Row 2, Ref: “joint-crm” is the ref of another project, not one in this programme."]
    assert Project.objects.get(ref="joint-crm").name == "Joint CRM"


def test_apply_is_refused_when_a_project_was_saved_since_the_preview(manager, programme, website):
    rows = [{"Ref": website.ref, "Workstream": "Self-service and ICT", "Project": "Website upgrade", "RAG": "Red"}]
    run = preview("workstreams-projects", workbook(PROJECT_HEADINGS, rows), user=manager, target=programme)
    update_project(project=website, user=None, expected_version=website.version, description="Changed meanwhile")

    with pytest.raises(imports.ImportRefused, match="Website upgrade has changed since your preview"):
        apply(run, manager)
    website.refresh_from_db()
    assert website.rag == RAG.AMBER


# --- Milestones ---------------------------------------------------------------------------

MILESTONE_HEADINGS = [
    "Ref",
    "Project",
    "No.",
    "Stage or phase",
    "Milestone",
    "Target date",
    "Due date",
    "Responsible officer",
    "Status",
    "Achieved on",
    "RAG",
    "Key milestone",
]


@pytest.fixture
def governance(website, bexley_bromley):
    return factories.make_milestone(
        website,
        number="1.1",
        stage="Governance",
        name="Establish governance arrangements for the project.",
        due_wording="June/July 2010",
        due_date=datetime.date(2010, 7, 31),
        owner=bexley_bromley,
        position=1,
    )


def test_milestones_are_created_updated_and_left_unchanged(manager, programme, governance, bexley_bromley):
    rows = [
        {
            "Ref": governance.ref,
            "Project": "oip-website-upgrade",
            "No.": "1.1",
            "Stage or phase": "Governance",
            "Milestone": governance.name,
            "Target date": "June/July 2010",
            "Due date": "31/07/2010",
            "Responsible officer": "Bexley / Bromley",
            "Status": "Achieved",
            "Achieved on": "15 July 2010",
            "Key milestone": "Yes",
        },
        {
            "Project": "Website upgrade",
            "No.": "2.2",
            "Stage or phase": "Planning",
            "Milestone": "Start the tender process",
            "Target date": "Autumn 2010",
            "Responsible officer": "bexley / bromley",
        },
    ]
    run = preview("milestones", workbook(MILESTONE_HEADINGS, rows), user=manager, target=programme)

    assert problems(run) == []
    assert (run.created, run.updated, run.unchanged) == (1, 1, 0)
    update = next(r for r in run.preview["rows"] if r["outcome"] == "update")
    assert update["changes"] == [
        ["Status", "Not started", "Achieved"],
        ["Achieved on", "", "15 July 2010"],
        ["RAG", "Not yet rated", "Complete"],
    ]
    apply(run, manager)
    governance.refresh_from_db()
    assert (governance.status, governance.achieved_on, governance.rag) == (
        MilestoneStatus.ACHIEVED,
        datetime.date(2010, 7, 15),
        RAG.COMPLETE,
    )
    tender = Milestone.objects.get(name="Start the tender process")
    # Blank status, RAG and key take the defaults; the ref is made from the project and number.
    assert (tender.status, tender.rag, tender.key, tender.owner) == (
        MilestoneStatus.PLANNED,
        RAG.NOT_RATED,
        True,
        bexley_bromley,
    )
    assert tender.ref == "oip-website-upgrade-milestone-2-2"
    assert tender.position == 2
    record = tender.history.first()
    assert (record.history_user, record.history_change_reason) == (manager, reason(run))

    again = preview("milestones", workbook(MILESTONE_HEADINGS, rows), user=manager, target=programme)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_milestone_row_breaking_the_rules_is_a_problem(manager, programme, governance):
    rows = [
        {
            "Project": "Website upgrade",
            "Milestone": "Launch new web platform",
            "Status": "In progress",
            "RAG": "Complete",
        },
        {"Project": "Website upgrade", "Milestone": "Staff training.", "Status": "Achieved"},
        {"Project": "No such project", "Milestone": "Nowhere"},
    ]
    run = preview("milestones", workbook(MILESTONE_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == [
        "Row 2: Only an achieved milestone is rated Complete: mark it Achieved, with its date, or choose a RAG.",
        "Row 3, Achieved on: Give the date the milestone was achieved.",
        "Row 4, Project: No project in this programme called “No such project”. "
        "Give the project's Ref or its name as the programme page lists it.",
    ]


# --- The risk log ----------------------------------------------------------------------------

RISK_HEADINGS = [
    "Ref",
    "Project",
    "Risk no.",
    "Risk or issue",
    "Description",
    "Probability",
    "Impact",
    "Mitigating actions",
    "Responsible officer",
    "Status",
    "Raised on",
    "Closed on",
    "Escalated",
]


@pytest.fixture
def uptake(website, bexley_bromley):
    return factories.make_risk(
        website,
        number=1,
        description="The savings resulting from the online services are dependent on customer uptake.",
        probability=Level.LOW,
        impact=Level.HIGH,
        mitigation="Actions to encourage take up will be implemented.",
        owner=bexley_bromley,
        raised_on=datetime.date(2010, 5, 19),
    )


def test_risks_are_matched_by_number_graded_by_letters_and_numbered_when_new(manager, programme, uptake):
    rows = [
        {
            "Project": "Website upgrade",
            "Risk no.": 1,
            "Risk or issue": "Risk",
            "Description": uptake.description,
            "Probability": "M",
            "Impact": "H",
            "Mitigating actions": uptake.mitigation,
            "Responsible officer": "Bexley / Bromley",
            "Status": "Open",
            "Raised on": "19/05/2010",
            "Escalated": "Yes",
        },
        {
            "Project": "Website upgrade",
            "Risk or issue": "Issue",
            "Description": "The partnership cannot agree on governance arrangements and key decisions.",
            "Probability": "Medium",
            "Impact": "high",
            "Responsible officer": "Bexley / Bromley",
        },
        {
            "Project": "Website upgrade",
            "Description": "Assumptions prove to be incorrect.",
            "Probability": "M",
            "Impact": "M",
        },
    ]
    run = preview("risks", workbook(RISK_HEADINGS, rows), user=manager, target=programme)

    assert problems(run) == []
    assert (run.created, run.updated, run.unchanged) == (2, 1, 0)
    assert run.preview["rows"][0]["changes"] == [["Probability", "Low", "Medium"], ["Escalated", "No", "Yes"]]
    apply(run, manager)
    uptake.refresh_from_db()
    assert (uptake.probability, uptake.escalated, uptake.grading) == (Level.MEDIUM, True, "M/H, score 6 (High)")
    assert list(Risk.objects.order_by("number").values_list("number", "kind", "status")) == [
        (1, RiskKind.RISK, RiskStatus.OPEN),
        (2, RiskKind.ISSUE, RiskStatus.OPEN),
        (3, RiskKind.RISK, RiskStatus.OPEN),
    ]
    record = Risk.objects.get(number=2).history.first()
    assert (record.history_user, record.history_change_reason) == (manager, reason(run))


def test_risk_rows_breaking_the_rules_are_problems(manager, programme, uptake):
    rows = [
        {
            "Project": "Website upgrade",
            "Risk no.": 4,
            "Description": "Closed but open",
            "Probability": "L",
            "Impact": "L",
            "Status": "Open",
            "Closed on": "01/06/2010",
        },
        {
            "Project": "Website upgrade",
            "Risk no.": 5,
            "Description": "Graded oddly",
            "Probability": "Very",
            "Impact": "L",
        },
        {
            "Ref": "brand-new",
            "Project": "Website upgrade",
            "Risk no.": 1,
            "Description": "Clash",
            "Probability": "L",
            "Impact": "L",
        },
        {
            "Project": "Website upgrade",
            "Risk no.": 4,
            "Description": "Same number again",
            "Probability": "L",
            "Impact": "L",
        },
    ]
    run = preview("risks", workbook(RISK_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == [
        "Row 2, Closed on: Only a closed risk has a closing date.",
        "Row 3, Probability: “Very” is not L, M or H (Low, Medium or High).",
        "Row 4: Website upgrade already has a risk 1 with another Ref: give that Ref, or another Risk no.",
        "Row 5: An earlier row in this file already adds this risk or issue 4 to Website upgrade: give each one row.",
    ]


# --- Benefits ------------------------------------------------------------------------------------

BENEFIT_HEADINGS = [
    "Id",
    "Project",
    "Type",
    "Description",
    "Target (£)",
    "At least",
    "Target (%)",
    "Up to (%)",
    "Percentage of",
    "Target as written",
    "Financial year",
]


def test_benefits_are_matched_by_id_or_description_with_amounts_percentages_and_years(manager, programme, website):
    cash = factories.make_benefit(website, description="Channel shift to web self-service.", target_amount=220_000)
    rows = [
        {
            "Id": cash.pk,
            "Project": "Website upgrade",
            "Type": "Cash savings",
            "Description": "Channel shift to web self-service.",
            "Target (£)": "£360,000",
            "Target as written": "approximately £360,000",
            "Financial year": "2011/12",
        },
        {
            "Project": "Website upgrade",
            "Type": "Efficiency gains",
            "Description": "Sharing capital costs.",
            "At least": "Yes",
            "Target (%)": "15%",
            "Up to (%)": 20,
            "Percentage of": "combined management cost",
        },
    ]
    run = preview("benefits", workbook(BENEFIT_HEADINGS, rows), user=manager, target=programme)

    assert problems(run) == []
    assert (run.created, run.updated, run.unchanged) == (1, 1, 0)
    assert run.preview["rows"][0]["changes"] == [
        ["Target (£)", "220000.00", "360000.00"],
        ["Target as written", "", "approximately £360,000"],
        ["Financial year", "", "2011/12"],
    ]
    apply(run, manager)
    cash.refresh_from_db()
    assert (cash.target_amount, cash.financial_year) == (Decimal("360000.00"), 2011)
    gains = Benefit.objects.get(type=BenefitType.EFFICIENCY_GAINS)
    assert gains.target_label == "at least 15–20% of combined management cost"
    record = gains.history.first()
    assert (record.history_user, record.history_change_reason) == (manager, reason(run))

    # Without an Id, the same description in the same project is the same benefit.
    rows[1]["Up to (%)"] = 25
    again = preview("benefits", workbook(BENEFIT_HEADINGS, rows), user=manager, target=programme)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)


def test_benefit_rows_breaking_the_rules_are_problems(manager, programme, website, other_programme):
    theirs = factories.make_benefit(Project.objects.get(ref="joint-crm"))
    rows = [
        {"Project": "Website upgrade", "Type": "Cash savings", "Description": "A share", "Target (%)": 20},
        {"Id": theirs.pk, "Project": "Website upgrade", "Type": "Cash savings", "Description": "Taken"},
        {"Project": "Website upgrade", "Type": "Savings", "Description": "Odd", "Financial year": "2012/14"},
    ]
    run = preview("benefits", workbook(BENEFIT_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == [
        "Row 2, Percentage of: Say what the percentage is of, e.g. “combined management cost”.",
        f"Row 3: No benefit with Id {theirs.pk} in this programme: leave the Id blank for a new one.",
        "Row 4, Type: “Savings” is not one of: Cash savings, Efficiency gains, Cost avoidance, Capacity "
        "building, Performance improvement, Customer satisfaction, Other.",
        "Row 4, Financial year: “2012/14” is not a financial year such as 2012/13.",
    ]


# --- Project updates ------------------------------------------------------------------------------

UPDATE_HEADINGS = [
    "Project",
    "Covers from",
    "Covers to",
    "Key progress during the period",
    "Risks and issues",
    "Tasks planned for next period",
    "RAG status",
    "Written by",
]


def update_row(project="Website upgrade", end="06/06/2010", progress="Joint bid drawn up.", rag="Amber", **extra):
    return {
        "Project": project,
        "Covers from": "22/04/2010",
        "Covers to": end,
        "Key progress during the period": progress,
        "RAG status": rag,
        **extra,
    }


def test_two_updates_to_one_project_in_a_file_both_apply_in_order(manager, programme, website):
    rows = [
        update_row(progress="Joint bid drawn up.", rag="Amber", **{"Written by": "Richard Hills"}),
        update_row(end="30/06/2010", progress="Bid submitted to Capital Ambition.", rag="Red"),
    ]
    run = preview("project-updates", workbook(UPDATE_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == []
    assert (run.created, run.updated, run.unchanged) == (2, 0, 0)

    apply(run, manager)

    website.refresh_from_db()
    assert website.rag == RAG.RED
    assert website.version == 3
    updates = list(website.updates.order_by("period_end"))
    assert [(u.key_progress, u.rag_before, u.rag) for u in updates] == [
        ("Joint bid drawn up.", RAG.AMBER, RAG.AMBER),
        ("Bid submitted to Capital Ambition.", RAG.AMBER, RAG.RED),
    ]
    assert updates[0].author == manager
    assert updates[0].author_name == "Richard Hills"
    assert updates[0].author_display == "entered by Pat Manager for Richard Hills"
    record = website.history.first()
    assert (record.history_user, record.history_change_reason) == (manager, reason(run))
    assert [label for label, _url, _ in run.touched] == [
        "Website upgrade, to 6 June 2010",
        "Website upgrade, to 30 June 2010",
    ]
    assert run.touched[0][1] == f"{website.get_absolute_url()}#update-{updates[0].pk}"


def test_an_update_already_recorded_is_unchanged_whatever_else_the_row_says(manager, programme, website):
    factories.make_project_update(website, key_progress="Joint bid drawn up.", rag=RAG.AMBER)
    rows = [
        update_row(progress="Joint  bid drawn up.", rag="Green", **{"Risks and issues": "Added later"}),
        update_row(project="oip-website-upgrade", end="30/06/2010", progress="Bid submitted."),
    ]
    run = preview("project-updates", workbook(UPDATE_HEADINGS, rows), user=manager, target=programme)
    assert (run.created, run.updated, run.unchanged) == (1, 0, 1)
    apply(run, manager)
    assert website.updates.count() == 2
    assert website.updates.get(period_end=datetime.date(2010, 6, 6)).risks_issues == ""


def test_update_rows_breaking_the_rules_are_problems(manager, programme, website):
    future = (datetime.date.today() + datetime.timedelta(days=40)).strftime("%d/%m/%Y")
    rows = [
        update_row(end=future),
        update_row(**{"Covers from": "30/06/2010"}),
        update_row(rag=""),
        update_row(progress="Twice."),
        update_row(progress="Twice."),
    ]
    run = preview("project-updates", workbook(UPDATE_HEADINGS, rows), user=manager, target=programme)
    assert problems(run) == [
        "Row 2, Covers to: An update cannot cover dates in the future.",
        "Row 3, Covers from: The period cannot start after it ends.",
        "Row 4, RAG status: this must be filled in.",
        "Row 6: An earlier row in this file already adds this project update: give each one row.",
    ]


def test_updates_are_refused_when_the_project_was_saved_since_the_preview(manager, programme, website):
    run = preview("project-updates", workbook(UPDATE_HEADINGS, [update_row()]), user=manager, target=programme)
    update_project(project=website, user=None, expected_version=website.version, description="Changed meanwhile")
    with pytest.raises(imports.ImportRefused, match="changed since your preview"):
        apply(run, manager)
    assert website.updates.count() == 0


def test_the_whole_import_goes_through_the_upload_pages(client, manager, programme, website):
    client.force_login(manager)
    upload = SimpleUploadedFile("updates.xlsx", workbook(UPDATE_HEADINGS, [update_row()]))
    response = client.post(
        reverse("exchange:import_new", args=["project-updates"]), {"target": programme.pk, "file": upload}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url())
    assert "Website upgrade, to 6 June 2010" in page.content.decode()
    assert website.updates.count() == 0
    client.post(reverse("exchange:import_apply", args=[run.pk]), {"sha256": run.sha256})
    assert website.updates.get().author == manager


def test_an_administrator_may_import_into_any_programme(manager, administrator, programme, other_programme):
    kind = imports.get_kind("project-updates")
    assert set(kind.targets(administrator)) == {programme, other_programme}
    assert list(kind.targets(factories.make_user("nora", roles.OFFICER))) == []
