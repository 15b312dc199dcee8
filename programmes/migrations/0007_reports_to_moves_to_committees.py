# Which committee a programme reports to is now Committee.programmes
# (copied there by committees 0002).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0006_committees_move_to_their_own_app"),
        ("committees", "0002_own_tables_minuted_actions_and_programmes"),
    ]

    operations = [
        migrations.RemoveField(model_name="programme", name="reports_to"),
        migrations.RemoveField(model_name="historicalprogramme", name="reports_to"),
    ]
