from django.contrib import admin
from django.utils.text import Truncator

from actions.models import (
    ActionItem,
    ActionPlan,
    ActionPlanSection,
    ActionUpdate,
    DueDateRevision,
    Finding,
    Recommendation,
    Review,
    ReviewArea,
)
from core.admin import (
    ACCOUNTABLE_FIELDS,
    ACCOUNTABLE_INLINE_FIELDS,
    OWNER_FILTER,
    AccountableAdmin,
    AdministratorsOnlyInlineMixin,
    AppendOnlyAdminMixin,
    AppendOnlyInlineMixin,
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    rag_badge,
    rag_column,
    rag_display,
    stamp_update_authors,
)


def short(text, length=90):
    return Truncator(text).chars(length)


class ReviewAreaInline(admin.TabularInline):
    model = ReviewArea
    fields = ("number", "title", "ref")
    prepopulated_fields = {"ref": ("title",)}
    extra = 0
    show_change_link = True


class ActionPlanInline(admin.TabularInline):
    model = ActionPlan
    fields = ("title", "ref", "dated", "approved_by", "approved_on")
    extra = 0
    show_change_link = True


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("title", "reviewing_body", "review_date", "report_wording")
    search_fields = ("title", "ref", "reviewing_body", "summary")
    date_hierarchy = "review_date"
    ordering = ("-review_date",)
    prepopulated_fields = {"ref": ("title",)}
    inlines = (ReviewAreaInline, ActionPlanInline)


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ("number", "text", "ref")
    extra = 0
    show_change_link = True


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    fields = (("number", "kind", "ref"), "text", ("rag", "owner"), ("due_date", "due_wording"))
    autocomplete_fields = ("owner",)
    extra = 0
    show_change_link = True


@admin.register(ReviewArea)
class ReviewAreaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "review", "ref")
    list_filter = ("review",)
    list_select_related = ("review",)
    search_fields = ("title", "ref")
    autocomplete_fields = ("review",)
    fields = ("review", "number", "title", "ref")
    ordering = ("review", "number")
    inlines = (FindingInline, RecommendationInline)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("ref", "area", "number", "summary")
    list_filter = ("area__review", "area")
    list_select_related = ("area",)
    search_fields = ("text", "ref")
    autocomplete_fields = ("area",)
    fields = ("area", "number", "text", "ref")
    ordering = ("area__review", "area__number", "number")

    @admin.display(description="Finding", ordering="text")
    def summary(self, obj):
        return short(obj.text)


class RecommendationActionInline(AdministratorsOnlyInlineMixin, admin.TabularInline):
    """The actions answering a recommendation, with what a reader wants to see of each.
    Managers link actions on the action's page, where the scope check applies."""

    model = ActionItem.recommendations.through
    verbose_name = "action answering this recommendation"
    verbose_name_plural = "actions answering this recommendation"
    fields = ("actionitem", "action_rag", "action_status", "action_owner", "action_due")
    readonly_fields = ("action_rag", "action_status", "action_owner", "action_due")
    autocomplete_fields = ("actionitem",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actionitem__owner")

    @admin.display(description="RAG")
    def action_rag(self, obj):
        return rag_badge(obj.actionitem.rag) if obj.actionitem_id else "—"

    @admin.display(description="Status")
    def action_status(self, obj):
        return obj.actionitem.get_status_display() if obj.actionitem_id else "—"

    @admin.display(description="Owner")
    def action_owner(self, obj):
        return (obj.actionitem.owner or "—") if obj.actionitem_id else "—"

    @admin.display(description="Due")
    def action_due(self, obj):
        if not obj.actionitem_id:
            return "—"
        action = obj.actionitem
        return action.due_wording or action.due_date or "—"


@admin.register(Recommendation)
class RecommendationAdmin(AccountableAdmin):
    list_display = ("number_label", "summary", "kind", rag_display, "owner", "due_date", "due_wording")
    list_filter = ("rag", "kind", "area__review", "area", OWNER_FILTER)
    list_select_related = ("area", "owner")
    search_fields = ("text", "ref")
    autocomplete_fields = ("area", "owner")
    ordering = ("area__review", "area__number", "number")
    inlines = (RecommendationActionInline,)
    fieldsets = (
        (None, {"fields": ("area", ("number", "kind", "ref"), "text")}),
        ("Accountability", {"fields": ACCOUNTABLE_FIELDS}),
    )

    @admin.display(description="No.", ordering="number")
    def number_label(self, obj):
        return f"{obj.area.number}.{obj.number}"

    @admin.display(description="Recommendation", ordering="text")
    def summary(self, obj):
        return short(obj.text)


class ActionPlanSectionInline(admin.TabularInline):
    model = ActionPlanSection
    fields = ("number", "title", "area", "ref")
    prepopulated_fields = {"ref": ("title",)}
    autocomplete_fields = ("area",)
    extra = 0
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "review", "dated", "author", "approved_by", "approved_on")
    list_filter = ("review",)
    list_select_related = ("review",)
    search_fields = ("title", "ref", "author", "approved_by")
    autocomplete_fields = ("review",)
    fields = ("review", "ref", "title", "author", "dated", "approved_by", "approved_on", "programme")
    prepopulated_fields = {"ref": ("title",)}
    ordering = ("review", "ref")
    inlines = (ActionPlanSectionInline,)


