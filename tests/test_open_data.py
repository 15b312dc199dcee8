"""Open data (issue 12, point 3): programmes, projects and published highlight
reports as JSON and CSV. Signed in, every programme; without a login only
the programmes their managers published as open data, and of those never a
draft, a superseded version or a Part 2 paper; nobody's contact details ever."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from committees.models import AgendaItem, Committee, Meeting, ReportAppendix
from core.models import RAG
from programmes.models import BenefitType, Programme
from programmes.services import correct_highlight_report, draft_highlight_report, publish_highlight_report
from tests import factories

PERIOD = {"period_start": datetime.date(2010, 4, 22), "period_end": datetime.date(2010, 6, 6)}
LATER = {"period_start": datetime.date(2010, 6, 7), "period_end": datetime.date(2010, 7, 20)}
EMAIL, TELEPHONE = "lorna.blackwood@bromley.gov.uk", "020 8461 7942"


def feed_url(name, ref=None):
    """The address of a feed named like "projects_json" (of programme `ref`)."""
    kind, fmt = name.rsplit("_", 1)
    return reverse(f"exchange:{kind}_feed", kwargs={"fmt": fmt, **({"ref": ref} if ref else {})})


def get_json(client, name, *args):
    response = client.get(feed_url(name, *args))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def get_csv(client, name, *args):
    response = client.get(feed_url(name, *args))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def lorna(db):
    return factories.make_owner(
        "Lorna Blackwood", kind="person", post_title="Head of Customer Services", email=EMAIL, telephone=TELEPHONE
    )


@pytest.fixture
def public(programme, manager, lorna):
    """The OIP, published as open data: a project with a saving in pounds
    (part realised) and one in per cent, and a published highlight report."""
    programme.open_data_public = True
    programme.owner = lorna
    programme.due_date, programme.due_wording = datetime.date(2012, 3, 31), "end of 2011/12"
    programme.save()
    workstream = factories.make_workstream(programme, name="Customer and Service Led Improvement", ref="csli")
    project = factories.make_project(
        workstream,
        name="Customer Contact Centre",
        ref="contact-centre",
        rag=RAG.AMBER,
        owner=lorna,
        due_date=datetime.date(2010, 9, 30),
        due_wording="post-elections",
        stage="implementation",
    )
    cash = factories.make_benefit(
        project, type=BenefitType.CASH_SAVINGS, description="Fewer calls", target_amount=350_000, financial_year=2012
    )
    factories.make_realisation(cash, financial_year=2012, amount=50_000)
    factories.make_realisation(cash, financial_year=2013, amount="25000.50")
    factories.make_benefit(
        project,
        type=BenefitType.EFFICIENCY_GAINS,
        description="Leaner management",
        target_amount=None,
        target_percent_low=20,
        percent_of="combined management cost",
        at_least=True,
        position=1,
    )
    factories.make_project_update(project, key_progress="Contact centre opened on time", rag=RAG.AMBER)
    report = draft_highlight_report(programme=programme, user=manager, **PERIOD)
    publish_highlight_report(report=report, user=manager)
    return {"programme": programme, "workstream": workstream, "project": project, "report": report}


@pytest.fixture
def private(db):
    """Shared Services, not published: only signed-in users read it."""
    manager = factories.make_user("sam", "Programme manager")
    programme = factories.make_programme(name="Shared Services Programme", ref="shared-services")
    programme.managers.add(manager)
    workstream = factories.make_workstream(programme, name="Legal services")
    project = factories.make_project(workstream, name="Tri-borough legal", ref="tri-borough-legal")
    factories.make_project_update(project, key_progress="Business case agreed by the three boroughs")
    report = draft_highlight_report(programme=programme, user=manager, **PERIOD)
    publish_highlight_report(report=report, user=manager)
    return {"programme": programme, "project": project, "report": report}


@pytest.fixture
def draft(public, manager):
    """A later period's report of the public programme, still a draft."""
    factories.make_project_update(
        public["project"], key_progress="Wording not yet agreed with the Director", **LATER, rag=RAG.RED
    )
    return draft_highlight_report(programme=public["programme"], user=manager, **LATER)


