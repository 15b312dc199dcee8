"""Scope is checked on what is saved, not only on what is opened.

An access helper decides whether a user may open an edit page; that says
nothing about the parents posted with the form (another programme's
workstream, another review's area). So before any create or edit is saved,
`check_scope` asks the model whether this user may save it as it now is
and, for an edit, whether they could change it as it was in the database.

The rule itself is each model's `validate_scope(user, original, **related)`;
this module is the one door every writer goes through: the app's forms
(core.forms.ScopeCheckMixin), the admin (core.admin.ScopedAdminMixin) and the
services that write without a form. Models without `validate_scope` are
governed by model permissions alone.
"""


def check_scope(user, instance, **related):
    """Refuse a save `user` may not make: PermissionDenied when they may not
    change the object as it is in the database, ValidationError (keyed by
    field where one is to blame) when its new parents are out of their reach.

    `related` holds many-to-many values about to be set (e.g.
    recommendations=[...]), which the instance cannot show before it is saved.
    `user=None` is a trusted writer with no login (a data load or management
    command); a request always has a user, even an anonymous one.
    """
    validate = getattr(instance, "validate_scope", None)
    if user is None or validate is None:
        return
    original = None
    if not instance._state.adding and instance.pk is not None:
        original = type(instance)._default_manager.filter(pk=instance.pk).first()
    validate(user, original, **related)


def changed(instance, original, field_name):
    """True if `field_name` (a foreign key) is being set: always on a create,
    otherwise when it differs from the database. Parents left as they were
    are not re-judged, so an edit never fails on a choice someone else made."""
    attname = instance._meta.get_field(field_name).attname
    return original is None or getattr(instance, attname) != getattr(original, attname)
