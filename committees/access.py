"""One access helper per committee object type: fetch with what the page
needs, and with for_edit=True (the flag means the same as in
programmes.access) refuse anyone but committee clerks and administrators.
Every council login may read committee papers."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from committees.models import AgendaItem, Committee, Meeting, Minute, ReportAppendix
from programmes.models import HighlightReport, Milestone, Risk, RiskStatus


def get_committee_for_user(request, ref):
    """The committee with its meetings prefetched: its page lists them."""
    queryset = Committee.objects.prefetch_related("meetings")
    return get_object_or_404(queryset, ref=ref)


def get_meeting_for_user(request, pk, *, for_edit=False, with_cover_sheet=False):
    """The meeting with its committee joined (every meeting page's heading)
    and its agenda prefetched. with_cover_sheet=True also joins the agenda
    item whose cover sheet opens the committee pack, for the pack pages only.
    for_edit=True: only clerks and administrators may change meetings."""
    queryset = Meeting.objects.select_related("committee").prefetch_related("agenda_items")
    if with_cover_sheet:
        queryset = queryset.select_related("pack_item")
    meeting = get_object_or_404(queryset, pk=pk)
    if for_edit and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can change meetings and their agendas.")
    return meeting


def report_prefetches(prefix=""):
    """What a printed report needs besides its own row: commentary, and
    appendices with their highlight report (rows and corrections) or
    narrative update (sections). Constant queries however many reports."""
    projects = "programme__workstreams__projects"
    appendices = ReportAppendix.objects.select_related("narrative", "programme").prefetch_related(
        Prefetch("highlight_report", queryset=HighlightReport.objects.for_display()),
        "narrative__sections",
        # Key milestones and the open risks, for those appendices (read per programme).
        Prefetch(f"{projects}__milestones", queryset=Milestone.objects.filter(key=True).select_related("owner")),
        Prefetch(f"{projects}__risks", queryset=Risk.objects.filter(status=RiskStatus.OPEN).select_related("owner")),
    )
    return [f"{prefix}paragraphs", Prefetch(f"{prefix}appendices", queryset=appendices)]


def get_report_for_user(request, pk, number, *, for_edit=False):
    """An agenda item's report with its meeting and committee joined and its
    commentary and appendices prefetched (report_prefetches). for_edit=True:
    only clerks and administrators change reports."""
    queryset = AgendaItem.objects.select_related("meeting__committee").prefetch_related(*report_prefetches())
    item = get_object_or_404(queryset, meeting_id=pk, number=number)
    if for_edit and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can change reports to committee.")
    return item


def get_report_part_for_user(request, model, pk, number, part_pk):
    """A paragraph or appendix of an agenda item's report, for a clerk to change."""
    if not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can change reports to committee.")
    return get_object_or_404(
        model.objects.select_related("agenda_item__meeting"),
        pk=part_pk,
        agenda_item__meeting_id=pk,
        agenda_item__number=number,
    )


def pack_report_items(meeting):
    """The Part 1 pack's reports in agenda order: items with a report that are
    not exempt (the exempt part is a separate pack)."""
    return (
        meeting.agenda_items.filter(has_report=True, exempt=False)
        .order_by("number")
        .prefetch_related(*report_prefetches())
    )


def get_minute_for_user(request, pk, number, *, for_edit=False):
    """A minute of the meeting `pk` by its number, with its meeting and
    committee joined (the page headings). for_edit=True: clerks only."""
    if for_edit and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can record the minutes of a meeting.")
    return get_object_or_404(Minute.objects.select_related("meeting__committee"), meeting_id=pk, number=number)