# --- What the public reads --------------------------------------------------------------------


def test_anonymous_programmes_json_lists_only_published_programmes(client, public, private):
    data = get_json(client, "programmes_json")
    assert data["access"] == "public"
    assert data["licence"] == "Open Government Licence v3.0"
    assert data["generated_at"].endswith("+00:00")
    assert data["count"] == 1
    [oip] = data["programmes"]
    assert oip["ref"] == "oip"
    assert oip["name"] == "Organisational Improvement Programme"
    assert (oip["rag"], oip["rag_label"]) == ("amber", "Amber")
    assert oip["owner"] == "Lorna Blackwood"
    assert (oip["due_date"], oip["due_wording"]) == ("2012-03-31", "end of 2011/12")
    assert (oip["workstream_count"], oip["project_count"]) == (1, 1)
    assert (oip["savings_target_amount"], oip["savings_realised_amount"]) == (350000, 75000.5)
    assert oip["open_data_public"] is True
    assert oip["url"] == "http://testserver/programmes/oip/"
    assert oip["workstreams"][0]["ref"] == "csli"


def test_anonymous_projects_json_has_rag_stage_owner_due_date_and_savings(client, public, private):
    data = get_json(client, "projects_json")
    assert [project["ref"] for project in data["projects"]] == ["contact-centre"]
    project = data["projects"][0]
    assert project["programme_ref"] == "oip"
    assert (project["workstream_ref"], project["workstream_name"]) == ("csli", "Customer and Service Led Improvement")
    assert (project["rag"], project["rag_label"]) == ("amber", "Amber")
    assert (project["stage"], project["stage_label"]) == ("implementation", "Implementation")
    assert (project["status"], project["status_label"]) == ("active", "Active")
    assert project["owner"] == "Lorna Blackwood"
    assert (project["due_date"], project["due_wording"]) == ("2010-09-30", "post-elections")
    assert project["overdue"] is True
    assert project["last_update_on"] == "2010-06-06"
    assert (project["savings_target_amount"], project["savings_realised_amount"]) == (350000, 75000.5)
    assert project["savings_targets"] == ["£350,000 (2012/13)", "at least 20% of combined management cost"]
    cash, efficiency = project["benefits"]
    assert cash["realised"] == [
        {"financial_year": 2012, "financial_year_label": "2012/13", "amount": 50000},
        {"financial_year": 2013, "financial_year_label": "2013/14", "amount": 25000.5},
    ]
    assert (efficiency["type_label"], efficiency["target_percent_low"], efficiency["at_least"]) == (
        "Efficiency gains",
        20,
        True,
    )
    assert project["url"] == "http://testserver/programmes/projects/contact-centre/"


def test_anonymous_sees_published_reports_of_published_programmes_only_never_drafts(client, public, private, draft):
    data = get_json(client, "reports_json")
    [report] = data["highlight_reports"]
    assert (report["programme_ref"], report["period_start"], report["period_end"]) == (
        "oip",
        "2010-04-22",
        "2010-06-06",
    )
    assert report["version_number"] == 1
    assert report["published_at"]
    [row] = report["rows"]
    assert row["workstream_name"] == "Customer and Service Led Improvement"
    assert (row["project_name"], row["project_ref"]) == ("Customer Contact Centre", "contact-centre")
    assert (row["rag"], row["rag_label"], row["previous_rag"], row["direction_label"]) == (
        "amber",
        "Amber",
        None,
        "New",
    )
    assert row["key_progress"] == "Contact centre opened on time"
    body = json.dumps(data)
    assert "Wording not yet agreed" not in body
    assert "Business case agreed" not in body


