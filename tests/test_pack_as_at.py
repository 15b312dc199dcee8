"""A meeting's papers show the programme as it stood at their cut-off date,
read from the audit history (issue 11): the 1 June 2010 pack, dated 20 May
2010, prints each action's status, RAG, due date and latest update as they
were on 20 May 2010, judges overdue on that day, and leaves out what was
created since. Changes and updates made years later do not leak in.

No clock-freezing library is installed, so the 2010 history is made by
dating records back (tests.history) and the later changes are made now."""

import datetime
import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, Status
from committees import services
from committees.models import AgendaItem, Committee, Meeting, ReportAppendix
from core.models import RAG
from programmes.models import Level, MilestoneStatus, RiskStatus
from tests import factories
from tests.history import backdate, moment

DUE = datetime.date(2010, 6, 30)
APRIL = moment(datetime.date(2010, 4, 14))
MAY = moment(datetime.date(2010, 5, 18))
LATE_MAY = moment(datetime.date(2010, 5, 25))  # after the papers' date, before the meeting
MAY_NOTE = "Capital Ambition to present at the meeting on 1 June."
MAY_PLAN_NOTE = "E-forms drafted; testing with the contact centre."
LATER_NOTE = "Recorded years later: presentation postponed."
LATER_PLAN_NOTE = "Recorded years later: e-forms live."


@pytest.fixture
def committee(db, programme):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    committee.programmes.add(programme)
    return committee


@pytest.fixture
def february(committee):
    return Meeting.objects.create(committee=committee, date=datetime.date(2010, 2, 11))


@pytest.fixture
def june(committee, february):
    """The 1 June 2010 meeting, its papers dated 20 May 2010."""
    return Meeting.objects.create(
        committee=committee, date=datetime.date(2010, 6, 1), papers_as_at=datetime.date(2010, 5, 20)
    )


def later(action, **changes):
    """Change `action` now, years after the papers (a new history record dated now)."""
    for name, value in changes.items():
        setattr(action, name, value)
    action.save()


@pytest.fixture
def matter(february):
    """A matter arising from minute 42, due at the end of June 2010: in
    progress and rated Amber in April 2010, with a May update; blocked and
    Red with a new update years later."""
    action = factories.make_action(
        arising_from=february,
        minute_number="42",
        minute_title="London Efficiency Challenge Feedback",
        title="Capital Ambition presentation",
        description="A representative of Capital Ambition to present the outcomes of the challenge.",
        status=Status.IN_PROGRESS,
        rag=RAG.AMBER,
        due_date=DUE,
        due_wording="end of June 2010",
    )
    backdate(action, APRIL)
    backdate(factories.make_action_update(action, note=MAY_NOTE), MAY)
    later(
        ActionItem.objects.get(pk=action.pk),
        status=Status.BLOCKED,
        rag=RAG.RED,
        description="Rewritten years later.",
        due_wording="end of December 2030",
    )
    factories.make_action_update(action, note=LATER_NOTE)
    return action


@pytest.fixture
def plan_action(programme):
    """An action-plan action: in progress and Green in May 2010, completed years later."""
    section = factories.make_section(area=factories.make_area(title="Customer access"))
    section.plan.programme = programme
    section.plan.save()
    action = factories.make_action(
        [factories.make_recommendation(section.area)],
        section=section,
        title="E-forms proposal",
        status=Status.IN_PROGRESS,
        rag=RAG.GREEN,
        due_date=DUE,
        due_wording="end of June 2010",
    )
    backdate(action, APRIL)
    backdate(factories.make_action_update(action, note=MAY_PLAN_NOTE), MAY)
    later(
        ActionItem.objects.get(pk=action.pk),
        status=Status.COMPLETE,
        rag=RAG.COMPLETE,
        completed_on=timezone.localdate(),
    )
    factories.make_action_update(action, note=LATER_PLAN_NOTE)
    return action


@pytest.fixture
def late_matter(february):
    """A matter arising recorded on 25 May 2010: after the papers' date."""
    action = factories.make_action(arising_from=february, minute_number="41", title="Recorded after the papers")
    backdate(action, LATE_MAY)
    return action


def row(html, action):
    """The table row printed for `action` (the first, if it is in two tables)."""
    found = re.search(rf'<tr data-action="{re.escape(action.ref)}"[^>]*>(.*?)</tr>', html, re.S)
    return found.group(1) if found else None


