"""Deleting a meeting or an agenda item set up by mistake: a confirmation
page saying what would go with it (or why it cannot go), then the delete
(committees.services.delete_meeting and delete_agenda_item)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from committees import services
from committees.access import get_agenda_item_for_user, get_meeting_for_user


def _confirm_page(request, deletion, *, title, subject, button, cancel_url):
    context = {
        "deletion": deletion,
        "title": title,
        "subject": subject,
        "button": button,
        "cancel_url": cancel_url,
    }
    return render(request, "committees/confirm_delete.html", context)


def meeting_delete(request, pk):
    meeting = get_meeting_for_user(request, pk, for_delete=True)
    deletion = services.meeting_deletion(meeting)
    if request.method == "POST":
        try:
            services.delete_meeting(meeting=meeting, user=request.user)
        except ValidationError as refused:
            deletion = services.Deletion(refusals=refused.messages, removes=deletion.removes)
        else:
            messages.success(request, f"The meeting of {meeting} was deleted.")
            return redirect(meeting.committee.get_absolute_url())
    return _confirm_page(
        request,
        deletion,
        title=f"Delete the meeting of {meeting}",
        subject=f"the meeting of the {meeting.committee.name} on {meeting.date:%-d %B %Y}",
        button="Delete the meeting",
        cancel_url=meeting.get_absolute_url(),
    )


def agenda_item_delete(request, pk, number):
    item = get_agenda_item_for_user(request, pk, number, for_delete=True)
    deletion = services.agenda_item_deletion(item)
    if request.method == "POST":
        try:
            services.delete_agenda_item(item=item, user=request.user)
        except ValidationError as refused:
            deletion = services.Deletion(refusals=refused.messages, removes=deletion.removes)
        else:
            messages.success(request, f"Agenda item {item} was deleted.")
            return redirect(item.meeting.get_absolute_url())
    return _confirm_page(
        request,
        deletion,
        title=f"Delete agenda item {item.number}",
        subject=f"agenda item {item} of the meeting of {item.meeting}",
        button=f"Delete agenda item {item.number}",
        cancel_url=item.meeting.get_absolute_url(),
    )
