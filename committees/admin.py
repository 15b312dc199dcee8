from django.contrib import admin

from committees.models import AgendaItem, Committee, Meeting, MinutedAction, ReportAppendix, ReportParagraph
from core.admin import ScopedAdminMixin


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
    fields = ("name", "short_name", "ref", "programmes")
    prepopulated_fields = {"ref": ("name",)}
    filter_horizontal = ("programmes",)
    inlines = (MeetingInline,)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    fields = ("number", "title", "report_number", "contact_officer", "pages", "exempt")
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
class AgendaItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
