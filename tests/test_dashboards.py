"""The programme and review dashboards: RAG now, RAG per reporting period or
month end, direction of travel, overdue and completed by month, what is due
in the next three months and savings by year, each chart with its numbers in
a table; and dashboard charts printed as a highlight report's appendix
figures, frozen when the report is published."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions.models import ActionPlan, Status
from committees import services as committee_services
from committees.models import AgendaItem, ReportAppendix
from core.models import RAG
from programmes import dashboard
from programmes.models import HighlightReport, MilestoneStatus
from programmes.services import correct_highlight_report, draft_highlight_report, publish_highlight_report
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Two reporting periods well in the past, a month each.
APRIL = (datetime.date(2010, 4, 1), datetime.date(2010, 4, 30))
MAY = (datetime.date(2010, 5, 1), datetime.date(2010, 5, 31))


def months_ago(months, day=15):
    return dashboard.add_months(TODAY.replace(day=1), -months).replace(day=day)


def report_for(programme, manager, period, rags):
    """Publish a report for `period` whose rows carry `rags` ({project: rag})."""
    for project, rag in rags.items():
        project.rag = rag
        project.save()
        factories.make_project_update(project, period_start=period[0], period_end=period[1], rag=rag)
    report = draft_highlight_report(programme=programme, period_start=period[0], period_end=period[1], user=manager)
    return publish_highlight_report(report=report, user=manager)


def build_programme(programme, manager, size=1):
    """`size` copies of: a workstream of four projects (Red, Amber, Green and
    one closed), reported on in April and May (one improved, one worse, one
    the same); milestones overdue, achieved and due soon; a benefit with a
    target and an amount realised."""
    for copy in range(size):
        workstream = factories.make_workstream(programme)
        red, amber, green = (factories.make_project(workstream, rag=rag) for rag in (RAG.RED, RAG.AMBER, RAG.GREEN))
        factories.make_project(
            workstream, rag=RAG.GREEN, stage="closed", closed_on=datetime.date(2010, 1, 1), closure_note="Done."
        )
        if copy == 0:
            report_for(programme, manager, APRIL, {red: RAG.AMBER, amber: RAG.AMBER, green: RAG.AMBER})
            report_for(programme, manager, MAY, {red: RAG.RED, amber: RAG.AMBER, green: RAG.GREEN})
        factories.make_milestone(red, due_date=months_ago(3), rag=RAG.RED)  # overdue for three months now
        factories.make_milestone(
            amber, due_date=months_ago(2), status=MilestoneStatus.ACHIEVED, achieved_on=months_ago(1), rag=RAG.COMPLETE
        )
        factories.make_milestone(green, due_date=TODAY + datetime.timedelta(days=20), rag=RAG.GREEN, name="Go live")
        factories.make_milestone(green, due_date=TODAY + datetime.timedelta(days=200), rag=RAG.GREEN, name="Review")
        benefit = factories.make_benefit(red, target_amount=300_000, financial_year=2011)
        factories.make_realisation(benefit, financial_year=2011, amount=120_000)


def table_rows(html, testid="chart-table"):
    """The rows of each chart table on the page, as lists of cell texts."""
    tables = re.findall(rf'<table[^>]*data-testid="{testid}".*?</table>', html, re.S)
    return [
        [
            [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        ]
        for table in tables
    ]


def figure_table(html, figure_id):
    """The rows of the table in figure `figure_id`."""
    figure = re.search(rf'<figure[^>]*id="{figure_id}".*?</figure>', html, re.S).group(0)
    return table_rows(figure)[0]


@pytest.fixture
def built(programme, manager):
    build_programme(programme, manager)
    return programme


def dashboard_url(programme):
    return reverse("programmes:dashboard", args=[programme.ref])


def test_anonymous_users_are_sent_to_log_in(client, built):
    response = client.get(dashboard_url(built))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_any_council_login_sees_the_programme_dashboard(client, built, outsider):
    client.force_login(outsider)
    html = client.get(dashboard_url(built)).content.decode()
    # Projects being run (the closed one left out), and milestones, by RAG with percentages.
    assert figure_table(html, "fig-rag-now") == [
        ["Items", "Red", "Amber", "Green", "Complete", "Total"],
        ["Projects", "1 (33%)", "1 (33%)", "1 (33%)", "0 (0%)", "3"],
        ["Milestones", "1 (25%)", "0 (0%)", "2 (50%)", "1 (25%)", "4"],
    ]
    assert "Choose appendix figures" not in html  # a write: managers only


def test_rag_by_period_counts_the_published_reports_rows(client, built, manager):
    draft_highlight_report(
        programme=built, period_start=datetime.date(2010, 6, 1), period_end=datetime.date(2010, 6, 30), user=manager
    )  # a draft is not yet what the committee saw
    client.force_login(manager)
    html = client.get(dashboard_url(built)).content.decode()
    assert figure_table(html, "fig-rag-by-period") == [
        ["Reporting period", "Red", "Amber", "Green", "Total"],
        ["Apr 2010", "0 (0%)", "3 (100%)", "0 (0%)", "3"],
        ["May 2010", "1 (33%)", "1 (33%)", "1 (33%)", "3"],
    ]


def test_rag_by_period_counts_a_correction_not_the_version_it_replaced(client, built, manager):
    may = HighlightReport.objects.get(period_start=MAY[0], status=HighlightReport.Status.PUBLISHED)
    correction = correct_highlight_report(report=may, user=manager, reason="Website upgrade was Green.")
    row = correction.rows.get(rag=RAG.RED)
    row.rag = RAG.GREEN
    row.save()
    correction.overall_rag = RAG.AMBER
    correction.save()
    publish_highlight_report(report=correction, user=manager)
    client.force_login(manager)
    rows = figure_table(client.get(dashboard_url(built)).content.decode(), "fig-rag-by-period")
    assert rows[-1] == ["May 2010", "1 (33%)", "2 (67%)", "3"]  # Amber and Green only: no Red left
    assert rows[0][1:] == ["Amber", "Green", "Total"]


def test_direction_of_travel_counts_the_latest_reports_rows(client, built, outsider):
    client.force_login(outsider)
    rows = figure_table(client.get(dashboard_url(built)).content.decode(), "fig-direction")
    assert rows[0] == [
        "Compared with the report before",
        "↑ Improved",
        "→ Same",
        "↓ Worse",
        "● New or not rated before",
    ]
    assert rows[1] == ["May 2010", "1", "1", "1", "0"]


def test_milestones_overdue_and_achieved_by_month(client, built, outsider):
    client.force_login(outsider)
    rows = figure_table(client.get(dashboard_url(built)).content.decode(), "fig-milestones-by-month")
    assert len(rows) == 1 + 12
    by_month = {month: cells for month, *cells in rows[1:]}
    label = lambda months: f"{dashboard.add_months(TODAY.replace(day=1), -months):%b %Y}"  # noqa: E731
    # The Red one overdue from three months ago; the achieved one overdue the month before it was achieved.
    assert by_month[label(4)] == ["0", "0"]
    assert by_month[label(3)] == ["1", "0"]
    assert by_month[label(2)] == ["2", "0"]
    assert by_month[label(1)] == ["1", "1"]
    assert by_month[label(0)] == ["1", "0"]


def test_milestones_due_in_the_next_three_months_are_listed(client, built, outsider):
    client.force_login(outsider)
    html = client.get(dashboard_url(built)).content.decode()
    due = table_rows(html, "due-soon")[0]
    assert [row[1] for row in due[1:]] == [f"{due[1][1]}"]
    assert "Go live" in due[1][1]
    assert "Review" not in html.split('data-testid="due-soon"')[1]


def test_savings_target_against_realised_by_year(client, built, outsider):
    client.force_login(outsider)
    rows = figure_table(client.get(dashboard_url(built)).content.decode(), "fig-savings-by-year")
    assert rows == [["Financial year", "Target", "Realised"], ["2011/12", "£300,000", "£120,000"]]


def test_each_chart_is_an_svg_image_with_a_text_alternative_and_no_inline_style(client, built, outsider):
    client.force_login(outsider)
    html = client.get(dashboard_url(built)).content.decode()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 5
    for svg in svgs:
        labelled = re.search(r'role="img" aria-labelledby="([\w-]+) ([\w-]+)"', svg)
        assert f'<title id="{labelled.group(1)}">' in svg
        assert f'<desc id="{labelled.group(2)}">' in svg
    assert "Latest, May 2010: Red 1, Amber 1, Green 1." in html  # the RAG mix in words
    assert ">Amber</text>" in html  # the legend names each colour
    assert " style=" not in html  # the CSP forbids inline styles
    assert "<script>" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.parametrize("size", [1, 4])
def test_programme_dashboard_runs_constant_queries(client, programme, manager, size, django_assert_num_queries):
    build_programme(programme, manager, size)
    client.force_login(manager)
    with django_assert_num_queries(20):
        response = client.get(dashboard_url(programme))
    assert response.status_code == 200


# --- Appendix figures on a highlight report ---------------------------------------


@pytest.fixture
def draft(built, manager):
    return draft_highlight_report(
        programme=built, period_start=datetime.date(2010, 6, 1), period_end=datetime.date(2010, 6, 30), user=manager
    )


def figures_url(report):
    return reverse("programmes:report_figures", args=[report.pk])


def test_a_manager_chooses_dashboard_charts_for_a_draft_report(client, draft, manager):
    client.force_login(manager)
    assert "Choose appendix figures" in client.get(dashboard_url(draft.programme)).content.decode()
    page = client.get(figures_url(draft)).content.decode()
    assert "Direction of travel in the latest published report" in page
    response = client.post(figures_url(draft), {"kinds": ["savings_by_year", "rag_now"]})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [figure["kind"] for figure in draft.appendix_figures] == ["rag_now", "savings_by_year"]
    html = client.get(reverse("programmes:report_print", args=[draft.pk])).content.decode()
    assert "Appendix: Figure 1 — RAG status now: projects and milestones" in html
    assert "Appendix: Figure 2 — Savings: target against realised by financial year" in html
    assert "£300,000" in html


def test_an_unknown_figure_is_refused_and_nothing_saved(client, draft, manager):
    client.force_login(manager)
    response = client.post(figures_url(draft), {"kinds": ["rag_now", "everything"]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    draft.refresh_from_db()
    assert draft.appendix_figures == []


def test_an_officer_cannot_choose_figures(client, draft, officer):
    client.force_login(officer)
    assert client.post(figures_url(draft), {"kinds": ["rag_now"]}).status_code == 403
    draft.refresh_from_db()
    assert draft.appendix_figures == []


def test_a_published_report_keeps_its_figures(client, built, manager):
    published = HighlightReport.objects.get(period_start=MAY[0])
    client.force_login(manager)
    response = client.post(figures_url(published), {"kinds": ["rag_now"]})
    assert response.status_code == 302
    assert "has been published and cannot be changed" in client.get(response.url).content.decode()
    published.refresh_from_db()
    assert published.appendix_figures == []


def test_publishing_freezes_the_figures_numbers(client, draft, manager):
    dashboard.choose_report_figures(report=draft, user=manager, kinds=["savings_by_year"])
    publish_highlight_report(report=draft, user=manager)
    benefit = factories.make_benefit(factories.make_project(draft.programme.workstreams.first()), financial_year=2011)
    factories.make_realisation(benefit, financial_year=2011, amount=1_000_000)  # after publishing
    client.force_login(manager)
    html = client.get(reverse("programmes:report", args=[draft.pk])).content.decode()
    assert "Appendix: Figure 1 — Savings" in html
    assert figure_table(html, f"report-{draft.pk}-fig-1")[1] == ["2011/12", "£300,000", "£120,000"]
    assert "when this version was published" in html
    live = figure_table(client.get(dashboard_url(draft.programme)).content.decode(), "fig-savings-by-year")
    assert live[1] == ["2011/12", "£400,000", "£1,120,000"]


def test_a_reports_own_rows_count_in_its_figures(draft, manager):
    dashboard.choose_report_figures(report=draft, user=manager, kinds=["rag_by_period", "direction"])
    by_period, direction = (figure["spec"] for figure in draft.appendix_figures)
    assert by_period["categories"] == ["Apr 2010", "May 2010", "Jun 2010"]
    assert direction["categories"] == ["Jun 2010"]
    publish_highlight_report(report=draft, user=manager)
    draft.refresh_from_db()
    by_period, direction = (figure["spec"] for figure in draft.appendix_figures)
    assert by_period["categories"] == ["Apr 2010", "May 2010", "Jun 2010"]
    assert [series["values"] for series in direction["series"]] == [[0], [3], [0], [0]]  # as in May


def test_a_correction_keeps_the_figures_chosen(draft, manager):
    dashboard.choose_report_figures(report=draft, user=manager, kinds=["direction"])
    publish_highlight_report(report=draft, user=manager)
    correction = correct_highlight_report(report=draft, user=manager, reason="A typing error.")
    assert [figure["kind"] for figure in correction.appendix_figures] == ["direction"]


def test_the_report_pdf_prints_the_figure_and_its_table(client, draft, manager):
    dashboard.choose_report_figures(report=draft, user=manager, kinds=["rag_by_period"])
    client.force_login(manager)
    response = client.get(reverse("programmes:report_pdf", args=[draft.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response))).pages)
    assert "Appendix: Figure 1" in text
    assert "RAG of projects in each published highlight report" in text
    assert "1 (33%)" in text


def test_the_committee_pack_prints_the_reports_figures(client, draft, manager, clerk):
    dashboard.choose_report_figures(report=draft, user=manager, kinds=["rag_now"])
    publish_highlight_report(report=draft, user=manager)
    meeting = factories.make_meeting()
    meeting.committee.programmes.add(draft.programme)
    meeting.reports.add(draft)
    client.force_login(clerk)
    html = client.get(reverse("committees:pack", args=[meeting.pk])).content.decode()
    assert "Appendix: Figure 1 — RAG status now: projects and milestones" in html


def test_a_report_to_committee_prints_its_highlight_reports_figures(client, draft, manager, clerk):
    dashboard.choose_report_figures(report=draft, user=manager, kinds=["direction"])
    publish_highlight_report(report=draft, user=manager)
    meeting = factories.make_meeting()
    meeting.committee.programmes.add(draft.programme)
    item = AgendaItem.objects.create(meeting=meeting, number=5, title="Programme update", has_report=True)
    committee_services.add_appendix(
        item=item, user=clerk, appendix=ReportAppendix(kind="highlight_report", highlight_report=draft)
    )
    client.force_login(clerk)
    response = client.get(reverse("committees:report_pdf", args=[meeting.pk, item.number]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Appendix: Figure 1 — Direction of travel in the latest published report" in text


# --- The review dashboard -----------------------------------------------------------


def build_review(size=1):
    """`size` areas, each with a recommendation answered by four actions: one
    overdue and Red (Amber until last month), one completed last month, one
    Green and due soon, one superseded."""
    review = factories.make_review()
    plan = ActionPlan.objects.create(review=review, ref=f"plan-{review.ref}", title="Action plan")
    plan_section = factories.make_section(plan=plan)
    for _ in range(size):
        area = factories.make_area(review)
        rec = factories.make_recommendation(area)
        red = factories.make_action([rec], rag=RAG.RED, due_date=months_ago(3), status=Status.IN_PROGRESS)
        factories.make_action_update(red, update_date=months_ago(5), rag_before=RAG.NOT_RATED, rag_after=RAG.AMBER)
        factories.make_action_update(red, update_date=TODAY.replace(day=1), rag_before=RAG.AMBER, rag_after=RAG.RED)
        factories.make_action(
            [rec], rag=RAG.COMPLETE, status=Status.COMPLETE, due_date=months_ago(2), completed_on=months_ago(1)
        )
        factories.make_action([rec], rag=RAG.GREEN, due_date=TODAY + datetime.timedelta(days=30), title="Soon")
        factories.make_action([rec], rag=RAG.AMBER, due_date=months_ago(4), status=Status.SUPERSEDED)
    factories.make_action(section=plan_section, rag=RAG.GREEN, due_date=None, title="In the plan only")
    return review


def review_url(review):
    return reverse("actions:review_dashboard", args=[review.ref])


def test_anonymous_users_are_sent_to_log_in_from_the_review_dashboard(client):
    response = client.get(review_url(build_review()))
    assert response.status_code == 302


def test_review_dashboard_counts_actions_by_rag_overall_and_by_area(client, outsider):
    review = build_review()
    area = review.areas.get()
    client.force_login(outsider)
    html = client.get(review_url(review)).content.decode()
    assert figure_table(html, "fig-rag-now") == [
        ["Actions", "Red", "Amber", "Green", "Complete", "Total"],
        ["All actions", "1 (20%)", "1 (20%)", "2 (40%)", "1 (20%)", "5"],
        [f"Area {area.number}", "1 (25%)", "1 (25%)", "1 (25%)", "1 (25%)", "4"],
        ["No area", "0 (0%)", "0 (0%)", "1 (100%)", "0 (0%)", "1"],
    ]
    assert f"Area {area.number}: {area.title}" in html


def test_review_rag_at_each_month_end_is_read_from_the_updates(client, outsider):
    client.force_login(outsider)
    rows = figure_table(client.get(review_url(build_review())).content.decode(), "fig-rag-by-month")
    by_month = {month: cells for month, *cells in rows[1:]}
    header = rows[0][1:]
    last_month = f"{dashboard.add_months(TODAY.replace(day=1), -1):%b %Y}"
    this_month = f"{TODAY:%b %Y}"
    # Last month the Red action was still Amber (its update this month made it Red) and one was complete.
    then = dict(zip(header, by_month[last_month], strict=True))
    assert (then["Red"], then["Amber"], then["Complete"]) == ("0 (0%)", "2 (40%)", "1 (20%)")
    now = dict(zip(header, by_month[this_month], strict=True))
    assert (now["Red"], now["Amber"]) == ("1 (20%)", "1 (20%)")


def test_review_direction_of_travel_over_the_latest_month(client, outsider):
    client.force_login(outsider)
    rows = figure_table(client.get(review_url(build_review())).content.decode(), "fig-direction")
    assert rows[1][1:] == ["0", "4", "1", "0"]  # one worse (Amber to Red), the rest the same


def test_review_actions_overdue_and_completed_by_month(client, outsider):
    client.force_login(outsider)
    rows = figure_table(client.get(review_url(build_review())).content.decode(), "fig-actions-by-month")
    by_month = {month: cells for month, *cells in rows[1:]}
    label = lambda months: f"{dashboard.add_months(TODAY.replace(day=1), -months):%b %Y}"  # noqa: E731
    assert by_month[label(3)] == ["1", "0"]  # the superseded one is never counted
    assert by_month[label(2)] == ["2", "0"]
    assert by_month[label(1)] == ["1", "1"]


def test_review_dashboard_lists_actions_due_in_the_next_three_months(client, outsider):
    client.force_login(outsider)
    due = table_rows(client.get(review_url(build_review())).content.decode(), "due-soon")[0]
    assert [row[1] for row in due[1:]] == ["Soon"]


@pytest.mark.parametrize("size", [1, 5])
def test_review_dashboard_runs_constant_queries(client, outsider, size, django_assert_num_queries):
    review = build_review(size)
    client.force_login(outsider)
    with django_assert_num_queries(8):
        response = client.get(review_url(review))
    assert response.status_code == 200


def test_programme_and_review_pages_link_to_their_dashboards(client, built, outsider):
    review = build_review()
    client.force_login(outsider)
    assert dashboard_url(built) in client.get(built.get_absolute_url()).content.decode()
    assert review_url(review) in client.get(review.get_absolute_url()).content.decode()
