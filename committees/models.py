"""Committees, their meetings and agendas, and the minuted actions that
become matters arising.

Committees sit above both domains: a meeting takes programmes' highlight
reports and follows up review actions, so this app points down at
`programmes` and `actions`, and neither of them knows it exists.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse

from actions.models import ActionItem
from core.fields import LimitedTextField
from core.models import RefModel
from core.validators import REASON_LIMIT, validate_sensible_date
from programmes.models import HighlightReport, Programme


class Committee(RefModel):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=60, blank=True, help_text="As written on reports, e.g. “I&E sub-committee”."
    )
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="committees",
        help_text="The programmes that report to this committee (their highlight reports are addressed to it).",
    )

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("committees:detail", args=[self.ref])


class MeetingQuerySet(models.QuerySet):
    def before(self, meeting):
        return self.filter(committee=meeting.committee, date__lt=meeting.date)


class MeetingManager(models.Manager.from_queryset(MeetingQuerySet)):
    def get_by_natural_key(self, committee_ref, date):
        return self.get(committee__ref=committee_ref, date=date)


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(validators=[validate_sensible_date])
    time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    reports = models.ManyToManyField(
        HighlightReport,
        blank=True,
        related_name="meetings",
        help_text="Published highlight reports presented at this meeting.",
    )
    pack_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agenda item whose report cover sheet opens the committee pack.",
    )

    objects = MeetingManager()

    class Meta:
        ordering = ["committee", "-date"]
        constraints = [models.UniqueConstraint(fields=["committee", "date"], name="one_meeting_per_committee_per_day")]

    def __str__(self):
        return f"{self.committee.short_name or self.committee.name}, {self.date:%d %B %Y}"

    def natural_key(self):
        return (self.committee.ref, self.date.isoformat())

    natural_key.dependencies = ["committees.committee"]

    def get_absolute_url(self):
        return reverse("committees:meeting", args=[self.pk])

    @staticmethod
    def can_be_managed_by(user):
        """Committee clerks (and administrators) run meetings: dates, agendas,
        attached reports and packs. They cannot change programme data."""
        return user.has_perm("committees.change_meeting")

    def validate_scope(self, user, original=None, reports=None, **related):
        """Only clerks save meetings (see core.scope). Reports newly attached
        must be published: a draft may still change after the pack is printed.
        Reports attached earlier and since superseded may stay."""
        if not self.can_be_managed_by(user):
            raise PermissionDenied("Only committee clerks can change meetings and their agendas.")
        if reports is not None:
            attached = set(original.reports.values_list("pk", flat=True)) if original else set()
            if any(r.status != HighlightReport.Status.PUBLISHED for r in reports if r.pk not in attached):
                raise ValidationError({"reports": "Only published highlight reports can go to committee."})

    def clean(self):
        if self.pack_item_id and not AgendaItem.objects.filter(pk=self.pack_item_id, meeting_id=self.pk).exists():
            raise ValidationError({"pack_item": "The cover sheet must come from one of this meeting's agenda items."})

    def previous(self):
        return Meeting.objects.before(self).order_by("-date").first()


class AgendaItemManager(models.Manager):
    def get_by_natural_key(self, committee_ref, date, number):
        return self.get(meeting__committee__ref=committee_ref, meeting__date=date, number=number)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    report_number = models.CharField(max_length=30, blank=True, help_text="e.g. CEO1058")
    contact_officer = models.CharField(max_length=200, blank=True)
    pages = models.CharField(max_length=30, blank=True)
    exempt = models.BooleanField(default=False, help_text="Taken with the press and public excluded.")
    # The report cover sheet, in the council's format (printed at the front of a committee pack).
    decision_maker = models.CharField(
        max_length=200, blank=True, help_text="e.g. Improvement and Efficiency Sub-Committee"
    )
    decision_type = models.CharField(max_length=100, blank=True, help_text="e.g. Non-Urgent Non-Executive Non-Key")
    chief_officer = models.CharField(max_length=200, blank=True)
    ward = models.CharField(max_length=100, blank=True, help_text="e.g. Borough wide, or N/A")
    reason = LimitedTextField("reason for report", blank=True, max_length=REASON_LIMIT)
    recommendations = LimitedTextField(
        blank=True, max_length=REASON_LIMIT, help_text="What the committee is asked to do, one per line."
    )

    objects = AgendaItemManager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#agenda-{self.number}"

    def validate_scope(self, user, original=None, **related):
        """Clerks run every committee's agendas (see core.scope)."""
        if not Meeting.can_be_managed_by(user):
            raise PermissionDenied("Only committee clerks can change meetings and their agendas.")

    def natural_key(self):
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["committees.meeting"]


class MinutedActionQuerySet(models.QuerySet):
    def matters_arising_for(self, meeting, previous_meeting=None):
        """The rows of a meeting's "Matters arising from previous meetings"
        table: actions minuted at earlier meetings of the same committee that
        are still open, plus those completed since the previous meeting (shown
        as complete so members see them close)."""
        since = previous_meeting.date if previous_meeting is not None else None
        actions = ActionItem.objects.open_or_completed_since(since, meeting.date)
        return self.filter(
            meeting__committee=meeting.committee_id, meeting__date__lt=meeting.date, action__in=actions
        ).order_by("meeting__date", "minute_number", "pk")

    def for_table(self):
        """With what the matters-arising table prints: the action, its owner
        and its updates (newest first), and the meeting with its committee."""
        return self.select_related("action__owner", "meeting__committee").prefetch_related("action__updates")


class MinutedActionManager(models.Manager.from_queryset(MinutedActionQuerySet)):
    def get_by_natural_key(self, action_ref):
        return self.get(action__ref=action_ref)


class MinutedAction(models.Model):
    """An action that a committee minute gave rise to: it is followed up as a
    matter arising at the committee's later meetings until it is complete.

    The link lives here rather than on the action because minutes belong to
    committees, which sit above the action plans they follow up."""

    action = models.OneToOneField(ActionItem, on_delete=models.CASCADE, related_name="arising")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="minuted_actions",
        help_text="The committee meeting whose minutes gave rise to this action.",
    )
    minute_number = models.CharField(max_length=20, blank=True)
    minute_title = models.CharField(max_length=300, blank=True)

    objects = MinutedActionManager()

    class Meta:
        ordering = ["meeting", "minute_number", "pk"]
        verbose_name = "action arising from a minute"

    def __str__(self):
        return f"{self.minute_label}, {self.meeting}"

    @property
    def minute_label(self):
        return " ".join(part for part in ["Minute", self.minute_number, self.minute_title] if part)

    def get_absolute_url(self):
        return self.action.get_absolute_url()

    def natural_key(self):
        return (self.action.ref,)

    natural_key.dependencies = ["actions.actionitem", "committees.meeting"]

    def validate_scope(self, user, original=None, **related):
        """Clerks minute meetings: only they (and administrators) say which
        meeting an action arose from (see core.scope)."""
        if not Meeting.can_be_managed_by(user):
            raise PermissionDenied(
                "Only committee clerks and administrators can say which meeting an action arose from."
            )
