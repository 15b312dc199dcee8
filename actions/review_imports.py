"""The review's sheets, imported into a review or a programme and exported
from the review and its progress pages (core.imports does the reading,
preview and commit):

- "recommendations": a review's areas and recommendations, one row per
  recommendation, as the LEC report's “Recommendation/Opportunity” column
  lists them under each area;
- "findings": the areas' findings, the report's “Findings” column, a sheet
  of its own because an area has several of each and neither belongs to the
  other;
- "action-updates": dated progress notes on a programme's actions, as the
  OIP team collects them from action owners before a committee.

Areas a sheet names that the review does not have yet are added (number and
title), saved with full_clean by the kind, since review areas and findings
have no services: nobody edits them in the browser.
"""

import copy

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects

from actions import services
from actions.imports import ACTIONS
from actions.models import ActionItem, ActionUpdate, Finding, Recommendation, Review, ReviewArea, Status
from core.imports import (
    CellProblem,
    Column,
    ImportKind,
    choice,
    date,
    deadline_from_wording,
    display_date,
    export_sheet,
    integer,
    owner_directory,
    same_text,
    single_line,
    text,
)
from core.models import RAG
from core.permissions import within_managed_programmes
from core.spreadsheets import download, xlsx_response
from programmes.imports import programme_targets

NOT_YOURS = "Only the managers of the programme delivering this review can change its areas and findings."


def review_targets(user):
    """Reviews whose action plan a programme the user manages delivers
    (Recommendation.can_be_edited_by); every review for an administrator."""
    reviews = Review.objects.order_by("-review_date", "title")
    return within_managed_programmes(reviews, user, "actions.add_recommendation", "action_plans__programme")


def may_edit_review(user, review):
    """The rule for recommendations, applied to the areas and findings beside them."""
    programme_ids = [plan.programme_id for plan in review.action_plans.all()]
    return Recommendation(area=ReviewArea(review=review)).can_be_edited_by(user, programme_ids)


class Areas:
    """A review's areas by number, loaded once; a number the review lacks
    gives one unsaved area, shared by every row that names it, which the
    first of those rows to be saved adds."""

    def __init__(self, review):
        self.review = review
        self.by_number = {}
        for area in ReviewArea.objects.filter(review=review):
            area.review = review  # its action plans are prefetched on the target
            self.by_number[area.number] = area

    def __call__(self, value, context=None):
        number = integer(value)
        if number is None:
            return None
        if number < 1:
            raise CellProblem("an area's number is 1 or more.")
        if number not in self.by_number:
            self.by_number[number] = ReviewArea(review=self.review, number=number, title="")
        return self.by_number[number]

    @staticmethod
    def name(area, title):
        """Check the row's Area title against the area, or give a new area its title."""
        if area.pk is None and not area.title:
            if not title:
                raise CellProblem(f"Area {area.number} is not in this review yet: give its Area title to add it.")
            area.title = title
            try:
                area.clean_fields(exclude=["review", "ref"])
            except ValidationError as error:
                raise CellProblem(f"Area title: {' '.join(error.messages)}") from None
        elif title and not same_text(title, area.title):
            said = "is" if area.pk else "was named by an earlier row as"
            raise CellProblem(
                f"Area {area.number} of this review {said} “{area.title}”, not “{title}”. "
                "Correct the Area or the Area title, or leave the title blank."
            )


def area_column():
    return Column(
        "Area",
        "area",
        lambda v, lookups: lookups["areas"](v),
        required=True,
        export=lambda item: item.area.number,
        show=lambda area: str(area) if area else "",
        help="The number of the review area, e.g. 3 for “3. Customer access”.",
        width=8,
    )


AREA_TITLE = Column(
    "Area title",
    export=lambda item: item.area.title,
    help="The area's title, e.g. “Customer access”. Needed to add an area the review does not have yet; "
    "for an existing area it is checked against the review.",
    width=34,
)


