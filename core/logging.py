"""Log records that say which request they belong to."""

import logging

from core.middleware import current_request


class RequestContextFilter(logging.Filter):
    """Adds method, path and user id to every record (blank outside a request).

    Django's own error records carry the request; others are matched to the
    request being handled by core.middleware.RequestContextMiddleware. The user
    is named by id only: no names or email addresses go to the logs.
    """

    def filter(self, record):
        request = getattr(record, "request", None) or current_request.get()
        record.method = getattr(request, "method", "") or ""
        record.path = getattr(request, "path", "") or ""
        record.user_id = _user_id(request)
        if not hasattr(record, "status_code"):
            record.status_code = None
        if "request" in record.__dict__:
            # The request object is not wanted in a log line (cookies, headers).
            del record.request
        return True


def _user_id(request):
    # Only a user already loaded for the request: logging must never query
    # the database, which may be what just failed.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None
