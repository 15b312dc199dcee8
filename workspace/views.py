from actions.models import Review
from core.page_cache import render_with_cached_part
from programmes.models import Programme
from workspace.clerk_work import clerk_work, is_clerk
from workspace.work import my_work


def home(request):
    """My work: what the logged-in officer answers for, by when it is due,
    with every programme and review below as the way into the rest. A
    committee clerk first sees the next meetings, the packs to prepare and
    the matters arising due."""
    user = request.user
    return render_with_cached_part(
        request,
        "workspace/home.html",
        "workspace:home",
        {},
        lambda: {
            "clerk": clerk_work() if is_clerk(user) else None,
            "work": my_work(user),
            "programmes": Programme.objects.select_related("owner"),
            "reviews": Review.objects.all(),
        },
    )
