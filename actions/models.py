"""A peer review's areas, findings and recommendations, and the action plan
(and committee matters arising) that answer them."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from core.as_at import historic, rows_as_at
from core.fields import LimitedTextField
from core.models import RAG, Accountable, AccountableQuerySet, ProgressUpdate, RefManager, RefModel, new_ref, ref_field
from core.permissions import manages, owns_or_manages, within_managed_programmes
from core.scope import changed
from core.validators import DESCRIPTION_LIMIT, NOTE_LIMIT, REASON_LIMIT, validate_sensible_date
from programmes.models import Project, Workstream


class Review(RefModel):
    """An external review of the council, such as the London Efficiency Challenge 2010."""

    NAME_FIELD = "title"

    title = models.CharField(max_length=200)
    reviewing_body = models.CharField(max_length=200, help_text="Who carried out the review, e.g. Capital Ambition.")
    review_date = models.DateField(validators=[validate_sensible_date], help_text="The main challenge day.")
    report_wording = models.CharField(
        "report dated", max_length=100, blank=True, help_text="As printed on the report, e.g. “January 2010”."
    )
    report_reference = models.CharField(max_length=100, blank=True)
    review_team = LimitedTextField(blank=True, max_length=REASON_LIMIT, help_text="One member per line.")
    summary = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)

    class Meta:
        ordering = ["-review_date"]

    def get_absolute_url(self):
        return reverse("actions:review", args=[self.ref])


class ReviewArea(RefModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="review_area_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return f"{self.review.get_absolute_url()}#area-{self.number}"

    def prefetched_actions(self):
        """Every action under this area, once each: those answering its
        recommendations and its plan sections' other actions. Uses the rows
        prefetched by actions.access.get_review_for_user."""
        found = {}
        for recommendation in self.recommendations.all():
            for action in recommendation.actions.all():
                found.setdefault(action.pk, action)
        for section in self.plan_sections.all():
            for action in getattr(section, "unlinked_actions", []):
                found.setdefault(action.pk, action)
        return list(found.values())

    @cached_property
    def progress(self):
        return progress_summary(self.prefetched_actions())


class Finding(RefModel):
    area = models.ForeignKey(ReviewArea, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    text = LimitedTextField(max_length=REASON_LIMIT)

    class Meta:
        ordering = ["area", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="finding_number_unique_in_area")]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.area.get_absolute_url()


class Recommendation(RefModel, Accountable):
    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        GOOD_PRACTICE = "good_practice", "Good-practice example"
        INFORMATION = "information", "For information"

    area = models.ForeignKey(ReviewArea, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = LimitedTextField(max_length=REASON_LIMIT)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    history = HistoricalRecords()

    objects = RefManager.from_queryset(AccountableQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["area", "number"]
        constraints = [
            *Accountable.Meta.constraints,
            models.UniqueConstraint(fields=["area", "number"], name="recommendation_number_unique_in_area"),
        ]

    def __str__(self):
        return f"{self.area.number}.{self.number} {self.text[:80]}"

    def get_absolute_url(self):
        return reverse("actions:recommendation", args=[self.ref])

    def ref_stem(self):
        """Its area's ref and its number, e.g. lec-2010-area-3-rec-2."""
        return f"{self.area.ref if self.area_id else 'area'}-rec-{self.number}"

    def can_be_edited_by(self, user, programme_ids=None):
        """Managers of a programme delivering the review's action plan.
        `programme_ids` are those programmes when the caller already has them."""
        if programme_ids is None:
            programme_ids = [plan.programme_id for plan in self.area.review.action_plans.all()]
        return any(manages(user, pid, "actions.change_recommendation") for pid in programme_ids) or manages(
            user, None, "actions.change_recommendation"
        )

    SCOPE_AREA = "You can only choose areas of a review delivered by a programme you manage."

    def validate_scope(self, user, original=None, **related):
        """Managers of a programme delivering the review, for the review it
        was in and the one it will be in: a recommendation cannot be moved
        into another review (see core.scope)."""
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied("Only the managers of the programme delivering this review can change it.")
        if changed(self, original, "area") and not self.can_be_edited_by(user):
            raise ValidationError({"area": self.SCOPE_AREA})


class ActionPlan(RefModel):
    """The council's response to a review, e.g. the April 2010 LEC action plan."""

    NAME_FIELD = "title"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="action_plans")
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    dated = models.CharField(max_length=60, blank=True, help_text="As written, e.g. “April 2010”.")
    approved_by = models.CharField(max_length=200, blank=True)
    approved_on = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_plans",
        help_text="The programme that delivers this plan; its managers may edit the plan's actions.",
    )

    class Meta:
        ordering = ["review", "ref"]

    def get_absolute_url(self):
        return self.review.get_absolute_url()


