from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "People, roles and RAG"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core.signals import keep_role_groups_in_step

        post_migrate.connect(keep_role_groups_in_step, dispatch_uid="oip-role-groups")
