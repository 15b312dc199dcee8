"""Form widgets that render quickly where a page shows many choices."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> written in Python, with the same markup as Django's.

    Django's template renders two includes per option (the option and its
    attributes); the filter forms of All actions and All projects offer about
    200 choices (owners, projects, recommendations, sort orders), which made
    the form half of the page's time (bench/list_pages.py).
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        has_selected = False
        groups = []
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, (list, tuple))
            options = []
            for option_value, label in group_label if grouped else [(group_value, group_label)]:
                option_value = "" if option_value is None else str(option_value)
                # Like Django's: only the first option with the value is selected.
                chosen = not has_selected and option_value in selected
                has_selected |= chosen
                options.append(
                    format_html('<option value="{}"{}>{}</option>', option_value, " selected" if chosen else "", label)
                )
            html = mark_safe("".join(options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_value, html) if grouped else html)
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe("".join(groups)))

    @classmethod
    def replacing(cls, widget):
        """A QuickSelect with `widget`'s state (attributes, choices, required)."""
        quick = cls.__new__(cls)
        quick.__dict__.update(widget.__dict__)
        return quick
