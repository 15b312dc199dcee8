"""The daily reminder digest: each person who answers for actions, projects
or any other tracked kind (core.tracking) gets one email listing what of
theirs is overdue or due within a week, with a link straight to each item's
update form.

A person answers for an item when they are its owner's login (Owner.user) or
act for the owning team (Owner.members). Owners with no login get nothing:
there is nobody to send to.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Owner
from core.tracking import tracked_kinds
from workspace.models import ReminderDigest

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class ReminderItem:
    """One line of a digest, with everything the templates show already worked out."""

    kind: str
    title: str
    owner: str
    due_date: datetime.date
    due_wording: str
    rag: str
    overdue: bool
    url: str


def absolute_update_url(item, kind):
    """The full address of the item's update form (emails are read outside any request)."""
    return settings.SITE_URL + kind.update_url(item)


def send_reminders(*, today=None, connection=None):
    """Send today's digests; return how many were sent.

    Runs in a fixed number of queries however many items there are, plus a
    few per person emailed. Each person's digest is recorded and sent in one
    transaction, so a failed send records nothing and the next run retries
    it, while a person already recorded for `today` is not emailed again.
    """
    today = today or timezone.localdate()
    digests = _collect_digests(today)
    if not digests:
        return 0

    already_sent = set(
        ReminderDigest.objects.filter(sent_on=today, user__in=list(digests)).values_list("user_id", flat=True)
    )
    users = {user.pk: user for user in digests}
    sent = 0
    own_connection = connection is None
    connection = connection or get_connection()
    if own_connection:
        connection.open()
    try:
        for user_pk, user in sorted(users.items()):
            if user_pk in already_sent:
                continue
            if _send_digest(user, digests[user], today=today, connection=connection):
                sent += 1
    finally:
        if own_connection:
            connection.close()
    return sent


def _send_digest(user, items, *, today, connection):
    message = _build_message(user, items)
    try:
        # The row is written before sending so that the unique constraint,
        # not a race between two runs, decides who sends; if sending then
        # fails, the row is rolled back and tomorrow's (or the next) run retries.
        with transaction.atomic():
            ReminderDigest.objects.create(user=user, sent_on=today, item_count=len(items))
            connection.send_messages([message])
    except IntegrityError:
        return False  # Another run got there first.
    except Exception:
        logger.exception("Could not send the reminder digest to %s", user.get_username())
        return False
    return True


def _collect_digests(today):
    """{user: [ReminderItem, ...]} for every active login with an email address
    and something overdue or due soon.

    Fetches the items of each tracked kind, then the owning teams' members:
    three queries today (actions, projects, members), whatever the number of
    items, owners or people.
    """
    has_login = Owner.objects.filter(Q(user__isnull=False) | Q(members__isnull=False))
    entries = []
    for kind in tracked_kinds():
        if kind.in_reminders:
            items = _overdue_or_due_soon(kind.model.objects, today).filter(owner__in=has_login)
            entries += [(item, kind) for item in items.select_related("owner__user")]

    owners = {item.owner_id: item.owner for item, _ in entries}
    reachable = get_user_model().objects.filter(is_active=True).exclude(email="")
    prefetch_related_objects(list(owners.values()), Prefetch("members", queryset=reachable))

    digests = {}
    for item, kind in entries:
        owner = owners[item.owner_id]
        recipients = {member.pk: member for member in owner.members.all()}
        if owner.user and owner.user.is_active and owner.user.email:
            recipients[owner.user.pk] = owner.user
        if not recipients:
            continue
        line = ReminderItem(
            kind=kind.label,
            title=kind.title(item),
            owner=owner.name,
            due_date=item.due_date,
            # A revised date supersedes the old wording (actions.ActionItem.current_due_wording).
            due_wording=getattr(item, "current_due_wording", item.due_wording),
            rag=item.get_rag_display(),
            overdue=item.due_date < today,
            url=absolute_update_url(item, kind),
        )
        for user in recipients.values():
            digests.setdefault(user, []).append(line)
    for lines in digests.values():
        lines.sort(key=lambda line: (line.due_date, line.kind, line.title))
    return digests


def _overdue_or_due_soon(manager, today):
    return manager.overdue(today=today) | manager.due_within(DUE_SOON_DAYS, today=today)


def _build_message(user, items):
    overdue = [item for item in items if item.overdue]
    due_soon = [item for item in items if not item.overdue]
    subject = _subject(len(overdue), len(due_soon))
    context = {
        "subject": subject,
        "name": user.get_short_name() or user.get_username(),
        "items": items,
        "overdue": overdue,
        "due_soon": due_soon,
        "due_soon_days": DUE_SOON_DAYS,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/reminder_digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("email/reminder_digest.html", context), "text/html")
    return message


def _subject(overdue, due_soon):
    counts = []
    if overdue:
        counts.append(f"{overdue} overdue")
    if due_soon:
        counts.append(f"{due_soon} due this week")
    return "OIP Tracker: " + ", ".join(counts)