class ActionPlanSection(RefModel):
    """A heading of an action plan. Most answer a review area; some (further
    research) do not."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    area = models.ForeignKey(ReviewArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_sections")

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_section_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    BLOCKED = "blocked", "Blocked"
    SUPERSEDED = "superseded", "Superseded"


CLOSED_STATUSES = [Status.COMPLETE, Status.SUPERSEDED]


class Progress(models.TextChoices):
    """The summary categories of the committee's action-plan progress table."""

    COMPLETE = "complete", "Complete"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OVERDUE = "overdue", "Overdue"
    SUPERSEDED = "superseded", "Superseded"


def progress_summary(actions, today=None):
    """Counts per progress category, in the table's column order."""
    counts = dict.fromkeys(Progress.values, 0)
    for action in actions:
        counts[action.progress_category(today)] += 1
    return counts


def _latest_update():
    """Each action's latest progress update, as a subquery on the outer action."""
    return ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-update_date", "-recorded_at")


class ActionItemQuerySet(AccountableQuerySet):
    def open(self):
        return super().open().exclude(status__in=CLOSED_STATUSES)

    def with_last_update(self):
        """Annotate `last_update_on` without a GROUP BY, so it combines with prefetching."""
        return self.annotate(last_update_on=Subquery(_latest_update().values("update_date")[:1]))

    def with_latest_note(self):
        """Annotate `latest_note`, the latest progress update's note, the same way."""
        return self.annotate(latest_note=Subquery(_latest_update().values("note")[:1]))

    def open_or_completed_since(self, since, until):
        """Still open, or completed after `since` (a date, or None for ever)
        and by `until`: what a committee follows up at a meeting."""
        still_open = ~Q(status__in=CLOSED_STATUSES) & ~Q(rag=RAG.COMPLETE)
        closed_since = Q(status=Status.COMPLETE, completed_on__lte=until)
        if since is not None:
            closed_since &= Q(completed_on__gt=since)
        return self.filter(still_open | closed_since)

    # What a committee's papers print of an action, read from its history as at their cut-off.
    AS_AT_FIELDS = [
        "title",
        "description",
        "status",
        "rag",
        "due_date",
        "due_wording",
        "due_wording_superseded",
        "completed_on",
    ]

    def as_at(self, when):
        """The actions as they stood at `when` (an aware datetime, the papers'
        cut-off): those created by then, each with its status, RAG, dates and
        wording from its history as at `when` and judged overdue on that day
        (core.as_at). Progress notes are the caller's to limit
        (ActionUpdate.objects.recorded_by)."""
        return rows_as_at(self, when, self.AS_AT_FIELDS, created_field="created_at")

    def open_or_completed_since_as_at(self, since, until):
        """open_or_completed_since, judged on the values as_at() read from the history."""
        still_open = ~historic(status__in=CLOSED_STATUSES) & ~historic(rag=RAG.COMPLETE)
        closed_since = historic(status=Status.COMPLETE, completed_on__lte=until)
        if since is not None:
            closed_since &= historic(completed_on__gt=since)
        return self.filter(still_open | closed_since)


