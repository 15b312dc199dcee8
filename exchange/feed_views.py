"""The open-data pages: an index explaining the feeds, and each feed as JSON
or CSV (exchange.feeds builds them).

They are open without a login, and what they hold depends on who asks
(exchange.feeds.programmes_for): signed in, every programme; otherwise only
programmes published as open data, so the public and a dashboard tool can
read those without an account. Only GET: the feeds are read-only.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from core.spreadsheets import csv_response
from exchange import feeds

# How long a browser or proxy may keep a public feed: councils' dashboards
# poll, and five minutes old is fresh enough for monthly reporting.
PUBLIC_MAX_AGE = 300
FORMATS = ("json", "csv")


def _check_format(fmt):
    if fmt not in FORMATS:
        raise Http404("A feed is .json or .csv.")


def _respond(request, feed, fmt):
    if fmt == "csv":
        headings, rows = feeds.csv_table(feed)
        prefix = f"{feed.programme.ref}-" if feed.programme else ""
        response = csv_response(headings, rows, f"{prefix}{feed.name.replace('_', '-')}.csv")
    else:
        response = JsonResponse(feeds.envelope(feed), json_dumps_params={"ensure_ascii": False})
    # A public feed may be cached anywhere; a signed-in one (which lists
    # unpublished programmes) nowhere: core's middleware makes it no-store.
    # Vary on the cookie, so a cache never hands one to the other.
    if feed.public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response


@login_not_required
@require_GET
def index(request):
    programmes = feeds.programmes_for(request.user).only("ref", "name", "open_data_public")
    return render(request, "exchange/open_data.html", {"programmes": programmes})


@login_not_required
@require_GET
def programmes(request, fmt):
    _check_format(fmt)
    return _respond(request, feeds.programmes_feed(request.user, request.build_absolute_uri), fmt)


@login_not_required
@require_GET
def projects(request, fmt, ref=None):
    _check_format(fmt)
    programme = feeds.programme_for(request.user, ref) if ref else None
    return _respond(request, feeds.projects_feed(request.user, request.build_absolute_uri, programme), fmt)


@login_not_required
@require_GET
def highlight_reports(request, fmt, ref=None):
    _check_format(fmt)
    programme = feeds.programme_for(request.user, ref) if ref else None
    return _respond(request, feeds.highlight_reports_feed(request.user, request.build_absolute_uri, programme), fmt)
