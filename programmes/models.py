"""Programmes → workstreams → projects, their periodic updates, and the
highlight reports drafted from them."""

import calendar
import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, normalize_newlines
from simple_history.models import HistoricalRecords

from core.as_at import historic, rows_as_at
from core.fields import LimitedTextField
from core.models import (
    RAG,
    Accountable,
    AccountableQuerySet,
    Owner,
    ProgressUpdate,
    RefManager,
    RefModel,
    Versioned,
    new_ref,  # noqa: F401 (early migrations name programmes.models.new_ref)
)
from core.money import percent_range, pounds
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


def validate_pounds(value):
    if value is not None and value < 0:
        raise ValidationError("Enter an amount of £0 or more.")


def money_field(verbose_name, **options):
    """An amount in pounds, exact to the penny (never a float): up to £999,999,999,999.99."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[validate_pounds],
        **options,
    )


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
                # Other programmes' projects shared into its workstreams (Project.shared_with).
                Prefetch(
                    "workstreams__shared_projects",
                    queryset=Project.objects.select_related("owner", "workstream__programme").with_last_update(),
                ),
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
    open_data_public = models.BooleanField(
        "publish as open data",
        default=False,
        help_text="Open the programme's open-data feed (its projects and published highlight reports) "
        "to the public without a login. Otherwise only signed-in users can read it.",
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


class ShownRAG(NamedTuple):
    """A RAG to show and, when it is not the item's own rating, why (in words)."""

    rag: str
    source: str


