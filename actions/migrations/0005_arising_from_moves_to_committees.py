# The meeting and minute an action arose from now live in
# committees.MinutedAction (copied there by committees 0002).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0004_arising_from_points_at_committees"),
        ("committees", "0002_own_tables_minuted_actions_and_programmes"),
    ]

    operations = [
        migrations.RemoveField(model_name="actionitem", name="arising_from"),
        migrations.RemoveField(model_name="actionitem", name="minute_number"),
        migrations.RemoveField(model_name="actionitem", name="minute_title"),
        migrations.RemoveField(model_name="historicalactionitem", name="arising_from"),
        migrations.RemoveField(model_name="historicalactionitem", name="minute_number"),
        migrations.RemoveField(model_name="historicalactionitem", name="minute_title"),
    ]