class AreaRowsKind(ImportKind):
    """Rows that each belong to a numbered area of the review: matched by Ref,
    else by area number and the row's own number."""

    target_noun = "review"
    model = None
    item_noun = ""

    def targets(self, user):
        return review_targets(user)

    def existing(self, review):
        return self.model.objects.filter(area__review=review)

    def lookups(self, review):
        prefetch_related_objects([review], "action_plans")
        areas = Areas(review)
        by_pk = {area.pk: area for area in areas.by_number.values()}
        items = list(self.existing(review))
        for item in items:
            item.area = by_pk[item.area_id]
        return {
            "areas": areas,
            "by_ref": {item.ref: item for item in items},
            "by_number": {(item.area.number, item.number): item for item in items},
            "new_numbers": set(),
        }

    def number(self, area, number):
        return f"{area.number}.{number}"

    def find(self, values, lookups, review):
        area, number, ref = values["Area"], values["Number"], values.get("Ref")
        Areas.name(area, values.get("Area title", ""))
        taken = lookups["by_number"].get((area.number, number)) if area.pk else None
        found = lookups["by_ref"].get(ref) if ref else taken
        if taken is not None and found is not taken:
            raise CellProblem(
                f"{self.item_noun.capitalize()} {self.number(area, number)} is already in this review, "
                f"with the ref “{taken.ref}”: correct the Ref, the Area or the Number, or leave the Ref blank."
            )
        if found is None:
            key = (area.number, number)
            if key in lookups["new_numbers"]:
                raise CellProblem(f"an earlier row of this file is also {self.item_noun} {self.number(area, number)}.")
            lookups["new_numbers"].add(key)
        return found

    def new(self, values, lookups, review):
        return self.model(area=values["Area"])

    def label(self, item):
        return f"{self.item_noun.capitalize()} {self.number(item.area, item.number)}"

    def add_area(self, area, *, user):
        """Save a new area of the review; the first row naming it does."""
        if not may_edit_review(user, area.review):
            raise PermissionDenied(NOT_YOURS)
        wanted = f"{area.review.ref}-area-{area.number}"
        if not ReviewArea.objects.filter(ref=wanted).exists():
            area.ref = wanted  # as the seed names them: lec-2010-area-3
        area.full_clean()
        area.save()

    def prepare(self, item, *, user):
        if item.area.pk is None:
            self.add_area(item.area, user=user)
        item.area = item.area  # its area_id, now the area is saved

    def export_queryset(self, target=None):
        items = self.model.objects.select_related("area")
        return items.filter(area__review=target) if target is not None else items


class RecommendationKind(AreaRowsKind):
    slug = "recommendations"
    position = 2
    title = "Review recommendations"
    noun = "recommendation"
    item_noun = "recommendation"
    model = Recommendation
    sheet_name = "Recommendations"
    description = (
        "A review's recommendations and opportunities, one row each, under the numbered areas of the review "
        "report. Areas the review does not have yet are added. Findings go on the Findings sheet."
    )
    matching = (
        "Rows are matched by Ref; a row without one is matched by its Area and Number (recommendation 3.2 is "
        "Area 3, Number 2)."
    )
    columns = [
        area_column(),
        AREA_TITLE,
        Column(
            "Number",
            "number",
            integer,
            required=True,
            help="The recommendation's number within its area: 2 for recommendation 3.2.",
            width=9,
        ),
        Column("Recommendation", "text", text, required=True, help="As the review report words it.", width=70),
        Column(
            "Type",
            "kind",
            choice(Recommendation.Kind),
            help="Recommendation (if left blank), Good-practice example, or For information.",
            width=22,
        ),
        Column(
            "Owner",
            "owner",
            lambda v, lookups: lookups["owners"].find(v),
            export=lambda r: r.owner.name if r.owner else "",
            help="Who is accountable for it: a person or team as named under People (optional).",
        ),
        Column(
            "Deadline",
            "due_wording",
            text,
            help="In the plan's own words, e.g. “end of June 2010”, “post-elections”, or a date (optional).",
            width=24,
        ),
        Column("Due date", "due_date", date, help="The real date used to tell it is overdue (optional)."),
        Column("RAG", "rag", choice(RAG), help="Left as it is when blank; Not yet rated for a new one."),
        Column(
            "Actions answering it",
            export=lambda r: "\n".join(a.title for a in r.actions.all()),
            help="Shown in exports only; link actions to recommendations on the Actions sheet.",
            width=50,
        ),
        Column(
            "Ref", export=lambda r: r.ref, help="Leave blank for a new recommendation: one is made for it.", width=22
        ),
    ]
    examples = [
        {
            "Area": 1,
            "Area title": "Strategic approach to efficiency",
            "Number": 1,
            "Recommendation": "Strong leadership and a corporate approach will be required to deliver the savings "
            "needed in future",
            "Type": "Recommendation",
            "RAG": "Not yet rated",
        },
        {
            "Area": 1,
            "Area title": "Strategic approach to efficiency",
            "Number": 2,
            "Recommendation": "Involve and value staff and encourage innovation",
            "Deadline": "end of June 2010",
        },
        {
            "Area": 3,
            "Area title": "Customer access",
            "Number": 5,
            "Recommendation": "Hammersmith & Fulham potential good practice example: customer access strategy",
            "Type": "Good-practice example",
        },
    ]

    def existing(self, review):
        return Recommendation.objects.filter(area__review=review).select_related("owner")

    def lookups(self, review):
        return {**super().lookups(review), "owners": owner_directory()}

    def derive(self, values):
        deadline_from_wording(values)
        for heading in ("Type", "RAG"):
            if values.get(heading) is None:
                values.pop(heading, None)  # blank: as it is, or the default for a new one

    def save(self, recommendation, m2m, *, user, expected_version):
        self.prepare(recommendation, user=user)
        return super().save(recommendation, m2m, user=user, expected_version=expected_version)

    def export_queryset(self, target=None):
        return super().export_queryset(target).select_related("owner").prefetch_related("actions")