class ActionItem(RefModel, Accountable):
    """Something a named owner has to do by a date: an action-plan item
    answering recommendations, or a matter arising from a committee minute
    (committees.MinutedAction links it to the minute)."""

    NAME_FIELD = "title"

    # The action form has no ref: a new action is given a short random one.
    ref = ref_field(default=new_ref)
    title = models.CharField(max_length=300, help_text="A short summary, as used in lists and reports.")
    description = LimitedTextField(
        blank=True, max_length=NOTE_LIMIT, help_text="The action in full, or the decision/agreement minuted."
    )
    section = models.ForeignKey(
        ActionPlanSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within its section.")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="actions")
    workstream = models.ForeignKey(Workstream, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    # Set when an update moved the due date but left the wording, which then no
    # longer matches it: the wording is kept (and on the DueDateRevision) but
    # shown as what it was, e.g. “31 July 2010 (revised; was “mid-April”)”.
    due_wording_superseded = models.BooleanField(
        default=False, editable=False, help_text="The deadline as written predates a revised due date."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = RefManager.from_queryset(ActionItemQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["section__plan", "section__number", "position", "due_date", "title"]
        constraints = [
            *Accountable.Meta.constraints,
            models.CheckConstraint(condition=Q(status__in=Status.values), name="action_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETE) | Q(completed_on__isnull=False),
                name="complete_action_has_completion_date",
            ),
        ]

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.ref])

    @property
    def programme_id(self):
        """The programme that delivers this action, through its project,
        workstream or action plan (callers select_related those)."""
        if self.project_id:
            return self.project.workstream.programme_id
        if self.workstream_id:
            return self.workstream.programme_id
        if self.section_id:
            return self.section.plan.programme_id
        return None

    def can_be_updated_by(self, user):
        """Progress updates: the owner (or their team) or a manager of its programme."""
        return owns_or_manages(user, self.owner_id, self.programme_id, "actions.add_actionupdate")

    def can_be_edited_by(self, user):
        """Changing the action itself: managers of its programme."""
        return manages(user, self.programme_id, "actions.change_actionitem")

    SCOPE_MESSAGES = {
        "section": "You can only choose action-plan sections of a programme you manage.",
        "workstream": "You can only choose workstreams of a programme you manage.",
        "project": "You can only choose projects of a programme you manage.",
        "recommendations": "You can only link recommendations of a review delivered by a programme you manage.",
        None: "An action must belong to a programme you manage: choose one of its workstreams, projects or "
        "action-plan sections.",
    }

    def validate_scope(self, user, original=None, recommendations=None, **related):
        """Managers of its programme, as it was and as it will be (see core.scope).

        Its programme comes from its project, else workstream, else plan
        section, so each of those chosen or changed must be in a programme
        the user manages, as must each recommendation newly linked (through
        the programme delivering its review's action plan); otherwise a
        manager could file an action under someone else's plan while its
        project kept it in theirs.
        """
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied("Only the managers of this action's programme can change it.")
        perm = "actions.change_actionitem" if original else "actions.add_actionitem"
        programme_of = {
            "project": lambda: self.project.workstream.programme_id,
            "workstream": lambda: self.workstream.programme_id,
            "section": lambda: self.section.plan.programme_id,
        }
        errors = {}
        for name, programme_id in programme_of.items():
            chosen = getattr(self, f"{name}_id") and changed(self, original, name)
            if chosen and not manages(user, programme_id(), perm):
                errors[name] = self.SCOPE_MESSAGES[name]
        if recommendations is not None:
            added = {r.pk for r in recommendations}
            if original is not None:
                added -= set(original.recommendations.values_list("pk", flat=True))
            in_reach = within_managed_programmes(
                Recommendation.objects.filter(pk__in=added), user, perm, "area__review__action_plans__programme"
            )
            if added and in_reach.count() < len(added):
                errors["recommendations"] = self.SCOPE_MESSAGES["recommendations"]
        if errors:
            raise ValidationError(errors)
        if not manages(user, self.programme_id, perm):
            raise ValidationError(self.SCOPE_MESSAGES[None])

    @property
    def minute(self):
        """The committee minute this action arose from, or None. The link is
        committees.MinutedAction (committees sit above action plans); pages
        that show it join it as `arising`."""
        return getattr(self, "arising", None)

    @property
    def current_due_wording(self):
        """The deadline as written, unless a revised due date superseded it."""
        return "" if self.due_wording_superseded else self.due_wording

    @property
    def due_wording_as_shown(self):
        """The deadline wording for a sheet or an email: as written, or, once a
        revised due date superseded it, marked so (“revised; was “mid-April””)."""
        if self.due_wording and self.due_wording_superseded:
            return f"revised; was “{self.due_wording}”"
        return self.due_wording

    @property
    def original_due_date(self):
        """The first deadline set, before any revision (uses prefetched revisions)."""
        revisions = list(self.due_date_revisions.all())
        return revisions[0].old_date if revisions else self.due_date

    @property
    def is_done(self):
        """Complete, by its status or by its RAG, whichever came first."""
        return self.status == Status.COMPLETE or self.is_complete

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES or self.is_complete

    def is_overdue(self, today=None):
        """Judged on `today`, else the day an as_at() row stands at, else today."""
        return not self.is_closed and super().is_overdue(today or getattr(self, "as_at_date", None))

    def progress_category(self, today=None):
        """How committee progress tables count it: complete, overdue, at risk
        (rated Red or Amber) or on track (Green, or not yet rated)."""
        if self.is_done:
            return Progress.COMPLETE
        if self.status == Status.SUPERSEDED:
            return Progress.SUPERSEDED
        if self.is_overdue(today):
            return Progress.OVERDUE
        if self.rag in (RAG.RED, RAG.AMBER) or self.status == Status.BLOCKED:
            return Progress.AT_RISK
        return Progress.ON_TRACK

    @property
    def latest_update(self):
        """The newest update, from prefetched `updates` (ordered newest first)."""
        updates = self.updates.all()
        return updates[0] if updates else None

    NEEDS_COMPLETION_DATE = "A completed action needs the date it was completed."
    FUTURE_COMPLETION = "The completion date cannot be in the future."
    COMPLETE_NEEDS_RAG = "A completed action is rated Complete: set the RAG status to Complete too."
    RAG_NEEDS_COMPLETE = "Only a complete action can be rated Complete: set the status to Complete too."
    PROJECT_OUTSIDE_WORKSTREAM = "That project is not in the chosen workstream."

    def clean(self):
        """Status and RAG agree on whether it is done, so lists, reminders and
        committee tables count it the same way whichever they read."""
        errors = {}
        if self.status == Status.COMPLETE and not self.completed_on:
            errors["completed_on"] = self.NEEDS_COMPLETION_DATE
        if self.completed_on and self.completed_on > timezone.localdate():
            errors["completed_on"] = self.FUTURE_COMPLETION
        if self.status == Status.COMPLETE and self.rag != RAG.COMPLETE:
            errors["rag"] = self.COMPLETE_NEEDS_RAG
        elif self.rag == RAG.COMPLETE and self.status != Status.COMPLETE:
            errors["rag"] = self.RAG_NEEDS_COMPLETE
        if self.project_id and self.workstream_id and self.project.workstream_id != self.workstream_id:
            errors["project"] = self.PROJECT_OUTSIDE_WORKSTREAM
        if errors:
            raise ValidationError(errors)


class ActionUpdateQuerySet(models.QuerySet):
    def recorded_by(self, when):
        """The notes a paper cut off at `when` (an aware datetime) could print:
        recorded by then, and dated no later than that day."""
        return self.filter(recorded_at__lte=when, update_date__lte=timezone.localtime(when).date())


class ActionUpdate(ProgressUpdate):
    """A dated progress note on an action. Append-only: never edited or deleted."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    update_date = models.DateField(
        default=timezone.localdate, validators=[validate_sensible_date], help_text="The date the note is correct to."
    )
    note = LimitedTextField(max_length=NOTE_LIMIT)
    rag_before = models.CharField(max_length=12, choices=RAG.choices, blank=True)
    rag_after = models.CharField(max_length=12, choices=RAG.choices, blank=True)
    status_before = models.CharField(max_length=12, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=Status.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True, help_text="Who wrote it, where there is no login.")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = RefManager.from_queryset(ActionUpdateQuerySet)()

    class Meta:
        ordering = ["action", "-update_date", "-recorded_at"]
        get_latest_by = ["update_date", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag_before__in=[*RAG.values, ""]) & Q(rag_after__in=[*RAG.values, ""]),
                name="action_update_rags_valid",
            ),
            models.CheckConstraint(
                condition=Q(status_before__in=[*Status.values, ""]) & Q(status_after__in=[*Status.values, ""]),
                name="action_update_statuses_valid",
            ),
            models.CheckConstraint(condition=~Q(note=""), name="action_update_has_note"),
        ]

    def __str__(self):
        return f"{self.action}: {self.update_date:%d %b %Y}"

    def get_absolute_url(self):
        return f"{self.action.get_absolute_url()}#update-{self.pk}"

    def clean(self):
        if self.update_date and self.update_date > timezone.localdate():
            raise ValidationError({"update_date": "An update cannot be dated in the future."})

    def validate_scope(self, user, original=None, **related):
        """The action's owner (or their team) or its programme's managers (see core.scope)."""
        if not self.action.can_be_updated_by(user):
            raise PermissionDenied("Only the action's owner, their team or its programme's managers can update it.")


class DueDateRevision(models.Model):
    """A change to an action's due date. The first revision's `old_date` is the
    original deadline; all are kept so committees see how often it slipped."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="due_date_revisions")
    # The old date is a record of what was there, whatever it was: bounding it
    # would stop anyone correcting a due date stored before dates were bounded.
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    # The deadline as written that matched `old_date` and that this revision left behind.
    old_wording = models.CharField("deadline as written before", max_length=300, blank=True)
    reason = LimitedTextField(max_length=REASON_LIMIT)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "changed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="due_date_revision_has_reason"),
        ]

    def __str__(self):
        old, new = (f"{day:%-d %b %Y}" if day else "none" for day in (self.old_date, self.new_date))
        return f"{self.action}: {old} → {new}"

    def get_absolute_url(self):
        return self.action.get_absolute_url()
