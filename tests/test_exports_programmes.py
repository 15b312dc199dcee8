"""“Download .xlsx” and “Download .csv” of the All projects list (exactly the
filtered rows) and of a programme's or a project's milestones, risks and
benefits: the columns a person sees plus refs, so a download edited in Excel
imports back as exactly that change; formulas neutralised; constant queries."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import imports
from core.models import RAG
from exchange import services
from programmes.models import Benefit, Level, Milestone, MilestoneStatus, Project, Risk
from tests import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def oip_team(db):
    return factories.make_owner("OIP Team")


@pytest.fixture
def lorna(db):
    return factories.make_owner("Lorna Blackwood", kind="person")


@pytest.fixture
def self_service(programme):
    return factories.make_workstream(programme, name="Self-service and ICT", ref="oip-self-service-and-ict")


@pytest.fixture
def website(self_service, oip_team):
    return factories.make_project(
        self_service,
        name="Website upgrade",
        ref="oip-website-upgrade",
        owner=oip_team,
        rag=RAG.AMBER,
        due_wording="December 2011",
        due_date=datetime.date(2011, 12, 31),
        start_wording="June 2010",
    )


@pytest.fixture
def sharepoint(self_service, oip_team):
    return factories.make_project(
        self_service, name="SharePoint Review and Strategy", ref="oip-sharepoint", owner=oip_team, rag=RAG.GREEN
    )


@pytest.fixture
def elsewhere(db):
    """A project of another programme."""
    other = factories.make_programme(name="Shared Services Programme", ref="shared-services")
    return factories.make_project(
        factories.make_workstream(other, name="Shared ICT"), name="Joint CRM", ref="joint-crm"
    )


@pytest.fixture
def plan(website, sharepoint, oip_team, lorna):
    """Each project's milestones, risks and benefits, as the PID lists them."""
    for project in (website, sharepoint):
        factories.make_milestone(
            project,
            number="1.1",
            stage="Governance",
            name=f"Establish governance of {project.name}",
            due_wording="June/July 2010",
            due_date=datetime.date(2010, 7, 31),
            owner=oip_team,
        )
        factories.make_risk(
            project,
            number=1,
            description=f"Customer uptake of {project.name} may not materialise.",
            probability=Level.LOW,
            impact=Level.HIGH,
            mitigation="Encourage take up.",
            owner=oip_team,
        )
        factories.make_benefit(project, description=f"Cash savings from {project.name}", target_amount=220_000)
    return website


def content(response):
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def xlsx_rows(data, sheet):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in book[sheet].values]


