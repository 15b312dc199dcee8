from django import template

register = template.Library()


@register.filter
def kept_by(actions, appendix):
    """The actions an LEC progress appendix prints, after its open/at-risk filters."""
    return [action for action in actions if appendix.shows_action(action)]


@register.filter
def numbered_from(narrative, number):
    """A narrative update's sections with paragraphs numbered from `number` (an appendix's)."""
    return narrative.numbered_sections(number_from=number)