class FindingKind(AreaRowsKind):
    slug = "findings"
    position = 1
    title = "Review findings"
    noun = "finding"
    item_noun = "finding"
    model = Finding
    sheet_name = "Findings"
    description = (
        "A review's findings, one row each, under the numbered areas of the review report. Areas the review "
        "does not have yet are added."
    )
    matching = "Rows are matched by Ref; a row without one is matched by its Area and Number."
    columns = [
        area_column(),
        AREA_TITLE,
        Column(
            "Number",
            "number",
            integer,
            required=True,
            help="The finding's number within its area: 1 for the area's first finding.",
            width=9,
        ),
        Column("Finding", "text", text, required=True, help="As the review report words it.", width=80),
        Column("Ref", export=lambda f: f.ref, help="Leave blank for a new finding: one is made for it.", width=22),
    ]
    examples = [
        {
            "Area": 1,
            "Area title": "Strategic approach to efficiency",
            "Number": 1,
            "Finding": "Change programmes brought together within a single Organisational Improvement Programme",
        },
        {
            "Area": 3,
            "Area title": "Customer access",
            "Number": 1,
            "Finding": "Limited transactional capability of website",
        },
    ]

    def save(self, finding, m2m, *, user, expected_version):
        """Findings are not versioned: the commit's re-plan, which compares
        each finding's values with the preview's, stands in for a version check."""
        if not may_edit_review(user, finding.area.review):
            raise PermissionDenied(NOT_YOURS)
        self.prepare(finding, user=user)
        finding.full_clean()
        finding.save()
        return finding


# --- Progress updates -------------------------------------------------------------

ACTION_HEADINGS = {
    "rag": "RAG",
    "status": "Status",
    "completed_on": "Completed on",
    "due_date": "Due date",
    "update_date": "Date",
    "note": "Note",
    "author_name": "Written by",
}


def _problem(error):
    """A model's ValidationError as one cell message, each part under its column's heading."""
    parts = []
    for name, messages in error.message_dict.items():
        heading = ACTION_HEADINGS.get(name)
        parts += [f"{heading}: {m}" if heading else m for m in messages]
    return CellProblem(" ".join(parts))


def _note_key(note):
    return " ".join(note.split())


