# Refs (core.models.RefModel) may be left blank to have one made, and refuse
# words page addresses use. Validation and help text only: no change in the database.

from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0002_own_tables_minuted_actions_and_programmes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="committee",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                unique=True,
                validators=[core.validators.validate_ref],
            ),
        ),
    ]
