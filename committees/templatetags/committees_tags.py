from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import pdf as core_pdf

register = template.Library()


@register.filter
def kept_by(actions, appendix):
    """The actions an LEC progress appendix prints, after its open/at-risk filters."""
    return [action for action in actions if appendix.shows_action(action)]


@register.filter
def numbered_from(narrative, number):
    """A narrative update's sections with paragraphs numbered from `number` (an appendix's)."""
    return narrative.numbered_sections(number_from=number)


@register.simple_tag(takes_context=True)
def section_page(context, *parts):
    """In Chromium's pack PDF (which has no target-counter): the page the
    section whose anchor is `parts` joined starts on, as the previous print's
    markers gave it (committees.papers.chromium_pack), or a stand-in."""
    return context.get("section_pages", {}).get("".join(map(str, parts)), "000")


@register.simple_tag(takes_context=True)
def pdf_marker(context, *parts):
    """Only in Chromium's PDF render (context chromium): an empty link to the
    anchor whose id is `parts` joined, so that Chromium writes a named
    destination for it, which tells the page it fell on
    (core.pdf.destination_pages). It has no size and prints nothing."""
    if not context.get("chromium"):
        return ""
    return format_html('<a class="pdf-marker" href="#{}"></a>', "".join(map(str, parts)))


@register.simple_tag
def css_string(*parts):
    """`parts` joined, as a CSS string literal for a <style> element of a
    PDF's template (escaped for CSS, "<" included)."""
    return mark_safe(core_pdf.css_string("".join(map(str, parts))))