class ActionUpdateKind(ImportKind):
    """Progress notes are append-only: a row is either one already recorded
    (the same action, date and note: unchanged) or a new note, recorded
    through record_action_update as the update form does. Its columns have no
    attribute for the engine to compare, since a recorded note is never
    changed; the row's values go to the service."""

    slug = "action-updates"
    position = 4
    title = "Progress updates on actions"
    noun = "progress update"
    sheet_name = "Progress updates"
    description = (
        "Dated progress notes on a programme's actions, as the action owners report them, each with the "
        "action's RAG and status as they now stand. Notes already recorded are left as they are."
    )
    matching = (
        "Rows are matched to their action by Action ref. A row with the same action, date and note as an "
        "update already recorded is left unchanged; every other row adds an update."
    )
    columns = [
        Column(
            "Action ref",
            parse=single_line,
            required=True,
            export=lambda u: u.action.ref,
            help="The action's Ref, as the Actions sheet or its page shows.",
            width=20,
        ),
        Column(
            "Action",
            parse=single_line,
            export=lambda u: u.action.title,
            help="The action's title, for reading only: the Action ref decides which action.",
            width=45,
        ),
        Column(
            "Date",
            parse=date,
            required=True,
            export=lambda u: u.update_date,
            help="The date the note is correct to, e.g. 31/05/2010.",
            width=12,
        ),
        Column(
            "Note",
            parse=text,
            required=True,
            export=lambda u: u.note,
            help="What has been done, and what happens next.",
            width=70,
        ),
        Column(
            "RAG",
            parse=choice(RAG),
            export=lambda u: u.get_rag_after_display(),
            help="The action's RAG status now; left as it is when blank.",
            width=14,
        ),
        Column(
            "Status",
            parse=choice(Status),
            export=lambda u: u.get_status_after_display(),
            help="The action's status now; left as it is when blank.",
            width=14,
        ),
        Column(
            "Completed on",
            parse=date,
            export=lambda u: "",
            help="When a complete action was completed; the update's date if blank.",
            width=14,
        ),
        Column(
            "Due date",
            parse=date,
            export=lambda u: "",
            help="A new due date for the action; left as it is when blank.",
            width=12,
        ),
        Column(
            "Reason for due date change",
            parse=text,
            export=lambda u: "",
            help="Needed when the due date changes.",
            width=40,
        ),
        Column(
            "Written by",
            parse=single_line,
            export=lambda u: u.author_name,
            help="Who wrote the note, when you enter it for them.",
            width=24,
        ),
    ]
    examples = [
        {
            "Action ref": "lec-2010-ap-1-1",
            "Action": "Produce a list of key OIP projects, timescales, milestones and estimated costs",
            "Date": "20/05/2010",
            "Note": "List of key projects agreed by the OIP Board; costs to follow.",
            "RAG": "Green",
            "Status": "In progress",
            "Written by": "OIP Team",
        },
        {
            "Action ref": "lec-2010-ap-1-2",
            "Action": "Communicate the OIP projects and timescales to staff",
            "Date": "1 June 2010",
            "Note": "Article in Inform; Managers' Briefing moved to July.",
            "RAG": "Amber",
            "Due date": "31/07/2010",
            "Reason for due date change": "Managers' Briefing rescheduled.",
        },
    ]

    def targets(self, user):
        return programme_targets(user, "actions.add_actionupdate")

    def lookups(self, programme):
        actions = {a.pk: a for a in ACTIONS.actions_of(programme)}
        recorded = {}
        for update in ActionUpdate.objects.filter(action__in=ACTIONS.actions_of(programme).values("pk")):
            update.action = actions[update.action_id]
            recorded.setdefault((update.action_id, update.update_date, _note_key(update.note)), update)
        return {
            "by_ref": {a.ref: a for a in actions.values()},
            "recorded": recorded,
            "state": {},  # each action as the rows so far leave it
            "new_keys": set(),
        }

    def label(self, update):
        return f"{update.action.title[:80]}: {display_date(update.update_date)}"

    def find(self, values, lookups, programme):
        action = lookups["by_ref"].get(values["Action ref"])
        if action is None:
            raise CellProblem(f"Action ref: no action of this programme has the ref “{values['Action ref']}”.")
        key = (action.pk, values["Date"], _note_key(values["Note"]))
        if key in lookups["recorded"]:
            return lookups["recorded"][key]
        if key in lookups["new_keys"]:
            raise CellProblem("an earlier row of this file has the same action, date and note.")
        lookups["new_keys"].add(key)
        values["_update"] = self.planned_update(action, values, lookups["state"])
        return None

    def planned_update(self, action, values, state):
        """The update this row records, checked as record_action_update will
        check it, against the action as the file's earlier rows leave it."""
        now = state.setdefault(action.pk, copy.copy(action))
        after = copy.copy(now)
        after.status = values.get("Status") or now.status
        after.rag = values.get("RAG") or now.rag
        completed_on = values.get("Completed on")
        if after.status == Status.COMPLETE:
            after.rag = RAG.COMPLETE
            kept = now.completed_on if now.status == Status.COMPLETE else None
            after.completed_on = completed_on or kept or values["Date"]
        elif completed_on:
            raise CellProblem("Completed on: only a complete action has a completion date: set its Status to Complete.")
        else:
            after.completed_on = None
        after.due_date = values.get("Due date") or now.due_date
        reason = values.get("Reason for due date change", "")
        if after.due_date != now.due_date and not reason.strip():
            raise CellProblem(
                f"Reason for due date change: the due date changes from {display_date(now.due_date) or 'none'} "
                f"to {display_date(after.due_date)}, so give a reason."
            )
        update = ActionUpdate(
            action=action,
            update_date=values["Date"],
            note=values["Note"],
            rag_before=now.rag,
            rag_after=after.rag,
            status_before=now.status,
            status_after=after.status,
            author_name=values.get("Written by", ""),
        )
        checked = [f.name for f in ActionItem._meta.concrete_fields if f.name not in ACTION_HEADINGS]
        try:
            after.clean_fields(exclude=checked)
            after.clean()
            update.clean_fields(exclude=["action", "author", "ref"])
            update.clean()
        except ValidationError as error:
            raise _problem(error) from None
        update.service_args = {
            "rag": after.rag,
            "status": after.status,
            "completed_on": after.completed_on,
            "due_date": after.due_date,
            "due_change_reason": reason,
        }
        state[action.pk] = after
        return update

    def new(self, values, lookups, programme):
        return values["_update"]

    def fingerprint(self, update):
        """A new note depends on its action as it stood at the preview: if
        anyone saves the action meanwhile, the import is refused."""
        if update.pk is None:
            return [update.action.pk, update.action.version]
        return [update.pk]

    def save(self, update, m2m, *, user, expected_version):
        # Each row of an action saves on top of the one before, so the version
        # expected is the action's own, as the previous row's save left it.
        action = update.action
        action._change_reason = getattr(update, "_change_reason", "")
        recorded = services.record_action_update(
            action=action,
            user=user,
            expected_version=action.version,
            note=update.note,
            update_date=update.update_date,
            author_name=update.author_name,
            **update.service_args,
        )
        update.pk, update.ref = recorded.pk, recorded.ref
        return recorded

    def export_queryset(self, target=None):
        updates = ActionUpdate.objects.select_related("action")
        if target is not None:
            updates = updates.filter(action__in=ACTIONS.actions_of(target).values("pk"))
        return updates.order_by("action__ref", "update_date", "recorded_at")


