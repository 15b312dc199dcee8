from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The pages and jobs that cut across programmes, actions and committees.

    It sits on top of every other app: it may import any of them, and none
    imports it.
    """

    name = "workspace"
    label = "workspace"
    verbose_name = "My work, reminders and demo accounts"
