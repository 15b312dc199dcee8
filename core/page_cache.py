"""The cached content of pages: keys, storing and fetching, and rendering a
page around it.

See ``core/templatetags/page_cache.py`` for the ``{% cached_part %}`` tag and
``core/datastamp.py`` for why a cached part can never be out of date.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape

from core import datastamp

# A form's CSRF token belongs to one browser's cookie: a part is kept with a
# placeholder instead, and each request that shows it gets its own token.
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf\x00"


def part_key(name, request):
    """The cache key of a page part: its name, the user, the full path with
    its query string, today's date and the data stamp (one query)."""
    user = getattr(request, "user", None)
    parts = [
        name,
        str(getattr(user, "pk", None)),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        str(datastamp.current()),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"oip-part:{name}:{digest}"


def fetch(key, request):
    """The part kept under key, ready for this request, or None."""
    html = caches["pages"].get(key)
    if html is None or _CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(_CSRF_PLACEHOLDER, escape(get_token(request)))


def store(key, html):
    caches["pages"].set(key, _CSRF_INPUT.sub(rf"\g<1>{_CSRF_PLACEHOLDER}\g<2>", html), settings.PAGE_CACHE_SECONDS)


def render_with_cached_part(request, template_name, name, context, build):
    """Render a page whose ``{% cached_part %}`` may be cached already.

    ``context`` is what the page needs outside the part (checked, cheap);
    ``build()`` gives what the part needs and is called only when the part
    is not in the cache."""
    if not settings.PAGE_CACHE_SECONDS:
        return render(request, template_name, {**context, **build()})
    key = part_key(name, request)
    html = fetch(key, request)
    looked = {"key": key, "html": html}
    if html is not None:
        return render(request, template_name, {**context, "cached_part": looked})
    return render(request, template_name, {**context, **build(), "cached_part": looked})
