"""One access helper per committee object type: fetch with what the page
needs, and with for_edit=True (the flag means the same as in
programmes.access) refuse anyone but committee clerks and administrators.
Every council login may read committee papers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from committees.models import Committee, Meeting


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
