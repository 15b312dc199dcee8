"""Request-wide behaviour every signed-in page shares."""

import contextvars
import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# The request being handled, for log lines written far from any view.
current_request = contextvars.ContextVar("current_request", default=None)

# How stale a session's expiry may get before a request pushes it forward.
SESSION_REFRESH_SECONDS = 5 * 60
SESSION_REFRESHED_KEY = "_oip_refreshed_at"


class RequestContextMiddleware:
    """Remembers the current request so log records can name its path and user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class SignedInPagesMiddleware:
    """What every page behind the login gets.

    - `Cache-Control: no-store`, so a shared council PC's browser cache or back
      button never shows the last officer's pages to the next person.
    - Idle expiry: a session lasts SESSION_COOKIE_AGE (a working day) from its
      last refresh. Django's SESSION_SAVE_EVERY_REQUEST would do that by
      writing the session row on every page view, making every read a database
      write; instead the expiry is pushed forward at most every five minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            self._refresh_session(request.session)
        return response

    @staticmethod
    def _refresh_session(session):
        now = int(time.time())
        refreshed_at = session.get(SESSION_REFRESHED_KEY, 0)
        if now - refreshed_at >= min(SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 2):
            session[SESSION_REFRESHED_KEY] = now  # marks it modified: saved with a new expiry


def mark_session_fresh(sender, request, user, **kwargs):
    """At login the session is new, so the first pages need not save it again."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED_KEY] = int(time.time())
