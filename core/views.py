import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core.forms import save_from_request

logger = logging.getLogger(__name__)


def pdf_download(data, filename):
    """A generated PDF (bytes) as a download named `filename`."""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def edit_page(request, form, *, title, message, cancel_url=None):
    """The rest of any create/edit view once access is checked: save and
    redirect with a success message, or show the form with its errors."""
    if saved := save_from_request(request, form, message):
        return redirect(saved)
    return render(request, "form_page.html", {"form": form, "title": title, "cancel_url": cancel_url})


@login_not_required
@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when this server can reach its
    database, 503 when it cannot. Says nothing else (no versions, no names)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check failed: the database did not answer")
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
