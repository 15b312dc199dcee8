from django.contrib import admin

from core.admin import (
    ACCOUNTABLE_FIELDS,
    ACCOUNTABLE_INLINE_FIELDS,
    OWNER_FILTER,
    AccountableAdmin,
    AppendOnlyAdminMixin,
    AppendOnlyInlineMixin,
    ScopedAdminMixin,
    rag_column,
    rag_display,
    stamp_update_authors,
)
from programmes.models import (
    HighlightReport,
    HighlightReportRow,
    Programme,
    Project,
    ProjectUpdate,
    Workstream,
)


class WorkstreamInline(admin.TabularInline):
    model = Workstream
    fields = ("position", "name", "ref", *ACCOUNTABLE_INLINE_FIELDS)
    prepopulated_fields = {"ref": ("name",)}
    autocomplete_fields = ("owner",)
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(AccountableAdmin):
    list_display = ("name", rag_display, "stage", "owner", "due_date", "due_wording")
    list_filter = ("rag", "stage", OWNER_FILTER)
    list_select_related = ("owner",)
    search_fields = ("name", "ref", "description", "sponsor", "management_summary")
    autocomplete_fields = ("owner",)
    filter_horizontal = ("managers",)
    prepopulated_fields = {"ref": ("name",)}
    ordering = ("name",)
    inlines = (WorkstreamInline,)
    fieldsets = (
        (None, {"fields": ("name", "ref", "description", "stage", ("start_date", "start_wording"))}),
        ("Accountability", {"fields": ACCOUNTABLE_FIELDS}),
        ("Reporting", {"fields": ("sponsor", "report_authors", "management_summary", "managers")}),
    )
    history_list_display = ("rag", "stage", "owner", "due_date")


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ("position", "name", "ref", *ACCOUNTABLE_INLINE_FIELDS)
    prepopulated_fields = {"ref": ("name",)}
    autocomplete_fields = ("owner",)
    extra = 0
    show_change_link = True


@admin.register(Workstream)
class WorkstreamAdmin(AccountableAdmin):
    list_display = ("name", "programme", rag_display, "owner", "due_date", "due_wording", "position")
    list_filter = ("rag", "programme", OWNER_FILTER)
    list_select_related = ("programme", "owner")
    search_fields = ("name", "ref", "description")
    autocomplete_fields = ("programme", "owner")
    prepopulated_fields = {"ref": ("name",)}
    ordering = ("programme__name", "position", "name")
    inlines = (ProjectInline,)
    fieldsets = (
        (None, {"fields": ("programme", "name", "ref", "description", "position")}),
        ("Accountability", {"fields": ACCOUNTABLE_FIELDS}),
    )


class ProjectUpdateInline(AppendOnlyInlineMixin, admin.StackedInline):
    model = ProjectUpdate
    fields = (
        ("period_start", "period_end"),
        ("rag_before", "rag"),
        "key_progress",
        "risks_issues",
        "next_tasks",
        ("author", "author_name"),
        "recorded_at",
    )
    autocomplete_fields = ("author",)
    ordering = ("-period_end", "-recorded_at")


