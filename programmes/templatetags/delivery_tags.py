"""Per-row permissions for the milestones table and the risk register."""

from django import template

register = template.Library()


@register.filter
def updatable_by(item, user):
    """{% if milestone|updatable_by:user %}: whether `user` may record its
    progress (the model's can_be_updated_by). The user's owners and
    programmes are cached on them (core.permissions.user_scope), so a table
    of rows costs no queries."""
    return item.can_be_updated_by(user)