class Workstream(RefModel, Accountable):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workstreams")
    name = models.CharField(max_length=200)
    description = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the programme.")
    stage = models.CharField(
        max_length=16, choices=ProjectStage.choices, blank=True, help_text="Where the papers give a workstream one."
    )
    history = HistoricalRecords()

    objects = RefManager.from_queryset(AccountableQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["programme", "position", "name"]
        constraints = [
            *Accountable.Meta.constraints,
            models.UniqueConstraint(fields=["programme", "name"], name="workstream_name_unique_in_programme"),
            models.CheckConstraint(
                condition=models.Q(stage__in=[*ProjectStage.values, ""]), name="workstream_stage_valid"
            ),
        ]

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#workstream-{self.ref}"

    @property
    def rag_shown(self):
        """The RAG to show for the workstream, and where it came from: its own
        rating if it has one, else rolled up from its own projects (the worst
        open one's by RAG.severity; Complete once all are complete or closed),
        else Not yet rated with the reason. Reads `projects.all()`, so prefetch
        them (ProgrammeQuerySet.with_structure) to keep a page's queries constant."""
        if self.rag and self.rag != RAG.NOT_RATED:
            return ShownRAG(self.rag, "")
        projects = list(self.projects.all())
        if not projects:
            return ShownRAG(RAG.NOT_RATED, "No projects yet")
        still_open = [project for project in projects if not (project.is_complete or project.is_closed)]
        if not still_open:
            return ShownRAG(RAG.COMPLETE, "All its projects are complete")
        worst = _worst_rag(project.rag for project in still_open)
        if worst == RAG.NOT_RATED:
            return ShownRAG(RAG.NOT_RATED, "Its projects are not yet rated")
        return ShownRAG(worst, "From its projects")

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

    def active_in(self, period_start, period_end):
        """Projects a highlight report for the period reports on: not on hold,
        not closed before the period starts, and started by its end. A project
        closed during the period is still reported: the committee hears how
        it ended. Without a start date, a project is taken to have started
        when it was first reported on, so a report on 2010 leaves out a
        project whose first update is from 2012 (and a project not yet
        reported on at all is offered, as new)."""
        return (
            self.filter(on_hold=False)
            .exclude(stage=ProjectStage.CLOSED, closed_on__lt=period_start)
            .filter(models.Q(start_date__isnull=True) | models.Q(start_date__lte=period_end))
            .exclude(models.Q(start_date__isnull=True) & models.Q(pk__in=self._first_reported_after(period_end)))
        )

    @staticmethod
    def _first_reported_after(day):
        """Projects whose first update covers only days after `day`."""
        earliest = (
            ProjectUpdate.objects.filter(project=OuterRef("pk"))
            .annotate(began=Coalesce("period_start", "period_end"))
            .order_by("began")
            .values("began")[:1]
        )
        return Project.objects.annotate(first_reported=Subquery(earliest)).filter(first_reported__gt=day).values("pk")

    def in_programme(self, programme):
        """The programme's own projects and those other programmes share into
        its workstreams (Project.shared_with): one record each."""
        shared = Project.shared_with.through.objects.filter(workstream__programme=programme).values("project")
        return self.filter(models.Q(workstream__programme=programme) | models.Q(pk__in=shared))

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

    def with_partner(self, partner):
        """Projects on which `partner` has a role of its own, or which it
        funds: what the partnership records say, never a mention of its name
        in a description (a programme-level role is the programme's, not
        each of its projects')."""
        roles = Partnership.objects.filter(partner=partner, project__isnull=False).values("project")
        funded = Funder.objects.filter(partner=partner).values("project")
        return self.filter(models.Q(pk__in=roles) | models.Q(pk__in=funded))

    def with_escalated_risks(self):
        """Prefetch each project's escalated open risks as `escalated_risks`
        (Project.risks_issues_for_report), in one query for all of them."""
        return self.prefetch_related(Prefetch("risks", queryset=Risk.objects.escalated(), to_attr="escalated_risks"))


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
    start_date = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    start_wording = models.CharField(max_length=60, blank=True, help_text="As written, e.g. “June 2010”.")
    shared_with = models.ManyToManyField(
        Workstream,
        blank=True,
        related_name="shared_projects",
        help_text="Workstreams of other programmes that report this same project (one record, not a copy).",
    )
    # The project initiation document.
    objectives = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    scope = LimitedTextField("scope", blank=True, max_length=DESCRIPTION_LIMIT, help_text="What is in scope.")
    exclusions = LimitedTextField("exclusions", blank=True, max_length=DESCRIPTION_LIMIT)
    dependencies = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    assumptions = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    constraints_note = LimitedTextField("constraints", blank=True, max_length=DESCRIPTION_LIMIT)
    governance = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    # Funding (PID 1.7): amounts in pounds, exact.
    total_cost = money_field("total project cost (£)")
    capital_funding = money_field("capital funding requested (£)")
    revenue_funding = money_field("revenue funding requested (£)")
    funding_note = models.CharField(
        max_length=300, blank=True, help_text="e.g. “Transformation and Efficiency Capital Funding”."
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

    INITIATION_FIELDS = (
        "objectives",
        "scope",
        "exclusions",
        "dependencies",
        "assumptions",
        "constraints_note",
        "governance",
    )

    @property
    def initiation_sections(self):
        """(heading, text) for each section of the initiation document, in the PID's order."""
        labels = {"scope": "In scope", "exclusions": "Specific exclusions"}
        return [
            (labels.get(name) or self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
            for name in self.INITIATION_FIELDS
        ]

    @property
    def has_initiation_document(self):
        return any(getattr(self, name) for name in self.INITIATION_FIELDS)

    @property
    def stage_and_status(self):
        """“Implementation”, “Scoping (on hold)” or “Closed”, for lists."""
        stage = self.get_stage_display()
        return f"{stage} (on hold)" if self.on_hold else stage

    ESCALATED_RISK_CHARS = 200  # each risk's description, cut at a word, in a report's risks column

    def escalated_risk_lines(self):
        """“3. Staff resistance to the new system (M/H, score 6 (High))”, one
        line per escalated open risk, from the `escalated_risks` prefetched by
        ProjectQuerySet.with_escalated_risks() where it was."""
        risks = getattr(self, "escalated_risks", None)
        if risks is None:
            risks = list(self.risks.escalated())
        return [
            f"{risk.number}. {Truncator(' '.join(risk.description.split())).chars(self.ESCALATED_RISK_CHARS)}"
            f" ({risk.grading})"
            for risk in risks
        ]

    def risks_issues_for_report(self, text):
        """A highlight report row's risks and issues: the update's own `text`,
        then “Escalated risks:” and the project's escalated open risks, as many
        as fit the column's limits (NARRATIVE_LIMIT characters, REPORT_LINES
        lines); any left out are counted in a last line pointing to the
        register, and if not even that fits, the text is left as it was."""
        risk_lines = self.escalated_risk_lines()
        if not risk_lines:
            return text
        base = text.rstrip().split("\n") if text.strip() else []

        def fits(lines):
            return len(lines) <= REPORT_LINES and len("\n".join(lines)) <= NARRATIVE_LIMIT

        def left_out(count):
            plural = "s" if count > 1 else ""
            return f"… and {count} more escalated risk{plural}: see the project's risk register."

        lines = [*base, "Escalated risks:"]
        for index, line in enumerate(risk_lines):
            after = len(risk_lines) - index - 1
            if fits([*lines, line]) and (after == 0 or fits([*lines, line, left_out(after)])):
                lines.append(line)
                continue
            missing = len(risk_lines) - index
            while not fits([*lines, left_out(missing)]) and len(lines) > len(base) + 1:
                lines.pop()
                missing += 1
            lines.append(left_out(missing))
            break
        return "\n".join(lines) if fits(lines) else text

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
        if related.get("shared_with") is not None:
            self._validate_sharing(user, original, related["shared_with"])

    SCOPE_SHARED = "You can only share a project into workstreams of other programmes you manage."

    def _validate_sharing(self, user, original, workstreams):
        """Sharing (shared_with) is set by the project's own managers, who may
        share it into a workstream of any other programme they also manage;
        workstreams it was already shared into may stay."""
        before = set(original.shared_with.values_list("pk", flat=True)) if original is not None else set()
        home = self.workstream.programme_id
        for workstream in workstreams:
            if workstream.programme_id == home:
                raise ValidationError({"shared_with": "A project is shared with other programmes, not its own."})
            if workstream.pk not in before and not manages(user, workstream.programme_id, "programmes.change_project"):
                raise ValidationError({"shared_with": self.SCOPE_SHARED})

    @property
    def shared_label(self):
        """“Shared with Shared Services Programme”, for the project page (shared_with prefetched with programmes)."""
        names = sorted({workstream.programme.name for workstream in self.shared_with.all()})
        return f"Shared with {', '.join(names)}" if names else ""


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


def _day_after_period(report):
    """The day after `report`'s period, if it has one a report may start on."""
    if report is None or not is_sensible_date(report.period_end):
        return None
    following = report.period_end + datetime.timedelta(days=1)
    return following if is_sensible_date(following) else None


def _month_end(year, month):
    """The last day of a month, counting months past December into later years."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _period_like(last, start):
    """The last day of a period from `start` as long as `last`'s: whole
    calendar months stay whole months (a quarter follows a quarter), any
    other period keeps its number of days."""
    if last.period_start.day == 1 and last.period_end == _month_end(last.period_end.year, last.period_end.month):
        months = (last.period_end.year - last.period_start.year) * 12 + last.period_end.month - last.period_start.month
        return _month_end(start.year, start.month + months)
    return start + (last.period_end - last.period_start)


def _month_after(start):
    """The day before the same day next month (1 Jun to 30 Jun, 7 Jun to 6 Jul)."""
    end = _month_end(start.year, start.month + 1)
    return end.replace(day=start.day) - datetime.timedelta(days=1) if start.day <= end.day else end


class HighlightReportQuerySet(models.QuerySet):
    def ensure_draft(self, pk):
        """Refuse to change report `pk` (or one of its rows) unless it is still
        a draft in the database: a published report is what a committee saw."""
        if not self.filter(pk=pk, status=HighlightReport.Status.DRAFT).exists():
            raise ReportIsPublished(pk)

    def mark_changed(self, pk):
        """Bump report `pk`'s version after a change made beside its edit form
        (a row left out or put back, appendix figures chosen), so an edit page
        opened before it is refused (EditConflict) instead of saving over it."""
        self.filter(pk=pk).update(version=models.F("version") + 1)

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
        return _day_after_period(self.last_published(programme))

    def last_published(self, programme):
        """The published report whose period ends last: the one a new report follows."""
        return self.published().filter(programme=programme).order_by("-period_end", "-period_start").first()

    def for_display(self, *, rows=True):
        """Everything a report page prints, in a fixed number of queries
        (rows=False: the heading only, for a page whose body may be cached)."""
        reports = self.select_related("programme", "published_by", "created_by", "supersedes")
        return reports.prefetch_related("rows", "corrections") if rows else reports


class HighlightReportManager(models.Manager.from_queryset(HighlightReportQuerySet)):
    def get_by_natural_key(self, programme_ref, period_start, period_end, version_number):
        return self.get(
            programme__ref=programme_ref,
            period_start=period_start,
            period_end=period_end,
            version_number=version_number,
        )


class HighlightReport(Versioned):
    """A programme's highlight report for one reporting period.

    Drafted from the projects' updates, edited by the programme's managers, then
    published: from then on it is the snapshot the committee saw, so the header
    and rows hold copied text rather than live links. A correction is a new
    version; publishing it marks the earlier one superseded.

    Two counters, not to be confused: `version_number` is the report's
    version 1, 2, … within its period, as printed; `version` (Versioned) is
    bumped on every save, so two managers editing one draft never silently
    overwrite each other.
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
    as_at = models.DateField(
        "as at",
        null=True,
        blank=True,
        validators=[validate_sensible_date],
        help_text="The date the report speaks for, if entered after the event (the publish time is kept too).",
    )
    include_benefits = models.BooleanField("include the savings and benefits summary", default=False)
    include_milestones = models.BooleanField("include key milestones", default=False)
    # Chosen on the dashboard (programmes.dashboard.choose_report_figures):
    # [{"kind", "as_at", "spec"}], the spec a core.charts chart with its numbers.
    appendix_figures = models.JSONField(
        default=list,
        blank=True,
        help_text="Dashboard charts printed as appendix figures, with their numbers: taken afresh when the "
        "report is published and frozen with it.",
    )
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
    correction_reason = LimitedTextField(
        blank=True,
        max_length=REASON_LIMIT,
        max_lines=REPORT_LINES,
        help_text="Why this version corrects the published one, printed on it. Blank on a first version.",
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

    def corrected_report(self):
        """The published version this correction replaces (or will replace,
        while it is a draft); None for a report that corrects nothing."""
        if not self.correction_reason:
            return None
        if self.supersedes_id:
            return self.supersedes
        return (
            HighlightReport.objects.for_period(self.programme_id, self.period_start, self.period_end)
            .exclude(pk=self.pk)
            .filter(status__in=[self.Status.PUBLISHED, self.Status.SUPERSEDED], version_number__lt=self.version_number)
            .order_by("-version_number")
            .first()
        )

    def get_absolute_url(self):
        return reverse("programmes:report", args=[self.pk])

    @property
    def period_label(self):
        start, end = self.period_start, self.period_end
        return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def printed_figures(self):
        """[(number, as_at date, chart spec)]: the appendix figures as they print, numbered from 1."""
        printed = []
        for number, figure in enumerate(self.appendix_figures or [], start=1):
            as_at = datetime.date.fromisoformat(figure["as_at"]) if figure.get("as_at") else None
            printed.append((number, as_at, figure["spec"]))
        return printed

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

    @classmethod
    def period_after(cls, last, today=None):
        """The (start, end) period offered for the report after `last` (the
        last published one, or None): from the day after its period, as long
        as it (else a month), ending no later than a period started today may.
        With nothing to follow, no start is offered and the period ends today."""
        today = today or timezone.localdate()
        start = _day_after_period(last)
        if start is None:
            return None, today
        try:
            end = _period_like(last, start)
        except (OverflowError, ValueError):  # a stored period too long to repeat
            end = None
        if end is None or not is_sensible_date(end):
            end = _month_after(start)
        return start, max(start, min(end, cls.latest_period_end(today)))

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
    # (Columns 5% narrower since their widths include the cells' padding, so
    # that the RAG column no longer runs off the page.)
    PRINTED_LINE_LENGTHS = {"key_progress": 53, "risks_issues": 43, "next_tasks": 48}
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


# The project initiation document as data: the milestones, risk register,
# funding, benefits and partners a project is run by (the 2010 Capital
# Ambition bid, section by section), and the programme's partners.


class Level(models.IntegerChoices):
    """A risk's probability or impact, graded as the PID grades them (L/M/H)."""

    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"

    @property
    def letter(self):
        return self.label[0]


class RiskGrade(models.TextChoices):
    """A risk's score (probability × impact, 1–9) in the words a register uses."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"

    @classmethod
    def for_score(cls, score):
        if score >= 6:
            return cls.HIGH
        return cls.MEDIUM if score >= 3 else cls.LOW


class NaturalKeyManager(models.Manager):
    """Finds a row by its model's NATURAL_KEY lookups, so the seed fixtures
    (core.seed) can name rows that have no ref, such as a funder, a quarter of
    a spend profile, a benefit or a partner's role, and a reload updates them
    instead of adding copies. A None names an empty link. Where the key is not
    unique in the database (a benefit's position), the earliest row is taken:
    the one the fixtures made."""

    def get_by_natural_key(self, *key):
        lookups = {}
        for lookup, value in zip(self.model.NATURAL_KEY, key, strict=True):
            if value is None:
                lookups[f"{lookup.split('__')[0]}__isnull"] = True
            else:
                lookups[lookup] = value
        row = self.filter(**lookups).order_by("pk").first()
        if row is None:
            raise self.model.DoesNotExist(f"No {self.model._meta.verbose_name} matching {key!r}.")
        return row


def natural_key_of(instance):
    """The values of `instance`'s NATURAL_KEY lookups (None for an empty link)."""
    values = []
    for lookup in instance.NATURAL_KEY:
        value = instance
        for part in lookup.split("__"):
            value = getattr(value, part) if value is not None else None
        values.append(value)
    return tuple(values)


class ProjectPart(Versioned):
    """Something recorded against a project (a milestone, a risk, a benefit, a
    funder, a partner): changed by the project's programme managers, and never
    moved to a project they do not manage."""

    class Meta:
        abstract = True

    def can_be_edited_by(self, user):
        return self.project.can_be_edited_by(user)

    def validate_scope(self, user, original=None, **related):
        noun = self._meta.verbose_name_plural
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied(f"Only the project's programme managers can change its {noun}.")
        if changed(self, original, "project") and not self.project.can_be_edited_by(user):
            raise ValidationError({"project": f"You can only add {noun} to projects of a programme you manage."})


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    MISSED = "missed", "Missed"
    DROPPED = "dropped", "Dropped"


MILESTONE_DONE = (MilestoneStatus.ACHIEVED, MilestoneStatus.DROPPED)


class MilestoneQuerySet(AccountableQuerySet):
    def open(self):
        """Milestones still to be met: not achieved or dropped, on a project still being run."""
        return (
            self.exclude(status__in=MILESTONE_DONE)
            .exclude(rag=RAG.COMPLETE)
            .filter(project__in=Project.objects.active())
        )

    def due_between(self, start, end):
        return self.open().filter(due_date__gte=start, due_date__lte=end)

    def for_programme(self, programme):
        """Milestones of the programme's projects, those it shares from another
        programme's workstream included (one project, listed in both)."""
        return self.filter(project__in=Project.objects.in_programme(programme).values("pk"))

    def for_listing(self):
        """With what a list of milestones from several projects shows: the
        project (and its programme, for who may update it) and the responsible officer."""
        return self.select_related("owner", "project__workstream__programme")

    # What a committee paper's key milestones print, read from the history as at its cut-off.
    AS_AT_FIELDS = ["number", "stage", "name", "status", "achieved_on", "rag", "due_date", "due_wording", "key"]

    def key_as_at(self, when):
        """The key milestones as they stood at `when` (an aware datetime, the
        papers' cut-off): those recorded by then, each achieved or not, dated
        and worded as its history had it (core.as_at)."""
        return rows_as_at(self, when, self.AS_AT_FIELDS).filter(historic(key=True))


class Milestone(RefModel, Accountable, ProjectPart):
    """A key milestone by stage or phase (PID 4.6): its owner is the
    responsible officer, its due date the target completion date (as written
    and as a real date). A tracked kind: My work, reminders and overdue."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    number = models.CharField("no.", max_length=10, blank=True, help_text="As numbered in the plan, e.g. “1.1”.")
    stage = models.CharField(
        "project stage or phase", max_length=100, blank=True, help_text="e.g. “Governance”, “Implementation”."
    )
    name = models.CharField("key milestone", max_length=300)
    status = models.CharField(max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    achieved_on = models.DateField("achieved", null=True, blank=True, validators=[validate_sensible_date])
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the project's plan.")
    key = models.BooleanField(
        "key milestone for reports", default=True, help_text="Offered to the highlight report's key milestones."
    )
    history = HistoricalRecords()

    objects = RefManager.from_queryset(MilestoneQuerySet)()

    class Meta(Accountable.Meta):
        ordering = ["project", "position", "number", "pk"]
        constraints = [
            *Accountable.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(status__in=MilestoneStatus.values), name="milestone_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=MilestoneStatus.ACHIEVED, achieved_on__isnull=False)
                | (~models.Q(status=MilestoneStatus.ACHIEVED) & models.Q(achieved_on__isnull=True)),
                name="milestone_achieved_with_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}" if self.number else self.name

    def ref_stem(self):
        return f"{self.project.ref} milestone {self.number.replace('.', ' ') or self.name}"

    def get_absolute_url(self):
        # Its own address (redirecting to its row on the project's page), so
        # lists of milestones from many projects, such as changes since the
        # last meeting, link to them without fetching each one's project.
        return reverse("programmes:milestone", args=[self.ref])

    @property
    def project_anchor_url(self):
        """Its row on the project's page."""
        return f"{self.project.get_absolute_url()}#milestone-{self.ref}"

    @property
    def status_label(self):
        """The status in words, with the date achieved: “Achieved 12 May 2010”, “In progress”."""
        label = self.get_status_display()
        return f"{label} {self.achieved_on.day} {self.achieved_on:%b %Y}" if self.achieved_on else label

    @property
    def programme_id(self):
        return self.project.programme_id

    @property
    def is_done(self):
        return self.status in MILESTONE_DONE

    def is_overdue(self, today=None):
        return not self.is_done and self.project.status == ProjectStatus.ACTIVE and super().is_overdue(today)

    def can_be_updated_by(self, user):
        """Recording progress: the responsible officer (or their team), the project's owner, or a manager."""
        return owns_or_manages(
            user, self.owner_id, self.programme_id, "programmes.change_milestone"
        ) or self.project.can_be_updated_by(user)

    def clean(self):
        errors = {}
        if self.status == MilestoneStatus.ACHIEVED and self.achieved_on is None:
            errors["achieved_on"] = "Give the date the milestone was achieved."
        if self.status != MilestoneStatus.ACHIEVED and self.achieved_on is not None:
            errors["achieved_on"] = "Only an achieved milestone has an achieved date."
        if self.achieved_on and self.achieved_on > timezone.localdate():
            errors["achieved_on"] = "A milestone cannot be achieved in the future."
        if errors:
            raise ValidationError(errors)


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RiskStatus.OPEN)

    def escalated(self):
        return self.open().filter(escalated=True)

    # The scores each grade covers (RiskGrade.for_score), worst first.
    GRADE_SCORES = {RiskGrade.HIGH: (6, 9), RiskGrade.MEDIUM: (3, 5), RiskGrade.LOW: (1, 2)}

    def graded(self, grade):
        """Risks whose score falls in `grade` (RiskGrade)."""
        low, high = self.GRADE_SCORES[grade]
        return self.filter(score__gte=low, score__lte=high)

    def for_programme(self, programme):
        """Risks of the programme's projects, those it shares from another
        programme's workstream included (one project, listed in both)."""
        return self.filter(project__in=Project.objects.in_programme(programme).values("pk"))

    def grade_counts(self):
        """{RiskGrade.HIGH: n, RiskGrade.MEDIUM: n, RiskGrade.LOW: n}, worst
        first, counted in one query."""
        counts = self.aggregate(
            **{
                grade.value: Count("pk", filter=Q(score__gte=low, score__lte=high))
                for grade, (low, high) in self.GRADE_SCORES.items()
            }
        )
        return {grade: counts[grade.value] for grade in self.GRADE_SCORES}

    def next_number(self, project):
        """The number a new risk on `project` is offered: one more than its highest."""
        highest = self.filter(project=project).aggregate(highest=Max("number"))["highest"]
        return (highest or 0) + 1

    # What a committee paper's risk register extract prints, read from the history as at its cut-off.
    AS_AT_FIELDS = ["number", "kind", "description", "probability", "impact", "mitigation", "status", "closed_on"]

    def open_as_at(self, when):
        """The risks and issues open at `when` (an aware datetime, the papers'
        cut-off), each graded and described as its history had it then (core.as_at)."""
        return rows_as_at(self, when, self.AS_AT_FIELDS).filter(historic(status=RiskStatus.OPEN))


class Risk(RefModel, ProjectPart):
    """One line of a project's risk and issue register (PID 4.5): graded by
    probability and impact (L/M/H), whose product is its score (1–9) and grade."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveSmallIntegerField("risk no.", help_text="Its number in the project's register.")
    kind = models.CharField("risk or issue", max_length=8, choices=RiskKind.choices, default=RiskKind.RISK)
    description = LimitedTextField(max_length=REASON_LIMIT)
    probability = models.PositiveSmallIntegerField(choices=Level.choices, help_text="How likely: Low, Medium or High.")
    impact = models.PositiveSmallIntegerField(choices=Level.choices, help_text="How serious: Low, Medium or High.")
    score = models.GeneratedField(
        expression=models.F("probability") * models.F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    mitigation = LimitedTextField("mitigating actions", blank=True, max_length=NOTE_LIMIT)
    owner = models.ForeignKey(
        Owner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="responsible officer",
    )
    status = models.CharField(max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    raised_on = models.DateField("date raised", null=True, blank=True, validators=[validate_sensible_date])
    closed_on = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    escalated = models.BooleanField(
        default=False, help_text="Escalated to the programme: offered to the highlight report's risks and issues."
    )
    history = HistoricalRecords()

    objects = RefManager.from_queryset(RiskQuerySet)()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="risk_number_unique_in_project"),
            models.CheckConstraint(condition=models.Q(kind__in=RiskKind.values), name="risk_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=RiskStatus.values), name="risk_status_valid"),
            models.CheckConstraint(
                condition=models.Q(probability__in=Level.values, impact__in=Level.values), name="risk_levels_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=RiskStatus.CLOSED) | models.Q(closed_on__isnull=True),
                name="risk_closed_on_only_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}: {self.description[:80]}"

    def ref_stem(self):
        return f"{self.project.ref} risk {self.number}"

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#risk-{self.ref}"

    @property
    def current_score(self):
        """The score as the fields now stand (the stored one is computed on save)."""
        return self.probability * self.impact if self.probability and self.impact else None

    @property
    def grade(self):
        score = self.current_score
        return RiskGrade.for_score(score) if score else None

    @property
    def grading(self):
        """“M/H, score 6 (High)”: letters, score and grade, never colour alone."""
        if not self.grade:
            return ""
        letters = f"{Level(self.probability).letter}/{Level(self.impact).letter}"
        return f"{letters}, score {self.current_score} ({self.grade.label})"

    def can_be_updated_by(self, user):
        return owns_or_manages(
            user, self.owner_id, self.project.programme_id, "programmes.change_risk"
        ) or self.project.can_be_updated_by(user)

    def clean(self):
        if self.status != RiskStatus.CLOSED and self.closed_on is not None:
            raise ValidationError({"closed_on": "Only a closed risk has a closing date."})
        if self.raised_on and self.closed_on and self.closed_on < self.raised_on:
            raise ValidationError({"closed_on": "A risk cannot close before it was raised."})


class FundingKind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"


class Funder(ProjectPart):
    """Who pays towards a project, how much, and whether it is secured (PID 3.1)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funders")
    partner = models.ForeignKey("Partner", on_delete=models.PROTECT, related_name="funding")
    amount = money_field("amount (£)")
    kind = models.CharField(max_length=8, choices=FundingKind.choices, blank=True)
    secured = models.BooleanField("funding secured", default=False)
    decision_wording = models.CharField(
        "decision date as written", max_length=100, blank=True, help_text="If not secured, e.g. “July 2010”."
    )
    decision_date = models.DateField(null=True, blank=True, validators=[validate_sensible_date])
    note = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    NATURAL_KEY = ("project__ref", "partner__ref", "kind")  # how the seed fixtures name it
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["project", "-amount", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "partner", "kind"], name="funder_once_per_project_and_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=[*FundingKind.values, ""]), name="funder_kind_valid"),
        ]

    def __str__(self):
        return f"{self.partner} for {self.project}"

    def natural_key(self):
        return natural_key_of(self)

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#funding"

    @property
    def secured_label(self):
        """“Secured”, or “Not secured — decision May 2010” as PID 3.1 writes it."""
        if self.secured:
            return "Secured"
        when = self.decision_wording or (f"{self.decision_date:%B %Y}" if self.decision_date else "")
        return f"Not secured — decision {when}" if when else "Not secured"


class SpendProfileQuerySet(models.QuerySet):
    def table(self, kind):
        """One kind's profile as PID 3.2 prints it: {"years": [(year, [Q1..Q4], year total)],
        "total": overall}, amounts as Decimals (None where none is planned)."""
        years = {}
        for entry in self:
            if entry.kind == kind:
                years.setdefault(entry.year, [None] * 4)[entry.quarter - 1] = entry.amount
        rows = [(year, quarters, sum(a for a in quarters if a is not None)) for year, quarters in sorted(years.items())]
        return {"years": rows, "total": sum(total for *_, total in rows) if rows else None}

    def fingerprint(self):
        """The profile as loaded (every row's pk and version): a grid saved
        from an older fingerprint would overwrite someone else's change."""
        rows = sorted(self.values_list("pk", "version"))
        return ",".join(f"{pk}:{version}" for pk, version in rows)


class SpendProfileEntry(ProjectPart):
    """Planned spend in one quarter of a project year (PID 3.2 and 3.3)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spend_profile")
    kind = models.CharField(max_length=8, choices=FundingKind.choices)
    year = models.PositiveSmallIntegerField(help_text="Year 1, 2, … of the project.")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Quarter {q}") for q in range(1, 5)])
    amount = models.DecimalField("amount (£)", max_digits=14, decimal_places=2, validators=[validate_pounds])

    NATURAL_KEY = ("project__ref", "kind", "year", "quarter")  # how the seed fixtures name it
    objects = NaturalKeyManager.from_queryset(SpendProfileQuerySet)()

    class Meta:
        ordering = ["project", "kind", "year", "quarter"]
        verbose_name_plural = "spend profile entries"
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "year", "quarter"], name="spend_once_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="spend_quarter_valid"),
            models.CheckConstraint(condition=models.Q(year__gte=1, year__lte=20), name="spend_year_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=FundingKind.values), name="spend_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} year {self.year} Q{self.quarter}"

    def natural_key(self):
        return natural_key_of(self)

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#funding"


class BenefitType(models.TextChoices):
    """The Capital Ambition PID's benefit types (1.8 and 2.6)."""

    CASH_SAVINGS = "cash_savings", "Cash savings"
    EFFICIENCY_GAINS = "efficiency_gains", "Efficiency gains"
    COST_AVOIDANCE = "cost_avoidance", "Cost avoidance"
    CAPACITY_BUILDING = "capacity_building", "Capacity building"
    PERFORMANCE_IMPROVEMENT = "performance_improvement", "Performance improvement"
    CUSTOMER_SATISFACTION = "customer_satisfaction", "Customer satisfaction"
    OTHER = "other", "Other"


def financial_year_label(year):
    """2012 → “2012/13”, the council's financial year starting in April 2012."""
    return f"{year}/{(year + 1) % 100:02d}" if year else ""


class BenefitQuerySet(models.QuerySet):
    def with_realised(self):
        """Annotate `realised`: the sum of amounts realised so far (None if none recorded)."""
        realised = (
            BenefitRealisation.objects.filter(benefit=OuterRef("pk"))
            .order_by()
            .values("benefit")
            .annotate(total=models.Sum("amount"))
            .values("total")
        )
        return self.annotate(realised=Subquery(realised, output_field=models.DecimalField()))

    def totals(self):
        """{"target": £ of targets given in pounds, "realised": £ realised}, over these benefits."""
        target = self.aggregate(total=models.Sum("target_amount"))["total"]
        realised = BenefitRealisation.objects.filter(benefit__in=self.values("pk")).aggregate(
            total=models.Sum("amount")
        )["total"]
        return {"target": target, "realised": realised}

    def by_financial_year(self):
        """[(year, target £, realised £)] for these benefits, by financial year."""
        targets = dict(
            self.exclude(financial_year=None)
            .order_by()
            .values("financial_year")
            .annotate(total=models.Sum("target_amount"))
            .values_list("financial_year", "total")
        )
        realised = dict(
            BenefitRealisation.objects.filter(benefit__in=self.values("pk"))
            .order_by()
            .values("financial_year")
            .annotate(total=models.Sum("amount"))
            .values_list("financial_year", "total")
        )
        years = sorted({*targets, *realised} - {None})
        return [(financial_year_label(y), targets.get(y), realised.get(y)) for y in years]

    def for_programme(self, programme):
        """Benefits of the programme's projects, those it shares from another
        programme's workstream included (one project, counted in both)."""
        return self.filter(project__in=Project.objects.in_programme(programme).values("pk"))

    def for_workstream(self, workstream):
        shared = Project.shared_with.through.objects.filter(workstream=workstream).values("project")
        return self.filter(models.Q(project__workstream=workstream) | models.Q(project__in=shared))

    def by_workstream(self, programme):
        """{workstream pk: {"target": £, "realised": £}} over the programme's
        workstreams, each counting its own projects' and those it shares, in
        four queries whatever the number of workstreams or benefits."""
        benefits = self.for_programme(programme)
        targets = dict(
            benefits.order_by().values("project").annotate(t=models.Sum("target_amount")).values_list("project", "t")
        )
        realised = dict(
            BenefitRealisation.objects.filter(benefit__in=benefits.values("pk"))
            .order_by()
            .values("benefit__project")
            .annotate(r=models.Sum("amount"))
            .values_list("benefit__project", "r")
        )
        own = Project.objects.filter(workstream__programme=programme).values_list("workstream", "pk")
        shared = Project.shared_with.through.objects.filter(workstream__programme=programme)
        homes = {*own, *shared.values_list("workstream", "project")}
        totals = {}
        for workstream_id, project_id in homes:
            row = totals.setdefault(workstream_id, {"target": None, "realised": None})
            for key, amounts in (("target", targets), ("realised", realised)):
                if amounts.get(project_id) is not None:
                    row[key] = (row[key] or 0) + amounts[project_id]
        return totals


class Benefit(ProjectPart):
    """A benefit or saving a project is to deliver: a target in pounds, or a
    percentage (or range) of a stated base, as the papers give them."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="benefits")
    type = models.CharField(max_length=24, choices=BenefitType.choices)
    description = LimitedTextField(max_length=NOTE_LIMIT)
    target_amount = money_field("target (£)")
    target_percent_low = models.DecimalField(
        "target (%)", max_digits=5, decimal_places=2, null=True, blank=True, help_text="e.g. 20, or 15 for 15–20%."
    )
    target_percent_high = models.DecimalField(
        "up to (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The top of a range (20 for 15–20%).",
    )
    percent_of = models.CharField(
        "percentage of", max_length=200, blank=True, help_text="The base, e.g. “combined management cost”."
    )
    at_least = models.BooleanField("at least / a minimum of", default=False)
    target_wording = models.CharField(
        "target as written",
        max_length=300,
        blank=True,
        help_text="e.g. “a minimum of 20% savings in combined management cost”.",
    )
    financial_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year the financial year starts: 2012 for 2012/13."
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    NATURAL_KEY = ("project__ref", "position")  # how the seed fixtures name it
    objects = NaturalKeyManager.from_queryset(BenefitQuerySet)()

    class Meta:
        ordering = ["project", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=BenefitType.values), name="benefit_type_valid"),
            models.CheckConstraint(
                condition=models.Q(target_percent_low__isnull=True)
                | models.Q(target_percent_low__gte=0, target_percent_low__lte=100),
                name="benefit_percent_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(target_percent_high__isnull=True)
                | models.Q(target_percent_low__isnull=False, target_percent_high__gte=models.F("target_percent_low"))
                & models.Q(target_percent_high__lte=100),
                name="benefit_percent_range_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(financial_year__isnull=True)
                | models.Q(financial_year__gte=2000, financial_year__lte=2100),
                name="benefit_financial_year_sensible",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()}: {self.description[:80]}"

    def natural_key(self):
        return natural_key_of(self)

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#benefit-{self.pk}"

    @property
    def financial_year_label(self):
        return financial_year_label(self.financial_year)

    @property
    def target_label(self):
        """The target as the council writes it: “£350,000”, “at least 20% of
        combined management cost”, “15–20% of total service cost”; else the
        wording as written."""
        prefix = "at least " if self.at_least else ""
        if self.target_amount is not None:
            amount = f"{prefix}{pounds(self.target_amount)}"
            if self.target_percent_low is None:
                return amount
            return f"{amount} ({percent_range(self.target_percent_low, self.target_percent_high)} of {self.percent_of})"
        if self.target_percent_low is not None:
            return f"{prefix}{percent_range(self.target_percent_low, self.target_percent_high)} of {self.percent_of}"
        return self.target_wording

    def clean(self):
        errors = {}
        if self.target_percent_high is not None and self.target_percent_low is None:
            errors["target_percent_low"] = "Give the bottom of the range as well as the top."
        elif self.target_percent_high is not None and self.target_percent_high < self.target_percent_low:
            errors["target_percent_high"] = "The top of the range cannot be below its bottom."
        for name in ("target_percent_low", "target_percent_high"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                errors[name] = "Enter a percentage between 0 and 100."
        if self.target_percent_low is not None and not self.percent_of.strip():
            errors["percent_of"] = "Say what the percentage is of, e.g. “combined management cost”."
        if self.financial_year is not None and not 2000 <= self.financial_year <= 2100:
            errors["financial_year"] = "Enter a financial year between 2000 and 2100."
        if errors:
            raise ValidationError(errors)


class BenefitRealisation(Versioned):
    """An amount of a benefit realised, recorded when it was known."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="realisations")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts: 2012 for 2012/13.")
    amount = models.DecimalField("realised (£)", max_digits=14, decimal_places=2, validators=[validate_pounds])
    recorded_on = models.DateField(default=timezone.localdate, validators=[validate_sensible_date])
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["benefit", "financial_year", "recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(financial_year__gte=2000, financial_year__lte=2100),
                name="realisation_financial_year_sensible",
            ),
        ]

    def __str__(self):
        return f"{self.benefit}: {financial_year_label(self.financial_year)}"

    @property
    def financial_year_label(self):
        return financial_year_label(self.financial_year)

    def get_absolute_url(self):
        return self.benefit.get_absolute_url()

    @property
    def project(self):
        return self.benefit.project

    def can_be_edited_by(self, user):
        return self.benefit.project.can_be_updated_by(user)

    def validate_scope(self, user, original=None, **related):
        if not self.benefit.project.can_be_updated_by(user):
            raise PermissionDenied("Only the project's owner or its programme's managers can record savings.")
        if original is not None and original.benefit_id != self.benefit_id:
            raise ValidationError({"benefit": "A realised amount stays with its benefit."})

    def clean(self):
        if self.recorded_on and self.recorded_on > timezone.localdate():
            raise ValidationError({"recorded_on": "A realised amount cannot be recorded in the future."})


class PartnerKind(models.TextChoices):
    COUNCIL = "council", "Council"
    PUBLIC_BODY = "public_body", "Public body"
    FUNDER = "funder", "Funding body"
    SUPPLIER = "supplier", "Consultant or supplier"
    OTHER = "other", "Other"


class Partner(RefModel, Versioned):
    """Another organisation the programme works with: a council (LB Bexley,
    LB Croydon), a public body (the PCT), a funder (Capital Ambition)."""

    name = models.CharField(max_length=200, unique=True, help_text="In full, e.g. “London Borough of Bexley”.")
    short_name = models.CharField(max_length=60, blank=True, help_text="As the papers write it, e.g. “LB Bexley”.")
    kind = models.CharField(max_length=12, choices=PartnerKind.choices, default=PartnerKind.COUNCIL)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=PartnerKind.values), name="partner_kind_valid"),
        ]

    def get_absolute_url(self):
        return reverse("programmes:partner", args=[self.ref])

    @property
    def label(self):
        return self.short_name or self.name

    def can_be_edited_by(self, user):
        return user.has_perm("programmes.change_partner")

    def validate_scope(self, user, original=None, **related):
        perm = "programmes.change_partner" if original else "programmes.add_partner"
        if not user.has_perm(perm):
            raise PermissionDenied("Only programme managers can record partner organisations.")


