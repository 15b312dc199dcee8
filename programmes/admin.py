from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    ACCOUNTABLE_FIELDS,
    ACCOUNTABLE_INLINE_FIELDS,
    OWNER_FILTER,
    AccountableAdmin,
    AppendOnlyAdminMixin,
    AppendOnlyInlineMixin,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    VersionedAdminForm,
    rag_column,
    rag_display,
    stamp_update_authors,
)
from programmes.models import (
    Benefit,
    BenefitRealisation,
    Funder,
    HighlightReport,
    HighlightReportRow,
    Milestone,
    NarrativeSection,
    NarrativeUpdate,
    Partner,
    Partnership,
    Programme,
    Project,
    ProjectUpdate,
    Risk,
    SpendProfileEntry,
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
    can be corrected but its programme, period, status and version cannot.
    A draft's change form is refused after someone else's save (in the admin
    or on the app's edit page), as the app's own edit page is."""

    form = VersionedAdminForm
    change_form_template = "admin/accountable_change_form.html"
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
        (
            "Publication",
            {
                "fields": (
                    ("published_at", "published_by"),
                    "supersedes",
                    "correction_reason",
                    ("created_at", "created_by"),
                )
            },
        ),
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
        "correction_reason",
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
class HighlightReportRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows, for searching across reports; read-only (a draft's rows are edited with their report)."""

    list_display = ("project_name", "workstream_name", "report", rag_display, "direction_label")
    list_filter = ("rag", "report__status", "report__programme")
    list_select_related = ("report",)
    search_fields = ("project_name", "workstream_name", "key_progress", "risks_issues", "next_tasks")
    ordering = ("report__programme__name", "-report__period_end", "-report__version_number", "position")

    @admin.display(description="Direction of travel")
    def direction_label(self, obj):
        return obj.direction_label


# --- Milestones and the risk and issue register -------------------------------------


@admin.register(Milestone)
class MilestoneAdmin(AccountableAdmin):
    list_display = ("name", "number", "project", "stage", rag_display, "status", "owner", "due_date", "achieved_on")
    list_filter = ("status", "rag", "key", "project__workstream__programme", OWNER_FILTER)
    list_select_related = ("project", "owner")
    search_fields = ("name", "number", "stage", "ref", "project__name")
    autocomplete_fields = ("project", "owner")
    ordering = ("project__name", "position", "number")
    fieldsets = (
        (None, {"fields": ("project", "number", "stage", "name", "ref", "position", "key")}),
        ("Accountability", {"fields": ACCOUNTABLE_FIELDS}),
        ("Progress", {"fields": ("status", "achieved_on")}),
    )
    history_list_display = ("status", "rag", "owner", "due_date", "achieved_on")


@admin.register(Risk)
class RiskAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = VersionedAdminForm
    list_display = ("number", "summary", "project", "kind", "grading", "status", "escalated", "owner")
    list_filter = ("kind", "status", "escalated", "probability", "impact", "project__workstream__programme")
    list_select_related = ("project", "owner")
    search_fields = ("description", "mitigation", "ref", "project__name")
    autocomplete_fields = ("project", "owner")
    ordering = ("project__name", "number")
    fieldsets = (
        (None, {"fields": ("project", "number", "ref", "kind", "description")}),
        ("Grading", {"fields": (("probability", "impact"),)}),
        ("Handling", {"fields": ("mitigation", "owner", "escalated", ("status", "raised_on", "closed_on"))}),
    )
    history_list_display = ("status", "probability", "impact", "escalated")

    @admin.display(description="Description")
    def summary(self, obj):
        return obj.description[:80]

    @admin.display(description="Grade", ordering="score")
    def grading(self, obj):
        return obj.grading


# --- Funding, benefits and savings, partner organisations -------------------------


class VersionedPartAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """A project's funding, benefits or partners: saved through their services
    (core.services) with the version check, scope-checked like the app's pages."""

    form = VersionedAdminForm


@admin.register(Funder)
class FunderAdmin(VersionedPartAdmin):
    list_display = ("partner", "project", "amount", "kind", "secured_label")
    list_filter = ("secured", "kind", "project__workstream__programme")
    list_select_related = ("partner", "project")
    search_fields = ("partner__name", "partner__short_name", "project__name", "note")
    autocomplete_fields = ("project", "partner")
    ordering = ("project__name", "-amount")
    fields = ("project", "partner", ("amount", "kind"), ("secured", "decision_wording", "decision_date"), "note")

    @admin.display(description="Secured")
    def secured_label(self, obj):
        return obj.secured_label


@admin.register(SpendProfileEntry)
class SpendProfileEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = VersionedAdminForm
    list_display = ("project", "kind", "year", "quarter", "amount")
    list_filter = ("kind", "project__workstream__programme")
    list_select_related = ("project",)
    search_fields = ("project__name",)
    autocomplete_fields = ("project",)
    ordering = ("project__name", "kind", "year", "quarter")
    fields = ("project", "kind", ("year", "quarter"), "amount")


class BenefitRealisationInline(admin.TabularInline):
    model = BenefitRealisation
    fields = ("financial_year", "amount", "recorded_on", "note", "recorded_by")
    autocomplete_fields = ("recorded_by",)
    extra = 0


@admin.register(Benefit)
class BenefitAdmin(VersionedPartAdmin):
    list_display = ("summary", "project", "type", "target_label", "financial_year_label")
    list_filter = ("type", "financial_year", "project__workstream__programme")
    list_select_related = ("project",)
    search_fields = ("description", "target_wording", "percent_of", "project__name")
    autocomplete_fields = ("project",)
    ordering = ("project__name", "position")
    inlines = (BenefitRealisationInline,)
    fieldsets = (
        (None, {"fields": ("project", "type", "description", "financial_year", "position")}),
        (
            "Target",
            {
                "fields": (
                    ("target_amount", "at_least"),
                    ("target_percent_low", "target_percent_high", "percent_of"),
                    "target_wording",
                )
            },
        ),
    )

    @admin.display(description="Benefit")
    def summary(self, obj):
        return obj.description[:80]

    @admin.display(description="Target")
    def target_label(self, obj):
        return obj.target_label

    @admin.display(description="Financial year", ordering="financial_year")
    def financial_year_label(self, obj):
        return obj.financial_year_label


@admin.register(BenefitRealisation)
class BenefitRealisationAdmin(VersionedPartAdmin):
    list_display = ("benefit", "financial_year", "amount", "recorded_on", "recorded_by")
    list_filter = ("financial_year", "benefit__project__workstream__programme")
    list_select_related = ("benefit__project", "recorded_by")
    search_fields = ("benefit__description", "benefit__project__name", "note")
    autocomplete_fields = ("benefit", "recorded_by")
    date_hierarchy = "recorded_on"
    fields = ("benefit", ("financial_year", "amount"), ("recorded_on", "recorded_by"), "note")


@admin.register(Partner)
class PartnerAdmin(VersionedPartAdmin):
    list_display = ("name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "ref")
    prepopulated_fields = {"ref": ("name",)}
    fields = ("name", "short_name", "ref", "kind")


@admin.register(Partnership)
class PartnershipAdmin(VersionedPartAdmin):
    list_display = ("partner", "programme", "project", "role", "share_wording")
    list_filter = ("role", "programme", "project__workstream__programme")
    list_select_related = ("partner", "programme", "project")
    search_fields = ("partner__name", "partner__short_name", "project__name", "programme__name", "contribution")
    autocomplete_fields = ("partner", "programme", "project")
    fieldsets = (
        (None, {"fields": ("partner", ("programme", "project"), "role", "contribution")}),
        ("Joining", {"fields": (("joins_on", "join_condition"),)}),
        ("Shares", {"fields": (("cost_share", "savings_share"), "share_wording")}),
    )


class NarrativeSectionInline(admin.TabularInline):
    model = NarrativeSection
    fields = ("position", "level", "heading", "project", "text")
    extra = 0


@admin.register(NarrativeUpdate)
class NarrativeUpdateAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Narrative updates, for finding and reading; they are drafted, edited and
    finalised in the app, whose services keep their version and sections in step."""

    list_display = ("title", "programme", "period_start", "period_end", "status")
    list_filter = ("status", "programme")
    list_select_related = ("programme",)
    search_fields = ("title", "sections__heading", "sections__text")
    inlines = (NarrativeSectionInline,)
