from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Reviews and action plans"

    def ready(self):
        from actions import services
        from actions.imports import ACTIONS
        from actions.models import ActionItem, Recommendation
        from actions.review_imports import ACTION_UPDATES, FINDINGS, RECOMMENDATIONS
        from actions.tracking import ACTION, RECOMMENDATION
        from core.imports import register_kind
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
        register_kind(ACTIONS)
        register_kind(RECOMMENDATIONS)
        register_kind(FINDINGS)
        register_kind(ACTION_UPDATES)
