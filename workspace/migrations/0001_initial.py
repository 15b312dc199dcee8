# Reminder digests move here from `core`, which sits under every domain and
# should hold only what they all share. Table and rows are untouched: this
# takes the model over in Django's state (still on core's table); 0002
# renames the table.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0003_reminder_digests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ReminderDigest",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "sent_on",
                            models.DateField(help_text="The day the digest was for; at most one per login per day."),
                        ),
                        (
                            "item_count",
                            models.PositiveIntegerField(help_text="How many overdue and due-soon items it listed."),
                        ),
                        ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder_digests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-sent_on", "user"],
                        "db_table": "core_reminderdigest",
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "sent_on"), name="one_reminder_digest_per_user_per_day")
                        ],
                    },
                ),
            ],
        ),
    ]
