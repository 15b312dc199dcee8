from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and highlight reports"

    def ready(self):
        from core.tracking import register
        from programmes.tracking import PROJECT

        register(PROJECT)
