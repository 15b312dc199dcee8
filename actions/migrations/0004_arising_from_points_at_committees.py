# The meetings an action arose from are now committees.Meeting (the same
# table): only Django's state changes here. committees 0002 copies the link
# to committees.MinutedAction and 0005 below then drops these columns.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0003_bounded_dates_and_text"),
        ("committees", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="actionitem",
                    name="arising_from",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The committee meeting whose minutes gave rise to this action.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="matters_arising",
                        to="committees.meeting",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalactionitem",
                    name="arising_from",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The committee meeting whose minutes gave rise to this action.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="committees.meeting",
                    ),
                ),
            ],
        ),
    ]
