# The reminder digests' table takes this app's name (a rename: rows kept), and
# its content type follows, so admin permissions on it stay granted.

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="workspace", model="reminderdigest").exists():
        ContentType.objects.filter(app_label="core", model="reminderdigest").update(app_label="workspace")


def return_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="reminderdigest").exists():
        ContentType.objects.filter(app_label="workspace", model="reminderdigest").update(app_label="core")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("workspace", "0001_initial"),
        ("core", "0004_reminder_digests_move_to_workspace"),
    ]

    operations = [
        migrations.RunPython(move_content_type, return_content_type),
        migrations.AlterModelTable(name="reminderdigest", table=None),
    ]
