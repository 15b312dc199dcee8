"""Issued packs: the clerk issues a meeting's pack (generated in the
background, committees.issuing), watches its progress, retries a failed one;
everyone downloads the stored PDFs."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from committees import issuing
from committees.access import get_issued_pack_for_user, get_meeting_for_user
from committees.models import IssuedPack, Meeting

NOT_CONFIRMED = "Not issued: tick the box to confirm that you understand an issued pack cannot be changed or withdrawn."


@require_POST
def pack_issue(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    part = request.POST.get("part", IssuedPack.Part.PUBLIC)
    if part not in IssuedPack.Part.values:
        messages.error(request, "Choose which part of the papers to issue: Part 1 (public) or Part 2 (exempt).")
        return redirect("committees:issued", meeting.pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, NOT_CONFIRMED)
        return redirect("committees:issued", meeting.pk)
    try:
        pack = issuing.request_issue(meeting=meeting, part=part, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"Version {pack.version} of the {pack.get_part_display()} pack is being generated in the background. "
            "This page shows when it is issued; you can leave it and come back.",
        )
    return redirect("committees:issued", meeting.pk)


@require_GET
def issued_list(request, pk):
    """Every version of the meeting's packs the user may see, newest first."""
    meeting = get_meeting_for_user(request, pk)
    packs = meeting.issued_packs.visible_to(request.user).select_related("requested_by").order_by("part", "-version")
    for pack in packs:
        pack.meeting = meeting  # its file name and links, without a query per row
    context = {
        "meeting": meeting,
        "packs": packs,
        "parts": IssuedPack.Part.choices,
        "can_manage": Meeting.can_be_managed_by(request.user),
        "page_name": "Issued packs",
        "stale_minutes": settings.ISSUING_STALE_MINUTES,
    }
    return render(request, "committees/issued_list.html", context)


@require_GET
def issued_status(request, pk):
    """The pack's row of the issued-packs table, which the page asks for every
    few seconds while the pack is queued or generating (static/js/oip.js)."""
    pack = get_issued_pack_for_user(request, pk)
    context = {
        "pack": pack,
        "can_manage": Meeting.can_be_managed_by(request.user),
        "stale_minutes": settings.ISSUING_STALE_MINUTES,
    }
    return render(request, "committees/issued_row.html", context)


@require_POST
def issued_retry(request, pk):
    pack = get_issued_pack_for_user(request, pk, for_edit=True)
    try:
        pack = issuing.retry_issue(issued_pack=pack, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, f"Version {pack.version} of the {pack.get_part_display()} pack is queued again.")
    return redirect("committees:issued", pack.meeting_id)


@require_GET
def issued_pdf(request, pk):
    """The stored file, as issued: never rendered again."""
    pack = get_issued_pack_for_user(request, pk)
    if not pack.is_issued:
        raise Http404("This pack has not been issued.")
    return FileResponse(pack.pdf.open("rb"), as_attachment=True, filename=pack.download_name)
