"""Programmes → workstreams → projects, their periodic updates, and the
highlight reports drafted from them."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Min, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import normalize_newlines
from simple_history.models import HistoricalRecords

from core.fields import LimitedTextField
from core.models import (
    RAG,
    Accountable,
    AccountableQuerySet,
    ProgressUpdate,
    RefManager,
    RefModel,
    new_ref,  # noqa: F401 (early migrations name programmes.models.new_ref)
)
from core.permissions import manages, owns_or_manages
from core.scope import changed
from core.validators import (
    DESCRIPTION_LIMIT,
    NOTE_LIMIT,
    REASON_LIMIT,
    is_sensible_date,
    validate_sensible_date,
)

# A highlight report prints each project's three narratives side by side in
# one table row on A4 landscape, and the committee pack prints the report
# again. These limits (twice the longest 2010 narrative, 705 characters, and
# four times its 10 lines) keep the PDF of the largest report allowed, 60
# projects with every narrative at both limits, well inside a web worker's
# 30 s timeout (bench/largest_report_pdf.py: about 15 s in the worst case,
# 2,000 characters took 23 s). Lines count because a column of one-word
# lines prints far taller than its characters suggest.
NARRATIVE_LIMIT = 1_500
REPORT_LINES = 40

# A reporting period may end a little ahead, so a manager can draft the
# month's report in its last days, but no further: a period ending years
# ahead would stop every later report from following it.
REPORT_PERIOD_MARGIN = datetime.timedelta(days=31)


class Stage(models.TextChoices):
    DEFINITION = "definition", "Definition"
    INITIATION = "initiation", "Initiation"
    DELIVERY = "delivery", "Delivery"
    CLOSURE = "closure", "Closure"


class ProjectStage(models.TextChoices):
    """Where a project is in its life, in the words of the council's papers."""

    PROPOSED = "proposed", "Proposed"
    SCOPING = "scoping", "Scoping"
    BUSINESS_CASE = "business_case", "Business case"
    IMPLEMENTATION = "implementation", "Implementation"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


class ProjectStatus(models.TextChoices):
    """Whether a project is being run: closed is its stage Closed, on hold its on_hold flag."""

    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class ProgrammeQuerySet(AccountableQuerySet):
    def with_committee(self):
        """Annotate the committee the programme reports to (`reports_to`, its
        name, and `reports_to_short`), for headers. Committees sit above
        programmes and list the programmes reporting to them; this follows
        that link back without importing them. With several, the first by name."""
        return self.annotate(reports_to=Min("committees__name"), reports_to_short=Min("committees__short_name"))

    def with_structure(self):
        """Everything the programme overview shows, in a fixed number of queries."""
        projects = Project.objects.select_related("owner").with_last_update()
        return (
            self.select_related("owner")
            .with_committee()
            .prefetch_related(
                Prefetch("workstreams", queryset=Workstream.objects.select_related("owner")),
                Prefetch("workstreams__projects", queryset=projects),
            )
        )