class PartnerRole(models.TextChoices):
    LEAD = "lead", "Lead"
    PARTNER = "partner", "Partner"
    FUNDER = "funder", "Funder"
    MAY_JOIN = "may_join", "May join later"
    ADVISER = "adviser", "Consultant or adviser"


class Partnership(Versioned):
    """A partner's role on a programme or on a project (exactly one of them),
    with when or on what condition it may join, and its share where given."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="partnerships")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, blank=True, related_name="partnerships"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="partnerships")
    role = models.CharField(max_length=10, choices=PartnerRole.choices, default=PartnerRole.PARTNER)
    contribution = models.CharField(
        "contribution", max_length=500, blank=True, help_text="What it brings, in the papers' words."
    )
    joins_on = models.DateField("may join from", null=True, blank=True, validators=[validate_sensible_date])
    join_condition = models.CharField(
        "joins when", max_length=300, blank=True, help_text="e.g. “once its contracts expire in 2016”."
    )
    cost_share = money_field("share of costs (£)")
    savings_share = money_field("share of savings (£)")
    share_wording = models.CharField("share as written", max_length=200, blank=True)
    history = HistoricalRecords()

    NATURAL_KEY = ("partner__ref", "project__ref", "programme__ref")  # how the seed fixtures name it
    objects = NaturalKeyManager()

    class Meta:
        ordering = ["partner__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme__isnull=True, project__isnull=False)
                | models.Q(programme__isnull=False, project__isnull=True),
                name="partnership_on_programme_or_project",
            ),
            models.UniqueConstraint(
                fields=["partner", "project"],
                condition=models.Q(project__isnull=False),
                name="partner_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["partner", "programme"],
                condition=models.Q(programme__isnull=False),
                name="partner_once_per_programme",
            ),
            models.CheckConstraint(condition=models.Q(role__in=PartnerRole.values), name="partnership_role_valid"),
        ]

    def __str__(self):
        return f"{self.partner.label} ({self.get_role_display()}) on {self.project or self.programme}"

    def natural_key(self):
        return natural_key_of(self)

    def get_absolute_url(self):
        return f"{(self.project or self.programme).get_absolute_url()}#partners"

    @property
    def programme_of(self):
        return self.programme_id if self.project_id is None else self.project.programme_id

    @property
    def joins_label(self):
        """“From 1 Apr 2013”, its condition, both, or nothing."""
        parts = [f"From {self.joins_on.day} {self.joins_on:%b %Y}" if self.joins_on else "", self.join_condition]
        return "; ".join(part for part in parts if part)

    @property
    def share_label(self):
        """Its share as written, else its shares of costs and savings in pounds."""
        if self.share_wording:
            return self.share_wording
        parts = [
            f"costs {pounds(self.cost_share)}" if self.cost_share is not None else "",
            f"savings {pounds(self.savings_share)}" if self.savings_share is not None else "",
        ]
        text = "; ".join(part for part in parts if part)
        return text[:1].upper() + text[1:]

    def can_be_edited_by(self, user):
        return manages(user, self.programme_of, "programmes.change_partnership")

    def validate_scope(self, user, original=None, **related):
        if original is not None and not original.can_be_edited_by(user):
            raise PermissionDenied("Only the programme's managers can change its partners.")
        perm = "programmes.change_partnership" if original else "programmes.add_partnership"
        if not manages(user, self.programme_of, perm):
            raise ValidationError("You can only record partners on a programme you manage.")

    def clean(self):
        if (self.programme_id is None) == (self.project_id is None):
            raise ValidationError("A partner's role is on a programme or on a project, not both.")


class HighlightReportMilestone(models.Model):
    """A key milestone as the highlight report printed it (copied when drafting)."""

    seed_written_once = True

    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    project_name = models.CharField(max_length=200)
    milestone = models.CharField(max_length=320)
    target = models.CharField(max_length=300, blank=True, help_text="The target date as printed.")
    status = models.CharField(max_length=40)
    responsible = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="report_milestone_position_unique"),
        ]

    def __str__(self):
        return self.milestone

    def save(self, *args, **kwargs):
        HighlightReport.objects.ensure_draft(self.report_id)
        super().save(*args, **kwargs)


class HighlightReportBenefit(models.Model):
    """A line of the highlight report's savings and benefits summary (copied when drafting)."""

    seed_written_once = True

    report = models.ForeignKey(HighlightReport, on_delete=models.CASCADE, related_name="benefits")
    position = models.PositiveSmallIntegerField()
    project_name = models.CharField(max_length=200)
    benefit_type = models.CharField(max_length=60)
    description = LimitedTextField(max_length=NOTE_LIMIT)
    target = models.CharField(max_length=300, blank=True, help_text="As printed: £350,000, or at least 20% of …")
    realised = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="report_benefit_position_unique"),
        ]

    def __str__(self):
        return f"{self.project_name}: {self.benefit_type}"

    def save(self, *args, **kwargs):
        HighlightReport.objects.ensure_draft(self.report_id)
        super().save(*args, **kwargs)


