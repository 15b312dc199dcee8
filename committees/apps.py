from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = "Committees and meetings"

    def ready(self):
        from committees.models import Minute
        from committees.services import create_minute, update_minute
        from core.services import register_services

        register_services(Minute, create=create_minute, update=update_minute, arg="minute")
