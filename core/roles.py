"""The four roles and what each may do at model level.

Object-level rules (an officer may only update what they or their team own;
a manager only within their programmes) are in each app's access helpers.
"""

OFFICER = "Officer"
PROGRAMME_MANAGER = "Programme manager"
COMMITTEE_CLERK = "Committee clerk"
ADMINISTRATOR = "Administrator"

ROLES = [OFFICER, PROGRAMME_MANAGER, COMMITTEE_CLERK, ADMINISTRATOR]

VIEW_ALL = "view"

# role -> list of "app_label.codename"; "view" means every view_ permission
ROLE_PERMISSIONS = {
    OFFICER: [
        VIEW_ALL,
        "actions.change_actionitem",
        "actions.add_actionupdate",
        "programmes.change_project",
        "programmes.add_projectupdate",
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
            ]
            for verb in ("add", "change")
        ),
        "actions.add_actionupdate",
        "programmes.add_projectupdate",
    ],
    COMMITTEE_CLERK: [
        VIEW_ALL,
        "committees.add_meeting",
        "committees.change_meeting",
        "committees.add_agendaitem",
        "committees.change_agendaitem",
        "committees.delete_agendaitem",
        "committees.add_minutedaction",
        "committees.change_minutedaction",
        "committees.delete_minutedaction",
    ],
    ADMINISTRATOR: ["*"],
}

OUR_APPS = ["core", "programmes", "actions", "committees"]


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
