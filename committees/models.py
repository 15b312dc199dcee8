"""Committees, their meetings and agendas, and the minuted actions that
become matters arising.

Committees sit above both domains: a meeting takes programmes' highlight
reports and follows up review actions, so this app points down at
`programmes` and `actions`, and neither of them knows it exists.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import ActionItem, ActionUpdate
from core.as_at import cut_off
from core.fields import LimitedTextField
from core.models import RefModel, Versioned
from core.storage import private_storage
from core.validators import DESCRIPTION_LIMIT, NOTE_LIMIT, REASON_LIMIT, validate_sensible_date
from programmes.models import HighlightReport, NarrativeUpdate, Programme


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
    # The letterhead of the agenda front sheet, as the clerk's office prints it.
    address = models.CharField(
        max_length=300, blank=True, help_text="e.g. BROMLEY CIVIC CENTRE, STOCKWELL CLOSE, BROMLEY BRI 3UH"
    )
    telephone = models.CharField(max_length=40, blank=True, help_text="The switchboard, e.g. 020 8464 3333")
    contact_name = models.CharField(
        "clerk", max_length=200, blank=True, help_text="The committee clerk named as contact."
    )
    contact_email = models.EmailField("clerk's e-mail", blank=True)
    contact_telephone = models.CharField("clerk's direct line", max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    documents_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where copies of the documents referred to can be obtained, e.g. a web address.",
    )
    publish_online = models.BooleanField(
        "publish papers online",
        default=False,
        help_text="Issued Part 1 packs and published reports are then open to the public without a login.",
    )

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("committees:detail", args=[self.ref])


class MeetingQuerySet(models.QuerySet):
    def before(self, meeting):
        return self.filter(committee=meeting.committee, date__lt=meeting.date)

    def upcoming(self, today=None):
        """Meetings from `today` (default: today) on, soonest first."""
        today = today or timezone.localdate()
        return self.filter(date__gte=today).order_by("date", "time", "committee__name")

    def without_issued_pack(self):
        """Meetings whose Part 1 (public) pack has not been issued: the packs the clerk still has to prepare."""
        return self.filter(~models.Exists(_issued_public_packs()))

    def with_pack_state(self):
        """With what the clerk's home page says of each pack, in one query
        however many meetings: when the latest Part 1 pack was issued (None:
        never), whether a version is being generated, whether the latest
        request failed, and whether there are agenda items and reports yet
        (Meeting.pack_state, Meeting.pack_gaps)."""
        latest_request = IssuedPack.objects.filter(meeting=models.OuterRef("pk"), part=IssuedPack.Part.PUBLIC)
        return self.select_related("committee").annotate(
            pack_issued_at=models.Subquery(_issued_public_packs().order_by("-version").values("issued_at")[:1]),
            latest_pack_status=models.Subquery(latest_request.order_by("-version").values("status")[:1]),
            has_agenda=models.Exists(AgendaItem.objects.filter(meeting=models.OuterRef("pk"))),
            has_reports=models.Exists(Meeting.reports.through.objects.filter(meeting=models.OuterRef("pk"))),
        )


def _issued_public_packs():
    return IssuedPack.objects.issued().filter(meeting=models.OuterRef("pk"), part=IssuedPack.Part.PUBLIC)


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
    # The agenda front sheet (the summons).
    papers_as_at = models.DateField(
        "papers dated",
        null=True,
        blank=True,
        validators=[validate_sensible_date],
        help_text="The front sheet's date (e.g. 20 May 2010): the pack shows the programme as it stood "
        "that day. Blank: the meeting date.",
    )
    addressed_to = models.CharField(max_length=200, blank=True, help_text="e.g. ALL MEMBERS OF THE COUNCIL")
    summons = LimitedTextField(
        blank=True,
        max_length=NOTE_LIMIT,
        help_text="The notice of the meeting, e.g. “there will be a meeting of … on …”.",
    )
    signatory = models.CharField(max_length=200, blank=True, help_text="Who signs the summons, e.g. MARK BOWEN")
    signatory_title = models.CharField(
        max_length=200, blank=True, help_text="e.g. Director of Legal, Democratic and Customer Services."
    )

    # Kept so a deleted meeting (committees.services.delete_meeting) stays on record: who, when, what it was.
    history = HistoricalRecords()

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

    @staticmethod
    def can_be_deleted_by(user):
        """Committee clerks (and administrators) delete a meeting set up by
        mistake; committees.services.delete_meeting says when it may go."""
        return user.has_perm("committees.delete_meeting")

    @staticmethod
    def exempt_papers_visible_to(user):
        """Who may see the Part 2 (exempt) papers: exempt reports, their
        appendices, exempt minutes and the exempt pack. Only those who run
        meetings (committee clerks and administrators, through
        committees.change_meeting); to anyone else they are 404, so their
        existence is not given away. Other logins read the Part 1 papers."""
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

    def draft_narrative_appendices(self, *, exempt=False):
        """The appendices of this meeting's Part 1 reports (exempt=True: its
        Part 2 reports) that are narrative updates in draft, e.g. set back to
        draft after the clerk attached them. The pack is not issued while
        there are any (committees.issuing): it would freeze text that may
        still change, unmarked, into the papers the public can download."""
        return (
            ReportAppendix.objects.filter(
                agenda_item__meeting=self,
                agenda_item__has_report=True,
                agenda_item__exempt=exempt,
                kind=ReportAppendix.Kind.NARRATIVE_UPDATE,
                narrative__status=NarrativeUpdate.Status.DRAFT,
            )
            .select_related("agenda_item", "narrative")
            .order_by("agenda_item__number", "position")
        )

    @property
    def as_at(self):
        """The date the papers speak as at: the front sheet's date, else the meeting's."""
        return self.papers_as_at or self.date

    @property
    def cut_off(self):
        """The moment the papers speak as at: the end of the as_at day (site
        time), or now for papers of a meeting whose date is still to come."""
        return cut_off(self.as_at)

    @property
    def position_date(self):
        """The day the papers' live tables print their position as at: as_at, or today if that is to come."""
        return timezone.localtime(self.cut_off).date()

    def days_until(self, today=None):
        return (self.date - (today or timezone.localdate())).days

    # What Meeting.pack_state says, in words (for meetings fetched with_pack_state).
    PACK_STATES = {
        "issued": "Pack issued",
        "requested": "Pack requested, not issued yet",
        "failed": "Pack not issued: the last attempt failed",
        "not_issued": "Pack not issued yet",
    }

    @property
    def pack_state(self):
        """The Part 1 pack's state: "issued", "requested" (queued or being
        generated), "failed" or "not_issued". Reads with_pack_state's annotations."""
        if self.pack_issued_at is not None:
            return "issued"
        return {
            IssuedPack.Status.QUEUED: "requested",
            IssuedPack.Status.GENERATING: "requested",
            IssuedPack.Status.FAILED: "failed",
        }.get(self.latest_pack_status, "not_issued")

    @property
    def pack_state_label(self):
        return self.PACK_STATES[self.pack_state]

    @property
    def pack_gaps(self):
        """What the papers still lack, in words, for meetings fetched with_pack_state."""
        gaps = []
        if not self.has_agenda:
            gaps.append("No agenda items yet")
        if not self.has_reports:
            gaps.append("No highlight reports attached")
        return gaps


