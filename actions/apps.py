from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Reviews and action plans"

    def ready(self):
        from actions.tracking import ACTION, RECOMMENDATION
        from core.tracking import register

        register(ACTION)
        register(RECOMMENDATION)
