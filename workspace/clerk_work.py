"""The committee clerk's part of the home page: the committees' next
meetings, the packs still to prepare and the matters arising coming due.

Clerks run every committee's meetings (nothing ties a clerk to particular
committees), so these are every committee's.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from committees.models import Meeting, MinutedAction
from core.roles import COMMITTEE_CLERK

NEXT_MEETINGS = 6
PACK_WINDOW_DAYS = 8 * 7  # packs to prepare: meetings in the next eight weeks
MATTERS_WINDOW_DAYS = 4 * 7  # matters arising due in the next four weeks, and overdue
MATTERS_SHOWN = 25


def is_clerk(user):
    """Whether the login is in the Committee clerk role (one query). It only
    decides what the home page shows; permissions are checked as everywhere."""
    return user.groups.filter(name=COMMITTEE_CLERK).exists()


@dataclass(frozen=True)
class PackToPrepare:
    meeting: Meeting
    days_until: int

    @property
    def when(self):
        if self.days_until == 0:
            return "Today"
        if self.days_until == 1:
            return "Tomorrow"
        return f"In {self.days_until} days"


@dataclass(frozen=True)
class ClerkWork:
    today: datetime.date
    next_meetings: list
    packs_to_prepare: list
    matters_due: list
    matters_due_total: int
    matters_due_by: datetime.date

    pack_window_weeks = PACK_WINDOW_DAYS // 7
    matters_window_weeks = MATTERS_WINDOW_DAYS // 7


def clerk_work(today=None):
    """What the clerk's home page lists. Four queries however many meetings
    and matters arising: the next meetings, the packs to prepare (each with
    its pack's state and gaps, committees.models.MeetingQuerySet.
    with_pack_state), the matters arising due (action, owner, meeting and
    committee joined) and how many of those there are."""
    today = today or timezone.localdate()
    upcoming = Meeting.objects.upcoming(today).with_pack_state()
    pack_window_end = today + datetime.timedelta(days=PACK_WINDOW_DAYS)
    to_prepare = upcoming.without_issued_pack().filter(date__lte=pack_window_end)
    due_by = today + datetime.timedelta(days=MATTERS_WINDOW_DAYS)
    due = MinutedAction.objects.due_by(due_by)
    return ClerkWork(
        today=today,
        next_meetings=list(upcoming[:NEXT_MEETINGS]),
        packs_to_prepare=[PackToPrepare(meeting, meeting.days_until(today)) for meeting in to_prepare],
        matters_due=list(due.select_related("action__owner", "meeting__committee")[:MATTERS_SHOWN]),
        matters_due_total=due.count(),
        matters_due_by=due_by,
    )
