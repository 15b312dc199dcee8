"""Filter pieces shared by the action and project lists."""

import django_filters
from django import forms
from django.db.models import F
from django.utils import timezone

from core.forms import DateInput
from core.models import RAG, Owner
from core.validators import validate_sensible_date


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


class AccountableFilterSet(django_filters.FilterSet):
    """Owner, RAG, overdue and due-between filters for any Accountable model."""

    owner = django_filters.ModelChoiceFilter(label="Owner", queryset=Owner.objects.all(), empty_label="Any owner")
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
