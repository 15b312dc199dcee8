"""A realistic large programme for the benchmark, built in a few seconds.

One programme of 8 workstreams and 60 projects reporting monthly to a
committee for 12 periods: a project update per project per period, then a
highlight report drafted and published through the real services (so each
row's direction of travel has history). A peer review of 5 areas and 40
recommendations with a 600-action plan delivered by the programme (owners,
RAG spread, some overdue, about 3 updates each, a few revised due dates),
12 committee meetings each with its period's report attached and a report
cover sheet as the pack's first item, and matters arising minuted at them.

Bulk rows: most rows are inserted with bulk_create. Workstreams, projects,
recommendations and actions go through simple_history's
bulk_create_with_history, so each has its creation record and nothing more;
the RAG movements over the 12 periods are not in the audit history (the
"changes since last meeting" page would look quiet). Highlight reports are
drafted and published with programmes.services, exactly as the views do.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import (
    ActionItem,
    ActionPlan,
    ActionPlanSection,
    ActionUpdate,
    DueDateRevision,
    Finding,
    Recommendation,
    Review,
    ReviewArea,
    Status,
)
from committees.models import AgendaItem, Committee, Meeting, MinutedAction
from core import roles
from core.models import RAG, Owner
from programmes.models import HighlightReport, Programme, Project, ProjectUpdate, Stage, Workstream
from programmes.services import draft_highlight_report, publish_highlight_report

WORKSTREAMS = [
    "Office Accommodation",
    "Customer and Service Led Improvement",
    "Workforce and Organisational Development",
    "Procurement and Commissioning",
    "ICT and Information Management",
    "Finance and Performance",
    "Partnerships and Shared Services",
    "Communications and Engagement",
]
AREAS = [
    "Leadership and governance",
    "Customer access",
    "Managing resources",
    "Workforce",
    "Partnership working",
]
SUBJECTS = [
    "the business case",
    "the flexible working pilot",
    "the storage reduction plan",
    "the one stop shop concept",
    "the e-forms proposal",
    "the procurement strategy",
    "the shared service review",
    "the staff survey action plan",
    "the ICT infrastructure refresh",
    "the customer access strategy",
    "the budget options paper",
    "the commissioning framework",
    "the member briefing",
    "the consultation exercise",
    "the options appraisal",
]
VERBS = [
    "Agreed",
    "Drafted",
    "Presented",
    "Reviewed",
    "Completed",
    "Started work on",
    "Consulted partners on",
    "Briefed the Programme Board on",
    "Revised",
    "Signed off",
]
BODIES = [
    "Programme Board",
    "Chief Officers' Executive",
    "the Portfolio Holder",
    "departmental management teams",
    "external consultants",
    "the PCT",
    "ESD",
    "the I&E sub-committee",
]
RISKS = [
    "Direction of workstream dependent on strategic decisions by Members.",
    "No funding approved yet, so all actions are on a minimal basis.",
    "Staff numbers still uncertain.",
    "Capacity in the team is stretched by competing priorities.",
    "Dependency on the ICT infrastructure refresh.",
    "Savings profile may slip into the next financial year.",
    "Partners have not yet confirmed their contribution.",
    "Union consultation may extend the timetable.",
]
OWNERS = [
    ("OIP Team", "Organisational Improvement Team", Owner.Kind.TEAM),
    ("COE", "Chief Officers' Executive", Owner.Kind.TEAM),
    ("AD OIP", "Assistant Director, Organisational Improvement", Owner.Kind.TEAM),
    ("HR", "Human Resources", Owner.Kind.TEAM),
    ("ICT", "ICT Services", Owner.Kind.TEAM),
    ("Finance", "Finance Division", Owner.Kind.TEAM),
    ("Procurement", "Corporate Procurement", Owner.Kind.TEAM),
    ("Customer Services", "", Owner.Kind.TEAM),
    ("Property", "Property Division", Owner.Kind.TEAM),
    ("Communications", "Communications Team", Owner.Kind.TEAM),
] + [(name, "", Owner.Kind.PERSON) for name in (
    "Lorna Blackwood", "Chris Spellman", "Doug Patterson", "Jo Lancaster", "Ann Springman", "Paul Dale",
    "Mark Bowen", "Claire Martin", "Terry Parkin", "Peter Turner", "Nada Lemic", "Sue Mills",
    "Richard Hills", "Jane Bailey", "Tom Hunt", "Helen Ward", "Gill Slater", "David Bell",
    "Amanda Gray", "Sarah Knight",
)]  # fmt: skip
ACTION_RAGS = [RAG.GREEN] * 45 + [RAG.AMBER] * 25 + [RAG.RED] * 10 + [RAG.NOT_RATED] * 20
PROJECT_RAGS = [RAG.GREEN] * 55 + [RAG.AMBER] * 32 + [RAG.RED] * 13


@dataclass
class Dataset:
    programme: Programme
    committee: Committee
    review: Review
    manager: object
    clerk: object
    reports: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def latest_report(self):
        return self.reports[-1]

    @property
    def latest_meeting(self):
        return self.meetings[-1]


class Text:
    """Narrative of the length and shape officers write (400-700 characters)."""

    def __init__(self, rng):
        self.rng = rng

    def sentence(self):
        rng = self.rng
        return f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} with {rng.choice(BODIES)}."

    def paragraph(self, sentences):
        return " ".join(self.sentence() for _ in range(sentences))

    def progress(self):
        return "\n".join(self.paragraph(2) for _ in range(self.rng.randint(3, 5)))

    def risks(self):
        picked = self.rng.sample(RISKS, self.rng.randint(2, 4))
        return "Main issues:\n" + "\n".join(f"- {risk}" for risk in picked)

    def next_tasks(self):
        lines = [f"- {self.sentence()}" for _ in range(self.rng.randint(3, 6))]
        return "Short term priorities:\n" + "\n".join(lines)


def month_periods(today, count):
    """The last `count` whole calendar months before today's, oldest first."""
    periods = []
    end = today.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        start = end.replace(day=1)
        periods.append((start, end))
        end = start - datetime.timedelta(days=1)
    return periods[::-1]


