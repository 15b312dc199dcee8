from itertools import groupby
from operator import attrgetter

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from actions.models import (
    ActionItem,
    ActionPlanSection,
    ActionUpdate,
    DueDateRevision,
    Recommendation,
    ReviewArea,
    Status,
)
from core.forms import OwnerChoiceField, UKDateField, UKDateInput, VersionedModelForm, crispy_helper
from core.models import RAG
from core.permissions import within_managed_programmes
from core.validators import validate_sensible_date
from programmes.models import Project, Workstream


class ActionUpdateForm(forms.Form):
    """A dated progress note, optionally changing RAG, status and due date.

    Only parses: actions.services.record_action_update applies the rules
    (no future dates, Complete status and RAG together, a reason for a new
    due date), and the view shows its refusals on these fields.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    update_date = UKDateField(label="Update as at", initial=timezone.localdate, validators=[validate_sensible_date])
    # Text fields come from the model's, so the form shows and checks the same limits.
    note = ActionUpdate._meta.get_field("note").formfield(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has happened since the last update.",
        error_messages={"required": "Write a progress note: an update without one tells the committee nothing."},
    )
    rag = forms.ChoiceField(label="RAG status", choices=RAG.choices)
    status = forms.ChoiceField(choices=Status.choices)
    completed_on = UKDateField(
        label="Completion date",
        required=False,
        validators=[validate_sensible_date],
        help_text="Needed when the status is Complete; today if left blank.",
    )
    due_date = UKDateField(label="Due date", required=False, validators=[validate_sensible_date])
    due_change_reason = DueDateRevision._meta.get_field("reason").formfield(
        label="Reason for changing the due date",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required if you change the due date. The original date is kept.",
    )
    author_name = ActionUpdate._meta.get_field("author_name").formfield(
        label="Written by (if not you)",
        help_text="When you enter someone else's update, their name: it shows as “entered by you for them”.",
    )

    def __init__(self, *args, action, **kwargs):
        self.action = action
        kwargs.setdefault(
            "initial",
            {"version": action.version, "rag": action.rag, "status": action.status, "due_date": action.due_date},
        )
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save update")


class _ByAreaIterator(ModelChoiceIterator):
    """Choices grouped under each recommendation's review and area."""

    def __iter__(self):
        for _, recommendations in groupby(self.queryset, key=attrgetter("area_id")):
            recommendations = list(recommendations)
            area = recommendations[0].area
            yield f"{area.review}: {area}", [self.choice(recommendation) for recommendation in recommendations]


class RecommendationsByArea(forms.ModelMultipleChoiceField):
    """Recommendations as checkboxes, grouped under their review and area.

    Ticking needs no Ctrl-click and works from the keyboard (Tab, Space).
    The queryset must be in area order (Recommendation's default ordering)
    and select the area and review, so the groups cost no extra query.
    """

    iterator = _ByAreaIterator
    widget = forms.CheckboxSelectMultiple


class ActionForm(VersionedModelForm):
    owner = OwnerChoiceField()

    class Meta:
        model = ActionItem
        fields = [
            "title",
            "description",
            "owner",
            "due_date",
            "due_wording",
            "rag",
            "recommendations",
            "section",
            "workstream",
            "project",
        ]
        widgets = {"due_date": UKDateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"recommendations": RecommendationsByArea}
        help_texts = {"recommendations": "Tick each recommendation this action answers (none, one or several)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only parents in programmes this user manages (and whatever the
        # action already has); ActionItem.validate_scope refuses the rest.
        action = self.instance
        perm = "actions.change_actionitem" if action.pk else "actions.add_actionitem"
        linked = action.recommendations.values("pk") if action.pk else ()
        choices = {
            "recommendations": (
                Recommendation.objects.select_related("area__review"),
                "area__review__action_plans__programme",
                linked,
            ),
            "section": (ActionPlanSection.objects.all(), "plan__programme", [action.section_id]),
            "workstream": (Workstream.objects.all(), "programme", [action.workstream_id]),
            "project": (Project.objects.all(), "workstream__programme", [action.project_id]),
        }
        for name, (queryset, via, keep) in choices.items():
            field = self.fields[name]
            field.queryset = within_managed_programmes(queryset, self.scope_user, perm, via, keep=keep)
            field.error_messages["invalid_choice"] = ActionItem.SCOPE_MESSAGES[name]
        self.fields["recommendations"].required = False
        # The RAG of an existing action changes through progress updates, so
        # every change comes with a note.
        if self.instance.pk:
            del self.fields["rag"]


class RecommendationForm(VersionedModelForm):
    owner = OwnerChoiceField()

    class Meta:
        model = Recommendation
        fields = ["area", "number", "text", "kind", "owner", "due_date", "due_wording", "rag"]
        widgets = {"due_date": UKDateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Areas of reviews delivered by a programme this user manages;
        # Recommendation.validate_scope refuses the rest.
        area = self.fields["area"]
        area.queryset = within_managed_programmes(
            ReviewArea.objects.select_related("review"),
            self.scope_user,
            "actions.change_recommendation",
            "review__action_plans__programme",
            keep=[self.instance.area_id] if self.instance.pk else (),
        )
        area.error_messages["invalid_choice"] = Recommendation.SCOPE_AREA
