from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and highlight reports"

    def ready(self):
        from core.services import register_services
        from core.tracking import register
        from programmes import services
        from programmes.models import Programme, Project, Workstream
        from programmes.tracking import PROJECT

        register(PROJECT)
        register_services(
            Programme, create=services.create_programme, update=services.update_programme, arg="programme"
        )
        register_services(
            Workstream, create=services.create_workstream, update=services.update_workstream, arg="workstream"
        )
        register_services(Project, create=services.create_project, update=services.update_project, arg="project")
