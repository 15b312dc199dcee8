import django_filters
from django import forms
from django.db.models import Q

from actions.models import ActionItem, Recommendation, ReviewArea, Status
from core.filters import AccountableFilterSet, NullsLastOrderingFilter
from core.search import text_search
from programmes.models import Programme, Project, Workstream


class ActionFilter(AccountableFilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Title, description or update notes")
    programme = django_filters.ModelChoiceFilter(
        label="Programme", queryset=Programme.objects.all(), method="filter_programme", empty_label="Any programme"
    )
    workstream = django_filters.ModelChoiceFilter(
        label="Workstream", queryset=Workstream.objects.all(), method="filter_workstream", empty_label="Any workstream"
    )
    project = django_filters.ModelChoiceFilter(
        label="Project", queryset=Project.objects.all(), empty_label="Any project"
    )
    area = django_filters.ModelChoiceFilter(
        label="Review area", queryset=ReviewArea.objects.all(), method="filter_area", empty_label="Any area"
    )
    recommendation = django_filters.ModelChoiceFilter(
        label="Recommendation",
        field_name="recommendations",
        queryset=Recommendation.objects.select_related("area"),
        empty_label="Any recommendation",
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    o = NullsLastOrderingFilter(
        label="Sort by",
        fields=(
            ("due_date", "due"),
            ("title", "title"),
            ("owner__name", "owner"),
            ("rag", "rag"),
            ("status", "status"),
            ("last_update_on", "updated"),
        ),
        field_labels={"due": "Due date", "updated": "Last update"},
    )

    repeating_filters = ("area", "recommendation")

    class Meta:
        model = ActionItem
        fields = []

    def search(self, queryset, name, value):
        return text_search(queryset, ["title", "description", "updates__note"], value)

    def filter_programme(self, queryset, name, value):
        return queryset.filter(
            Q(project__workstream__programme=value) | Q(workstream__programme=value) | Q(section__plan__programme=value)
        )

    def filter_workstream(self, queryset, name, value):
        return queryset.filter(Q(workstream=value) | Q(project__workstream=value))

    def filter_area(self, queryset, name, value):
        return queryset.filter(Q(recommendations__area=value) | Q(section__area=value))
