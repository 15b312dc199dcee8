"""Moving recorded history into the past, for tests of papers that speak as
at their cut-off date (core.as_at): the suite cannot wait until 2010, so
rows made now are dated back instead (no clock-freezing library is installed)."""

import datetime

from django.utils import timezone

from actions.models import ActionItem, ActionUpdate
from programmes.models import Milestone, Risk


def moment(day, hour=12):
    """Midday (or `hour`) on `day`, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def backdate(obj, when):
    """Date `obj`'s history (and its own creation or recording time) at `when`,
    an aware datetime: as if every change so far had been made then."""
    model = type(obj)
    if model is ActionUpdate:
        ActionUpdate.objects.filter(pk=obj.pk).update(recorded_at=when, update_date=timezone.localtime(when).date())
        return
    if model is ActionItem:
        ActionItem.objects.filter(pk=obj.pk).update(created_at=when)
    obj.history.update(history_date=when)


def backdate_all(day):
    """Date every action, progress note, milestone and risk, and their
    history, at midday on `day`: as if all were recorded then."""
    when = moment(day)
    ActionItem.objects.update(created_at=when)
    ActionUpdate.objects.update(recorded_at=when, update_date=day)
    for model in (ActionItem, Milestone, Risk):
        model.history.update(history_date=when)