class ClerksWrite:
    """For the rows of a meeting's papers: only committee clerks (and
    administrators) save them (see core.scope); CLERKS_ONLY says so."""

    CLERKS_ONLY = "Only committee clerks can change meetings and their papers."

    def validate_scope(self, user, original=None, **related):
        if not Meeting.can_be_managed_by(user):
            raise PermissionDenied(self.CLERKS_ONLY)


class AgendaItemManager(models.Manager):
    def get_by_natural_key(self, committee_ref, date, number):
        return self.get(meeting__committee__ref=committee_ref, meeting__date=date, number=number)


class AgendaItem(ClerksWrite, models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    report_number = models.CharField(max_length=30, blank=True, help_text="e.g. CEO1058")
    contact_officer = models.CharField(max_length=200, blank=True)
    pages = models.CharField(
        "pages in the original",
        max_length=30,
        blank=True,
        help_text="The page range in the council's own pack, kept as the record (e.g. 13 - 50). "
        "Packs print their real pages.",
    )
    exempt = models.BooleanField(default=False, help_text="Taken with the press and public excluded.")
    description = LimitedTextField(
        blank=True,
        max_length=NOTE_LIMIT,
        help_text="Printed under the item on the agenda, e.g. “To hear questions received in writing by …”.",
    )
    minutes_of = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minuted_at_items",
        help_text="The earlier meeting whose minutes are taken (and printed) under this item.",
    )
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
    # The rest of the council's standard cover sheet (issue 11). An agenda item
    # with a report prints its own cover; a standing item (apologies,
    # declarations of interest) has none. Blank fields print blank, as the
    # council leaves them; "N/A" is typed where the paper says N/A.
    has_report = models.BooleanField(
        "has a report", default=False, help_text="A paper with its own cover sheet is taken under this item."
    )
    exempt_reason = models.CharField(
        "reason for exemption",
        max_length=300,
        blank=True,
        help_text="For Part 2: why the press and public are excluded (e.g. the Schedule 12A paragraph).",
    )
    contact_telephone = models.CharField("contact telephone", max_length=40, blank=True)
    contact_email = models.EmailField("contact e-mail", blank=True)
    policy_status = models.CharField(max_length=300, blank=True, help_text="e.g. Existing policy.")
    bbb_priority = models.CharField("BBB priority", max_length=300, blank=True, help_text="e.g. Excellent Council.")
    cost_of_proposal = LimitedTextField(blank=True, max_length=REASON_LIMIT)
    ongoing_costs = LimitedTextField(blank=True, max_length=REASON_LIMIT)
    budget_head = models.CharField("budget head/performance centre", max_length=300, blank=True)
    total_current_budget = models.CharField("total current budget for this head", max_length=300, blank=True)
    source_of_funding = models.CharField(max_length=300, blank=True)
    staff_number = LimitedTextField("number of staff (current and additional)", blank=True, max_length=REASON_LIMIT)
    staff_hours = models.CharField(
        "if from existing staff resources, number of staff hours", max_length=300, blank=True
    )
    legal_requirement = models.CharField(max_length=300, blank=True)
    call_in = models.CharField("call-in", max_length=300, blank=True)
    customer_impact = LimitedTextField(
        "estimated number of users/beneficiaries (current and projected)", blank=True, max_length=REASON_LIMIT
    )
    ward_councillors_asked = models.CharField(
        "have ward councillors been asked for comments?", max_length=300, blank=True
    )
    ward_councillors_comments = LimitedTextField(
        "summary of ward councillors comments", blank=True, max_length=REASON_LIMIT
    )
    policy_implications = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    financial_implications = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    legal_implications = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    personnel_implications = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT)
    non_applicable_sections = models.CharField(max_length=500, blank=True)
    background_documents = LimitedTextField(
        "background documents (access via contact officer)", blank=True, max_length=REASON_LIMIT
    )

    # Kept so a deleted agenda item (committees.services.delete_agenda_item) stays on record.
    history = HistoricalRecords()

    objects = AgendaItemManager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#agenda-{self.number}"

    CLERKS_ONLY = "Only committee clerks can change meetings and their agendas."

    @staticmethod
    def can_be_deleted_by(user):
        """Clerks (and administrators); committees.services.delete_agenda_item says when."""
        return user.has_perm("committees.delete_agendaitem")

    COMMENTARY_SECTION = 3  # "3. COMMENTARY" on the council's cover sheet

    @property
    def commentary(self):
        """[(number or None, paragraph)]: headings unnumbered, paragraphs 3.1,
        3.2 … in order. Reads the prefetched `paragraphs`."""
        numbered, count = [], 0
        for paragraph in self.paragraphs.all():
            if paragraph.kind == ReportParagraph.Kind.HEADING:
                numbered.append((None, paragraph))
            else:
                count += 1
                numbered.append((f"{self.COMMENTARY_SECTION}.{count}", paragraph))
        return numbered

    def cover_fingerprint(self):
        """A digest of the cover sheet as stored: the edit form carries the one
        the clerk loaded, and a save is refused if it has changed since (this
        model is not Versioned)."""
        import hashlib

        values = [str(getattr(self, f.attname)) for f in self._meta.concrete_fields]
        return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]

    @property
    def recommendation_lines(self):
        """The recommendations, one per line, numbered 2.1, 2.2 … on print."""
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    MINUTES_OF_EARLIER = "Choose an earlier meeting of this committee: an agenda takes the minutes of a past meeting."

    def clean(self):
        """The minutes an item takes are those of an earlier meeting of the
        same committee (the agenda prints them as the last meeting's)."""
        if self.minutes_of_id and self.meeting_id:
            taken = Meeting.objects.filter(pk=self.minutes_of_id).values("committee_id", "date").first()
            meeting = self.meeting
            if taken is None or taken["committee_id"] != meeting.committee_id or taken["date"] >= meeting.date:
                raise ValidationError({"minutes_of": self.MINUTES_OF_EARLIER})

    def natural_key(self):
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["committees.meeting"]


