"""Programmes → workstreams → projects, their periodic updates, and the
committees they report to."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import RAG, Accountable, AccountableQuerySet
from core.permissions import manages, owns_or_manages


def new_ref():
    return uuid.uuid4().hex[:12]


class RefManager(models.Manager):
    """Fixtures name rows by their `ref`, so re-loading updates instead of duplicating."""

    def get_by_natural_key(self, ref):
        return self.get(ref=ref)


class Committee(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=60, blank=True, help_text="As written on reports, e.g. “I&E sub-committee”."
    )
    ref = models.SlugField(max_length=60, unique=True)

    objects = RefManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.ref,)

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
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)

    objects = MeetingManager()

    class Meta:
        ordering = ["committee", "-date"]
        constraints = [models.UniqueConstraint(fields=["committee", "date"], name="one_meeting_per_committee_per_day")]

    def __str__(self):
        return f"{self.committee.short_name or self.committee.name}, {self.date:%d %B %Y}"

    def natural_key(self):
        return (self.committee.ref, self.date.isoformat())

    natural_key.dependencies = ["programmes.committee"]

    def get_absolute_url(self):
        return reverse("committees:meeting", args=[self.pk])

    @staticmethod
    def can_be_managed_by(user):
        """Committee clerks (and administrators) run meetings: dates, agendas,
        attached reports and packs. They cannot change programme data."""
        return manages(user, None, "programmes.change_meeting") or user.has_perm("programmes.change_meeting")

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

    objects = AgendaItemManager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#agenda-{self.number}"

    def natural_key(self):
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["programmes.meeting"]


class Stage(models.TextChoices):
    DEFINITION = "definition", "Definition"
    INITIATION = "initiation", "Initiation"
    DELIVERY = "delivery", "Delivery"
    CLOSURE = "closure", "Closure"


class ProgrammeQuerySet(AccountableQuerySet):
    def with_structure(self):
        """Everything the programme overview shows, in a fixed number of queries."""
        projects = Project.objects.select_related("owner").with_last_update()
        return self.select_related("owner", "reports_to").prefetch_related(
            Prefetch("workstreams", queryset=Workstream.objects.select_related("owner")),
            Prefetch("workstreams__projects", queryset=projects),
        )


class Programme(Accountable):
    """A programme such as Bromley's Organisational Improvement Programme.

    Its due date is the proposed end date; its RAG is the overall status the
    programme reports to committee.
    """

    name = models.CharField(max_length=200, unique=True)
    ref = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    sponsor = models.CharField(max_length=200, blank=True, help_text="Who chairs or sponsors the programme.")
    report_authors = models.CharField("report author(s)", max_length=200, blank=True)
    stage = models.CharField("stage / status", max_length=12, choices=Stage.choices, default=Stage.DEFINITION)
    start_date = models.DateField(null=True, blank=True)
    start_wording = models.CharField(max_length=60, blank=True, help_text="As written, e.g. “Oct 09”.")
    management_summary = models.TextField(blank=True, help_text="The current summary for highlight reports.")
    reports_to = models.ForeignKey(
        Committee, on_delete=models.SET_NULL, null=True, blank=True, related_name="programmes"
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_programmes",
        help_text="Programme managers may edit everything within this programme.",
    )
    history = HistoricalRecords()

    objects = RefManager.from_queryset(ProgrammeQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.ref,)

    def get_absolute_url(self):
        return reverse("programmes:detail", args=[self.ref])

    def can_be_edited_by(self, user):
        return manages(user, self.pk, "programmes.change_programme")

    def clean(self):
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": "The proposed end date cannot be before the start date."})

    def rolled_up_rag(self):
        """The worst RAG among the programme's projects (uses prefetched rows)."""
        ratings = [p.rag for w in self.workstreams.all() for p in w.projects.all() if RAG.severity(p.rag) is not None]
        return min(ratings, key=RAG.severity) if ratings else RAG.NOT_RATED


class Workstream(Accountable):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workstreams")
    name = models.CharField(max_length=200)
    ref = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the programme.")
    history = HistoricalRecords()

    objects = RefManager.from_queryset(AccountableQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["programme", "position", "name"]
        constraints = [
            *Accountable.Meta.constraints,
            models.UniqueConstraint(fields=["programme", "name"], name="workstream_name_unique_in_programme"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.ref,)

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#workstream-{self.ref}"

    def can_be_edited_by(self, user):
        return manages(user, self.programme_id, "programmes.change_workstream")


class ProjectQuerySet(AccountableQuerySet):
    def with_last_update(self):
        """Annotate `last_update_on` without a GROUP BY, so it combines with prefetching."""
        latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-period_end", "-recorded_at")
        return self.annotate(last_update_on=Subquery(latest.values("period_end")[:1]))


class Project(Accountable):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    ref = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the workstream.")
    history = HistoricalRecords()

    objects = RefManager.from_queryset(ProjectQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["workstream", "position", "name"]
        constraints = [
            *Accountable.Meta.constraints,
            models.UniqueConstraint(fields=["workstream", "name"], name="project_name_unique_in_workstream"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.ref,)

    def get_absolute_url(self):
        return reverse("programmes:project", args=[self.ref])

    @property
    def programme_id(self):
        return self.workstream.programme_id

    def can_be_updated_by(self, user):
        """Progress updates: the project's owner (or their team) or a manager of its programme."""
        return owns_or_manages(user, self.owner_id, self.programme_id, "programmes.add_projectupdate")

    def can_be_edited_by(self, user):
        """Changing the project itself (name, owner, workstream): its programme's managers."""
        return manages(user, self.programme_id, "programmes.change_project")


class ProjectUpdate(models.Model):
    """One reporting period's narrative for a project: the raw material of a
    highlight report. A project has many over time; they are never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    ref = models.CharField(max_length=60, unique=True, default=new_ref, editable=False)
    period_start = models.DateField("covers from", null=True, blank=True)
    period_end = models.DateField("covers to", help_text="The date this update is correct to.")
    key_progress = models.TextField("key progress during the period")
    risks_issues = models.TextField("risks and issues to be raised for information or escalated", blank=True)
    next_tasks = models.TextField("tasks planned for next period", blank=True)
    rag = models.CharField("RAG status", max_length=12, choices=RAG.choices)
    rag_before = models.CharField(max_length=12, choices=RAG.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True, help_text="Who wrote it, where there is no login.")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = RefManager()

    class Meta:
        ordering = ["project", "-period_end", "-recorded_at"]
        get_latest_by = ["period_end", "recorded_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rag__in=RAG.values), name="project_update_rag_valid"),
            models.CheckConstraint(
                condition=models.Q(rag_before__in=[*RAG.values, ""]), name="project_update_rag_before_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True) | models.Q(period_start__lte=models.F("period_end")),
                name="project_update_period_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.project} to {self.period_end:%d %b %Y}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Project updates are append-only: record a new update instead.")
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.ref,)

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#update-{self.pk}"
