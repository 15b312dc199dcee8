from django.shortcuts import render

from actions.models import Review
from core.work import my_work, reverse_or_none
from programmes.models import Programme


def home(request):
    """My work: what the logged-in officer answers for, by when it is due,
    with every programme and review below as the way into the rest."""
    return render(
        request,
        "core/home.html",
        {
            "work": my_work(request.user),
            "all_actions_url": reverse_or_none("actions:list"),
            "programmes": Programme.objects.select_related("owner"),
            "reviews": Review.objects.all(),
        },
    )