RECOMMENDATIONS = RecommendationKind()
FINDINGS = FindingKind()
ACTION_UPDATES = ActionUpdateKind()


# --- The review pages' downloads ---------------------------------------------


def review_download(review, fmt):
    """The review page's recommendations, in page order and the
    recommendations sheet's layout (so the file imports back); the workbook
    also has the areas' findings, in the findings sheet's. Uses what
    get_review_for_user prefetched."""
    areas = list(review.areas.all())
    recommendations = [r for area in areas for r in area.recommendations.all()]
    findings = [f for area in areas for f in area.findings.all()]
    basename = f"{review.ref}-recommendations"
    if fmt == "csv":
        return download(fmt, export_sheet(RECOMMENDATIONS, recommendations), basename)
    sheets = [export_sheet(RECOMMENDATIONS, recommendations), export_sheet(FINDINGS, findings)]
    return xlsx_response(sheets, f"{basename}.xlsx")


PROGRESS_EXTRAS = ["Area", "Latest update note"]


def progress_actions(review):
    """The actions of the review's progress table, in its order, each once
    (an action answering recommendations in two areas is under the first),
    with the area it is under. Uses what get_review_for_user prefetched."""
    seen, rows = set(), []
    for area in review.areas.all():
        under = [a for r in area.recommendations.all() for a in r.actions.all()]
        under += [a for s in area.plan_sections.all() for a in getattr(s, "unlinked_actions", [])]
        for action in under:
            if action.pk not in seen:
                seen.add(action.pk)
                rows.append((area, action))
    prefetch_related_objects(
        [a for _, a in rows], Prefetch("recommendations", Recommendation.objects.select_related("area"))
    )
    return rows


def progress_download(review, fmt):
    """The LEC progress table's actions in the Actions sheet's layout (so
    the file imports back into the programme), with the area each is under
    and its latest progress note, which an import ignores."""
    headings = [PROGRESS_EXTRAS[0], *(c.heading for c in ACTIONS.columns), PROGRESS_EXTRAS[1]]
    widths = [30, *(c.width for c in ACTIONS.columns), 60]

    shown = progress_actions(review)  # now, not as a CSV streams

    def rows():
        for area, action in shown:
            latest = action.latest_update
            yield [str(area), *ACTIONS.export_row(action), latest.note if latest else ""]

    sheet = ("Action plan progress", headings, rows(), widths)
    return download(fmt, sheet, f"{review.ref}-progress")
