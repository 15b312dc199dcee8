"""Form pieces shared by every edit screen."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import models
from django.forms.models import InlineForeignKeyField

from core.imports import CellProblem, parse_date
from core.models import EditConflict, Owner
from core.scope import check_scope
from core.services import save_with_services


class UKDateInput(forms.DateInput):
    """A date typed the way the council writes it, with a visible example.

    A text box rather than `type=date`, whose picker shows and asks for the
    browser's locale (mm/dd/yyyy in a US-English browser). It shows a date as
    31/07/2010; what was typed is shown again the same way if it reads as a
    date, and as typed if not, so the user can correct it.
    """

    input_type = "text"
    template_name = "core/widgets/uk_date.html"
    hint = "For example, 31/07/2010 or 31 July 2010"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})}, format="%d/%m/%Y")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = parse_date(value)
            except CellProblem:
                return value
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["hint"] = self.hint
        if input_id := widget["attrs"].get("id"):
            # Read out with the label, before any help text or error.
            widget["hint_id"] = f"{input_id}_format"
            described = [widget["hint_id"], widget["attrs"].get("aria-describedby")]
            widget["attrs"]["aria-describedby"] = " ".join(filter(None, described))
        return context


class UKDateField(forms.DateField):
    """A date written as 31/07/2010, 31/7/2010, 31-07-2010, 31.07.2010,
    31 July 2010, 31 Jul 2010 or 2010-07-31, read by the same parser as the
    spreadsheet imports (core.imports.parse_date). Never month first: a date
    that only reads as mm/dd/yyyy is refused."""

    widget = UKDateInput
    default_error_messages = {"invalid": "Enter a date like 31/07/2010 or 31 July 2010."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.date() if isinstance(value, datetime.datetime) else value
        try:
            return parse_date(str(value).strip())
        except CellProblem:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def uk_date_formfield(model_field, **kwargs):
    """A model form's field for `model_field`, reading dates as UKDateField."""
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", UKDateField)
    return model_field.formfield(**kwargs)


class OwnerChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Owner.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "The named officer or team accountable for it.")
        kwargs.setdefault("error_messages", {"invalid_choice": "Choose an owner from the list; that one is not known."})
        super().__init__(**kwargs)


class LoginForm(AuthenticationForm):
    """The login form, saying what went wrong in plain words (once, in the error summary)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your username and password didn\u2019t match. Please try again; both are case-sensitive.",
    }


def crispy_helper(submit_label):
    helper = FormHelper()
    helper.form_tag = False  # templates own the <form>, the CSRF token and the error summary
    helper.disable_csrf = True  # ...so crispy must not add a second token inside it
    # _error_summary.html lists form-wide errors; templates/bootstrap5/errors.html then leaves them out.
    helper.errors_in_summary = True
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
        try:
            check_scope(self.scope_user, self.instance, **many_to_many_data(self))
        except ValidationError as error:
            add_model_errors(self, error)

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

    def __init_subclass__(cls, **kwargs):
        # Every model form on the app's pages reads and shows dates the UK
        # way without each Meta saying so. This runs as the class is made,
        # before ModelFormMetaclass reads Meta to build the fields.
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(uk_date_formfield)

    def __init__(self, *args, user, **kwargs):
        self.scope_user = user
        super().__init__(*args, **kwargs)

    def save_checked(self, user):
        # Same interface as VersionedModelForm, for forms that are not versioned.
        return self.save()

    def _update_errors(self, errors):
        # A model rule may name a field this form does not show (the action
        # edit form has no RAG or status); Django would fail on such an error
        # rather than show it, so it goes at the top.
        if hasattr(errors, "error_dict"):
            shown = {}
            for field, messages in errors.error_dict.items():
                shown.setdefault(field if field in self.fields else NON_FIELD_ERRORS, []).extend(messages)
            errors = ValidationError(shown)
        super()._update_errors(errors)


class VersionedModelForm(ScopedModelForm):
    """An edit form for a programme, workstream, project, recommendation or
    action, saved through its model's create or update service (core.services).

    The form parses and shows errors; the rules are the model's and the
    service's, which every writer passes. The version the user loaded travels
    in a hidden field, so the update service refuses to overwrite someone
    else's save; on a conflict the form gets an error describing what changed
    while keeping everything the user typed.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = crispy_helper(self.submit_label)

    def save_checked(self, user):
        """The saved object, or None with the refusal shown on the form."""
        # Validation has already put the form's data on self.instance.
        try:
            return save_with_services(
                self.instance,
                user=user,
                expected_version=self.cleaned_data.get("version") or 0,
                m2m=many_to_many_data(self),
            )
        except EditConflict as conflict:
            self.add_conflict(conflict)
        except ValidationError as error:
            add_model_errors(self, error)
        return None

    def add_conflict(self, conflict):
        add_conflict_error(self, conflict)


def many_to_many_data(form):
    """The many-to-many values a model form would set, by field name."""
    return {
        field.name: form.cleaned_data[field.name]
        for field in form.instance._meta.many_to_many
        if field.name in form.cleaned_data
    }


def add_model_errors(form, error):
    """Show a refusal from a model, a service or a scope check on `form`: on
    the field it names when the form has that field, otherwise at the top
    (e.g. a programme fixed by the URL, or a rating the form does not show)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def add_conflict_error(form, conflict):
    """Explain the clash and re-arm the form at the current version, so a
    second submit (after merging) saves."""
    who = conflict.changed_by_name
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
