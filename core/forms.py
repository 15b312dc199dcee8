"""Form pieces shared by every edit screen."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.forms.models import InlineForeignKeyField

from core.models import EditConflict, Owner
from core.scope import add_scope_error, check_scope
from core.validators import EARLIEST_DATE, LATEST_DATE


class DateInput(forms.DateInput):
    """A date picker offering only the dates validate_sensible_date accepts."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        bounds = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        super().__init__(attrs={**bounds, **(attrs or {})}, format="%Y-%m-%d", **kwargs)


class OwnerChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Owner.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "The named officer or team accountable for it.")
        kwargs.setdefault("error_messages", {"invalid_choice": "Choose an owner from the list; that one is not known."})
        super().__init__(**kwargs)


def crispy_helper(submit_label):
    helper = FormHelper()
    helper.form_tag = False  # templates own the <form>, the CSRF token and the error summary
    helper.add_input(Submit("submit", submit_label))
    return helper


class ScopeCheckMixin:
    """Refuses, as part of validation, a save the user may not make.

    The access helper checked the object the user opened; this checks what
    the form would save (its new programme, workstream, review, meeting)
    with the rule every writer shares, core.scope.check_scope. A refusal is
    a form error on the field to blame, so nothing is saved and the user sees
    why. `scope_user` is whose rights apply: app forms take it as `user=`,
    the admin sets it per request.
    """

    scope_user = None

    def _post_clean(self):
        super()._post_clean()  # the instance now holds what would be saved
        if self._errors or not self._saves_something():
            return
        if self.scope_user is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs the user whose rights apply.")
        related = {
            field.name: self.cleaned_data[field.name]
            for field in self.instance._meta.many_to_many
            if field.name in self.cleaned_data
        }
        try:
            check_scope(self.scope_user, self.instance, **related)
        except ValidationError as error:
            add_scope_error(self, error)

    def _saves_something(self):
        """An admin inline row left as it was is not saved; a row under a
        parent created in the same request is judged by the parent's check
        (its parent has no programme until it is saved)."""
        for field in self.fields.values():
            if isinstance(field, InlineForeignKeyField):
                if field.parent_instance._state.adding:
                    return False
                if self.instance.pk and not self.has_changed():
                    return False
        return True


class ScopedModelForm(ScopeCheckMixin, forms.ModelForm):
    """A model form for the app's pages: `user` is required, both to check the
    save and to offer only the choices that user may make."""

    def __init__(self, *args, user, **kwargs):
        self.scope_user = user
        super().__init__(*args, **kwargs)

    def save_checked(self, user):
        # Same interface as VersionedModelForm, for forms that are not versioned.
        return self.save()


class VersionedModelForm(ScopedModelForm):
    """An edit form that refuses to overwrite someone else's save.

    The version the user loaded travels in a hidden field; saving goes through
    `save_if_unchanged`, and on a conflict the form gets an error describing
    what changed while keeping everything the user typed.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = crispy_helper(self.submit_label)

    def save_checked(self, user):
        instance = self.save(commit=False)
        instance._history_user = user
        if instance.pk:
            try:
                instance.save_if_unchanged(self.cleaned_data.get("version") or 0)
            except EditConflict as conflict:
                self.add_conflict(conflict)
                return None
        else:
            instance.save()
        self.save_m2m()
        return instance

    def add_conflict(self, conflict):
        add_conflict_error(self, conflict)


def add_conflict_error(form, conflict):
    """Explain the clash and re-arm the form at the current version, so a
    second submit (after merging) saves."""
    who = conflict.changed_by
    who = (who.get_full_name() or who.get_username()) if who else "Someone else"
    changes = conflict.changes()
    detail = "; ".join(f"{label}: {old} → {new}" for label, old, new in changes) or "details not available"
    form.add_error(
        None,
        f"{who} saved this while you were editing it, so your changes have not been saved. "
        f"What they changed: {detail}. Your text is still below: check it against theirs and save again.",
    )
    form.conflict = conflict
    data = form.data.copy()
    data["version"] = conflict.current.version
    form.data = data


def save_from_request(request, form, message):
    """Validate and save a VersionedModelForm for `request.user`.

    Returns the saved object (after adding a success message), or None when
    the page should be shown again with the form's errors.
    """
    from django.contrib import messages

    if request.method != "POST" or not form.is_valid():
        return None
    instance = form.save_checked(request.user)
    if instance is not None:
        messages.success(request, message.format(obj=instance))
    return instance