# The commentary is section 3 of a council report ("3. COMMENTARY"), so a
# narrative update's paragraphs are numbered 3.1, 3.2, … unless told otherwise.
COMMENTARY_SECTION = 3
BULLET_MARKS = ("- ", "• ", "* ")


class NumberedParagraph(NamedTuple):
    """A paragraph as printed: its generated number ("3.14"), its text, and
    any bulleted lines in it (the seed's "3.26 The areas … are:" list)."""

    number: str
    text: str
    bullets: list


def split_bullets(paragraph):
    """(the paragraph's own lines, its bulleted lines without their marks)."""
    lines, bullets = [], []
    for line in paragraph.splitlines():
        stripped = line.strip()
        mark = next((m for m in BULLET_MARKS if stripped.startswith(m)), None)
        if mark:
            bullets.append(stripped[len(mark) :].strip())
        elif stripped:
            lines.append(stripped)
    return "\n".join(lines), bullets


class NarrativeUpdateQuerySet(models.QuerySet):
    def final(self):
        """Those marked final: only these go to committee (a draft may still change)."""
        return self.filter(status=NarrativeUpdate.Status.FINAL)

    def for_display(self):
        """Everything a narrative update's pages print, in a fixed number of queries."""
        return self.select_related("programme", "created_by").prefetch_related("sections")

    def next_period_start(self, programme):
        """The day after the last narrative update's period ends, if there is one."""
        last = self.filter(programme=programme).order_by("-period_end").first()
        if last is None:
            return None
        following = last.period_end + datetime.timedelta(days=1)
        return following if is_sensible_date(following) else None


