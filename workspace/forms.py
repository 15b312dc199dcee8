"""Forms for the pages that cut across the apps: people and teams (owners)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from core.forms import VersionedModelForm
from core.models import Owner


class LoginChoiceMixin:
    """Logins named as people read them: “Pat Manager (pat)”."""

    def label_from_instance(self, user):
        full = user.get_full_name()
        return f"{full} ({user.get_username()})" if full else user.get_username()


class LoginChoiceField(LoginChoiceMixin, forms.ModelChoiceField):
    pass


class LoginsChoiceField(LoginChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def _logins():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class OwnerForm(VersionedModelForm):
    """A person or a team that items are owned by. Saved through
    core.services.create_owner / update_owner; the hidden version stops two
    managers silently overwriting each other's corrections."""

    user = LoginChoiceField(
        queryset=_logins(),
        required=False,
        label="Their login",
        help_text="For a named officer: the login they use, so their items appear in their My work.",
    )
    members = LoginsChoiceField(
        queryset=_logins(),
        required=False,
        label="Member logins",
        widget=forms.CheckboxSelectMultiple,
        help_text="For a team or role: the logins that act for it and may update its items.",
    )

    class Meta:
        model = Owner
        fields = ["name", "full_name", "kind", "post_title", "organisation", "email", "telephone", "user", "members"]
        labels = {"name": "Name, as the council writes it"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _logins()
        self.fields["user"].queryset = _logins()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Owner.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                format_html(
                    'There is already someone called “{}”{}: open <a href="{}">their page</a> to change them, '
                    "or tell the two apart in the name (e.g. “{} (Finance)”).",
                    clash.name,
                    f", {clash.post_title}" if clash.post_title else "",
                    clash.get_absolute_url(),
                    name,
                )
            )
        return name

    def clean_user(self):
        user = self.cleaned_data["user"]
        holder = Owner.objects.filter(user=user).exclude(pk=self.instance.pk).first() if user else None
        if holder is not None:
            raise forms.ValidationError(
                f"That login already belongs to someone else here, “{holder}”: unlink it from them first."
            )
        return user

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # Only what this save changes: older rows (a demo team with one login) still save.
        if kind == Owner.Kind.TEAM and data.get("user") and "user" in self.changed_data:
            self.add_error("user", "A team or role has member logins, not a login of its own: tick them below.")
        if kind == Owner.Kind.PERSON and data.get("members") and "members" in self.changed_data:
            self.add_error("members", "A named officer has one login of their own: choose it above instead.")
        return data
