from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def inline_static(path):
    """A static text file's content, for documents rendered away from the web
    server (WeasyPrint PDFs), which would otherwise have to fetch it over HTTP."""
    found = finders.find(path)
    if not found:
        raise template.TemplateSyntaxError(f"Static file {path!r} not found")
    with open(found, encoding="utf-8") as f:
        return mark_safe(f.read())  # our own stylesheet, never user input