def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def edited(data, sheet, *, where, heading, value):
    """The download with one cell changed, as a person would in Excel: in the row whose `where` matches."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet]
    headings = [c.value for c in ws[1]]
    ((column, wanted),) = where.items()
    row = next(r for r in ws.iter_rows(min_row=2) if r[headings.index(column)].value == wanted)
    row[headings.index(heading)].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reimport(slug, data, *, user, target):
    kind = imports.get_kind(slug)
    run = services.preview_upload(kind=kind, target=target, upload=SimpleUploadedFile("edited.xlsx", data), user=user)
    return run


def apply(run, user):
    return services.apply_run(run=run, kind=imports.get_kind(run.kind), user=user, sha256=run.sha256)


def part_url(programme, part, fmt, project=None):
    url = reverse("programmes:part_export", args=[programme.ref, part, fmt])
    return f"{url}?project={project.ref}" if project else url


# --- All projects -------------------------------------------------------------------------


def test_all_projects_downloads_exactly_the_filtered_rows_with_refs(client, officer, website, sharepoint, elsewhere):
    client.force_login(officer)
    response = client.get(reverse("programmes:projects"), {"rag": RAG.AMBER, "download": "xlsx", "page": "2"})
    assert response["Content-Disposition"] == 'attachment; filename="projects.xlsx"'
    rows = xlsx_rows(content(response), "Projects")
    assert rows[0][:9] == [
        "Ref",
        "Programme",
        "Workstream",
        "Project",
        "Description",
        "Owner",
        "Stage",
        "On hold",
        "RAG",
    ]
    assert [row[:4] for row in rows[1:]] == [
        ["oip-website-upgrade", "Organisational Improvement Programme", "Self-service and ICT", "Website upgrade"]
    ]
    line = dict(zip(rows[0], rows[1], strict=True))
    assert (line["Owner"], line["Stage"], line["RAG"], line["Deadline"]) == (
        "OIP Team",
        "Implementation",
        "Amber",
        "December 2011",
    )
    assert line["Due date"] == datetime.datetime(2011, 12, 31)
    assert line["On hold"] == "No"

    as_csv = csv_rows(content(client.get(reverse("programmes:projects"), {"q": "upgrade", "download": "csv"})))
    assert [row[0] for row in as_csv] == ["Ref", "oip-website-upgrade"]
    assert as_csv[1][as_csv[0].index("Due date")] == "31/12/2011"


def test_the_project_list_and_programme_page_offer_the_downloads(client, officer, programme, plan):
    client.force_login(officer)
    page = client.get(reverse("programmes:projects"), {"rag": RAG.AMBER}).content.decode()
    assert 'Download .xlsx<span class="visually-hidden"> of these projects</span>' in page
    assert "?rag=amber&amp;download=xlsx" in page
    overview = client.get(programme.get_absolute_url()).content.decode()
    for part, what in [("milestones", "milestones"), ("risks", "risks and issues"), ("benefits", "benefits")]:
        assert f'href="{part_url(programme, part, "xlsx")}"' in overview
        assert f'Download .csv<span class="visually-hidden"> of all the programme\'s {what}</span>' in overview
    assert f"?programme={programme.pk}&amp;download=xlsx" in overview


def test_an_exported_project_list_edited_in_excel_imports_back_as_exactly_that_change(
    client, manager, programme, website, sharepoint
):
    client.force_login(manager)
    data = content(client.get(reverse("programmes:projects"), {"programme": programme.pk, "download": "xlsx"}))
    data = edited(data, "Projects", where={"Ref": "oip-sharepoint"}, heading="RAG", value="Red")

    run = reimport("workstreams-projects", data, user=manager, target=programme)

    assert run.preview["problems"] == []
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert run.preview["rows"][0]["changes"] == [["RAG", "Green", "Red"]]
    versions = {p.ref: p.version for p in Project.objects.all()}
    apply(run, manager)
    sharepoint.refresh_from_db()
    assert sharepoint.rag == RAG.RED
    assert sharepoint.version == versions["oip-sharepoint"] + 1
    assert Project.objects.get(ref="oip-website-upgrade").version == versions["oip-website-upgrade"]


def test_the_csv_of_the_project_list_imports_back_unchanged(client, manager, programme, website, sharepoint):
    client.force_login(manager)
    data = content(client.get(reverse("programmes:projects"), {"download": "csv"}))
    run = reimport("workstreams-projects", data, user=manager, target=programme)
    assert run.preview["problems"] == []
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("size", [1, 12])
def test_the_project_list_download_runs_constant_queries(client, officer, programme, size, django_assert_num_queries):
    workstream = factories.make_workstream(programme)
    for _ in range(size):
        project = factories.make_project(workstream, owner=factories.make_owner())
        factories.make_project_update(project)
    client.force_login(officer)
    for fmt in ("xlsx", "csv"):
        with django_assert_num_queries(3):  # the session, the user and the rows
            data = content(client.get(reverse("programmes:projects"), {"download": fmt}))
        assert data.count(b"Progress made") == 0  # updates are not in the list, their date is
        assert len(xlsx_rows(data, "Projects") if fmt == "xlsx" else csv_rows(data)) == size + 1


# --- Milestones, risks and benefits -----------------------------------------------------------

PARTS = [
    # part, import kind, sheet, the cell to edit, its new value, what the preview shows, how the row reads after
    ("milestones", "milestones", "Milestones", "Status", "In progress", ["Status", "Not started", "In progress"]),
    ("risks", "risks", "Risks", "Impact", "M", ["Impact", "High", "Medium"]),
    ("benefits", "benefits", "Benefits", "Target (£)", 250000, ["Target (£)", "220000.00", "250000.00"]),
]
MODEL = {"milestones": Milestone, "risks": Risk, "benefits": Benefit}


@pytest.mark.parametrize(("part", "slug", "sheet", "heading", "value", "change"), PARTS)
def test_a_projects_download_has_its_rows_only_and_imports_back_as_exactly_that_change(
    client, manager, programme, plan, sharepoint, part, slug, sheet, heading, value, change
):
    client.force_login(manager)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{part_url(programme, part, "xlsx", plan)}"' in page
    assert 'Download .xlsx<span class="visually-hidden"> of this project\'s' in page
    response = client.get(part_url(programme, part, "xlsx", plan))
    assert response["Content-Disposition"] == f'attachment; filename="oip-website-upgrade-{part}.xlsx"'
    data = content(response)
    rows = xlsx_rows(data, sheet)
    assert [row[1] for row in rows[1:]] == ["oip-website-upgrade"]  # the Project column: this project only

    run = reimport(
        slug,
        edited(data, sheet, where={"Project": "oip-website-upgrade"}, heading=heading, value=value),
        user=manager,
        target=programme,
    )

    assert run.preview["problems"] == []
    assert (run.created, run.updated, run.unchanged) == (0, 1, 0)
    assert run.preview["rows"][0]["changes"] == [change]
    untouched = MODEL[part].objects.get(project=sharepoint)
    apply(run, manager)
    assert MODEL[part].objects.get(project=sharepoint).version == untouched.version
    changed = MODEL[part].objects.get(project=plan)
    assert changed.history.first().history_user == manager


@pytest.mark.parametrize(("part", "slug", "sheet"), [p[:3] for p in PARTS])
def test_a_programmes_download_has_its_own_projects_rows_and_imports_back_unchanged(
    client, officer, manager, programme, plan, elsewhere, part, slug, sheet
):
    factories.make_milestone(elsewhere)
    factories.make_risk(elsewhere)
    factories.make_benefit(elsewhere)
    client.force_login(officer)
    for fmt in ("xlsx", "csv"):
        data = content(client.get(part_url(programme, part, fmt)))
        rows = xlsx_rows(data, sheet) if fmt == "xlsx" else csv_rows(data)
        assert sorted(row[1] for row in rows[1:]) == ["oip-sharepoint", "oip-website-upgrade"]
        run = reimport(slug, data, user=manager, target=programme)
        assert run.preview["problems"] == []
        assert (run.created, run.updated, run.unchanged) == (0, 0, 2)


def test_text_a_spreadsheet_would_run_is_neutralised_and_survives_the_round_trip(client, manager, programme, plan):
    risk = Risk.objects.get(project=plan)
    risk.description = '=HYPERLINK("http://evil.example","Click")'
    risk.save()
    client.force_login(manager)
    data = content(client.get(part_url(programme, "risks", "xlsx", plan)))
    rows = xlsx_rows(data, "Risks")
    assert rows[1][rows[0].index("Description")] == "'" + risk.description
    as_csv = csv_rows(content(client.get(part_url(programme, "risks", "csv", plan))))
    assert as_csv[1][as_csv[0].index("Description")].startswith("'=HYPERLINK")
    run = reimport("risks", data, user=manager, target=programme)
    assert (run.updated, run.unchanged) == (0, 1)


def test_an_achieved_milestone_exports_with_its_date_and_imports_back(client, manager, programme, plan):
    milestone = Milestone.objects.get(project=plan)
    milestone.status, milestone.achieved_on, milestone.rag = (
        MilestoneStatus.ACHIEVED,
        datetime.date(2010, 7, 15),
        "complete",
    )
    milestone.save()
    client.force_login(manager)
    data = content(client.get(part_url(programme, "milestones", "xlsx", plan)))
    line = dict(zip(*xlsx_rows(data, "Milestones"), strict=True))
    assert (line["Status"], line["Achieved on"], line["RAG"], line["Key milestone"]) == (
        "Achieved",
        datetime.datetime(2010, 7, 15),
        "Complete",
        "Yes",
    )
    assert reimport("milestones", data, user=manager, target=programme).unchanged == 1


def test_downloads_refuse_unknown_parts_and_other_programmes_projects(client, officer, programme, plan, elsewhere):
    client.force_login(officer)
    assert client.get(reverse("programmes:part_export", args=[programme.ref, "funders", "xlsx"])).status_code == 404
    assert client.get(reverse("programmes:part_export", args=[programme.ref, "risks", "pdf"])).status_code == 404
    assert client.get(part_url(programme, "risks", "xlsx", elsewhere)).status_code == 404
    assert client.get(reverse("programmes:part_export", args=["nowhere", "risks", "xlsx"])).status_code == 404


def test_downloads_need_a_login(client, programme, plan):
    response = client.get(part_url(programme, "risks", "xlsx"))
    assert response.status_code == 302
    assert "/login" in response["Location"]
    response = client.get(reverse("programmes:projects"), {"download": "csv"})
    assert response.status_code == 302


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("part", ["milestones", "risks", "benefits"])
def test_part_downloads_run_constant_queries(client, officer, programme, size, part, django_assert_num_queries):
    project = factories.make_project(factories.make_workstream(programme))
    for _ in range(size):
        owner = factories.make_owner()
        factories.make_milestone(project, owner=owner)
        factories.make_risk(project, owner=owner)
        factories.make_realisation(factories.make_benefit(project))
    client.force_login(officer)
    for fmt in ("xlsx", "csv"):
        with django_assert_num_queries(4):  # the session, the user, the programme and the rows
            data = content(client.get(part_url(programme, part, fmt)))
        with django_assert_num_queries(5):  # and the project named
            content(client.get(part_url(programme, part, fmt, project)))
        rows = xlsx_rows(data, imports.get_kind(part).sheet_name) if fmt == "xlsx" else csv_rows(data)
        assert len(rows) == size + 1
