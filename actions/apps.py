from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Reviews and action plans"

    def ready(self):
        from actions import services
        from actions.models import ActionItem, Recommendation
        from actions.tracking import ACTION, RECOMMENDATION
        from core.services import register_services
        from core.tracking import register

        register(ACTION)
        register(RECOMMENDATION)
        register_services(
            Recommendation,
            create=services.create_recommendation,
            update=services.update_recommendation,
            arg="recommendation",
        )
        register_services(ActionItem, create=services.create_action, update=services.update_action, arg="action")