def at_noon(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))


@transaction.atomic
def build(*, workstreams=8, projects=60, actions=600, recommendations=40, periods=12, seed=2010):
    rng = random.Random(seed)
    text = Text(rng)
    today = timezone.localdate()
    users = get_user_model().objects

    manager = users.create_user("bench-manager", first_name="Pat", last_name="Manager", password=None)
    manager.groups.add(Group.objects.get(name=roles.PROGRAMME_MANAGER))
    clerk = users.create_user("bench-clerk", first_name="Cleo", last_name="Clerk", password=None)
    clerk.groups.add(Group.objects.get(name=roles.COMMITTEE_CLERK))

    owners = Owner.objects.bulk_create(Owner(name=n, full_name=f, kind=k) for n, f, k in OWNERS)
    committee = Committee.objects.create(
        name="Improvement and Efficiency Sub-Committee", short_name="I&E sub-committee", ref="bench-ie"
    )
    month_list = month_periods(today, periods)
    first_start = month_list[0][0]

    programme = Programme.objects.create(
        name="Organisational Improvement Programme",
        ref="bench-oip",
        description="The council's organisational improvement programme (benchmark data).",
        sponsor="Chief Executive",
        report_authors="Chris Spellman, Assistant Director, Organisational Improvement",
        stage=Stage.DELIVERY,
        start_date=first_start,
        due_date=today + datetime.timedelta(days=365),
        management_summary=text.paragraph(6),
        owner=owners[2],
        rag=RAG.AMBER,
    )
    programme.managers.add(manager)
    committee.programmes.add(programme)

    bulk_create_with_history(
        [
            Workstream(
                programme=programme,
                name=name,
                ref=f"bench-ws-{i}",
                description=text.sentence(),
                position=i,
                owner=rng.choice(owners),
                rag=rng.choice(PROJECT_RAGS),
            )
            for i, name in enumerate(WORKSTREAMS[:workstreams], start=1)
        ],
        Workstream,
    )
    ws_rows = list(Workstream.objects.filter(programme=programme).order_by("position"))
    project_rows = [
        Project(
            workstream=ws_rows[i % len(ws_rows)],
            name=f"{rng.choice(VERBS).split()[0]} {rng.choice(SUBJECTS)[4:]} ({i + 1})",
            ref=f"bench-project-{i + 1}",
            description=text.sentence(),
            position=i // len(ws_rows) + 1,
            owner=rng.choice(owners),
            due_date=today + datetime.timedelta(days=rng.randint(-60, 400)),
            rag=rng.choice(PROJECT_RAGS),
        )
        for i in range(projects)
    ]
    bulk_create_with_history(project_rows, Project)
    project_rows = list(Project.objects.filter(workstream__programme=programme).order_by("pk"))

    # Twelve months of updates, each month's report drafted and published from them.
    rags = {project.pk: project.rag for project in project_rows}
    reports = []
    for start, end in month_list:
        updates = []
        for project in project_rows:
            before = rags[project.pk]
            if rng.random() < 0.3:  # about a third of projects move each month
                rags[project.pk] = rng.choice(PROJECT_RAGS)
            updates.append(
                ProjectUpdate(
                    project=project,
                    period_start=start,
                    period_end=end - datetime.timedelta(days=rng.randint(0, 5)),
                    key_progress=text.progress(),
                    risks_issues=text.risks(),
                    next_tasks=text.next_tasks(),
                    rag=rags[project.pk],
                    rag_before=before,
                    author=manager,
                    recorded_at=at_noon(end),
                )
            )
        ProjectUpdate.objects.bulk_create(updates)
        report = draft_highlight_report(programme=programme, period_start=start, period_end=end, user=manager)
        reports.append(publish_highlight_report(report=report, user=manager))
    for project in project_rows:
        project.rag = rags[project.pk]
    Project.objects.bulk_update(project_rows, ["rag"])

    # Twelve meetings, a week after each period, each presenting its report.
    meetings = Meeting.objects.bulk_create(
        Meeting(committee=committee, date=end + datetime.timedelta(days=7), venue="Committee Room 1")
        for _, end in month_list
    )
    meetings = list(Meeting.objects.filter(committee=committee).order_by("date"))
    agenda = []
    for meeting, report in zip(meetings, reports, strict=True):
        meeting.reports.add(report)
        agenda += [
            AgendaItem(meeting=meeting, number=1, title="Apologies for absence"),
            AgendaItem(meeting=meeting, number=2, title="Minutes of the previous meeting"),
            AgendaItem(meeting=meeting, number=3, title="Matters arising from previous meetings"),
            AgendaItem(
                meeting=meeting,
                number=8,
                title="Organisational Improvement Programme",
                report_number=f"CEO{1000 + meeting.pk}",
                contact_officer="Chris Spellman, Assistant Director, Organisational Improvement",
                decision_maker="Improvement and Efficiency Sub-Committee",
                decision_type="Non-Urgent Non-Executive Non-Key",
                chief_officer="Doug Patterson, Chief Executive",
                ward="Borough wide",
                reason="To update Members on the progress of the Organisational Improvement Programme.",
                recommendations="Note the progress made on the programme's projects.\nNote the action plan progress.",
            ),
        ]
    AgendaItem.objects.bulk_create(agenda)
    covers = {item.meeting_id: item for item in AgendaItem.objects.filter(meeting__in=meetings, number=8)}
    for meeting in meetings:
        meeting.pack_item = covers[meeting.pk]
    Meeting.objects.bulk_update(meetings, ["pack_item"])

    # The review and the action plan the programme delivers.
    review = Review.objects.create(
        ref="bench-lec",
        title="London Efficiency Challenge (benchmark)",
        reviewing_body="Capital Ambition",
        review_date=first_start - datetime.timedelta(days=60),
        summary=text.paragraph(4),
    )
    areas = ReviewArea.objects.bulk_create(
        ReviewArea(review=review, number=i, title=title, ref=f"bench-area-{i}") for i, title in enumerate(AREAS, 1)
    )
    areas = list(review.areas.order_by("number"))
    Finding.objects.bulk_create(
        Finding(area=area, number=j, text=text.paragraph(2), ref=f"bench-finding-{area.number}-{j}")
        for area in areas
        for j in range(1, 4)
    )
    per_area = recommendations // len(areas)
    bulk_create_with_history(
        [
            Recommendation(
                area=area,
                number=j,
                text=text.paragraph(2),
                ref=f"bench-rec-{area.number}-{j}",
                owner=rng.choice(owners),
                rag=rng.choice(ACTION_RAGS),
            )
            for area in areas
            for j in range(1, per_area + 1)
        ],
        Recommendation,
    )
    recs_by_area = {}
    for rec in Recommendation.objects.filter(area__review=review).order_by("area__number", "number"):
        recs_by_area.setdefault(rec.area_id, []).append(rec)
    plan = ActionPlan.objects.create(
        review=review, ref="bench-lec-plan", title="LEC action plan (benchmark)", author="OIP Team", programme=programme
    )
    sections = [
        ActionPlanSection(
            plan=plan, number=area.number, title=area.title, area=area, ref=f"bench-section-{area.number}"
        )
        for area in areas
    ]
    sections.append(
        ActionPlanSection(plan=plan, number=len(areas) + 1, title="Further research", ref="bench-section-research")
    )
    ActionPlanSection.objects.bulk_create(sections)
    sections = list(plan.sections.order_by("number"))

    action_rows, links = [], []
    for i in range(actions):
        # 1 in 20 under "Further research" (no area); 1 in 10 answer no single recommendation.
        section = sections[-1] if i % 20 == 19 else sections[i % len(areas)]
        linked = (
            []
            if section.area_id is None or i % 10 == 3
            else rng.sample(recs_by_area[section.area_id], rng.randint(1, 2))
        )
        due = today + datetime.timedelta(days=rng.randint(-240, 300))
        status = rng.choices(
            [Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE, Status.BLOCKED, Status.SUPERSEDED],
            weights=[15, 55, 22, 4, 4],
        )[0]
        rag = rng.choice(ACTION_RAGS)
        completed_on = None
        if status == Status.COMPLETE:
            rag = RAG.COMPLETE
            completed_on = min(today, due) - datetime.timedelta(days=rng.randint(0, 60))
        project = rng.choice(project_rows) if i % 4 == 0 else None
        action_rows.append(
            ActionItem(
                ref=f"bench-action-{i + 1}",
                title=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} for {rng.choice(BODIES)}",
                description=text.paragraph(2),
                section=section,
                position=i // len(sections) + 1,
                workstream=project.workstream if project else None,
                project=project,
                status=status,
                completed_on=completed_on,
                rag=rag,
                owner=rng.choice(owners),
                due_date=due,
                due_wording=rng.choice(["", "", f"by end of {due:%B %Y}", f"mid-{due:%B}", "ongoing"]),
                created_at=at_noon(first_start),
            )
        )
        links.append(linked)

    # Matters arising: three minuted actions per meeting, the older ones mostly done.
    minutes = {}
    for n, meeting in enumerate(meetings[:-1]):
        for k in range(3):
            done = meeting.date < today - datetime.timedelta(days=90) and k != 2
            completed_on = min(today, meeting.date + datetime.timedelta(days=rng.randint(20, 80))) if done else None
            action_rows.append(
                ActionItem(
                    ref=f"bench-matter-{n + 1}-{k + 1}",
                    title=f"Minute {40 + 3 * n + k}: report back on {rng.choice(SUBJECTS)}",
                    description=f"Members asked officers to report back on {rng.choice(SUBJECTS)}. {text.sentence()}",
                    status=Status.COMPLETE if done else Status.IN_PROGRESS,
                    completed_on=completed_on,
                    rag=RAG.COMPLETE if done else rng.choice(ACTION_RAGS),
                    owner=rng.choice(owners),
                    due_date=meeting.date + datetime.timedelta(days=rng.randint(20, 120)),
                    created_at=at_noon(meeting.date),
                )
            )
            links.append([])
            minutes[f"bench-matter-{n + 1}-{k + 1}"] = (meeting, str(40 + 3 * n + k))
    bulk_create_with_history(action_rows, ActionItem)
    created = {a.ref: a for a in ActionItem.objects.filter(ref__startswith="bench-")}
    action_rows = [created[a.ref] for a in action_rows]
    MinutedAction.objects.bulk_create(
        MinutedAction(
            action=created[ref],
            meeting=meeting,
            minute_number=number,
            minute_title=f"{rng.choice(AREAS)}: {rng.choice(SUBJECTS)}",
        )
        for ref, (meeting, number) in minutes.items()
    )
    link = ActionItem.recommendations.through
    link.objects.bulk_create(
        link(actionitem_id=action.pk, recommendation_id=rec.pk)
        for action, linked in zip(action_rows, links, strict=True)
        for rec in linked
    )

    updates, revisions = [], []
    for action in action_rows:
        first = action.created_at.date()
        for k in range(rng.randint(2, 4)):
            date = min(today, first + datetime.timedelta(days=30 * (k + 1) + rng.randint(0, 20)))
            updates.append(
                ActionUpdate(
                    action=action,
                    update_date=date,
                    note=text.paragraph(rng.randint(2, 5)),
                    rag_after=action.rag,
                    status_after=action.status,
                    author=manager if k % 2 else None,
                    author_name="" if k % 2 else action.owner.name,
                    recorded_at=at_noon(date),
                )
            )
        if rng.random() < 0.1:
            revisions.append(
                DueDateRevision(
                    action=action,
                    old_date=action.due_date - datetime.timedelta(days=rng.randint(20, 90)),
                    new_date=action.due_date,
                    reason="Timetable moved by the Programme Board.",
                    changed_by=manager,
                )
            )
    ActionUpdate.objects.bulk_create(updates)
    DueDateRevision.objects.bulk_create(revisions)

    counts = {
        "workstreams": len(ws_rows),
        "projects": len(project_rows),
        "project updates": ProjectUpdate.objects.count(),
        "highlight reports": HighlightReport.objects.count(),
        "rows in the latest report": reports[-1].rows.count(),
        "meetings": len(meetings),
        "review areas": len(areas),
        "recommendations": Recommendation.objects.count(),
        "actions (plan + matters arising)": f"{actions} + {len(action_rows) - actions}",
        "overdue actions": ActionItem.objects.overdue(today).count(),
        "action updates": len(updates),
        "due-date revisions": len(revisions),
    }
    return Dataset(
        programme=programme,
        committee=committee,
        review=review,
        manager=manager,
        clerk=clerk,
        reports=reports,
        meetings=meetings,
        counts=counts,
    )
