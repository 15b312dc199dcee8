"""``{% cached_part "name" %}…{% endcached_part %}``: a page's content, rendered once.

The part is kept in the ``pages`` cache under a key made of:
- its name;
- the user (what they may see and do differs);
- the full path with its query string (filters, sort, page);
- today's date (overdue and "in N days" change at midnight);
- the database's data stamp (``core.datastamp``), which changes with every
  committed write anywhere.

So a part is never shown after anything in the database has changed, and
there is no invalidation to remember. Nothing is cached when
``PAGE_CACHE_SECONDS`` is 0.

A part may hold forms that post: it is kept without their CSRF token, and
each request that shows it puts in its own (``core.page_cache.fetch``).
Querysets the part iterates should stay lazy in the view, so a cached part
runs none of their SQL; a view whose context is costly to build uses
``core.page_cache.render_with_cached_part`` to build it only on a miss.
"""

from django import template
from django.conf import settings

from core.page_cache import fetch, part_key, store

register = template.Library()


class CachedPartNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        request = context.get("request")
        # A document drawn for a PDF is printed at once (and stored when issued).
        if not settings.PAGE_CACHE_SECONDS or request is None or context.get("pdf"):
            return self.nodelist.render(context)
        # A view using core.page_cache.render_with_cached_part has looked already.
        looked = context.get("cached_part")
        if looked and looked["html"] is not None:
            return looked["html"]
        if looked:
            key = looked["key"]
        else:
            key = part_key(self.name.resolve(context), request)
            if (html := fetch(key, request)) is not None:
                return html
        html = self.nodelist.render(context)
        store(key, html)
        return html


@register.tag("cached_part")
def cached_part(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_part takes one argument, its name")
    nodelist = parser.parse(("endcached_part",))
    parser.delete_first_token()
    return CachedPartNode(nodelist, parser.compile_filter(bits[1]))
