from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "People, roles and RAG"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from core import checks  # noqa: F401  (registers the deployment checks)
        from core.middleware import mark_session_fresh
        from core.signals import keep_role_groups_in_step

        post_migrate.connect(keep_role_groups_in_step, dispatch_uid="oip-role-groups")
        user_logged_in.connect(mark_session_fresh, dispatch_uid="oip-session-fresh")