@admin.register(Project)
class ProjectAdmin(AccountableAdmin):
    list_display = ("name", "workstream", "programme", rag_display, "owner", "due_date", "due_wording")
    list_filter = ("rag", "stage", "on_hold", "workstream__programme", "workstream", OWNER_FILTER)
    list_select_related = ("workstream__programme", "owner")
    search_fields = ("name", "ref", "description")
    autocomplete_fields = ("workstream", "owner")
    prepopulated_fields = {"ref": ("name",)}
    ordering = ("workstream__programme__name", "workstream__position", "position", "name")
    inlines = (ProjectUpdateInline,)
    fieldsets = (
        (None, {"fields": ("workstream", "name", "ref", "description", "position")}),
        ("Accountability", {"fields": ACCOUNTABLE_FIELDS}),
        ("Stage", {"fields": ("stage", "on_hold", "closed_on", "closure_note")}),
    )

    @admin.display(description="Programme", ordering="workstream__programme__name")
    def programme(self, obj):
        return obj.workstream.programme

    def save_formset(self, request, form, formset, change):
        stamp_update_authors(request, formset)
        super().save_formset(request, form, formset, change)


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(AppendOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("project", "period_end", rag_column("rag_before", "RAG before"), rag_display, "by", "recorded_at")
    list_filter = ("rag", "project__workstream__programme", "project__workstream")
    list_select_related = ("project", "author")
    search_fields = ("key_progress", "risks_issues", "next_tasks", "project__name", "ref", "author_name")
    autocomplete_fields = ("project", "author")
    date_hierarchy = "period_end"
    ordering = ("-period_end", "-recorded_at")
    fields = (
        "project",
        ("period_start", "period_end"),
        ("rag_before", "rag"),
        "key_progress",
        "risks_issues",
        "next_tasks",
        ("author", "author_name"),
        "recorded_at",
    )

    @admin.display(description="By", ordering="author_name")
    def by(self, obj):
        if obj.author:
            return obj.author.get_full_name() or obj.author.get_username()
        return obj.author_name or "—"


class HighlightReportRowInline(admin.StackedInline):
    """A draft's rows: their wording can be corrected until the report is
    published, then they are read-only. Rows come from drafting (one per
    project), so none are added or removed here; ratings are changed on the
    report's edit page, which checks the overall RAG against them."""

    model = HighlightReportRow
    fields = (
        ("position", "workstream_name", "project_name", "project"),
        "key_progress",
        "risks_issues",
        "next_tasks",
        ("rag", "previous_rag"),
    )
    readonly_fields = ("position", "workstream_name", "project_name", "project", "rag", "previous_rag")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HighlightReport)
class HighlightReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Published and superseded reports are what a committee saw: view only.
    Reports are started and published in the app, so here a draft's wording
    can be corrected but its programme, period, status and version cannot."""

    list_display = (
        "title",
        "programme",
        "period",
        "status",
        "version_number",
        rag_column("overall_rag", "Overall RAG"),
    )
    list_filter = ("status", "programme", "overall_rag")
    list_select_related = ("programme",)
    search_fields = ("title", "programme__name", "programme_name", "management_summary", "rows__project_name")
    date_hierarchy = "period_end"
    ordering = ("programme__name", "-period_end", "-version_number")
    inlines = (HighlightReportRowInline,)
    fieldsets = (
        (None, {"fields": ("programme", ("period_start", "period_end"), ("status", "version_number"))}),
        ("Header", {"fields": HighlightReport.HEADER_FIELDS}),
        ("Publication", {"fields": (("published_at", "published_by"), "supersedes", ("created_at", "created_by"))}),
    )
    readonly_fields = (
        "programme",
        "period_start",
        "period_end",
        "status",
        "version_number",
        "published_at",
        "published_by",
        "supersedes",
        "created_at",
        "created_by",
    )

    @admin.display(description="Reporting period", ordering="period_end")
    def period(self, obj):
        return obj.period_label

    def get_actions(self, request):
        # Bulk delete runs a queryset delete, which would skip the model's
        # refusal to delete a published report.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(HighlightReportRow)
class HighlightReportRowAdmin(admin.ModelAdmin):
    """Rows, for searching across reports; read-only (a draft's rows are edited with their report)."""

    list_display = ("project_name", "workstream_name", "report", rag_display, "direction_label")
    list_filter = ("rag", "report__status", "report__programme")
    list_select_related = ("report",)
    search_fields = ("project_name", "workstream_name", "key_progress", "risks_issues", "next_tasks")
    ordering = ("report__programme__name", "-report__period_end", "-report__version_number", "position")

    @admin.display(description="Direction of travel")
    def direction_label(self, obj):
        return obj.direction_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
