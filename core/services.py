"""The one door for creating and changing programmes, workstreams, projects,
recommendations and actions.

Each has a create and an update service in its own app
(`programmes.services.create_project`, `actions.services.update_action`, ...).
They are the public way to write those rows, from a view, the admin, a
management command or a shell: keyword-only, in one transaction, refusing
what the user may not save (core.scope) and what the model's rules forbid
(`full_clean`), and recording who saved it in the history. `save_accountable`
is the shape they share.

The app's edit forms (core.forms.VersionedModelForm) and the admin
(core.admin.ScopedAdminMixin) are written once, here in core, which cannot
import the apps above it; so each app registers its services for its models
from AppConfig.ready(), and `save_with_services` finds them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from core.scope import check_scope


def set_fields(instance, fields):
    """Set model fields by name. A name that is not a field is a mistake, not a new attribute."""
    for name, value in fields.items():
        instance._meta.get_field(name)  # FieldDoesNotExist for a typo
        setattr(instance, name, value)
    return instance


def full_clean_together(*instances):
    """full_clean each instance and raise their errors together, so a form
    shows every problem at once, before anything is saved."""
    errors = {}
    for instance in instances:
        try:
            instance.full_clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_accountable(instance, *, user, expected_version=None, m2m=None):
    """Validate and save `instance` for `user`, then set its many-to-many values.

    Refuses with ValidationError what the model's rules forbid and what lies
    outside the user's programmes (PermissionDenied for a row they may not
    change at all); an update saves only if nobody has saved the row since
    `expected_version` (EditConflict otherwise). `m2m` maps field names to the
    values to set, e.g. {"recommendations": [...]}; fields left out keep
    theirs. `user=None` is a trusted writer with no login (see check_scope).
    """
    m2m = m2m or {}
    instance.full_clean()
    check_scope(user, instance, **m2m)
    instance._history_user = user
    if instance._state.adding:
        instance.save()
    else:
        instance.save_if_unchanged(expected_version)
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance


@dataclass(frozen=True)
class Services:
    """A model's create and update services, and the keyword both take the
    instance by (`project=`, `action=`): create(*, user, <arg>=unsaved, **m2m)
    and update(*, <arg>=instance, user, expected_version, **m2m)."""

    create: Callable
    update: Callable
    arg: str


_services: dict[type, Services] = {}


def register_services(model, *, create, update, arg):
    """Send the app's forms' and the admin's saves of `model` through these services."""
    _services[model] = Services(create=create, update=update, arg=arg)


def services_for(model):
    """The services registered for `model`, or None."""
    return _services.get(model)


def save_with_services(instance, *, user, expected_version=None, m2m=None):
    """Save an instance a form or the admin has built (and filled in) through
    its model's create or update service."""
    services = services_for(type(instance))
    if services is None:
        raise ImproperlyConfigured(f"No create and update services are registered for {type(instance).__name__}.")
    kwargs = {services.arg: instance, "user": user, **(m2m or {})}
    if instance._state.adding:
        return services.create(**kwargs)
    return services.update(expected_version=expected_version, **kwargs)


# --- People and teams (owners) ------------------------------------------------


def create_owner(*, user, owner=None, members=None, **fields):
    """A new person or team to hold accountable (core.Owner), by a programme manager."""
    from core.models import Owner

    m2m = {"members": members} if members is not None else {}
    return save_accountable(set_fields(owner or Owner(), fields), user=user, m2m=m2m)


def update_owner(*, owner, user, expected_version, members=None, **changes):
    """Change a person or team; `members`, if given, replaces the logins acting for it."""
    m2m = {"members": members} if members is not None else {}
    return save_accountable(set_fields(owner, changes), user=user, expected_version=expected_version, m2m=m2m)
