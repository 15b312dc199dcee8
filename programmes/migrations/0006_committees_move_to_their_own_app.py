# Committees, meetings and agenda items now belong to the `committees` app
# (committees 0001 took them over, tables and rows untouched). Here they leave
# this app's state; nothing in the database changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0005_bounded_dates_and_text"),
        ("committees", "0001_initial"),
        ("actions", "0004_arising_from_points_at_committees"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="programme",
                    name="reports_to",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="committees.committee",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalprogramme",
                    name="reports_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="committees.committee",
                    ),
                ),
                migrations.RemoveField(model_name="meeting", name="pack_item"),
                migrations.RemoveField(model_name="meeting", name="committee"),
                migrations.RemoveField(model_name="meeting", name="reports"),
                migrations.DeleteModel(name="AgendaItem"),
                migrations.DeleteModel(name="Committee"),
                migrations.DeleteModel(name="Meeting"),
            ],
        ),
    ]
