# Committees, meetings and agenda items move here from `programmes`, so that
# committees can sit above both programmes and action plans. Their tables and
# rows stay exactly where they are: this migration only tells Django's state
# that the models now belong to this app (still on the old tables);
# 0002 then renames the tables.

import django.db.models.deletion
from django.db import migrations, models

import core.fields
import core.validators


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("programmes", "0005_bounded_dates_and_text"),
        ("actions", "0003_bounded_dates_and_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AgendaItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField()),
                        ("title", models.CharField(max_length=300)),
                        ("report_number", models.CharField(blank=True, help_text="e.g. CEO1058", max_length=30)),
                        ("contact_officer", models.CharField(blank=True, max_length=200)),
                        ("pages", models.CharField(blank=True, max_length=30)),
                        ("exempt", models.BooleanField(default=False, help_text="Taken with the press and public excluded.")),
                        (
                            "decision_maker",
                            models.CharField(blank=True, help_text="e.g. Improvement and Efficiency Sub-Committee", max_length=200),
                        ),
                        (
                            "decision_type",
                            models.CharField(blank=True, help_text="e.g. Non-Urgent Non-Executive Non-Key", max_length=100),
                        ),
                        ("chief_officer", models.CharField(blank=True, max_length=200)),
                        ("ward", models.CharField(blank=True, help_text="e.g. Borough wide, or N/A", max_length=100)),
                        (
                            "reason",
                            core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name="reason for report"),
                        ),
                        (
                            "recommendations",
                            core.fields.LimitedTextField(
                                blank=True, help_text="What the committee is asked to do, one per line.", max_length=2000
                            ),
                        ),
                    ],
                    options={"ordering": ["meeting", "number"], "db_table": "programmes_agendaitem"},
                ),
                migrations.CreateModel(
                    name="Committee",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, unique=True)),
                        (
                            "short_name",
                            models.CharField(blank=True, help_text="As written on reports, e.g. “I&E sub-committee”.", max_length=60),
                        ),
                        ("ref", models.SlugField(max_length=60, unique=True)),
                    ],
                    options={"ordering": ["name"], "db_table": "programmes_committee"},
                ),
                migrations.CreateModel(
                    name="Meeting",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(validators=[core.validators.validate_sensible_date])),
                        ("time", models.TimeField(blank=True, null=True)),
                        ("venue", models.CharField(blank=True, max_length=200)),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="meetings", to="committees.committee"
                            ),
                        ),
                        (
                            "pack_item",
                            models.ForeignKey(
                                blank=True,
                                help_text="The agenda item whose report cover sheet opens the committee pack.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="committees.agendaitem",
                            ),
                        ),
                        (
                            "reports",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Published highlight reports presented at this meeting.",
                                related_name="meetings",
                                to="programmes.highlightreport",
                            ),
                        ),
                    ],
                    options={"ordering": ["committee", "-date"], "db_table": "programmes_meeting"},
                ),
                migrations.AddField(
                    model_name="agendaitem",
                    name="meeting",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="agenda_items", to="committees.meeting"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="meeting",
                    constraint=models.UniqueConstraint(fields=("committee", "date"), name="one_meeting_per_committee_per_day"),
                ),
                migrations.AddConstraint(
                    model_name="agendaitem",
                    constraint=models.UniqueConstraint(fields=("meeting", "number"), name="agenda_item_number_unique"),
                ),
            ],
        ),
    ]
