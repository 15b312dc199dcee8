"""Filter pieces shared by the action and project lists."""

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone

from core.forms import UKDateField
from core.models import RAG, Owner
from core.validators import validate_sensible_date
from core.widgets import QuickSelect


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Column sorting where empty values ("No date", never updated) come last
    whichever way the column is sorted, with the primary key breaking ties so
    that pages never repeat or skip a row."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = F(value.removeprefix("-"))
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or () if param]
        return qs.order_by(*ordering, "pk") if ordering else qs


class UKDateFilter(django_filters.DateFilter):
    """A date filter read and shown the UK way (core.forms.UKDateField)."""

    field_class = UKDateField


class AccountableFilterSet(django_filters.FilterSet):
    """Owner, RAG, overdue and due-between filters for any Accountable model."""

    owner = django_filters.ModelChoiceFilter(label="Owner", queryset=Owner.objects.all(), empty_label="Any owner")
    rag = django_filters.MultipleChoiceFilter(label="RAG", choices=RAG.choices, widget=forms.CheckboxSelectMultiple)
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)
    # An out-of-range date is shown as an error on the filter and not applied.
    due_after = UKDateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due on or after",
        validators=[validate_sensible_date],
    )
    due_before = UKDateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due on or before",
        validators=[validate_sensible_date],
    )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset

    def get_form_class(self):
        # The form was half of the list page's time (bench/list_pages.py):
        # every drop-down renders in Python (core.widgets.QuickSelect), and
        # _filter_field.html, not crispy-forms, lays the fields out, so the
        # widgets get Bootstrap's classes here.
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect.replacing(field.widget)
            widget = field.widget
            css = (
                "form-select"
                if isinstance(widget, forms.Select)
                else "form-check-input"
                if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple))
                else "form-control"
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        return form_class

    # Filters that join across a many-to-many relation, so can repeat a row:
    # only when one of them is used does the list ask for DISTINCT, which on
    # every column (long descriptions included) was most of the SQL time of an
    # unfiltered All actions (bench/list_pages.py).
    repeating_filters = ()

    @property
    def qs(self):
        qs = super().qs
        cleaned = getattr(self.form, "cleaned_data", None) or {}
        return qs.distinct() if any(cleaned.get(name) for name in self.repeating_filters) else qs
