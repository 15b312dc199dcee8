# Creates the four role groups with the permissions they had when this
# migration was written, so every database (development, test, production)
# starts with the same roles. The mapping is frozen here on purpose: later
# changes live in core/roles.py and are applied after every migrate by
# core.signals.keep_role_groups_in_step.
from django.contrib.auth.management import create_permissions
from django.db import migrations

OUR_APPS = ["core", "programmes", "actions"]
ROLE_PERMISSIONS = {
    "Officer": [
        "view",
        "actions.change_actionitem",
        "actions.add_actionupdate",
        "programmes.change_project",
        "programmes.add_projectupdate",
    ],
    "Programme manager": [
        "view",
        "programmes.add_programme",
        "programmes.change_programme",
        "programmes.add_workstream",
        "programmes.change_workstream",
        "programmes.add_project",
        "programmes.change_project",
        "actions.add_recommendation",
        "actions.change_recommendation",
        "actions.add_actionitem",
        "actions.change_actionitem",
        "actions.add_actionupdate",
        "programmes.add_projectupdate",
    ],
    "Committee clerk": [
        "view",
        "programmes.add_meeting",
        "programmes.change_meeting",
        "programmes.add_agendaitem",
        "programmes.change_agendaitem",
        "programmes.delete_agendaitem",
    ],
    "Administrator": ["*"],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; make
    # sure they exist now so the groups can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    ours = permission_model.objects.filter(content_type__app_label__in=OUR_APPS)
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        if wanted == ["*"]:
            group.permissions.set(permission_model.objects.all())
            continue
        perms = list(ours.filter(codename__startswith="view_"))
        for name in wanted[1:]:
            app_label, codename = name.split(".")
            # On a new database this may run after later migrations have moved
            # a model to another app (meetings moved to `committees`); the
            # groups are put in step with core.roles after every migrate, so a
            # permission not found here is simply left for that.
            permission = ours.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                perms.append(permission)
        group.permissions.set(perms)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("programmes", "0001_initial"),
        ("actions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
