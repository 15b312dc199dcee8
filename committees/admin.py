from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from committees import services
from committees.models import (
    AgendaItem,
    Committee,
    IssuedPack,
    Meeting,
    Minute,
    MinutedAction,
    ReportAppendix,
    ReportParagraph,
)
from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin, VersionedAdminForm


class DeletionRulesMixin:
    """The admin deletes a meeting or agenda item only when the clerk's page
    would (committees.services.meeting_deletion / agenda_item_deletion: no
    pack issued or requested, no minutes), and never in bulk, where the
    rules could not be checked row by row."""

    deletion = None  # the services function saying whether an object may go

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not type(self).deletion(obj).allowed:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class MinutedActionInline(admin.TabularInline):
    model = MinutedAction
    fields = ("minute_number", "minute_title", "action")
    autocomplete_fields = ("action",)
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ("date", "time", "venue")
    extra = 0
    show_change_link = True


@admin.register(Committee)
class CommitteeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "ref")
    search_fields = ("name", "short_name", "ref")
    ordering = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "ref", "programmes", "publish_online")}),
        (
            "Agenda front sheet letterhead",
            {
                "fields": (
                    "address",
                    "telephone",
                    "contact_name",
                    "contact_email",
                    "contact_telephone",
                    "fax",
                    "documents_note",
                )
            },
        ),
    )
    prepopulated_fields = {"ref": ("name",)}
    filter_horizontal = ("programmes",)
    inlines = (MeetingInline,)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    fields = ("number", "title", "report_number", "contact_officer", "pages", "exempt")
    extra = 0

    def has_delete_permission(self, request, obj=None):
        # obj is the meeting: once its pack is issued or requested, its agenda stays.
        if obj is not None and services.pack_refusals(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Meeting)
class MeetingAdmin(DeletionRulesMixin, ScopedAdminMixin, admin.ModelAdmin):
    deletion = services.meeting_deletion
    list_display = ("__str__", "committee", "date", "time", "venue")
    list_filter = ("committee",)
    list_select_related = ("committee",)
    search_fields = ("committee__name", "committee__short_name", "venue", "agenda_items__title")
    autocomplete_fields = ("committee",)
    date_hierarchy = "date"
    ordering = ("-date", "committee__name")
    inlines = (AgendaItemInline, MinutedActionInline)


class ReportParagraphInline(admin.TabularInline):
    model = ReportParagraph
    fields = ("position", "kind", "text")
    extra = 0


class ReportAppendixInline(admin.TabularInline):
    model = ReportAppendix
    fields = ("position", "kind", "title", "highlight_report", "narrative", "programme", "open_only", "at_risk_only")
    raw_id_fields = ("highlight_report", "narrative", "programme")
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(DeletionRulesMixin, ScopedAdminMixin, admin.ModelAdmin):
    deletion = services.agenda_item_deletion
    inlines = (ReportParagraphInline, ReportAppendixInline)
    list_display = ("number", "title", "meeting", "report_number", "contact_officer", "exempt")
    list_filter = ("exempt", "meeting__committee")
    list_select_related = ("meeting__committee",)
    search_fields = ("title", "report_number", "contact_officer")
    autocomplete_fields = ("meeting",)
    date_hierarchy = "meeting__date"
    ordering = ("-meeting__date", "number")


@admin.register(MinutedAction)
class MinutedActionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("action", "meeting", "minute_number", "minute_title")
    list_filter = ("meeting__committee",)
    list_select_related = ("action", "meeting__committee")
    search_fields = ("action__title", "action__ref", "minute_number", "minute_title")
    autocomplete_fields = ("action", "meeting")
    ordering = ("-meeting__date", "minute_number")


@admin.register(IssuedPack)
class IssuedPackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: packs are issued, generated and retried only through
    committees.issuing, and an issued pack never changes."""

    list_display = ("meeting", "part", "version", "status", "requested_by", "requested_at", "issued_at", "page_count")
    list_filter = ("status", "part", "meeting__committee")
    list_select_related = ("meeting__committee", "requested_by")
    search_fields = ("meeting__committee__name", "meeting__committee__short_name", "error", "task_id")
    date_hierarchy = "requested_at"
    ordering = ("-requested_at",)


@admin.register(Minute)
class MinuteAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Minutes are recorded on the meeting's minutes page; here they can be
    found across meetings, corrected, and their history read."""

    form = VersionedAdminForm
    fields = ("meeting", "number", "title", "text", "resolved", "agenda_item", "exempt")
    list_display = ("number", "title", "meeting", "exempt")
    list_filter = ("exempt", "meeting__committee")
    list_select_related = ("meeting__committee",)
    search_fields = ("title", "text", "resolved")
    autocomplete_fields = ("meeting",)
    raw_id_fields = ("agenda_item",)
    date_hierarchy = "meeting__date"
    ordering = ("-meeting__date", "number")
