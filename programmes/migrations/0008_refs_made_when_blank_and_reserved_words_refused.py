# Refs (core.models.RefModel) may be left blank to have one made, and refuse
# words page addresses use. Validation and help text only: no change in the database.

from django.db import migrations, models

import core.validators


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0007_reports_to_moves_to_committees"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalprogramme",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="historicalproject",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="historicalworkstream",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="programme",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                unique=True,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                unique=True,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="workstream",
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