class SectionActionInline(admin.TabularInline):
    model = ActionItem
    # With the completion date: a row set to Complete needs one (ActionItem.clean).
    fields = ("position", "title", "status", "completed_on", *ACCOUNTABLE_INLINE_FIELDS)
    autocomplete_fields = ("owner",)
    extra = 0
    show_change_link = True


@admin.register(ActionPlanSection)
class ActionPlanSectionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "plan", "area")
    list_filter = ("plan",)
    list_select_related = ("plan", "area")
    search_fields = ("title", "ref")
    autocomplete_fields = ("plan", "area")
    fields = ("plan", "number", "title", "area", "ref")
    prepopulated_fields = {"ref": ("title",)}
    ordering = ("plan", "number")
    inlines = (SectionActionInline,)


class ActionUpdateInline(AppendOnlyInlineMixin, admin.StackedInline):
    model = ActionUpdate
    fields = (
        "update_date",
        "note",
        ("rag_before", "rag_after"),
        ("status_before", "status_after"),
        ("author", "author_name"),
        "recorded_at",
    )
    autocomplete_fields = ("author",)
    ordering = ("-update_date", "-recorded_at")


@admin.register(ActionItem)
class ActionItemAdmin(AccountableAdmin):
    list_display = ("title", "section", rag_display, "status", "owner", "due_date", "due_wording", "completed_on")
    list_filter = (
        "rag",
        "status",
        OWNER_FILTER,
        "section__plan",
        "section",
        "workstream",
    )
    list_select_related = ("section", "owner")
    search_fields = ("title", "ref", "description")
    autocomplete_fields = ("owner", "section", "recommendations", "workstream", "project")
    readonly_fields = ("created_at",)
    ordering = ("due_date", "title")
    inlines = (ActionUpdateInline,)
    fieldsets = (
        (None, {"fields": ("title", "ref", "description", ("status", "completed_on"))}),
        ("Accountability", {"fields": ACCOUNTABLE_FIELDS}),
        ("Action plan", {"fields": ("section", "position", "recommendations")}),
        ("Programme", {"fields": ("workstream", "project")}),
        ("Record", {"fields": ("created_at",)}),
    )
    history_list_display = ("rag", "status", "owner", "due_date")

    def save_formset(self, request, form, formset, change):
        stamp_update_authors(request, formset)
        super().save_formset(request, form, formset, change)


@admin.register(ActionUpdate)
class ActionUpdateAdmin(AppendOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "action",
        "update_date",
        rag_column("rag_before", "RAG before"),
        rag_column("rag_after", "RAG after"),
        "status_after",
        "by",
        "recorded_at",
    )
    list_filter = (
        "rag_after",
        "status_after",
        "action__section__plan",
        ("action__owner", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("action", "author")
    search_fields = ("note", "ref", "action__title", "author_name")
    autocomplete_fields = ("action", "author")
    date_hierarchy = "update_date"
    ordering = ("-update_date", "-recorded_at")
    fields = (
        "action",
        "update_date",
        "note",
        ("rag_before", "rag_after"),
        ("status_before", "status_after"),
        ("author", "author_name"),
        "recorded_at",
    )

    @admin.display(description="By", ordering="author_name")
    def by(self, obj):
        return obj.author_display


@admin.register(DueDateRevision)
class DueDateRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: revisions are written by the action update form, never edited."""

    list_display = ["action", "old_date", "new_date", "reason", "changed_by", "changed_at"]
    list_select_related = ["action", "changed_by"]
    search_fields = ["action__title", "reason"]
    date_hierarchy = "changed_at"
