"""The action-plan sheet: what councils keep in Excel today, imported into a
programme and exported from the All actions list (core.imports does the
reading, preview and commit)."""

from django.db.models import Prefetch, Q

from actions import services
from actions.models import ActionItem, ActionPlanSection, Recommendation, Status
from core.imports import (
    REFUSALS,
    Column,
    Directory,
    ImportKind,
    RowFailed,
    choice,
    date,
    deadline_from_wording,
    display_date,
    owner_directory,
    single_line,
    text,
)
from core.models import RAG
from programmes.imports import programme_targets
from programmes.models import Project, Workstream


def recommendation_names(recommendation):
    return [recommendation.ref, f"{recommendation.area.number}.{recommendation.number}"]


def short_number(recommendation):
    return f"{recommendation.area.number}.{recommendation.number}"


def short_numbers(action):
    return ", ".join(short_number(r) for r in action.recommendations.all())


def with_recommendation_numbers(actions, *, chunk_size=2000):
    """Iterate the queryset `actions` for an export, each action carrying
    `recommendation_numbers` ("1.2, 3.1"), which the Recommendations column
    writes: one query on the link table per chunk instead of
    prefetch_related, which builds a queryset per action and two model
    instances per link, over half the cost of a 10,000-row export
    (bench/imports.py). Same order as the prefetch: Recommendation's."""
    links = ActionItem.recommendations.through.objects

    def numbered(batch):
        numbers = {}
        rows = (
            links.filter(actionitem_id__in=[a.pk for a in batch])
            .order_by("recommendation__area", "recommendation__number")
            .values_list("actionitem_id", "recommendation__area__number", "recommendation__number")
        )
        for action_id, area, number in rows:
            numbers.setdefault(action_id, []).append(f"{area}.{number}")
        for action in batch:
            action.recommendation_numbers = ", ".join(numbers.get(action.pk, ()))
        return batch

    batch = []
    for action in actions.iterator(chunk_size=chunk_size):
        batch.append(action)
        if len(batch) == chunk_size:
            yield from numbered(batch)
            batch = []
    if batch:
        yield from numbered(batch)


