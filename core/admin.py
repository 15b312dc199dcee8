"""Admin for owners, plus the pieces every app's admin shares: the RAG column,
the accountable-item base class and the append-only behaviour of updates."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.forms import ScopeCheckMixin, add_conflict_error, many_to_many_data
from core.models import RAG, EditConflict, Owner
from core.permissions import user_scope
from core.services import save_with_services, services_for


def rag_badge(value):
    """The RAG word in a span a stylesheet can colour; the word is always there."""
    if not value:
        return "—"
    try:
        label = RAG(value).label
    except ValueError:
        label = value
    return format_html('<span class="rag rag-{}">{}</span>', value, label)


def rag_column(field_name="rag", description="RAG"):
    """A changelist column showing a RAG field as its word, sortable by the field."""

    @admin.display(description=description, ordering=field_name)
    def column(obj):
        return rag_badge(getattr(obj, field_name))

    column.__name__ = f"{field_name}_display"
    return column


rag_display = rag_column()

# Accountable fields, for fieldsets and inlines.
ACCOUNTABLE_FIELDS = ("rag", "owner", ("due_date", "due_wording"))
ACCOUNTABLE_INLINE_FIELDS = ("rag", "owner", "due_date", "due_wording")
OWNER_FILTER = ("owner", admin.RelatedOnlyFieldListFilter)


def scoped_form(form_class, user):
    """`form_class`, checking what it saves against `user`'s rights (core.scope)."""
    bases = (form_class,) if issubclass(form_class, ScopeCheckMixin) else (ScopeCheckMixin, form_class)
    return type(form_class.__name__, bases, {"scope_user": user})


class ScopedAdminMixin:
    """Saves made in the admin, its inlines' included, pass the same scope
    check as the app's pages, so a staff login who is not an administrator
    changes only what they could change in the app: model permissions alone
    would let a manager edit any programme's rows here. Administrators
    manage everything, so they pass."""

    def get_form(self, request, obj=None, **kwargs):
        return scoped_form(super().get_form(request, obj, **kwargs), request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form refuses a save made after someone else's; this catches the
        # one that lands in the moment between that check and the save. The
        # admin's transaction has rolled everything back by now.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            messages.error(
                request,
                f"{conflict.changed_by_name} saved this at the same moment, so your changes have not been saved. "
                "Check the page as it is now and make your change again.",
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            formset.form = scoped_form(formset.form, request.user)
            yield formset, inline

    # Programmes, workstreams, projects, recommendations and actions, here or
    # in an inline, are saved by their create and update services (see
    # core.services), like every other writer's. The form has already shown
    # any refusal; the services check again as they save.

    def save_model(self, request, obj, form, change):
        if services_for(type(obj)) is None:
            return super().save_model(request, obj, form, change)
        opened_at = form.cleaned_data.get("version")
        save_with_services(
            obj,
            user=request.user,
            expected_version=obj.version if opened_at is None else opened_at,
            m2m=many_to_many_data(form),
        )

    def save_related(self, request, form, formsets, change):
        if services_for(type(form.instance)) is None:
            return super().save_related(request, form, formsets, change)
        # The service has set the many-to-many fields (form.save_m2m would
        # undo what it added, such as a new programme's creator as manager).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if services_for(formset.model) is None:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # sorts the rows into new, changed and deleted
        for obj in formset.deleted_objects:
            obj.delete()
        for row in formset.saved_forms:
            save_with_services(
                row.instance, user=request.user, expected_version=row.instance.version, m2m=many_to_many_data(row)
            )


class AdministratorsOnlyInlineMixin:
    """An inline whose rows the scope check cannot judge (an automatic
    many-to-many table): only administrators change it; others see it."""

    def has_add_permission(self, request, obj=None):
        return user_scope(request.user).is_admin and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return user_scope(request.user).is_admin and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return user_scope(request.user).is_admin and super().has_delete_permission(request, obj)


class VersionedAdminForm(forms.ModelForm):
    """An admin change form that knows the version it was opened at, so a
    save after someone else's (in the admin or the app) is refused with what
    they changed, as the app's own forms do, instead of overwriting it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        opened_at = data.get("version")
        if self.instance.pk and opened_at is not None:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            if current is not None and current.version != opened_at:
                add_conflict_error(self, EditConflict(current, opened_at))
        return data


class AccountableAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Base for programmes, workstreams, projects, recommendations and actions:
    all have a RAG, an owner, a due date (with its original wording) and history."""

    form = VersionedAdminForm
    change_form_template = "admin/accountable_change_form.html"
    autocomplete_fields = ("owner",)
    date_hierarchy = "due_date"
    history_list_display = ("rag", "owner", "due_date")


class ReadOnlyAdminMixin:
    """For records only the application writes (revisions, issued packs,
    narrative updates): the admin finds and shows them, never changes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppendOnlyAdminMixin:
    """Updates are a record of what was said at the time: they can be added,
    and viewed, but never changed or deleted."""

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change and not obj.author_id and not obj.author_name:
            obj.author = request.user
        super().save_model(request, obj, form, change)


class AppendOnlyInlineMixin:
    """Inline form of updates: existing rows are shown read-only, new ones may be added."""

    extra = 0
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def stamp_update_authors(request, formset):
    """Record the admin user as the author of updates added through an inline."""
    for form in formset.forms:
        instance = form.instance
        is_new = instance._state.adding and form.has_changed()
        if is_new and hasattr(instance, "author_id") and not instance.author_id and not instance.author_name:
            instance.author = request.user


@admin.register(Owner)
class OwnerAdmin(admin.ModelAdmin):
    list_display = ("name", "full_name", "kind", "user", "email")
    list_filter = ("kind",)
    list_select_related = ("user",)
    search_fields = ("name", "full_name", "email")
    ordering = ("name",)
    autocomplete_fields = ("user",)
    filter_horizontal = ("members",)
    fieldsets = (
        (None, {"fields": ("name", "full_name", "kind", "email")}),
        ("Logins", {"fields": ("user", "members")}),
    )
