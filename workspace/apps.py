from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The pages and jobs that cut across programmes, actions and committees.

    It sits on top of every other app: it may import any of them, and none
    imports it.
    """

    name = "workspace"
    label = "workspace"
    verbose_name = "My work, reminders and demo accounts"

    def ready(self):
        from django.db.models.signals import post_migrate

        from workspace.roles import keep_role_groups_in_step

        post_migrate.connect(keep_role_groups_in_step, dispatch_uid="oip-role-groups")
