from django.contrib import admin

from workspace.models import ReminderDigest


@admin.register(ReminderDigest)
class ReminderDigestAdmin(admin.ModelAdmin):
    """What `send_reminders` has sent. Read-only: only the command writes these.
    Deleting today's row lets the command send that person's digest again."""

    list_display = ("user", "sent_on", "item_count", "sent_at")
    list_select_related = ("user",)
    date_hierarchy = "sent_on"
    search_fields = ("user__username", "user__email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