class ActionKind(ImportKind):
    slug = "actions"
    position = 3
    title = "Action-plan items"
    noun = "action"
    sheet_name = "Actions"
    description = (
        "Actions of a programme's action plan, with the recommendations they answer, owner, deadline, "
        "status and RAG. Each action belongs to a plan section, workstream or project of the programme."
    )
    matching = "Rows are matched by Ref; a row without one is matched by its Action text within the programme."
    columns = [
        Column(
            "Ref",
            parse=single_line,
            export=lambda a: a.ref,
            help="Leave blank for a new action: one is made for it.",
            width=14,
        ),
        Column("Action", "title", single_line, required=True, width=50),
        Column("Description", "description", text, width=50),
        Column(
            "Section",
            "section",
            lambda v, lookups: lookups["sections"].find(v),
            export=lambda a: str(a.section) if a.section else "",
            help="The action plan's section, by number or title, e.g. “1. Leadership”.",
            width=30,
        ),
        Column(
            "Recommendations",
            "recommendations",
            lambda v, lookups: lookups["recommendations"].find_many(v),
            export=lambda a: a.recommendation_numbers if hasattr(a, "recommendation_numbers") else short_numbers(a),
            show=lambda recommendations: ", ".join(sorted(short_number(r) for r in recommendations)),
            many=True,
            help="The recommendations it answers, by number (area.number), e.g. “1.2, 3.1”.",
        ),
        Column("Workstream", "workstream", lambda v, lookups: lookups["workstreams"].find(v), width=28),
        Column("Project", "project", lambda v, lookups: lookups["projects"].find(v), width=28),
        Column(
            "Owner",
            "owner",
            lambda v, lookups: lookups["owners"].find(v),
            export=lambda a: a.owner.name if a.owner else "",
            help="A person or team as named under People, e.g. “OIP Team”.",
        ),
        Column(
            "Deadline",
            "due_wording",
            single_line,
            help="In the plan's own words, e.g. “end of June 2010”, “post-elections”, or a date.",
            width=24,
        ),
        Column("Due date", "due_date", date, help="The real date used to tell it is overdue (optional)."),
        Column("Status", "status", choice(Status)),
        Column("RAG", "rag", choice(RAG)),
        Column("Completed on", "completed_on", date),
        Column(
            "Last update",
            export=lambda a: display_date(getattr(a, "last_update_on", None)),
            help="Shown in exports only; record progress with the Progress updates sheet.",
        ),
    ]
    examples = [
        {
            "Action": "Agree the OIP communications plan with the Chief Executive",
            "Description": "Set out how staff and members hear about the programme.",
            "Section": "1",
            "Recommendations": "1.1",
            "Owner": "OIP Team",
            "Deadline": "end of June 2010",
            "Due date": "30/06/2010",
            "Status": "In progress",
            "RAG": "Amber",
        },
        {
            "Action": "Report progress to the Improvement & Efficiency Sub-Committee",
            "Section": "1",
            "Owner": "COE",
            "Deadline": "post-elections",
            "Status": "Not started",
            "RAG": "Not yet rated",
        },
    ]

    def targets(self, user):
        return programme_targets(user, "actions.add_actionitem")

    @staticmethod
    def recommendations_prefetch():
        return Prefetch("recommendations", Recommendation.objects.select_related("area"))

    def actions_of(self, programme):
        return (
            ActionItem.objects.filter(
                Q(project__workstream__programme=programme)
                | Q(workstream__programme=programme)
                | Q(section__plan__programme=programme)
            )
            .select_related("owner", "section__plan", "workstream", "project__workstream")
            .prefetch_related(self.recommendations_prefetch())
        )

    def lookups(self, programme):
        actions = list(self.actions_of(programme))
        sections = ActionPlanSection.objects.filter(plan__programme=programme).select_related("plan")
        return {
            "by_ref": {a.ref: a for a in actions},
            "by_title": {a.title.casefold().strip(): a for a in actions},
            "owners": owner_directory(),
            "sections": Directory(
                sections,
                names=lambda s: [s.ref, str(s.number), s.title, str(s), f"{s.number} {s.title}"],
                noun="section of this programme's action plan",
            ),
            "recommendations": Directory(
                Recommendation.objects.filter(area__review__action_plans__programme=programme)
                .select_related("area")
                .distinct(),
                names=recommendation_names,
                noun="recommendation of a review this programme answers",
            ),
            "workstreams": Directory(
                Workstream.objects.filter(programme=programme),
                names=lambda w: [w.ref, w.name],
                noun="workstream in this programme",
            ),
            "projects": Directory(
                Project.objects.filter(workstream__programme=programme).select_related("workstream"),
                names=lambda p: [p.ref, p.name],
                noun="project in this programme",
            ),
        }

    def label(self, action):
        return action.title

    def find(self, values, lookups, programme):
        ref = values.get("Ref")
        if ref:
            return lookups["by_ref"].get(ref)
        return lookups["by_title"].get(values["Action"].casefold().strip())

    def new(self, values, lookups, programme):
        return ActionItem()

    def derive(self, values):
        deadline_from_wording(values)

    def save_rows(self, rows, *, user, reason):
        """New actions in bulk (create_actions_in_bulk: the same rules, with
        the queries paid once), then each update through update_action."""
        new = [row for row in rows if row.outcome == "create"]
        if new:
            try:
                services.create_actions_in_bulk(
                    actions=[(row.item, row.m2m.get("recommendations", [])) for row in new], user=user, reason=reason
                )
            except REFUSALS as error:
                raise RowFailed(new[getattr(error, "index", 0)], error) from error
        super().save_rows([row for row in rows if row.outcome != "create"], user=user, reason=reason)

    @staticmethod
    def export_rows(actions):
        """A filtered list's actions for its download, in its order: only the
        parents the sheet names, and the recommendations' numbers by chunk."""
        slim = actions.select_related(None).select_related("owner", "section", "workstream", "project")
        return with_recommendation_numbers(slim)

    def export_queryset(self, target=None):
        return (
            ActionItem.objects.with_last_update()
            .select_related("owner", "section__plan", "workstream__programme", "project__workstream__programme")
            .prefetch_related(self.recommendations_prefetch())
        )


ACTIONS = ActionKind()
