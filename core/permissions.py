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

from django.db.models import Q

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


def managed_programme_ids(user, perm):
    """The programmes in which `user` may make changes needing `perm`; None
    for an administrator, who may change everything (even items in no programme)."""
    scope = user_scope(user)
    if scope.is_admin:
        return None
    return scope.managed_programme_ids if user.has_perm(perm) else frozenset()


def within_managed_programmes(queryset, user, perm, via, keep=()):
    """`queryset` narrowed to the rows `user` may choose as a parent: those in
    programmes they manage, reached through the lookup `via` (e.g.
    "workstream__programme"), plus the pks in `keep` (what the object being
    edited already has, so an edit still shows it). For choice fields; the
    rule on save is each model's `validate_scope`.

    Both parts are subqueries on primary keys, so a many-valued `via` (a
    review's several action plans) never repeats a row.
    """
    ids = managed_programme_ids(user, perm)
    if ids is None:
        return queryset
    in_reach = queryset.model._default_manager.filter(**{f"{via}__in": ids}).values("pk")
    return queryset.filter(Q(pk__in=in_reach) | Q(pk__in=keep))