def pack_html(client, meeting):
    return client.get(reverse("committees:pack", args=[meeting.pk])).content.decode()


def test_pack_prints_the_position_as_at_the_papers_date(client, clerk, june, matter, plan_action, late_matter):
    client.force_login(clerk)
    html = pack_html(client, june)
    assert html.count("Position as at 20 May 2010") == 2  # matters arising; the action plan progress

    arising = row(html, matter)
    assert MAY_NOTE in arising
    assert "A representative of Capital Ambition to present the outcomes" in arising
    assert "end of June 2010" in arising
    assert "Overdue" not in arising  # due on 30 June: not overdue on 20 May
    assert LATER_NOTE not in html
    assert "Rewritten years later." not in html
    assert "December 2030" not in html

    progress = row(html, plan_action)
    assert "In progress" in progress
    assert "Green" in progress
    assert "Complete" not in progress
    assert "18 May 2010" in progress
    assert MAY_PLAN_NOTE in progress
    assert LATER_PLAN_NOTE not in html

    assert row(html, late_matter) is None  # created after 20 May 2010


def test_a_meeting_after_the_due_date_shows_it_overdue(client, clerk, committee, june, matter, late_matter):
    july = Meeting.objects.create(committee=committee, date=datetime.date(2010, 7, 21))
    client.force_login(clerk)
    html = pack_html(client, july)
    assert "Position as at 21 July 2010" in html
    arising = row(html, matter)
    assert '<span class="overdue-flag">Overdue</span>' in arising
    assert MAY_NOTE in arising
    assert LATER_NOTE not in html
    assert row(html, late_matter) is not None  # recorded by then


def test_papers_of_a_meeting_still_to_come_show_today(client, clerk, committee, june, matter):
    today = timezone.localdate()
    coming = Meeting.objects.create(committee=committee, date=today + datetime.timedelta(days=60))
    client.force_login(clerk)
    html = pack_html(client, coming)
    assert f"Position as at {today.day} {today:%B %Y}" in html
    arising = row(html, matter)
    assert LATER_NOTE in arising
    assert "Rewritten years later." in arising
    assert "Overdue" in arising  # due in June 2010, blocked since


def test_a_completion_after_the_papers_date_is_not_shown(client, clerk, committee, june, february):
    """Completed in 2026: the 1 June 2010 papers still show it open, and the
    July 2010 ones (the action still not complete then) overdue."""
    action = factories.make_action(arising_from=february, minute_number="40", due_date=datetime.date(2010, 5, 1))
    backdate(action, APRIL)
    later(
        ActionItem.objects.get(pk=action.pk),
        status=Status.COMPLETE,
        rag=RAG.COMPLETE,
        completed_on=timezone.localdate(),
    )
    client.force_login(clerk)
    arising = row(pack_html(client, june), action)
    assert "<strong>Complete</strong>" not in arising
    assert '<span class="overdue-flag">Overdue</span>' in arising  # due 1 May 2010, open on 20 May


@pytest.fixture
def report(june, clerk, programme):
    """A report to the June meeting carrying every live-data appendix."""
    item = AgendaItem.objects.create(
        meeting=june, number=8, title="Organisational Improvement Programme", has_report=True
    )
    for kind in ["matters_arising", "action_plan_progress", "milestones", "risks"]:
        services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind=kind, programme=programme))
    return item


@pytest.fixture
def delivery(programme):
    """A key milestone in progress and an open risk in April 2010 (achieved
    and closed years later), and a milestone and a risk added years later."""
    project = factories.make_project(factories.make_workstream(programme), name="Website")
    milestone = factories.make_milestone(project, name="Content migrated", status=MilestoneStatus.IN_PROGRESS)
    risk = factories.make_risk(project, description="Supplier may not deliver", probability=Level.HIGH)
    for obj in (milestone, risk):
        backdate(obj, APRIL)
    milestone.refresh_from_db()
    milestone.status, milestone.achieved_on = MilestoneStatus.ACHIEVED, timezone.localdate()
    milestone.save()
    risk.refresh_from_db()
    risk.status, risk.closed_on, risk.probability = RiskStatus.CLOSED, timezone.localdate(), Level.LOW
    risk.save()
    factories.make_milestone(project, name="Milestone added years later")
    factories.make_risk(project, description="Risk raised years later")
    return milestone, risk