class Programme(RefModel, Accountable):
    """A programme such as Bromley's Organisational Improvement Programme.

    Its due date is the proposed end date; its RAG is the overall status the
    programme reports to committee.
    """

    name = models.CharField(max_length=200, unique=True)
    description = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    sponsor = models.CharField(max_length=200, blank=True, help_text="Who chairs or sponsors the programme.")
    report_authors = models.CharField("report author(s)", max_length=200, blank=True)
    stage = models.CharField("stage / status", max_length=12, choices=Stage.choices, default=Stage.DEFINITION)
    start_date = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    start_wording = models.CharField(max_length=60, blank=True, help_text="As written, e.g. “Oct 09”.")
    management_summary = LimitedTextField(
        blank=True,
        max_length=NOTE_LIMIT,
        max_lines=REPORT_LINES,
        help_text="The current summary for highlight reports.",
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

    def get_absolute_url(self):
        return reverse("programmes:detail", args=[self.ref])

    def can_be_edited_by(self, user):
        return manages(user, self.pk, "programmes.change_programme")

    def validate_scope(self, user, original=None, **related):
        """Any programme manager may start a programme; only its managers
        change it (see core.scope)."""
        if original is None and not user.has_perm("programmes.add_programme"):
            raise PermissionDenied("Only programme managers can create programmes.")
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied("Only this programme's managers can change it.")

    def clean(self):
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError({"due_date": "The proposed end date cannot be before the start date."})


class Workstream(RefModel, Accountable):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workstreams")
    name = models.CharField(max_length=200)
    description = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the programme.")
    history = HistoricalRecords()

    objects = RefManager.from_queryset(AccountableQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["programme", "position", "name"]
        constraints = [
            *Accountable.Meta.constraints,
            models.UniqueConstraint(fields=["programme", "name"], name="workstream_name_unique_in_programme"),
        ]

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#workstream-{self.ref}"

    def can_be_edited_by(self, user):
        return manages(user, self.programme_id, "programmes.change_workstream")

    def validate_scope(self, user, original=None, **related):
        """Managers of its programme, before and after the save (see core.scope)."""
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied("Only this programme's managers can change its workstreams.")
        perm = "programmes.change_workstream" if original else "programmes.add_workstream"
        if changed(self, original, "programme") and not manages(user, self.programme_id, perm):
            raise ValidationError({"programme": "You can only add workstreams to a programme you manage."})


class ProjectQuerySet(AccountableQuerySet):
    def active(self):
        """Projects still being run: neither closed nor on hold."""
        return self.exclude(stage=ProjectStage.CLOSED).filter(on_hold=False)

    def with_status(self, status):
        if status == ProjectStatus.CLOSED:
            return self.filter(stage=ProjectStage.CLOSED)
        if status == ProjectStatus.ON_HOLD:
            return self.filter(on_hold=True)
        return self.active()

    def open(self):
        """Open work, as My work, reminders and changes since the last meeting
        list it: a closed or on-hold project is nobody's work for now, though
        its page, the project list and earlier reports still show it."""
        return super().open().active()

    def with_last_update(self):
        """Annotate `last_update_on` without a GROUP BY, so it combines with prefetching."""
        latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-period_end", "-recorded_at")
        return self.annotate(last_update_on=Subquery(latest.values("period_end")[:1]))


class Project(RefModel, Accountable):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    description = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the workstream.")
    stage = models.CharField(max_length=16, choices=ProjectStage.choices, default=ProjectStage.IMPLEMENTATION)
    on_hold = models.BooleanField(
        default=False, help_text="Paused: left out of new highlight reports, My work and reminders until resumed."
    )
    closed_on = models.DateField("closing date", null=True, blank=True, validators=[validate_sensible_date])
    closure_note = LimitedTextField(
        blank=True, max_length=NOTE_LIMIT, help_text="When closed: the outcome, and the lessons learned."
    )
    history = HistoricalRecords()

    objects = RefManager.from_queryset(ProjectQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["workstream", "position", "name"]
        constraints = [
            *Accountable.Meta.constraints,
            models.UniqueConstraint(fields=["workstream", "name"], name="project_name_unique_in_workstream"),
            models.CheckConstraint(condition=models.Q(stage__in=ProjectStage.values), name="project_stage_valid"),
            # Closed exactly when it has a closing date and a closure note.
            models.CheckConstraint(
                condition=(models.Q(stage=ProjectStage.CLOSED, closed_on__isnull=False) & ~models.Q(closure_note=""))
                | (~models.Q(stage=ProjectStage.CLOSED) & models.Q(closed_on__isnull=True, closure_note="")),
                name="project_closed_with_date_and_note",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage=ProjectStage.CLOSED, on_hold=True), name="project_not_closed_and_on_hold"
            ),
        ]

    def get_absolute_url(self):
        return reverse("programmes:project", args=[self.ref])

    @property
    def programme_id(self):
        return self.workstream.programme_id

    @property
    def is_closed(self):
        return self.stage == ProjectStage.CLOSED

    @property
    def status(self):
        if self.is_closed:
            return ProjectStatus.CLOSED
        return ProjectStatus.ON_HOLD if self.on_hold else ProjectStatus.ACTIVE

    @property
    def status_label(self):
        """Active, On hold or Closed: the word lists and the project page show."""
        return ProjectStatus(self.status).label

    def is_overdue(self, today=None):
        """As ProjectQuerySet.open(): a closed or on-hold project is not overdue."""
        return self.status == ProjectStatus.ACTIVE and super().is_overdue(today)

    @property
    def stage_and_status(self):
        """“Implementation”, “Scoping (on hold)” or “Closed”, for lists."""
        stage = self.get_stage_display()
        return f"{stage} (on hold)" if self.on_hold else stage

    def clean(self):
        errors = {}
        if self.is_closed:
            if self.closed_on is None:
                errors["closed_on"] = "Give the date the project closed."
            if not self.closure_note.strip():
                errors["closure_note"] = "Say what the project achieved and the lessons learned."
            if self.on_hold:
                errors["on_hold"] = "A closed project cannot also be on hold."
        else:
            if self.closed_on is not None:
                errors["closed_on"] = "Only a closed project has a closing date."
            if self.closure_note:
                errors["closure_note"] = "Only a closed project has a closure note."
        if errors:
            raise ValidationError(errors)

    def can_be_updated_by(self, user):
        """Progress updates: the project's owner (or their team) or a manager of its programme."""
        return owns_or_manages(user, self.owner_id, self.programme_id, "programmes.add_projectupdate")

    def can_be_edited_by(self, user):
        """Changing the project itself (name, owner, workstream): its programme's managers."""
        return manages(user, self.programme_id, "programmes.change_project")

    SCOPE_WORKSTREAM = "You can only choose workstreams of a programme you manage."

    def validate_scope(self, user, original=None, **related):
        """Managers of its programme as it was and as it will be: a project
        cannot be moved out of, or into, a programme its editor does not
        manage (see core.scope)."""
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied("Only the programme's managers can change this project.")
        perm = "programmes.change_project" if original else "programmes.add_project"
        if changed(self, original, "workstream") and not manages(user, self.workstream.programme_id, perm):
            raise ValidationError({"workstream": self.SCOPE_WORKSTREAM})


class ProjectUpdate(ProgressUpdate):
    """One reporting period's narrative for a project: the raw material of a
    highlight report. A project has many over time; they are never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    period_start = models.DateField("covers from", null=True, blank=True, validators=[validate_sensible_date])
    period_end = models.DateField(
        "covers to", validators=[validate_sensible_date], help_text="The date this update is correct to."
    )
    key_progress = LimitedTextField(
        "key progress during the period", max_length=NARRATIVE_LIMIT, max_lines=REPORT_LINES
    )
    risks_issues = LimitedTextField(
        "risks and issues to be raised for information or escalated",
        blank=True,
        max_length=NARRATIVE_LIMIT,
        max_lines=REPORT_LINES,
    )
    next_tasks = LimitedTextField(
        "tasks planned for next period", blank=True, max_length=NARRATIVE_LIMIT, max_lines=REPORT_LINES
    )
    rag = models.CharField("RAG status", max_length=12, choices=RAG.choices)
    rag_before = models.CharField(max_length=12, choices=RAG.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True, help_text="Who wrote it, where there is no login.")
    recorded_at = models.DateTimeField(default=timezone.now)

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

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#update-{self.pk}"

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_start"] = "The period cannot start after it ends."
        if self.period_end and self.period_end > timezone.localdate():
            errors["period_end"] = "An update cannot cover dates in the future."
        if errors:
            raise ValidationError(errors)

    def validate_scope(self, user, original=None, **related):
        """The project's owner (or their team) or its programme's managers (see core.scope)."""
        if not self.project.can_be_updated_by(user):
            raise PermissionDenied("Only the project's owner or its programme's managers can update it.")


class ReportIsPublished(Exception):
    """A published highlight report is what a committee was given: it never changes."""

    def __init__(self, report_id=None):
        super().__init__(
            "This highlight report has been published and cannot be changed: correct it to make a new version."
        )
        self.report_id = report_id


def _worst_rag(ratings):
    rated = [rag for rag in ratings if RAG.severity(rag) is not None]
    return min(rated, key=RAG.severity) if rated else RAG.NOT_RATED


class HighlightReportQuerySet(models.QuerySet):
    def ensure_draft(self, pk):
        """Refuse to change report `pk` (or one of its rows) unless it is still
        a draft in the database: a published report is what a committee saw."""
        if not self.filter(pk=pk, status=HighlightReport.Status.DRAFT).exists():
            raise ReportIsPublished(pk)

    def published(self):
        return self.filter(status=HighlightReport.Status.PUBLISHED)

    def for_period(self, programme, period_start, period_end):
        return self.filter(programme=programme, period_start=period_start, period_end=period_end)

    def previous_published(self, programme, period_start):
        """The latest published report for a period that started before this one."""
        return (
            self.published()
            .filter(programme=programme, period_start__lt=period_start)
            .order_by("-period_end", "-period_start")
            .first()
        )

    def next_period_start(self, programme):
        """The day after the last published period, where there is one and it
        is a date a report may start on (a period stored before dates were
        bounded may end on 31 Dec 9999, which has no day after)."""
        last = self.published().filter(programme=programme).order_by("-period_end").first()
        if last is None or not is_sensible_date(last.period_end):
            return None
        following = last.period_end + datetime.timedelta(days=1)
        return following if is_sensible_date(following) else None

    def for_display(self):
        """Everything a report page prints, in a fixed number of queries."""
        return self.select_related("programme", "published_by", "created_by", "supersedes").prefetch_related(
            "rows", "corrections"
        )


class HighlightReportManager(models.Manager.from_queryset(HighlightReportQuerySet)):
    def get_by_natural_key(self, programme_ref, period_start, period_end, version_number):
        return self.get(
            programme__ref=programme_ref,
            period_start=period_start,
            period_end=period_end,
            version_number=version_number,
        )


class HighlightReport(models.Model):
    """A programme's highlight report for one reporting period.

    Drafted from the projects' updates, edited by the programme's managers, then
    published: from then on it is the snapshot the committee saw, so the header
    and rows hold copied text rather than live links. A correction is a new
    version; publishing it marks the earlier one superseded.
    """

    seed_written_once = True  # core.seed: a reload never rewrites what a committee saw

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    # The header, as copied from the programme when drafting and from the
    # previous version when correcting.
    HEADER_FIELDS = (
        "title",
        "to_committee",
        "programme_name",
        "report_authors",
        "stage",
        "start_wording",
        "proposed_end_wording",
        "overall_rag",
        "overall_rag_reason",
        "management_summary",
    )

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="highlight_reports")
    period_start = models.DateField("reporting period from", validators=[validate_sensible_date])
    period_end = models.DateField(
        "reporting period to",
        validators=[validate_sensible_date],
        help_text=f"At most {REPORT_PERIOD_MARGIN.days} days after the day the report is started.",
    )
    title = models.CharField(max_length=300)
    to_committee = models.CharField("to", max_length=200, blank=True, help_text="The committee it is presented to.")
    programme_name = models.CharField("project / programme name", max_length=200)
    report_authors = models.CharField("report author(s)", max_length=200, blank=True)
    stage = models.CharField("stage / status", max_length=60, blank=True)
    start_wording = models.CharField("start date", max_length=60, blank=True, help_text="As printed, e.g. “Oct 09”.")
    # As long as the programme's deadline wording (Accountable.due_wording), which drafting copies.
    proposed_end_wording = models.CharField("proposed end date", max_length=300, blank=True)
    overall_rag = models.CharField("overall RAG status", max_length=12, choices=RAG.choices, default=RAG.NOT_RATED)
    overall_rag_reason = LimitedTextField(
        "reason for the overall RAG",
        blank=True,
        max_length=REASON_LIMIT,
        max_lines=REPORT_LINES,
        help_text="Required when the overall RAG is not the worst of the project rows.",
    )
    management_summary = LimitedTextField(blank=True, max_length=NOTE_LIMIT, max_lines=REPORT_LINES)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version_number = models.PositiveSmallIntegerField(default=1, help_text="1, 2, … within the programme and period.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The published version this one replaced.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = HighlightReportManager()

    class Meta:
        ordering = ["programme", "-period_end", "-version_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="highlight_report_period_in_order",
                violation_error_message="The reporting period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(overall_rag__in=RAG.values), name="highlight_report_overall_rag_valid"
            ),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end"],
                condition=models.Q(status="published"),
                name="one_published_highlight_report_per_period",
                violation_error_message="A report for this programme and period is already published.",
            ),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end"],
                condition=models.Q(status="draft"),
                name="one_draft_highlight_report_per_period",
                violation_error_message="There is already a draft report for this programme and period.",
            ),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end", "version_number"],
                name="highlight_report_version_unique",
            ),
        ]

    def __str__(self):
        return f"{self.title}, {self.period_label} (version {self.version_number})"

    def get_absolute_url(self):
        return reverse("programmes:report", args=[self.pk])

    @property
    def period_label(self):
        start, end = self.period_start, self.period_end
        return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def validate_scope(self, user, original=None, **related):
        """Drafted, edited, published and corrected by its programme's
        managers only (see core.scope)."""
        if original is not None and not manages(user, original.programme_id, "programmes.change_highlightreport"):
            raise PermissionDenied("Only this programme's managers can change its highlight reports.")
        perm = "programmes.change_highlightreport" if original else "programmes.add_highlightreport"
        if changed(self, original, "programme") and not manages(user, self.programme_id, perm):
            raise PermissionDenied("Only this programme's managers can change its highlight reports.")

    def worst_row_rag(self, ratings=None):
        """The worst RAG among the rows, or among `ratings` while rows are being edited."""
        return _worst_rag(ratings if ratings is not None else [row.rag for row in self.rows.all()])

    @staticmethod
    def latest_period_end(today=None):
        """The last day a reporting period started today may end on."""
        return (today or timezone.localdate()) + REPORT_PERIOD_MARGIN

    def clean(self):
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": "The reporting period cannot end before it starts."})
        # Only when the report is started (drafted or a correction): its
        # period never changes afterwards, and the edit form, which has no
        # period field, must not trip over a rule about it.
        latest = self.latest_period_end()
        if self._state.adding and self.period_end and is_sensible_date(self.period_end) and self.period_end > latest:
            raise ValidationError(
                {
                    "period_end": f"A reporting period may end at most {REPORT_PERIOD_MARGIN.days} days from "
                    f"today, so no later than {latest.day} {latest:%b %Y}."
                }
            )
        # A form editing rows and header together sets pending_row_ratings, so
        # the rule applies to what is about to be saved, not what was.
        ratings = getattr(self, "pending_row_ratings", None)
        if ratings is None and self.pk is None:
            return
        worst = self.worst_row_rag(ratings)
        if self.overall_rag != worst and not self.overall_rag_reason.strip():
            raise ValidationError(
                {
                    "overall_rag_reason": f"Say why the overall RAG is {RAG(self.overall_rag).label} "
                    f"when the worst project row is {RAG(worst).label}."
                }
            )

    def ensure_draft(self):
        """Refuse to change a report the committee has seen.

        Asks the database rather than trusting this instance, which may have
        been loaded before someone else published it.
        """
        if self.pk:
            HighlightReport.objects.ensure_draft(self.pk)

    def save(self, *args, **kwargs):
        # Publishing saves a report that is still a draft in the database, so it
        # passes; superseding is a queryset update() in publish_highlight_report,
        # the one change a published report may undergo.
        if not self._state.adding:
            self.ensure_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.ensure_draft()
        return super().delete(*args, **kwargs)

    def natural_key(self):
        """Programme, reporting period and version: what the seed fixtures name a report by."""
        return (self.programme.ref, self.period_start.isoformat(), self.period_end.isoformat(), self.version_number)

    natural_key.dependencies = ["programmes.programme"]


def _printed_lines(text, line_length):
    """How many lines `text` prints as in a column `line_length` average
    characters wide, wrapping at spaces as the browser and WeasyPrint do.

    A word longer than half a line may have to break inside itself, and is
    counted as if every letter were as wide as a W (twice the average): a
    misjudged run of wide letters was the slowest case to print.
    """
    lines = 0
    for paragraph in normalize_newlines(text).split("\n") if text else []:
        lines += 1
        used = 0
        for word in paragraph.split():
            width = 2 * len(word) if 2 * len(word) > line_length else len(word)
            if used and used + 1 + width > line_length:
                lines += 1
                used = 0
            used += width + (1 if used else 0)
            while used > line_length:  # a word broken across lines
                lines += 1
                used -= line_length
    return lines


class HighlightReportRowManager(models.Manager):
    def get_by_natural_key(self, programme_ref, period_start, period_end, version_number, position):
        return self.get(
            report__programme__ref=programme_ref,
            report__period_start=period_start,
            report__period_end=period_end,
            report__version_number=version_number,
            position=position,
        )


class HighlightReportRow(models.Model):
    """One project's line in a highlight report: text copied from the project's
    update, so later edits to the project never change a published report."""

    seed_written_once = True  # core.seed: rows of a report a committee saw

    class Direction(models.TextChoices):
        IMPROVED = "improved", "Improved"
        SAME = "same", "Same"
        WORSE = "worse", "Worse"
        NEW = "new", "New"

    ARROWS = {Direction.IMPROVED: "↑", Direction.SAME: "→", Direction.WORSE: "↓", Direction.NEW: "●"}

    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveSmallIntegerField(help_text="Order in the report: by workstream, then project.")
    workstream_name = models.CharField(max_length=200)
    project_name = models.CharField(max_length=200)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The live project, for links and direction of travel; the text above is the record.",
    )
    key_progress = LimitedTextField(
        "key progress during the period", blank=True, max_length=NARRATIVE_LIMIT, max_lines=REPORT_LINES
    )
    risks_issues = LimitedTextField(
        "risks and issues to be raised for information or escalated",
        blank=True,
        max_length=NARRATIVE_LIMIT,
        max_lines=REPORT_LINES,
    )
    next_tasks = LimitedTextField(
        "tasks planned for next period", blank=True, max_length=NARRATIVE_LIMIT, max_lines=REPORT_LINES
    )
    rag = models.CharField("RAG status", max_length=12, choices=RAG.choices, default=RAG.NOT_RATED)
    previous_rag = models.CharField(
        max_length=12,
        choices=RAG.choices,
        blank=True,
        help_text="The project's RAG in the previous published report; blank if it was not in one.",
    )

    objects = HighlightReportRowManager()

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rag__in=RAG.values), name="highlight_row_rag_valid"),
            models.CheckConstraint(
                condition=models.Q(previous_rag__in=[*RAG.values, ""]), name="highlight_row_previous_rag_valid"
            ),
            models.UniqueConstraint(fields=["report", "position"], name="highlight_row_position_unique"),
        ]

    def __str__(self):
        return f"{self.project_name} ({self.get_rag_display()})"

    def get_absolute_url(self):
        return f"{self.report.get_absolute_url()}#row-{self.pk}"

    @property
    def direction(self):
        """How the RAG moved since the previous published report: new when there
        is no earlier rating to compare (first report, or not rated either side)."""
        before, now = RAG.severity(self.previous_rag), RAG.severity(self.rag)
        if before is None or now is None:
            return self.Direction.NEW
        if now > before:
            return self.Direction.IMPROVED
        if now < before:
            return self.Direction.WORSE
        return self.Direction.SAME

    @property
    def direction_arrow(self):
        return self.ARROWS[self.direction]

    # What fits on a page of the printed report (static/css/report-print.css:
    # 9 pt text, A4 landscape, under the repeated headings), measured with
    # WeasyPrint: characters a line in each narrative column, lines a page.
    PRINTED_LINE_LENGTHS = {"key_progress": 56, "risks_issues": 46, "next_tasks": 51}
    PRINTED_LINES_PER_PAGE = 42

    @property
    def taller_than_a_page(self):
        """Whether the row could not print on one page even on a page of its own.

        The print stylesheet keeps each row whole where it fits; one that
        cannot fit is let break at once, because WeasyPrint would otherwise
        try to keep it whole, fail and lay it out again: a report of such
        rows took two to four times as long (bench/largest_report_pdf.py).
        An estimate at average letter widths: a row that just fits may break
        across two pages, and one of unusually wide letters may still be
        tried whole first; either costs a little looks or a little time.
        """
        tallest = 0
        for name, line_length in self.PRINTED_LINE_LENGTHS.items():
            lines = _printed_lines(getattr(self, name), line_length)
            if name == "key_progress":  # printed under the project's name
                lines += _printed_lines(self.project_name, line_length)
            tallest = max(tallest, lines)
        return tallest > self.PRINTED_LINES_PER_PAGE

    @property
    def direction_label(self):
        """Words and arrow together, e.g. “↑ Improved”."""
        return f"{self.direction_arrow} {self.direction.label}"

    def save(self, *args, **kwargs):
        HighlightReport.objects.ensure_draft(self.report_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.report.ensure_draft()
        return super().delete(*args, **kwargs)

    def natural_key(self):
        return (*self.report.natural_key(), self.position)

    natural_key.dependencies = ["programmes.highlightreport", "programmes.project"]