def test_a_superseded_version_leaves_the_feed_for_its_correction(client, public, manager):
    correction = correct_highlight_report(report=public["report"], user=manager, reason="A row was out of date.")
    publish_highlight_report(report=correction, user=manager)
    data = get_json(client, "reports_json")
    assert [report["version_number"] for report in data["highlight_reports"]] == [2]


def test_a_report_taken_in_part_2_is_not_public_but_signed_in_users_read_it(client, public, officer):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", ref="ie")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1))
    item = AgendaItem.objects.create(meeting=meeting, number=12, title="Exempt report", exempt=True)
    ReportAppendix.objects.create(
        agenda_item=item, position=1, kind="highlight_report", highlight_report=public["report"]
    )
    assert get_json(client, "reports_json")["highlight_reports"] == []
    assert get_csv(client, "reports_csv") == []
    client.force_login(officer)
    assert len(get_json(client, "reports_json")["highlight_reports"]) == 1


def test_anonymous_feeds_are_empty_when_nothing_is_published(client, private):
    for name, key in (
        ("programmes_json", "programmes"),
        ("projects_json", "projects"),
        ("reports_json", "highlight_reports"),
    ):
        data = get_json(client, name)
        assert (data["count"], data[key]) == (0, [])
    assert get_csv(client, "projects_csv") == []


def test_an_unpublished_programmes_own_feed_is_not_found_without_a_login(client, public, private, officer):
    for name in (
        "programme_projects_json",
        "programme_projects_csv",
        "programme_reports_json",
        "programme_reports_csv",
    ):
        assert client.get(feed_url(name, "shared-services")).status_code == 404
    data = get_json(client, "programme_projects_json", "oip")
    assert (data["programme"], [p["ref"] for p in data["projects"]]) == ("oip", ["contact-centre"])
    client.force_login(officer)
    data = get_json(client, "programme_projects_json", "shared-services")
    assert [project["ref"] for project in data["projects"]] == ["tri-borough-legal"]
    assert [
        r["programme_ref"] for r in get_json(client, "programme_reports_json", "shared-services")["highlight_reports"]
    ] == ["shared-services"]


def test_no_feed_gives_anyones_email_or_telephone(client, public, private, officer):
    client.force_login(officer)
    for name in ("programmes_json", "projects_json", "reports_json"):
        body = client.get(feed_url(name)).content.decode()
        assert "Lorna Blackwood" in body or name == "reports_json"
        assert EMAIL not in body
        assert TELEPHONE not in body
    for name in ("programmes_csv", "projects_csv", "reports_csv"):
        body = b"".join(client.get(feed_url(name)).streaming_content).decode()
        assert EMAIL not in body
        assert TELEPHONE not in body


