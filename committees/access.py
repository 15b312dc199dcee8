"""One access helper per committee object type: fetch with what the page
needs, and with for_edit=True (the flag means the same as in
programmes.access) refuse anyone but committee clerks and administrators.
Every council login may read the Part 1 committee papers; the Part 2
(exempt) papers are 404 to all but those Meeting.exempt_papers_visible_to."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from committees.models import AgendaItem, Committee, IssuedPack, Meeting, Minute, ReportAppendix
from programmes.models import HighlightReport, Milestone, Project, Risk


def get_committee_for_user(request, ref):
    """The committee with its meetings prefetched: its page lists them."""
    queryset = Committee.objects.prefetch_related("meetings")
    return get_object_or_404(queryset, ref=ref)


def get_meeting_for_user(request, pk, *, for_edit=False, with_cover_sheet=False, for_delete=False):
    """The meeting with its committee joined (every meeting page's heading)
    and its agenda prefetched. with_cover_sheet=True also joins the agenda
    item whose cover sheet opens the committee pack, for the pack pages only.
    for_edit=True: only clerks and administrators may change meetings;
    for_delete=True: only those whose role may delete them."""
    queryset = Meeting.objects.select_related("committee").prefetch_related("agenda_items")
    if with_cover_sheet:
        queryset = queryset.select_related("pack_item")
    meeting = get_object_or_404(queryset, pk=pk)
    if for_edit and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can change meetings and their agendas.")
    if for_delete and not Meeting.can_be_deleted_by(request.user):
        raise PermissionDenied("Only committee clerks can delete meetings.")
    return meeting


def get_agenda_item_for_user(request, pk, number, *, for_delete=False):
    """Agenda item `number` of the meeting `pk`, with its meeting and
    committee joined (the page heading and the pack check). for_delete=True:
    only those whose role may delete agenda items."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__committee"), meeting_id=pk, number=number)
    if for_delete and not AgendaItem.can_be_deleted_by(request.user):
        raise PermissionDenied("Only committee clerks can delete agenda items.")
    return item


def report_prefetches(prefix=""):
    """What a printed report needs besides its own row: commentary, and
    appendices with their highlight report (rows and corrections) or
    narrative update (sections). Constant queries however many reports."""
    projects = "programme__workstreams__projects"
    appendices = ReportAppendix.objects.select_related("narrative", "programme").prefetch_related(
        Prefetch("highlight_report", queryset=HighlightReport.objects.for_display()),
        "narrative__sections",
        # Key milestones and open risks are read as at the papers' cut-off: appendix_prefetches_as_at.
        # Savings and benefits (ReportAppendix.savings): own projects' and those shared into each workstream.
        f"{projects}__benefits__realisations",
        Prefetch(
            "programme__workstreams__shared_projects",
            queryset=Project.objects.select_related("workstream__programme"),
        ),
        "programme__workstreams__shared_projects__benefits__realisations",
    )
    return [f"{prefix}paragraphs", Prefetch(f"{prefix}appendices", queryset=appendices)]


def appendix_prefetches_as_at(when):
    """For items fetched with report_prefetches: the key milestones and the
    open risks their milestones and risks appendices print (read per
    programme), as they stood at `when`, the papers' cut-off (Meeting.cut_off).
    Apart from report_prefetches because the cut-off is the meeting's, known
    once the item is fetched: papers.py applies them with
    prefetch_related_objects. Constant queries however many reports."""
    projects = "appendices__programme__workstreams__projects"
    return [
        Prefetch(f"{projects}__milestones", queryset=Milestone.objects.key_as_at(when).select_related("owner")),
        Prefetch(f"{projects}__risks", queryset=Risk.objects.open_as_at(when).select_related("owner")),
    ]


def get_report_for_user(request, pk, number, *, for_edit=False):
    """An agenda item's report with its meeting and committee joined and its
    commentary and appendices prefetched (report_prefetches). An exempt
    item's report is 404 to those who may not see the exempt papers
    (Meeting.exempt_papers_visible_to). for_edit=True: only clerks and
    administrators change reports."""
    queryset = AgendaItem.objects.select_related("meeting__committee").prefetch_related(*report_prefetches())
    item = get_object_or_404(queryset, meeting_id=pk, number=number)
    if item.exempt and not Meeting.exempt_papers_visible_to(request.user):
        raise Http404("No such report.")
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


def pack_agenda(meeting):
    """Every agenda item of the meeting in number order, for the agenda front
    sheet and the papers after it: with the meeting whose minutes an item
    takes joined, and each report's commentary and appendices prefetched
    (standing items have none, so this costs no more than the reports alone)."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("minutes_of")
        .order_by("number")
        .prefetch_related(*report_prefetches())
    )


def pack_minutes(meeting_ids, *, exempt=False):
    """The minutes an agenda takes, of the meetings `meeting_ids`, in number
    order: the Part 1 papers print the public minutes, the Part 2 papers the
    exempt ones. Constant queries however many minutes."""
    return Minute.objects.filter(meeting_id__in=meeting_ids, exempt=exempt).for_page().order_by("meeting", "number")


def get_minute_for_user(request, pk, number, *, for_edit=False):
    """A minute of the meeting `pk` by its number, with its meeting and
    committee joined (the page headings). for_edit=True: clerks only."""
    if for_edit and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can record the minutes of a meeting.")
    return get_object_or_404(Minute.objects.select_related("meeting__committee"), meeting_id=pk, number=number)


def get_issued_pack_for_user(request, pk, *, for_edit=False):
    """An issued pack with its meeting and committee joined (its heading and
    file name). An exempt pack is 404 to anyone not allowed to see the exempt
    papers: they are not told it exists. for_edit=True (retry): clerks only."""
    packs = IssuedPack.objects.visible_to(request.user).select_related("meeting__committee", "requested_by")
    pack = get_object_or_404(packs, pk=pk)
    if for_edit and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can issue a meeting's papers.")
    return pack


def get_exempt_meeting_for_user(request, pk):
    """A meeting for its Part 2 (exempt) papers, with its committee joined:
    404, not 403, to anyone who may not see them (Meeting.
    exempt_papers_visible_to), so they are not told what is there."""
    if not Meeting.exempt_papers_visible_to(request.user):
        raise Http404("No such papers.")
    return get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)


def get_appendix_file_for_user(request, pk, number, appendix_pk):
    """An uploaded appendix, to download its file: any login for a Part 1
    report; an exempt report's only for those who may see the exempt papers,
    404 to others."""
    appendix = get_object_or_404(
        ReportAppendix.objects.select_related("agenda_item"),
        pk=appendix_pk,
        agenda_item__meeting_id=pk,
        agenda_item__number=number,
        kind=ReportAppendix.Kind.UPLOADED,
    )
    if not appendix.file or (appendix.agenda_item.exempt and not Meeting.exempt_papers_visible_to(request.user)):
        raise Http404("No such file.")
    return appendix
