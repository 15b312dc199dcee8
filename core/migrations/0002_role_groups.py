# Creates the four role groups with their permissions, so that every
# database (development, test, production) starts with the same roles.
from django.contrib.auth.management import create_permissions
from django.db import migrations

from core.roles import sync_role_groups


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure they exist now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_role_groups(apps, schema_editor):
    from core.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("programmes", "0001_initial"),
        ("actions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
