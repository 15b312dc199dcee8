"""What each role may do, at model level, across every app, and keeping
the role groups in step with it after every migrate.

It lives in the top app because it names permissions of every app below it;
core only knows the roles' names (core.roles).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from core.roles import ADMINISTRATOR, COMMITTEE_CLERK, OFFICER, PROGRAMME_MANAGER

VIEW_ALL = "view"

# role -> list of "app_label.codename"; "view" means every view_ permission
ROLE_PERMISSIONS = {
    OFFICER: [
        VIEW_ALL,
        "actions.change_actionitem",
        "actions.add_actionupdate",
        "programmes.change_project",
        "programmes.add_projectupdate",
        # Progress on the milestones and risks they are responsible for, and savings realised.
        "programmes.change_milestone",
        "programmes.change_risk",
        "programmes.add_benefitrealisation",
        "programmes.change_benefitrealisation",
    ],
    PROGRAMME_MANAGER: [
        VIEW_ALL,
        *(
            f"{app}.{verb}_{model}"
            for app, model in [
                ("programmes", "programme"),
                ("programmes", "workstream"),
                ("programmes", "project"),
                ("actions", "recommendation"),
                ("actions", "actionitem"),
                ("programmes", "highlightreport"),
                ("programmes", "partner"),
                ("programmes", "narrativeupdate"),
                ("core", "owner"),
            ]
            for verb in ("add", "change")
        ),
        # The project initiation document's parts, which managers also remove.
        *(
            f"programmes.{verb}_{model}"
            for model in [
                "milestone",
                "risk",
                "funder",
                "spendprofileentry",
                "benefit",
                "benefitrealisation",
                "partnership",
                "narrativesection",
            ]
            for verb in ("add", "change", "delete")
        ),
        # Spreadsheet imports into the programmes they manage (exchange).
        "exchange.add_importrun",
        "actions.add_actionupdate",
        "programmes.add_projectupdate",
    ],
    COMMITTEE_CLERK: [
        VIEW_ALL,
        "committees.add_meeting",
        "committees.change_meeting",
        # A meeting or agenda item set up by mistake, while no pack is issued (committees.services).
        "committees.delete_meeting",
        "committees.add_agendaitem",
        "committees.change_agendaitem",
        "committees.delete_agendaitem",
        "committees.add_minutedaction",
        "committees.change_minutedaction",
        "committees.delete_minutedaction",
        # Each report's commentary and appendices (issue 11).
        *(
            f"committees.{verb}_{model}"
            for model in ["reportparagraph", "reportappendix"]
            for verb in ("add", "change", "delete")
        ),
    ],
    ADMINISTRATOR: ["*"],
}

OUR_APPS = ["core", "programmes", "actions", "committees", "workspace", "exchange"]


def sync_role_groups(group_model, permission_model):
    """Create the role groups and give each exactly its permissions. Idempotent."""
    ours = permission_model.objects.filter(content_type__app_label__in=OUR_APPS)
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        if wanted == ["*"]:
            perms = permission_model.objects.all()
        else:
            perms = list(ours.filter(codename__startswith="view_")) if VIEW_ALL in wanted else []
            for name in wanted:
                if name == VIEW_ALL:
                    continue
                app_label, codename = name.split(".")
                perms.append(ours.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


def keep_role_groups_in_step(sender, using, **kwargs):
    """After every migrate (and every test-database flush), make the role
    groups match ROLE_PERMISSIONS, including permissions of models added since
    the migration that first created them."""
    if sender.label != OUR_APPS[-1]:
        return  # run once, after the last of our apps has its permissions
    for label in OUR_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    sync_role_groups(Group, Permission)
