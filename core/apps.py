from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "People, roles and RAG"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import checks  # noqa: F401  (registers the deployment checks)
        from core.middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="oip-session-fresh")

        from core.models import Owner
        from core.services import create_owner, register_services, update_owner

        register_services(Owner, create=create_owner, update=update_owner, arg="owner")