class MinutedActionQuerySet(models.QuerySet):
    def matters_arising_for(self, meeting, previous_meeting=None, as_at=None):
        """The rows of a meeting's "Matters arising from previous meetings"
        table: actions minuted at earlier meetings of the same committee that
        are still open, plus those completed since the previous meeting (shown
        as complete so members see them close). as_at (an aware datetime, the
        papers' cut-off): judged on the actions as they stood then."""
        since = previous_meeting.date if previous_meeting is not None else None
        actions = ActionItem.objects.open_or_completed_since(since, meeting.date)
        if as_at is not None:
            actions = ActionItem.objects.as_at(as_at).open_or_completed_since_as_at(since, meeting.date)
        return self.filter(
            meeting__committee=meeting.committee_id, meeting__date__lt=meeting.date, action__in=actions
        ).order_by("meeting__date", "minute_number", "pk")

    def due_by(self, date):
        """Matters arising still open and due on or before `date`, the overdue
        ones included, soonest first (undated ones are never "due")."""
        return self.filter(action__in=ActionItem.objects.open(), action__due_date__lte=date).order_by(
            "action__due_date", "meeting__date", "pk"
        )

    def for_table(self):
        """With what the matters-arising table prints: the action, its owner
        and its updates (newest first), and the meeting with its committee."""
        return self.select_related("action__owner", "meeting__committee").prefetch_related("action__updates")

    def for_table_as_at(self, when):
        """for_table for papers cut off at `when`: each action as it stood then
        (ActionItem.objects.as_at) with the updates recorded by then. One
        query more than for_table (the actions), however many rows."""
        actions = (
            ActionItem.objects.as_at(when)
            .select_related("owner")
            .prefetch_related(models.Prefetch("updates", queryset=ActionUpdate.objects.recorded_by(when)))
        )
        return self.select_related("meeting__committee").prefetch_related(models.Prefetch("action", queryset=actions))


