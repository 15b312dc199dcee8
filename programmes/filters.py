import django_filters

from core.filters import AccountableFilterSet, NullsLastOrderingFilter
from core.search import text_search
from programmes.models import Partner, Programme, Project, ProjectStage, ProjectStatus, Workstream


class ProjectFilter(AccountableFilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name, description or update text")
    programme = django_filters.ModelChoiceFilter(
        label="Programme",
        field_name="workstream__programme",
        queryset=Programme.objects.all(),
        empty_label="Any programme",
    )
    workstream = django_filters.ModelChoiceFilter(
        label="Workstream", queryset=Workstream.objects.all(), empty_label="Any workstream"
    )
    stage = django_filters.ChoiceFilter(label="Stage", choices=ProjectStage.choices, empty_label="Any stage")
    status = django_filters.ChoiceFilter(
        label="Status", choices=ProjectStatus.choices, empty_label="Any status", method="filter_status"
    )
    partner = django_filters.ModelChoiceFilter(
        label="Partner",
        queryset=Partner.objects.all(),
        empty_label="Any partner",
        method="filter_partner",
        help_text="Projects it has a role on or funds",
    )
    o = NullsLastOrderingFilter(
        label="Sort by",
        fields=(
            ("name", "name"),
            ("due_date", "due"),
            ("stage", "stage"),
            ("owner__name", "owner"),
            ("rag", "rag"),
            ("last_update_on", "updated"),
        ),
        field_labels={"due": "Due date", "updated": "Last update"},
    )

    class Meta:
        model = Project
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_partner(self, queryset, name, value):
        # By the partnership and funding records (Project.objects.with_partner), never by text.
        return queryset.with_partner(value)

    def search(self, queryset, name, value):
        fields = ["name", "description", "updates__key_progress", "updates__risks_issues", "updates__next_tasks"]
        return text_search(queryset, fields, value)