def report_html(client, item):
    return client.get(reverse("committees:report", args=[item.meeting_id, item.number])).content.decode()


def test_report_appendices_show_the_position_as_at_the_papers_date(
    client, clerk, report, matter, plan_action, late_matter, delivery
):
    client.force_login(clerk)
    html = report_html(client, report)
    assert html.count("Position as at 20 May 2010") == 4
    arising = row(html, matter)
    assert MAY_NOTE in arising
    assert "Overdue" not in arising
    assert row(html, late_matter) is None
    progress = row(html, plan_action)
    assert "In progress" in progress
    assert "Green" in progress
    assert LATER_NOTE not in html
    assert LATER_PLAN_NOTE not in html

    assert "Content migrated" in html
    assert "Achieved" not in html  # achieved years later
    assert "In progress" in re.search(r"Content migrated</th>(.*?)</tr>", html, re.S).group(1)
    assert "Supplier may not deliver" in html  # open on 20 May 2010
    assert "High / Medium" in html  # graded as it was then
    assert "Milestone added years later" not in html
    assert "Risk raised years later" not in html


def test_report_pdf_prints_the_position_as_at_the_papers_date(client, clerk, report, matter, delivery):
    client.force_login(clerk)
    response = client.get(reverse("committees:report_pdf", args=[report.meeting_id, report.number]))
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Position as at 20 May 2010" in text
    assert MAY_NOTE in text
    assert "presentation postponed" not in text
    assert "Supplier may not deliver" in text
    assert "Risk raised years later" not in text


@pytest.mark.parametrize("size", [2, 8])
def test_pack_as_at_runs_constant_queries(client, clerk, june, february, programme, size, django_assert_num_queries):
    """However many actions and however long their history."""
    section = factories.make_section(area=factories.make_area())
    section.plan.programme = programme
    section.plan.save()
    for i in range(size):
        matter = factories.make_action(arising_from=february, minute_number=str(i))
        planned = factories.make_action([factories.make_recommendation(section.area)], section=section)
        for action in (matter, planned):
            backdate(action, APRIL)
            backdate(factories.make_action_update(action, note=f"May note {i}"), MAY)
            for rag in [RAG.RED, RAG.AMBER][: 1 + i % 2]:
                later(ActionItem.objects.get(pk=action.pk), rag=rag)
    client.force_login(clerk)
    with django_assert_num_queries(21):  # with the data stamp (page cache)
        html = pack_html(client, june)
    assert html.count('data-action="') == 2 * size
    assert html.count("May note") == 2 * size


# The real papers: the seed fixtures' 1 June 2010 meeting, dated 20 May 2010.

MATTERS_ARISING = ["ma-5", "ma-30", "ma-42"]  # due "June 2010"


@pytest.fixture
def seeded(seed_data):
    """The 2010 seeds, restored rather than loaded (tests/seed_cache.py)."""


def test_seeded_june_2010_pack_is_as_at_20_may_2010(client, clerk, seeded):
    june = Meeting.objects.get(committee__ref="ie-sub-committee", date=datetime.date(2010, 6, 1))
    assert june.as_at == datetime.date(2010, 5, 20)
    # Years later an officer updates every action, and completes one matter arising.
    for action in ActionItem.objects.all():
        factories.make_action_update(action, note=f"{LATER_NOTE} ({action.ref})")
    later(
        ActionItem.objects.get(ref="ma-42"), status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=timezone.localdate()
    )
    client.force_login(clerk)
    html = pack_html(client, june)

    assert "Position as at 20 May 2010" in html
    for ref in MATTERS_ARISING:
        arising = row(html, ActionItem.objects.get(ref=ref))
        assert "June 2010" in arising
        assert "Overdue" not in arising
        assert "<strong>Complete</strong>" not in arising
    assert "A representative of Capital Ambition to provide a presentation" in html  # the 20 May 2010 update
    assert LATER_NOTE not in html
    # No update printed is dated after the meeting.
    printed = re.findall(r'<td class="small"><strong>(\d+ \w+ \d{4})</strong>', html)
    dates = [datetime.datetime.strptime(text, "%d %b %Y").date() for text in printed]
    assert all(day <= datetime.date(2010, 6, 1) for day in dates)
