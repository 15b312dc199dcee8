from django.shortcuts import redirect, render

from actions.models import Review
from core.forms import save_from_request
from core.work import my_work
from programmes.models import Programme


def home(request):
    """My work: what the logged-in officer answers for, by when it is due,
    with every programme and review below as the way into the rest."""
    return render(
        request,
        "core/home.html",
        {
            "work": my_work(request.user),
            "programmes": Programme.objects.select_related("owner"),
            "reviews": Review.objects.all(),
        },
    )


def edit_page(request, form, *, title, message, cancel_url=None):
    """The rest of any create/edit view once access is checked: save and
    redirect with a success message, or show the form with its errors."""
    if saved := save_from_request(request, form, message):
        return redirect(saved)
    return render(request, "form_page.html", {"form": form, "title": title, "cancel_url": cancel_url})
