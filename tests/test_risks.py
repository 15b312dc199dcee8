"""The risk and issue register (issue 10, point 2): numbered lines graded by
probability and impact (Low, Medium, High), whose product is the score and
grade, always shown in words and letters; managers add and change them, the
responsible officer or the project's owner updates where one stands, each
line keeps its history, and escalated risks are pulled into the highlight
report's risks and issues when drafting."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from programmes.models import (
    NARRATIVE_LIMIT,
    REPORT_LINES,
    HighlightReportRow,
    Level,
    Project,
    Risk,
    RiskGrade,
    RiskKind,
    RiskStatus,
)
from programmes.services import create_risk, draft_highlight_report, record_risk_progress
from tests import factories

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)
L, M, H = Level.LOW, Level.MEDIUM, Level.HIGH


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Customer access")


@pytest.fixture
def project(workstream, colleague_team):
    return factories.make_project(workstream, name="Joint web platform", ref="joint-web", owner=colleague_team)


@pytest.fixture
def risk(project, officer_team):
    return factories.make_risk(
        project,
        number=1,
        description="Partner councils' priorities diverge",
        probability=M,
        impact=H,
        mitigation="Joint board meets monthly.",
        owner=officer_team,
        raised_on=datetime.date(2010, 5, 1),
    )


@pytest.fixture
def other_manager(db):
    user = factories.make_user("quentin", roles.PROGRAMME_MANAGER)
    factories.make_programme(name="Customer Access Programme").managers.add(user)
    return user


def url(name, obj):
    return reverse(f"programmes:{name}", args=[obj.ref])


def risk_data(risk=None, **overrides):
    data = {
        "number": 2,
        "kind": RiskKind.ISSUE,
        "description": "Funding from Capital Ambition not yet confirmed",
        "probability": L,
        "impact": H,
        "mitigation": "Decision expected in July.",
        "owner": "",
        "status": RiskStatus.OPEN,
        "raised_on": "2010-05-10",
        "closed_on": "",
    }
    if risk is not None:
        data.update(
            number=risk.number,
            kind=risk.kind,
            description=risk.description,
            probability=risk.probability,
            impact=risk.impact,
            mitigation=risk.mitigation,
            owner=risk.owner_id or "",
            status=risk.status,
            raised_on=risk.raised_on.isoformat() if risk.raised_on else "",
            version=risk.version,
        )
        if risk.escalated:
            data["escalated"] = "on"
    return {**data, **overrides}


def progress_data(risk, **overrides):
    data = {"version": risk.version, "status": risk.status, "closed_on": "", "mitigation": risk.mitigation}
    if risk.escalated:
        data["escalated"] = "on"
    return {**data, **overrides}


def snapshot():
    return list(Risk.objects.order_by("pk").values())


# --- Grading ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "impact", "score", "grade", "grading"),
    [
        (L, L, 1, RiskGrade.LOW, "L/L, score 1 (Low)"),
        (L, M, 2, RiskGrade.LOW, "L/M, score 2 (Low)"),
        (M, L, 2, RiskGrade.LOW, "M/L, score 2 (Low)"),
        (L, H, 3, RiskGrade.MEDIUM, "L/H, score 3 (Medium)"),
        (H, L, 3, RiskGrade.MEDIUM, "H/L, score 3 (Medium)"),
        (M, M, 4, RiskGrade.MEDIUM, "M/M, score 4 (Medium)"),
        (M, H, 6, RiskGrade.HIGH, "M/H, score 6 (High)"),
        (H, M, 6, RiskGrade.HIGH, "H/M, score 6 (High)"),
        (H, H, 9, RiskGrade.HIGH, "H/H, score 9 (High)"),
    ],
)
def test_score_and_grade_follow_probability_and_impact(project, probability, impact, score, grade, grading):
    risk = factories.make_risk(project, probability=probability, impact=impact)
    assert (risk.current_score, risk.grade, risk.grading) == (score, grade, grading)
    stored = Risk.objects.get(pk=risk.pk)
    assert stored.score == score
    assert list(Risk.objects.graded(grade)) == [stored]


def test_grade_counts_count_open_risks_by_grade_worst_first(project):
    for probability, impact in [(H, H), (M, H), (M, M), (L, L), (L, M)]:
        factories.make_risk(project, probability=probability, impact=impact)
    factories.make_risk(project, probability=H, impact=H, status=RiskStatus.CLOSED)

    counts = Risk.objects.open().grade_counts()

    assert list(counts.items()) == [(RiskGrade.HIGH, 2), (RiskGrade.MEDIUM, 1), (RiskGrade.LOW, 2)]


def test_a_closing_date_only_for_a_closed_risk_and_not_before_it_was_raised(risk):
    risk.closed_on = datetime.date(2010, 6, 1)
    with pytest.raises(ValidationError) as refused:
        risk.full_clean()
    assert refused.value.message_dict == {"closed_on": ["Only a closed risk has a closing date."]}
    risk.status, risk.closed_on = RiskStatus.CLOSED, datetime.date(2010, 4, 1)
    with pytest.raises(ValidationError) as refused:
        risk.full_clean()
    assert refused.value.message_dict == {"closed_on": ["A risk cannot close before it was raised."]}


def test_a_new_risk_is_numbered_after_the_registers_highest(project, manager, risk):
    factories.make_risk(project, number=7)
    created = create_risk(
        user=manager, project=project, description="Staff resistance", probability=M, impact=M, kind=RiskKind.RISK
    )
    assert created.number == 8


def test_services_refuse_a_risk_on_a_project_the_user_does_not_manage(project, other_manager):
    with pytest.raises(ValidationError):
        create_risk(user=other_manager, project=project, description="Planted", probability=L, impact=L)
    assert not Risk.objects.exists()


# --- Managers add and change the register ------------------------------------------------


def test_manager_adds_a_risk_offered_the_next_number(client, manager, risk, officer_team):
    client.force_login(manager)
    form = client.get(url("risk_create", risk.project)).content.decode()
    assert 'name="number" value="2"' in form
    response = client.post(url("risk_create", risk.project), risk_data(owner=officer_team.pk, escalated="on"))
    assert response.status_code == 302
    added = Risk.objects.get(number=2)
    assert (added.kind, added.probability, added.impact, added.escalated) == (RiskKind.ISSUE, L, H, True)
    assert added.history.first().history_user == manager
    html = client.get(response.url).content.decode()
    register = html[html.index('<section id="risks"') :]
    register = register[: register.index("</section>")]
    assert "Funding from Capital Ambition not yet confirmed" in register
    assert "Low / High" in register
    assert "L/H, score 3 (Medium)" in register
    assert "Medium / High" in register
    assert "M/H, score 6 (High)" in register
    assert "<strong>Escalated</strong>" in register


def test_a_number_already_in_the_register_is_refused(client, manager, risk):
    client.force_login(manager)
    response = client.post(url("risk_create", risk.project), risk_data(number=1))
    assert response.status_code == 200
    assert "This project&#x27;s register already has a risk or issue numbered 1." in response.content.decode()
    assert Risk.objects.count() == 1


def test_bad_risk_says_what_is_wrong_and_saves_nothing(client, manager, project):
    client.force_login(manager)
    response = client.post(url("risk_create", project), risk_data(probability="", closed_on="2010-06-01"))
    html = response.content.decode()
    assert "There are problems with what you entered" in html
    assert "Probability: This field is required." in html
    assert "Only a closed risk has a closing date." in html
    assert not Risk.objects.exists()


def test_manager_edits_a_risk_and_sees_its_history(client, manager, officer, risk):
    record_risk_progress(
        risk=risk,
        user=officer,
        expected_version=risk.version,
        status=RiskStatus.OPEN,
        mitigation="Board weekly.",
        escalated=True,
    )
    risk.refresh_from_db()
    client.force_login(manager)
    response = client.post(url("risk_edit", risk), risk_data(risk, impact=M))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.impact, risk.grading) == (M, "M/M, score 4 (Medium)")
    html = client.get(url("risk_edit", risk)).content.decode()
    history = html[html.index("Change history") :]
    assert "Impact: High → Medium" in history
    assert "Mitigating actions: Joint board meets monthly. → Board weekly." in history
    assert "Alice Officer" in history


@pytest.mark.parametrize("who", ["officer", "colleague", "outsider", "clerk", "other_manager"])
def test_only_the_programmes_managers_add_or_change_risks(request, client, project, risk, who):
    before = snapshot()
    client.force_login(request.getfixturevalue(who))
    assert client.post(url("risk_create", project), risk_data()).status_code == 403
    assert client.get(url("risk_edit", risk)).status_code == 403
    assert client.post(url("risk_edit", risk), risk_data(risk, description="X")).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", ["risk_create", "risk_edit", "risk_update"])
def test_anonymous_is_sent_to_log_in(client, project, risk, name):
    response = client.get(url(name, project if name == "risk_create" else risk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- The responsible officer or the project's owner updates where it stands -------------


def test_responsible_officer_escalates_and_then_closes_a_risk(client, officer, risk):
    client.force_login(officer)
    page = client.get(url("risk_update", risk)).content.decode()
    assert "Medium / High: M/H, score 6 (High)" in page
    response = client.post(url("risk_update", risk), progress_data(risk, mitigation="Escalate.", escalated="on"))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.mitigation, risk.escalated, risk.status) == ("Escalate.", True, RiskStatus.OPEN)

    client.post(url("risk_update", risk), progress_data(risk, status=RiskStatus.CLOSED))
    risk.refresh_from_db()
    assert (risk.status, risk.closed_on) == (RiskStatus.CLOSED, timezone.localdate())
    assert risk.history.first().history_user == officer


def test_the_projects_owner_updates_a_risk_too(client, colleague, risk):
    client.force_login(colleague)
    response = client.post(url("risk_update", risk), progress_data(risk, mitigation="Owner's note."))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.mitigation == "Owner's note."


@pytest.mark.parametrize("who", ["outsider", "clerk", "other_manager"])
def test_others_cannot_update_a_risk(request, client, risk, who):
    before = snapshot()
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("risk_update", risk)).status_code == 403
    assert client.post(url("risk_update", risk), progress_data(risk, escalated="on")).status_code == 403
    assert snapshot() == before


def test_the_service_refuses_an_update_from_someone_who_may_not_make_it(risk, other_manager):
    with pytest.raises(PermissionDenied):
        record_risk_progress(
            risk=risk,
            user=other_manager,
            expected_version=risk.version,
            status=RiskStatus.CLOSED,
            mitigation="",
            escalated=False,
        )
    risk.refresh_from_db()
    assert risk.status == RiskStatus.OPEN


def test_an_update_after_someone_elses_save_is_refused_with_what_they_changed(client, officer, manager, risk):
    opened_at = risk.version
    record_risk_progress(
        risk=Risk.objects.get(pk=risk.pk),
        user=manager,
        expected_version=opened_at,
        status=RiskStatus.OPEN,
        mitigation="Manager's plan.",
        escalated=False,
    )
    client.force_login(officer)
    response = client.post(url("risk_update", risk), progress_data(risk, version=opened_at, mitigation="Mine."))
    html = response.content.decode()
    assert "Pat Manager saved this while you were editing it, so your changes have not been saved." in html
    assert "Mitigating actions: Joint board meets monthly. → Manager&#x27;s plan." in html
    risk.refresh_from_db()
    assert risk.mitigation == "Manager's plan."


# --- The programme page and the highlight report ----------------------------------------


def test_programme_page_counts_open_risks_by_grade(client, officer, programme, project):
    for probability, impact in [(H, H), (M, H), (L, H), (L, L)]:
        factories.make_risk(project, probability=probability, impact=impact)
    factories.make_risk(project, probability=H, impact=H, status=RiskStatus.CLOSED, closed_on=END)
    factories.make_risk(factories.make_project(), probability=H, impact=H)  # another programme's
    client.force_login(officer)
    html = client.get(programme.get_absolute_url()).content.decode()
    grades = html[html.index('data-testid="risk-grades"') :]
    grades = grades[: grades.index("</table>")]
    assert '<tr data-grade="high"><th scope="row">High</th><td>2</td></tr>' in grades
    assert '<tr data-grade="medium"><th scope="row">Medium</th><td>1</td></tr>' in grades
    assert '<tr data-grade="low"><th scope="row">Low</th><td>1</td></tr>' in grades


def draft(programme):
    return draft_highlight_report(programme=programme, period_start=START, period_end=END, user=None)


def test_drafting_pulls_escalated_open_risks_into_the_rows_risks_and_issues(programme, project, risk):
    factories.make_project_update(project, period_end=END, risks_issues="Grammar risk on the VR system.")
    risk.escalated = True
    risk.save()
    factories.make_risk(
        project, number=4, description="Suppliers'\n  lead times", probability=H, impact=H, escalated=True
    )
    factories.make_risk(project, number=5, description="Not escalated", probability=H, impact=H)
    factories.make_risk(
        project, number=6, description="Closed", probability=H, impact=H, escalated=True, status="closed"
    )

    row = draft(programme).rows.get()

    assert row.risks_issues == (
        "Grammar risk on the VR system.\n"
        "Escalated risks:\n"
        "1. Partner councils' priorities diverge (M/H, score 6 (High))\n"
        "4. Suppliers' lead times (H/H, score 9 (High))"
    )


def test_a_row_with_no_update_gets_its_escalated_risks_alone(programme, project):
    factories.make_risk(project, number=3, description="Staff resistance", probability=M, impact=M, escalated=True)
    assert draft(programme).rows.get().risks_issues == "Escalated risks:\n3. Staff resistance (M/M, score 4 (Medium))"


def test_escalated_risks_are_cut_to_the_columns_limits_and_the_rest_counted(programme, project):
    factories.make_project_update(project, period_end=END, risks_issues="\n".join(f"Line {i}" for i in range(30)))
    for number in range(1, 21):
        factories.make_risk(project, number=number, description="Word " * 100, probability=L, impact=L, escalated=True)

    row = draft(programme).rows.get()

    lines = row.risks_issues.split("\n")
    assert len(row.risks_issues) <= NARRATIVE_LIMIT
    assert len(lines) <= REPORT_LINES
    assert lines[:30] == [f"Line {i}" for i in range(30)]
    assert lines[30] == "Escalated risks:"
    kept = len(lines) - 32
    assert kept >= 1
    assert lines[31].startswith("1. Word Word")
    assert lines[31].endswith("… (L/L, score 1 (Low))")
    assert lines[-1] == f"… and {20 - kept} more escalated risks: see the project's risk register."
    row.full_clean()


def test_an_update_already_at_the_limit_keeps_its_text_as_it_was(programme, project):
    full = "x" * NARRATIVE_LIMIT
    factories.make_project_update(project, period_end=END, risks_issues=full)
    factories.make_risk(project, description="Escalated", probability=L, impact=L, escalated=True)
    assert draft(programme).rows.get().risks_issues == full


@pytest.mark.parametrize("size", [1, 6])
def test_escalated_risks_add_no_queries_per_row_when_drafting(programme, workstream, size):
    """Drafting a programme whose projects have escalated risks takes as many
    queries as drafting one the same size with none: they are fetched in the
    one prefetch, whatever the number of rows."""
    plain = factories.make_programme()
    plain_workstream = factories.make_workstream(plain)
    for _ in range(size):
        for home, risks in [(workstream, 2), (plain_workstream, 0)]:
            project = factories.make_project(home)
            factories.make_project_update(project, period_end=END)
            for _ in range(risks):
                factories.make_risk(project, escalated=True)

    with CaptureQueriesContext(connection) as with_risks:
        report = draft(programme)
    with CaptureQueriesContext(connection) as without:
        draft(plain)

    assert len(with_risks) == len(without)
    rows = HighlightReportRow.objects.filter(report=report)
    assert [row.risks_issues.count("\n") for row in rows] == [2] * size


def test_escalated_risk_lines_use_what_was_prefetched(project, risk, django_assert_num_queries):
    risk.escalated = True
    risk.save()
    prefetched = Project.objects.with_escalated_risks().get(pk=project.pk)
    with django_assert_num_queries(0):
        assert prefetched.escalated_risk_lines() == ["1. Partner councils' priorities diverge (M/H, score 6 (High))"]
