from django.shortcuts import render

from actions.models import Review
from programmes.models import Programme
from workspace.clerk_work import clerk_work, is_clerk
from workspace.work import my_work


def home(request):
    """My work: what the logged-in officer answers for, by when it is due,
    with every programme and review below as the way into the rest. A
    committee clerk first sees the next meetings, the packs to prepare and
    the matters arising due."""
    return render(
        request,
        "workspace/home.html",
        {
            "clerk": clerk_work() if is_clerk(request.user) else None,
            "work": my_work(request.user),
            "programmes": Programme.objects.select_related("owner"),
            "reviews": Review.objects.all(),
        },
    )
