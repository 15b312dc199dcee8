"""One access helper per committee object type: fetch with what the page
needs, and refuse writes to anyone but committee clerks and administrators.
Every council login may read committee papers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from committees.models import Committee, Meeting


def get_committee_for_user(request, ref):
    queryset = Committee.objects.prefetch_related("meetings")
    return get_object_or_404(queryset, ref=ref)


def get_meeting_for_user(request, pk, write=False, pack=False):
    """The meeting with its committee joined and its agenda prefetched.
    write=True: only clerks and administrators may change meetings."""
    queryset = Meeting.objects.select_related("committee").prefetch_related("agenda_items")
    if pack:
        queryset = queryset.select_related("pack_item")
    meeting = get_object_or_404(queryset, pk=pk)
    if write and not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can change meetings and their agendas.")
    return meeting
