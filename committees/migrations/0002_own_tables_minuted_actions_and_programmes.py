# Finishes the move of committees out of `programmes`:
# - the tables take this app's names (a rename: rows, ids and foreign keys
#   are kept, and the content types move with them so permissions granted on
#   meetings and agenda items stay granted);
# - the two links that pointed up from a lower app are turned around: the
#   meeting an action arose from (ActionItem.arising_from and its minute) is
#   now a MinutedAction here, and the committee a programme reports to
#   (Programme.reports_to) is now Committee.programmes. Their rows are copied
#   before actions 0005 and programmes 0007 drop the old columns.

import django.db.models.deletion
from django.db import migrations, models

MOVED = ["committee", "meeting", "agendaitem"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="committees", model=model).exists():
            ContentType.objects.filter(app_label="programmes", model=model).update(app_label="committees")


def return_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="programmes", model=model).exists():
            ContentType.objects.filter(app_label="committees", model=model).update(app_label="programmes")


def copy_links(apps, schema_editor):
    ActionItem = apps.get_model("actions", "ActionItem")
    MinutedAction = apps.get_model("committees", "MinutedAction")
    Programme = apps.get_model("programmes", "Programme")
    Committee = apps.get_model("committees", "Committee")
    MinutedAction.objects.bulk_create(
        MinutedAction(
            action_id=action.pk,
            meeting_id=action.arising_from_id,
            minute_number=action.minute_number,
            minute_title=action.minute_title,
        )
        for action in ActionItem.objects.filter(arising_from__isnull=False).order_by("pk")
    )
    through = Committee.programmes.through
    through.objects.bulk_create(
        through(committee_id=programme.reports_to_id, programme_id=programme.pk)
        for programme in Programme.objects.filter(reports_to__isnull=False).order_by("pk")
    )


def copy_links_back(apps, schema_editor):
    ActionItem = apps.get_model("actions", "ActionItem")
    MinutedAction = apps.get_model("committees", "MinutedAction")
    Programme = apps.get_model("programmes", "Programme")
    Committee = apps.get_model("committees", "Committee")
    for link in MinutedAction.objects.all():
        ActionItem.objects.filter(pk=link.action_id).update(
            arising_from_id=link.meeting_id, minute_number=link.minute_number, minute_title=link.minute_title
        )
    for row in Committee.programmes.through.objects.order_by("pk"):
        Programme.objects.filter(pk=row.programme_id).update(reports_to_id=row.committee_id)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("committees", "0001_initial"),
        ("programmes", "0006_committees_move_to_their_own_app"),
        ("actions", "0004_arising_from_points_at_committees"),
    ]

    operations = [
        migrations.RunPython(move_content_types, return_content_types),
        migrations.AlterModelTable(name="committee", table=None),
        migrations.AlterModelTable(name="meeting", table=None),
        migrations.AlterModelTable(name="agendaitem", table=None),
        migrations.AddField(
            model_name="committee",
            name="programmes",
            field=models.ManyToManyField(
                blank=True,
                help_text="The programmes that report to this committee (their highlight reports are addressed to it).",
                related_name="committees",
                to="programmes.programme",
            ),
        ),
        migrations.CreateModel(
            name="MinutedAction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("minute_number", models.CharField(blank=True, max_length=20)),
                ("minute_title", models.CharField(blank=True, max_length=300)),
                (
                    "action",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="arising", to="actions.actionitem"
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        help_text="The committee meeting whose minutes gave rise to this action.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="minuted_actions",
                        to="committees.meeting",
                    ),
                ),
            ],
            options={"verbose_name": "action arising from a minute", "ordering": ["meeting", "minute_number", "pk"]},
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
