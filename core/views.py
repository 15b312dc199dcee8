from django.shortcuts import render

from actions.models import ActionItem, Review
from programmes.models import Programme


def home(request):
    """The way in: every programme and review, and how many actions are late."""
    actions = ActionItem.objects.all()
    return render(
        request,
        "core/home.html",
        {
            "programmes": Programme.objects.select_related("owner"),
            "reviews": Review.objects.all(),
            "open_count": actions.open().count(),
            "overdue_count": actions.overdue().count(),
        },
    )
