"""The committee clerk's pages: committees, meetings and their agendas,
matters arising, and what changed since the last meeting."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from weasyprint import HTML

from actions.access import reviews_with_actions
from actions.models import Progress, Review
from committees.access import get_committee_for_user, get_meeting_for_user
from committees.changes import changes_between, window_for
from committees.forms import AgendaItemForm, MeetingForm, MeetingPackForm
from committees.models import AgendaItem, Committee, Meeting, MinutedAction
from core.views import edit_page
from programmes.models import HighlightReport


def committee_list(request):
    committees = Committee.objects.prefetch_related("meetings")
    return render(request, "committees/committee_list.html", {"committees": committees})


def committee_detail(request, ref):
    committee = get_committee_for_user(request, ref)
    return render(
        request,
        "committees/committee_detail.html",
        {"committee": committee, "can_manage": Meeting.can_be_managed_by(request.user)},
    )


def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    reviews = Review.objects.filter(action_plans__programme__committees=meeting.committee_id).distinct()
    context = {
        "meeting": meeting,
        "reports": meeting.reports.select_related("programme"),
        "previous": meeting.previous(),
        "reviews": reviews,
        "can_manage": Meeting.can_be_managed_by(request.user),
    }
    return render(request, "committees/meeting_detail.html", context)


def meeting_create(request, ref):
    committee = get_object_or_404(Committee, ref=ref)
    if not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can add meetings.")
    form = MeetingForm(request.POST or None, instance=Meeting(committee=committee), user=request.user)
    return edit_page(
        request,
        form,
        title=f"New meeting of the {committee}",
        message="Meeting of {obj} added.",
        cancel_url=committee.get_absolute_url(),
    )


def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    return edit_page(
        request, form, title=f"Edit meeting: {meeting}", message="Meeting saved.", cancel_url=meeting.get_absolute_url()
    )


def agenda_item_create(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    next_number = max((item.number for item in meeting.agenda_items.all()), default=0) + 1
    form = AgendaItemForm(
        request.POST or None, instance=AgendaItem(meeting=meeting), initial={"number": next_number}, user=request.user
    )
    return edit_page(
        request,
        form,
        title=f"New agenda item for {meeting}",
        message="Agenda item “{obj}” added.",
        cancel_url=meeting.get_absolute_url(),
    )


def agenda_item_edit(request, pk, number):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    item = get_object_or_404(AgendaItem, meeting=meeting, number=number)
    form = AgendaItemForm(request.POST or None, instance=item, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit agenda item {item}",
        message="Agenda item saved.",
        cancel_url=meeting.get_absolute_url(),
    )


def matters_arising(request, pk):
    meeting = get_meeting_for_user(request, pk)
    rows = MinutedAction.objects.matters_arising_for(meeting, meeting.previous()).for_table()
    return render(request, "committees/matters_arising.html", {"meeting": meeting, "rows": rows})


def changes_since_last_meeting(request, pk):
    meeting = get_meeting_for_user(request, pk)
    previous = meeting.previous()
    start, end = window_for(meeting, previous)
    context = {"meeting": meeting, "previous": previous, "changes": changes_between(start, end)}
    return render(request, "committees/changes.html", context)


def meeting_pack_contents(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    form = MeetingPackForm(request.POST or None, instance=meeting, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Committee pack for {meeting}",
        message="Committee pack contents saved.",
        cancel_url=meeting.get_absolute_url(),
    )


def _pack_context(request, meeting):
    """Everything the pack prints, in a fixed number of queries whatever the
    number of projects, actions or reports."""
    reviews = reviews_with_actions().filter(action_plans__programme__committees=meeting.committee_id).distinct()
    matters = MinutedAction.objects.matters_arising_for(meeting, meeting.previous()).for_table()
    return {
        "meeting": meeting,
        "cover": meeting.pack_item,
        "reports": HighlightReport.objects.for_display().filter(meetings=meeting).order_by("programme__name"),
        "rows": matters,
        "reviews": reviews,
        "categories": Progress.choices,
    }


def meeting_pack(request, pk):
    """The clerk's committee pack as one printable document."""
    meeting = get_meeting_for_user(request, pk, with_cover_sheet=True)
    return render(request, "committees/committee_pack.html", _pack_context(request, meeting))


def meeting_pack_pdf(request, pk):
    meeting = get_meeting_for_user(request, pk, with_cover_sheet=True)
    html = render_to_string("committees/committee_pack.html", {**_pack_context(request, meeting), "pdf": True}, request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{meeting.committee.ref}-{meeting.date.isoformat()}-pack.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
