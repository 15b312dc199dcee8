# Reminder digests now belong to the `workspace` app (workspace 0001 took the
# model over, table and rows untouched): they leave core's state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_reminder_digests"),
        ("workspace", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ReminderDigest")],
        ),
    ]
