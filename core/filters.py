"""Filter pieces shared by the action and project lists."""

import django_filters
from django import forms
from django.utils import timezone

from core.forms import DateInput
from core.models import RAG, Owner
from core.validators import validate_sensible_date


class AccountableFilterSet(django_filters.FilterSet):
    """Owner, RAG, overdue and due-between filters for any Accountable model."""

    owner = django_filters.ModelChoiceFilter(queryset=Owner.objects.all(), empty_label="Any owner")
    rag = django_filters.MultipleChoiceFilter(label="RAG", choices=RAG.choices, widget=forms.CheckboxSelectMultiple)
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)
    # An out-of-range date is shown as an error on the filter and not applied.
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due on or after",
        widget=DateInput(),
        validators=[validate_sensible_date],
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due on or before",
        widget=DateInput(),
        validators=[validate_sensible_date],
    )

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset

    @property
    def qs(self):
        # Filters across many-to-many joins can repeat a row.
        return super().qs.distinct()
