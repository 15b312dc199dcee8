from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "People, roles and RAG"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import checks  # noqa: F401  (registers the deployment checks)
        from core.middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="oip-session-fresh")

        from django.db.backends.signals import connection_created

        from core.search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="oip-sqlite-functions")

        from django.db.models.signals import post_migrate, pre_migrate

        from core import datastamp

        connection_created.connect(datastamp.install, dispatch_uid="oip-data-stamp")
        pre_migrate.connect(datastamp.migration_started, dispatch_uid="oip-data-stamp")
        post_migrate.connect(datastamp.migration_finished, dispatch_uid="oip-data-stamp")

        from core.models import Owner
        from core.services import create_owner, register_services, update_owner

        register_services(Owner, create=create_owner, update=update_owner, arg="owner")
