# Refs (core.models.RefModel) may be left blank to have one made, and refuse
# words page addresses use. Validation and help text only: no change in the database.

from django.db import migrations, models

import core.models
import core.validators


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_arising_from_moves_to_committees"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionitem",
            name="ref",
            field=models.SlugField(
                blank=True,
                default=core.models.new_ref,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                unique=True,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="actionplan",
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
            model_name="actionplansection",
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
            model_name="finding",
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
            model_name="historicalactionitem",
            name="ref",
            field=models.SlugField(
                blank=True,
                default=core.models.new_ref,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="historicalrecommendation",
            name="ref",
            field=models.SlugField(
                blank=True,
                help_text="Used in its page address. Leave blank to have one made for it.",
                max_length=60,
                validators=[core.validators.validate_ref],
            ),
        ),
        migrations.AlterField(
            model_name="recommendation",
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
            model_name="review",
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
            model_name="reviewarea",
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
