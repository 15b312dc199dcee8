"""Who may change what, decided per object.

Model permissions (from the role groups) say what kind of change a role may
make; these rules add the object-level part:
- an officer changes what they own, directly or through their team/role;
- a programme manager changes everything within their programme(s);
- an administrator changes everything;
- a committee clerk changes no programme or action data.

The user's owners and programmes are loaded once per request and cached on the
user object, so checking a whole page of rows costs no extra queries.
"""

from dataclasses import dataclass

from core.roles import ADMINISTRATOR


@dataclass(frozen=True)
class Scope:
    owner_ids: frozenset
    managed_programme_ids: frozenset
    is_admin: bool


def user_scope(user):
    if not user.is_authenticated:
        return Scope(frozenset(), frozenset(), False)
    scope = getattr(user, "_oip_scope", None)
    if scope is None:
        from core.models import Owner

        scope = Scope(
            owner_ids=frozenset(Owner.objects.for_user(user).values_list("pk", flat=True)),
            managed_programme_ids=frozenset(user.managed_programmes.values_list("pk", flat=True)),
            is_admin=user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists(),
        )
        user._oip_scope = scope
    return scope


def manages(user, programme_id, perm):
    """An administrator, or a manager of `programme_id` whose role grants `perm`."""
    scope = user_scope(user)
    if scope.is_admin:
        return True
    return programme_id is not None and programme_id in scope.managed_programme_ids and user.has_perm(perm)


def owns_or_manages(user, owner_id, programme_id, perm):
    """Also true for an officer whose role grants `perm` and who owns the item."""
    if manages(user, programme_id, perm):
        return True
    return owner_id is not None and owner_id in user_scope(user).owner_ids and user.has_perm(perm)
