"""What the workspace records of its own: the reminder digests sent."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReminderDigest(models.Model):
    """One reminder email sent to one login on one day.

    The unique constraint is what makes `send_reminders` safe to run twice a
    day, or from two servers at once: the second run cannot record a digest
    for the same person and day, so it does not send one.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_digests")
    sent_on = models.DateField(help_text="The day the digest was for; at most one per login per day.")
    item_count = models.PositiveIntegerField(help_text="How many overdue and due-soon items it listed.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_digest_per_user_per_day"),
        ]

    def __str__(self):
        return f"{self.user} on {self.sent_on:%d %b %Y}"
