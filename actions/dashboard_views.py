"""A review's dashboard: every council login reads it."""

from django.shortcuts import render
from django.utils import timezone

from actions import dashboard
from actions.access import get_review_summary_for_user


def review_dashboard(request, ref):
    review = get_review_summary_for_user(request, ref)
    today = timezone.localdate()
    until, due_soon = dashboard.actions_due_soon(review, today)
    context = {
        "review": review,
        "today": today,
        "figures": dashboard.figures(review, today),
        "due_soon": due_soon,
        "due_until": until,
    }
    return render(request, "actions/review_dashboard.html", context)