class MinutedActionManager(models.Manager.from_queryset(MinutedActionQuerySet)):
    def get_by_natural_key(self, action_ref):
        return self.get(action__ref=action_ref)


class MinutedAction(ClerksWrite, models.Model):
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
    minute = models.ForeignKey(
        "Minute",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The minute that gave rise to it (older ones carry only its number and title).",
    )

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

    def clean(self):
        # The printed label follows the recorded minute, so matters arising
        # read the same whether the minute was typed in or loaded from a seed.
        if self.minute_id is not None:
            if self.minute.meeting_id != self.meeting_id:
                raise ValidationError({"minute": "The minute must be one of this meeting's minutes."})
            self.minute_number, self.minute_title = str(self.minute.number), self.minute.title

    # Clerks minute meetings: only they (and administrators) say which meeting an action arose from.
    CLERKS_ONLY = "Only committee clerks and administrators can say which meeting an action arose from."


class ReportPartManager(models.Manager):
    """Paragraphs and appendices are named by their report's agenda item and
    their position in it, so reloading the seed fixtures updates them."""

    def get_by_natural_key(self, committee_ref, date, number, position):
        return self.get(
            agenda_item__meeting__committee__ref=committee_ref,
            agenda_item__meeting__date=date,
            agenda_item__number=number,
            position=position,
        )