def test_public_feeds_may_be_cached_and_signed_in_ones_never(client, public, officer):
    response = client.get(feed_url("projects_json"))
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response["Vary"]
    client.force_login(officer)
    response = client.get(feed_url("projects_json"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_feed_is_json_or_csv(client, officer, public):
    client.force_login(officer)
    assert client.get(reverse("exchange:projects_feed", args=["xlsx"])).status_code == 404


def test_the_feeds_are_read_only(client, officer, public):
    client.force_login(officer)
    assert client.post(feed_url("projects_json")).status_code == 405


# --- What signed-in users read ----------------------------------------------------------------


def test_signed_in_users_read_every_programme(client, public, private, officer, draft):
    client.force_login(officer)
    data = get_json(client, "programmes_json")
    assert data["access"] == "signed_in"
    assert [(p["ref"], p["open_data_public"]) for p in data["programmes"]] == [
        ("oip", True),
        ("shared-services", False),
    ]
    assert {p["ref"] for p in get_json(client, "projects_json")["projects"]} == {"contact-centre", "tri-borough-legal"}
    reports = get_json(client, "reports_json")["highlight_reports"]
    assert [(r["programme_ref"], r["period_end"]) for r in reports] == [
        ("oip", "2010-06-06"),
        ("shared-services", "2010-06-06"),
    ]
    assert "Wording not yet agreed" not in json.dumps(reports)


# --- CSV --------------------------------------------------------------------------------------


def test_projects_csv_is_one_line_per_project_with_the_json_fields(client, public):
    [line] = get_csv(client, "projects_csv")
    assert line["ref"] == "contact-centre"
    assert (line["rag"], line["rag_label"], line["stage_label"]) == ("amber", "Amber", "Implementation")
    assert (line["owner"], line["due_date"], line["due_wording"]) == ("Lorna Blackwood", "2010-09-30", "post-elections")
    assert (line["savings_target_amount"], line["savings_realised_amount"]) == ("350000", "75000.5")
    assert line["savings_targets"] == "£350,000 (2012/13); at least 20% of combined management cost"
    assert line["overdue"] == "true"
    assert "benefits" not in line


def test_programmes_csv_has_a_heading_row_and_a_line_per_programme(client, public, private, officer):
    client.force_login(officer)
    lines = get_csv(client, "programmes_csv")
    assert [(line["ref"], line["open_data_public"]) for line in lines] == [
        ("oip", "true"),
        ("shared-services", "false"),
    ]
    assert lines[0]["reports_to"] == ""


def test_reports_csv_repeats_the_header_on_each_row(client, public, manager):
    second = factories.make_project(public["workstream"], name="Website upgrade", ref="website", rag=RAG.RED)
    factories.make_project_update(second, key_progress="Supplier chosen", rag=RAG.RED)
    report = draft_highlight_report(programme=public["programme"], user=manager, **LATER)
    report.overall_rag_reason = "Website is late"
    report.save()
    publish_highlight_report(report=report, user=manager)
    lines = get_csv(client, "programme_reports_csv", "oip")
    assert [(line["period_end"], line["row_project_name"], line["row_rag_label"]) for line in lines] == [
        ("2010-07-20", "Customer Contact Centre", "Amber"),
        ("2010-07-20", "Website upgrade", "Red"),
        ("2010-06-06", "Customer Contact Centre", "Amber"),
    ]
    assert lines[0]["row_previous_rag_label"] == "Amber"
    assert lines[0]["title"] == lines[1]["title"] == public["report"].title


def test_csv_neutralises_text_a_spreadsheet_would_run_and_json_keeps_it(client, public, manager):
    factories.make_project(public["workstream"], name='=HYPERLINK("http://evil.example")', ref="evil", rag=RAG.GREEN)
    factories.make_project(public["workstream"], name="+44 helpline", ref="plus", description="@SUM(A1)")
    factories.make_project(public["workstream"], name="-1 posts", ref="minus", description="\tTabbed")
    lines = {line["ref"]: line for line in get_csv(client, "projects_csv")}
    assert lines["evil"]["name"] == '\'=HYPERLINK("http://evil.example")'
    assert (lines["plus"]["name"], lines["plus"]["description"]) == ("'+44 helpline", "'@SUM(A1)")
    assert (lines["minus"]["name"], lines["minus"]["description"]) == ("'-1 posts", "'\tTabbed")
    assert lines["contact-centre"]["name"] == "Customer Contact Centre"
    projects = {p["ref"]: p for p in get_json(client, "projects_json")["projects"]}
    assert projects["evil"]["name"] == '=HYPERLINK("http://evil.example")'


# --- The index page and the switch ------------------------------------------------------------


def test_the_index_page_lists_published_programmes_to_the_public(client, public, private):
    response = client.get(reverse("exchange:open_data"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Organisational Improvement Programme" in body
    assert feed_url("programme_projects_csv", "oip") in body
    assert "Shared Services Programme" not in body
    assert feed_url("projects_json") in body


def test_the_index_page_says_when_nothing_is_published(client, private):
    body = client.get(reverse("exchange:open_data")).content.decode()
    assert "No programme is published as open data yet" in body
    assert "Shared Services Programme" not in body


def test_signed_in_the_index_lists_every_programme_with_whether_it_is_public(client, public, private, officer):
    client.force_login(officer)
    body = client.get(reverse("exchange:open_data")).content.decode()
    assert "Published: open to everyone" in body
    assert "Signed-in users only" in body
    assert "Shared Services Programme" in body


def test_the_programme_page_links_its_open_data_and_says_who_reads_it(client, public, private, officer):
    client.force_login(officer)
    body = client.get(reverse("programmes:detail", args=["oip"])).content.decode()
    assert f"{reverse('exchange:open_data')}#programme-oip" in body
    assert "published: open to everyone" in body
    body = client.get(reverse("programmes:detail", args=["shared-services"])).content.decode()
    assert "signed-in users only" in body


def edit_data(programme, **changes):
    return {
        "name": programme.name,
        "ref": programme.ref,
        "stage": programme.stage,
        "rag": programme.rag,
        "version": programme.version,
        **changes,
    }


def test_the_programme_manager_publishes_the_programme_as_open_data(client, manager, programme):
    client.force_login(manager)
    page = client.get(reverse("programmes:edit", args=["oip"])).content.decode()
    assert 'name="open_data_public"' in page
    assert "Publish as open data" in page
    response = client.post(reverse("programmes:edit", args=["oip"]), edit_data(programme, open_data_public="on"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.open_data_public is True
    client.logout()
    assert get_json(client, "programmes_json")["count"] == 1

    client.force_login(manager)
    client.post(reverse("programmes:edit", args=["oip"]), edit_data(programme))
    programme.refresh_from_db()
    assert programme.open_data_public is False


def test_an_officer_cannot_publish_a_programme_as_open_data(client, officer, programme):
    client.force_login(officer)
    response = client.post(reverse("programmes:edit", args=["oip"]), edit_data(programme, open_data_public="on"))
    assert response.status_code == 403
    assert Programme.objects.get(ref="oip").open_data_public is False


# --- Queries ----------------------------------------------------------------------------------


def grow(manager, size):
    """`size` published programmes, each with two workstreams of two projects
    (savings realised), one project shared into another programme, and a
    published highlight report."""
    programmes = []
    manager = type(manager).objects.get(pk=manager.pk)  # its managed programmes are cached: start afresh
    for _ in range(size):
        programme = factories.make_programme(open_data_public=True, owner=factories.make_owner())
        programme.managers.add(manager)
        manager = type(manager).objects.get(pk=manager.pk)
        for _ in range(2):
            workstream = factories.make_workstream(programme, owner=factories.make_owner())
            for _ in range(2):
                project = factories.make_project(workstream, owner=factories.make_owner())
                factories.make_realisation(factories.make_benefit(project))
                factories.make_project_update(project)
        report = draft_highlight_report(programme=programme, user=manager, **PERIOD)
        publish_highlight_report(report=report, user=manager)
        programmes.append(programme)
    for home, other in zip(programmes, programmes[1:] + programmes[:1], strict=True):
        home.workstreams.first().projects.first().shared_with.add(other.workstreams.first())


FEEDS = ["programmes_json", "programmes_csv", "projects_json", "projects_csv", "reports_json", "reports_csv"]
QUERIES = {"programmes": 8, "projects": 4, "reports": 4}


@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("signed_in", [False, True])
def test_each_feed_costs_the_same_queries_at_two_sizes(client, manager, django_assert_num_queries, name, signed_in):
    if signed_in:
        client.force_login(manager)
    expected = QUERIES[name.rsplit("_", 1)[0]] + (2 if signed_in else 0)
    grow(manager, 2)
    with django_assert_num_queries(expected):
        response = client.get(feed_url(name))
        content = b"".join(response.streaming_content) if response.streaming else response.content
    small = len(content)
    grow(manager, 4)
    with django_assert_num_queries(expected):
        response = client.get(feed_url(name))
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(content) > small * 2
