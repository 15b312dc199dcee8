"""Deleting a meeting or an agenda item set up by mistake: a confirmation
page saying what would go with it (or why it cannot go), then the delete
(committees.services.delete_meeting and delete_agenda_item)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from committees import services
from committees.access import get_agenda_item_for_user, get_meeting_for_user


def _delete_page(request, deletion, delete, *, done, done_url, title, subject, button, cancel_url):
    """GET: what would go, or why it cannot. POST: `delete()` (a service that
    checks the same refusals again inside its transaction), then `done_url`
    with the message `done`; refused, the page again with the reasons."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as refused:
            deletion = services.Deletion(refusals=refused.messages, removes=deletion.removes)
        else:
            messages.success(request, done)
            return redirect(done_url)
    context = {"deletion": deletion, "title": title, "subject": subject, "button": button, "cancel_url": cancel_url}
    return render(request, "committees/confirm_delete.html", context)


def meeting_delete(request, pk):
    meeting = get_meeting_for_user(request, pk, for_delete=True)
    return _delete_page(
        request,
        services.meeting_deletion(meeting),
        lambda: services.delete_meeting(meeting=meeting, user=request.user),
        done=f"The meeting of {meeting} was deleted.",
        done_url=meeting.committee.get_absolute_url(),
        title=f"Delete the meeting of {meeting}",
        subject=f"the meeting of the {meeting.committee.name} on {meeting.date:%-d %B %Y}",
        button="Delete the meeting",
        cancel_url=meeting.get_absolute_url(),
    )


def agenda_item_delete(request, pk, number):
    item = get_agenda_item_for_user(request, pk, number, for_delete=True)
    return _delete_page(
        request,
        services.agenda_item_deletion(item),
        lambda: services.delete_agenda_item(item=item, user=request.user),
        done=f"Agenda item {item} was deleted.",
        done_url=item.meeting.get_absolute_url(),
        title=f"Delete agenda item {item.number}",
        subject=f"agenda item {item} of the meeting of {item.meeting}",
        button=f"Delete agenda item {item.number}",
        cancel_url=item.meeting.get_absolute_url(),
    )