class ReportParagraph(ClerksWrite, models.Model):
    """A heading or a paragraph of a report's commentary (section 3).

    Paragraphs are numbered 3.1, 3.2 … in order when the report is shown
    (AgendaItem.commentary), never stored, so inserting one renumbers those
    after it, as the council's papers are numbered."""

    class Kind(models.TextChoices):
        HEADING = "heading", "Heading"
        PARAGRAPH = "paragraph", "Paragraph"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveSmallIntegerField(help_text="Order in the commentary.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PARAGRAPH)
    text = LimitedTextField(max_length=NOTE_LIMIT)

    objects = ReportPartManager()

    class Meta:
        ordering = ["agenda_item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "position"], name="report_paragraph_position_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["heading", "paragraph"]), name="report_paragraph_kind_valid"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def natural_key(self):
        return (*self.agenda_item.natural_key(), self.position)

    natural_key.dependencies = ["committees.agendaitem"]


class ReportAppendix(ClerksWrite, models.Model):
    """An appendix to a report: a paper generated from live data, which is
    frozen when the pack is issued."""

    class Kind(models.TextChoices):
        HIGHLIGHT_REPORT = "highlight_report", "Published highlight report"
        NARRATIVE_UPDATE = "narrative_update", "Narrative programme update"
        ACTION_PLAN_PROGRESS = "action_plan_progress", "LEC action plan progress"
        MATTERS_ARISING = "matters_arising", "Matters arising"
        SAVINGS = "savings", "Savings and benefits"
        MILESTONES = "milestones", "Key milestones"
        RISKS = "risks", "Risk register extract"
        UPLOADED = "uploaded", "Uploaded file (PDF)"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="appendices")
    position = models.PositiveSmallIntegerField(help_text="Appendix 1, 2, … in this order.")
    title = models.CharField(max_length=300, blank=True, help_text="Leave blank to use the paper's own title.")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    highlight_report = models.ForeignKey(
        HighlightReport, on_delete=models.PROTECT, null=True, blank=True, related_name="appendices"
    )
    narrative = models.ForeignKey(
        NarrativeUpdate, on_delete=models.PROTECT, null=True, blank=True, related_name="appendices"
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For savings, milestones and risks: whose.",
    )
    open_only = models.BooleanField("open actions only", default=False)
    at_risk_only = models.BooleanField("at-risk actions only (Red or Amber, or overdue)", default=False)
    file = models.FileField(
        upload_to="appendices/%Y/",
        storage=private_storage,
        blank=True,
        help_text="For an uploaded paper produced elsewhere: a PDF.",
    )
    page_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    objects = ReportPartManager()

    class Meta:
        ordering = ["agenda_item", "position"]
        verbose_name_plural = "report appendices"
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "position"], name="report_appendix_position_unique"),
            models.CheckConstraint(
                condition=~models.Q(kind="highlight_report") | models.Q(highlight_report__isnull=False),
                name="appendix_highlight_report_given",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="narrative_update") | models.Q(narrative__isnull=False),
                name="appendix_narrative_given",
            ),
        ]

    def __str__(self):
        return f"Appendix {self.position}: {self.title or self.get_kind_display()}"

    def natural_key(self):
        return (*self.agenda_item.natural_key(), self.position)

    natural_key.dependencies = ["committees.agendaitem"]

    WIDE_KINDS = ("highlight_report", "action_plan_progress", "risks")  # printed on A4 landscape pages

    NARRATIVE_NOT_FINAL = (
        "Only a final narrative programme update can go to committee: this one is still a draft. "
        "Ask the programme's managers to mark it final first."
    )

    @property
    def is_wide(self):
        return self.kind in self.WIDE_KINDS

    def shows_action(self, action, today=None):
        """For LEC action plan progress: whether this appendix's filters keep `action`."""
        from actions.models import Progress

        if self.open_only and action.is_closed:
            return False
        return not self.at_risk_only or action.progress_category(today) in (Progress.AT_RISK, Progress.OVERDUE)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.HIGHLIGHT_REPORT:
            if self.highlight_report_id is None:
                errors["highlight_report"] = "Choose the published highlight report."
            elif self.highlight_report.status == HighlightReport.Status.DRAFT:
                errors["highlight_report"] = "Only a published highlight report can go to committee."
        if self.kind == self.Kind.NARRATIVE_UPDATE:
            if self.narrative_id is None:
                errors["narrative"] = "Choose the narrative programme update."
            elif self.narrative.is_draft:
                errors["narrative"] = self.NARRATIVE_NOT_FINAL
        if self.kind in (self.Kind.SAVINGS, self.Kind.MILESTONES, self.Kind.RISKS) and self.programme_id is None:
            errors["programme"] = "Choose the programme."
        errors.update(self._check_upload())
        if errors:
            raise ValidationError(errors)

    def _check_upload(self):
        """An uploaded appendix needs a readable, unencrypted PDF within the
        size limit (committees.pdf_merge.inspect_upload); its page count is
        taken from the file as it arrives. Other kinds take no file."""
        from committees.pdf_merge import inspect_upload

        if self.kind != self.Kind.UPLOADED:
            return {"file": "Only an uploaded paper (Uploaded file (PDF)) takes a file."} if self.file else {}
        if not self.file:
            return {"file": "Choose the PDF file of the paper to upload."}
        if not self.file._committed:  # a new upload, not yet stored
            try:
                self.page_count = inspect_upload(self.file)
            except ValidationError as error:
                return {"file": error.messages}
        return {}

    @property
    def pdf_page_orientations(self):
        """For print: "portrait" or "landscape" for each page of the uploaded
        file, read from the stored file (one placeholder page each)."""
        from committees.pdf_merge import page_orientations

        with self.file.open("rb") as stored:
            return page_orientations(stored)

    @property
    def file_name(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def savings(self):
        """For a savings-and-benefits appendix: the programme's benefits by
        workstream and project, each with its target and what has been
        realised, and totals per workstream, per financial year and for the
        programme. Reads what committees.access.report_prefetches fetched,
        so it runs no query. A project shared into a workstream (Project.
        shared_with) is listed there too but counted once in the programme's
        total. Totals add up targets given in pounds; a percentage target
        prints as written and is not added."""

        def add(total, amount):
            return amount if total is None else total if amount is None else total + amount

        workstreams, seen, years = [], set(), {}
        total = {"target": None, "realised": None}
        for workstream in self.programme.workstreams.all():
            rows, subtotal = [], {"target": None, "realised": None}
            for project in [*workstream.projects.all(), *workstream.shared_projects.all()]:
                for benefit in project.benefits.all():
                    realised = None
                    for realisation in benefit.realisations.all():
                        realised = add(realised, realisation.amount)
                        if benefit.pk not in seen:
                            year = years.setdefault(realisation.financial_year, {"target": None, "realised": None})
                            year["realised"] = add(year["realised"], realisation.amount)
                    rows.append({"project": project, "benefit": benefit, "realised": realised})
                    subtotal["target"] = add(subtotal["target"], benefit.target_amount)
                    subtotal["realised"] = add(subtotal["realised"], realised)
                    if benefit.pk not in seen:
                        seen.add(benefit.pk)
                        total["target"] = add(total["target"], benefit.target_amount)
                        total["realised"] = add(total["realised"], realised)
                        if benefit.financial_year is not None and benefit.target_amount is not None:
                            year = years.setdefault(benefit.financial_year, {"target": None, "realised": None})
                            year["target"] = add(year["target"], benefit.target_amount)
            if rows:
                workstreams.append({"workstream": workstream, "rows": rows, **subtotal})
        from programmes.models import financial_year_label

        by_year = [{"year": financial_year_label(y), **years[y]} for y in sorted(years)]
        return {"workstreams": workstreams, "by_year": by_year, **total}


# --- Minutes of a meeting (issue 11) ---


class MinuteQuerySet(models.QuerySet):
    def for_committee(self, committee):
        return self.filter(meeting__committee=committee)

    def next_number(self, committee):
        """Minutes are numbered on from the committee's last one (the
        11 February 2010 minutes run 34 to 42 after December's)."""
        highest = self.for_committee(committee).aggregate(highest=models.Max("number"))["highest"]
        return (highest or 0) + 1

    def get_by_natural_key(self, committee_ref, date, number):
        """Seed fixtures name a minute [committee_ref, meeting date, number]."""
        return self.get(meeting__committee__ref=committee_ref, meeting__date=date, number=number)

    def for_page(self):
        """With what the minutes page prints: each minute's agenda item and its
        actions with their owners. Constant queries however many."""
        actions = MinutedAction.objects.select_related("action__owner").order_by("pk")
        return self.select_related("agenda_item").prefetch_related(models.Prefetch("actions", queryset=actions))

    def visible_to(self, user):
        """Exempt minutes only for those who may see the exempt papers
        (Meeting.exempt_papers_visible_to)."""
        return self if Meeting.exempt_papers_visible_to(user) else self.filter(exempt=False)


class Minute(ClerksWrite, Versioned):
    """A numbered minute of a meeting: what was discussed and what was RESOLVED.
    Actions recorded under it (MinutedAction.minute) become matters arising
    at the committee's later meetings. Versioned, so two clerks editing the
    same minute never silently overwrite each other."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField(
        help_text="Minutes are numbered on from the committee's last meeting, e.g. 37, 38 …"
    )
    title = models.CharField(max_length=300, help_text="As minuted, e.g. “London Efficiency Challenge feedback”.")
    text = LimitedTextField(blank=True, max_length=DESCRIPTION_LIMIT, help_text="What was reported and discussed.")
    resolved = LimitedTextField(
        "resolved",
        blank=True,
        max_length=REASON_LIMIT,
        help_text="The decisions, one per line, without “RESOLVED that” (printed before them).",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minutes",
        help_text="The agenda item it minutes, if any.",
    )
    exempt = models.BooleanField(
        default=False, help_text="An exempt minute: printed only in the Part 2 (exempt) papers."
    )

    history = HistoricalRecords()

    objects = MinuteQuerySet.as_manager()

    DUPLICATE_NUMBER = "This committee already has a minute {number} (at its meeting of {date}): choose another number."

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="minute_number_unique_per_meeting")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return f"{reverse('committees:minutes', args=[self.meeting_id])}#minute-{self.number}"

    def natural_key(self):
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["committees.meeting"]

    @property
    def resolution_lines(self):
        return [line.strip() for line in self.resolved.splitlines() if line.strip()]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Matters arising print the minute's number and title from the actions
        # under it (MinutedAction.clean copies them): keep them in step.
        self.actions.exclude(minute_number=str(self.number), minute_title=self.title).update(
            minute_number=str(self.number), minute_title=self.title
        )

    CLERKS_ONLY = "Only committee clerks can record the minutes of a meeting."

    def clean(self):
        """A minute number is used once per committee, not only per meeting (the
        constraint): minutes are cited by number across meetings."""
        errors = {}
        if self.meeting_id and self.number is not None:
            clash = (
                Minute.objects.filter(meeting__committee=self.meeting.committee_id, number=self.number)
                .exclude(pk=self.pk)
                .select_related("meeting")
                .first()
            )
            if clash is not None:
                errors["number"] = self.DUPLICATE_NUMBER.format(
                    number=self.number, date=f"{clash.meeting.date:%-d %B %Y}"
                )
        if self.agenda_item_id and self.agenda_item.meeting_id != self.meeting_id:
            errors["agenda_item"] = "Choose one of this meeting's agenda items."
        if errors:
            raise ValidationError(errors)


class IssuedPackQuerySet(models.QuerySet):
    def issued(self):
        """Packs whose whole file is stored: the only ones ever served."""
        return self.filter(status=IssuedPack.Status.ISSUED).exclude(pdf="")

    def in_progress(self):
        return self.filter(status__in=[IssuedPack.Status.QUEUED, IssuedPack.Status.GENERATING])

    def visible_to(self, user):
        """Exempt (Part 2) packs only for those who may see the exempt papers."""
        if Meeting.exempt_papers_visible_to(user):
            return self
        return self.exclude(part=IssuedPack.Part.EXEMPT)

    def stale(self, now=None):
        """Queued or generating for longer than ISSUING_STALE_MINUTES: lost
        with a stopped worker (or never picked up), so the clerk may retry."""
        cutoff = (now or timezone.now()) - IssuedPack.stale_after()
        return self.filter(
            models.Q(status=IssuedPack.Status.GENERATING, started_at__lt=cutoff)
            | models.Q(status=IssuedPack.Status.QUEUED, requested_at__lt=cutoff)
        )

    def latest_issued(self):
        """The newest issued version of each meeting's part, and no other."""
        newer = IssuedPack.objects.issued().filter(
            meeting=models.OuterRef("meeting"), part=models.OuterRef("part"), version__gt=models.OuterRef("version")
        )
        return self.issued().filter(~models.Exists(newer))

    def published_online(self):
        """What the public papers pages serve: the latest issued Part 1 pack
        of each meeting of a committee that publishes its papers, and never an
        exempt, unfinished, failed or earlier version."""
        return self.latest_issued().filter(part=IssuedPack.Part.PUBLIC, meeting__committee__publish_online=True)


class IssuedPack(models.Model):
    """A meeting's papers as issued: the PDF generated in the background and
    stored, never regenerated. Re-issuing creates the next version and keeps
    the earlier ones. The public (Part 1) and exempt (Part 2) packs are
    issued separately. committees.issuing requests, generates and retries them."""

    class Part(models.TextChoices):
        PUBLIC = "public", "Part 1 (public)"
        EXEMPT = "exempt", "Part 2 (exempt)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        GENERATING = "generating", "Generating"
        ISSUED = "issued", "Issued"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="issued_packs")
    part = models.CharField(max_length=10, choices=Part.choices, default=Part.PUBLIC)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True, help_text="Why generation failed, for the clerk.")
    pdf = models.FileField(upload_to="packs/%Y/", storage=private_storage, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task generating it.")

    objects = IssuedPackQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "part", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "part", "version"], name="issued_pack_version_unique")
        ]

    def __str__(self):
        return f"{self.meeting}: {self.get_part_display()} pack, version {self.version}"

    def get_absolute_url(self):
        return reverse("committees:issued", args=[self.meeting_id]) + f"#pack-{self.pk}"

    @staticmethod
    def stale_after():
        return datetime.timedelta(minutes=settings.ISSUING_STALE_MINUTES)

    @property
    def is_issued(self):
        return self.status == self.Status.ISSUED and bool(self.pdf)

    @property
    def is_stale(self):
        since = self.started_at if self.status == self.Status.GENERATING else self.requested_at
        in_progress = self.status in (self.Status.QUEUED, self.Status.GENERATING)
        return in_progress and since is not None and since < timezone.now() - self.stale_after()

    @property
    def is_pending(self):
        """Still expected to finish: the page keeps asking for its state."""
        return self.status in (self.Status.QUEUED, self.Status.GENERATING) and not self.is_stale

    @property
    def can_retry(self):
        return self.status == self.Status.FAILED or self.is_stale

    @property
    def status_label(self):
        """The state in words, as the clerk reads it."""
        if self.is_stale:
            if self.status == self.Status.GENERATING:
                return "Stopped before it finished"
            return "Not started by the background worker"
        return {
            self.Status.QUEUED: "Queued, waiting for the background worker",
            self.Status.GENERATING: "Generating the PDF",
        }.get(self.status, self.get_status_display())

    @property
    def download_name(self):
        meeting = self.meeting
        return f"{meeting.committee.ref}-{meeting.date.isoformat()}-{self.part}-pack-v{self.version}.pdf"