class NarrativeUpdate(Versioned):
    """A programme update written as prose, as the OIP update of 18 January
    2012 is: a heading per workstream or project and paragraphs of progress.
    Drafted from the latest project updates in a period, then edited by its
    author; an appendix to a committee report freezes it when the pack is issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="narrative_updates")
    title = models.CharField(max_length=300)
    period_start = models.DateField("covers from", validators=[validate_sensible_date])
    period_end = models.DateField("covers to", validators=[validate_sensible_date])
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = NarrativeUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "-period_end", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")), name="narrative_period_in_order"
            ),
            models.CheckConstraint(condition=models.Q(status__in=["draft", "final"]), name="narrative_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programmes:narrative", args=[self.pk])

    def can_be_edited_by(self, user):
        return manages(user, self.programme_id, "programmes.change_narrativeupdate")

    def validate_scope(self, user, original=None, **related):
        perm = "programmes.change_narrativeupdate" if original else "programmes.add_narrativeupdate"
        if not manages(user, (original or self).programme_id, perm) or not manages(user, self.programme_id, perm):
            raise PermissionDenied("Only this programme's managers can write its narrative updates.")

    def clean(self):
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": "The period cannot end before it starts."})

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def period_label(self):
        start, end = self.period_start, self.period_end
        return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"

    def numbered_sections(self, number_from=COMMENTARY_SECTION):
        """[(section, [NumberedParagraph])] in order, the paragraphs numbered
        3.1, 3.2, … through the whole document as the council's reports number
        them, so inserting a paragraph renumbers those after it. Reads the
        sections prefetched by for_display (no query of its own then)."""
        numbered, count = [], 0
        for section in self.sections.all():
            paragraphs = []
            for paragraph in section.paragraphs:
                count += 1
                text, bullets = split_bullets(paragraph)
                paragraphs.append(NumberedParagraph(f"{number_from}.{count}", text, bullets))
            numbered.append((section, paragraphs))
        return numbered


class NarrativeSection(models.Model):
    """One heading of a narrative update (a workstream or a project) and its paragraphs."""

    narrative = models.ForeignKey(NarrativeUpdate, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField(default=2, help_text="1 for a workstream heading, 2 for a project.")
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="Drafted from."
    )
    text = LimitedTextField(
        blank=True, max_length=DESCRIPTION_LIMIT, help_text="Paragraphs separated by blank lines; numbered on print."
    )

    class Meta:
        ordering = ["narrative", "position"]
        constraints = [
            models.UniqueConstraint(fields=["narrative", "position"], name="narrative_section_position_unique"),
        ]

    def __str__(self):
        return self.heading

    @property
    def paragraphs(self):
        return [part.strip() for part in normalize_newlines(self.text).split("\n\n") if part.strip()]

    def validate_scope(self, user, original=None, **related):
        if not self.narrative.can_be_edited_by(user):
            raise PermissionDenied("Only this programme's managers can write its narrative updates.")
