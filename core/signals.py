from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from core.roles import OUR_APPS, sync_role_groups


def keep_role_groups_in_step(sender, using, **kwargs):
    """After every migrate (and every test-database flush), make the role
    groups match core.roles, including permissions of models added since the
    migration that first created them."""
    if sender.label != OUR_APPS[-1]:
        return  # run once, after the last of our apps has its permissions
    for label in OUR_APPS:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    sync_role_groups(Group, Permission)
