from django.shortcuts import render

from actions.models import Review
from programmes.models import Programme
from workspace.work import my_work


def home(request):
    """My work: what the logged-in officer answers for, by when it is due,
    with every programme and review below as the way into the rest."""
    return render(
        request,
        "workspace/home.html",
        {
            "work": my_work(request.user),
            "programmes": Programme.objects.select_related("owner"),
            "reviews": Review.objects.all(),
        },
    )
