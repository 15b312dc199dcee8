"""Forms for drafting and editing a narrative programme update."""

from django import forms
from django.utils import timezone

from core.forms import ScopedModelForm, UKDateField, crispy_helper
from core.validators import validate_sensible_date
from programmes.models import NarrativeSection, NarrativeUpdate

LEVELS = [(1, "Workstream heading"), (2, "Project heading")]


class DraftNarrativeForm(forms.Form):
    period_start = UKDateField(label="Covers from", validators=[validate_sensible_date])
    period_end = UKDateField(
        label="Covers to",
        initial=timezone.localdate,
        validators=[validate_sensible_date],
        help_text="Each project's latest update whose period ends between these dates is drafted from.",
    )
    title = forms.CharField(
        max_length=NarrativeUpdate._meta.get_field("title").max_length,
        required=False,
        help_text="Left blank: “<programme name> update”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Draft the narrative update")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period cannot end before it starts.")
        return data


class NarrativeUpdateForm(ScopedModelForm):
    """The narrative's title and status. The version the manager opened travels
    in a hidden field: the update service refuses to save over someone else's
    save (sections included, as every save of them bumps the narrative's version)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = NarrativeUpdate
        fields = ["title", "status"]
        help_texts = {"status": "Final: read-only until a manager sets it back to draft."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper = crispy_helper("Save")
        self.helper.inputs = []  # one submit button for the header and the sections, in the template


class BaseNarrativeSectionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # As the highlight report's rows: a posted id that is not one of this
        # narrative's sections would be bound to a blank form and dropped.
        super().clean()
        if any(form.instance.pk is None for form in self.initial_forms):
            raise forms.ValidationError(
                "Only this narrative update's own sections can be changed here: reload the page."
            )

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        form.fields["ORDER"].help_text = "Change the numbers to reorder the headings."
        form.fields["DELETE"].label = "Remove this heading and its paragraphs"

    @property
    def sections_in_order(self):
        """The sections to keep, in the order posted (after is_valid())."""
        return [form.instance for form in self.ordered_forms]


NarrativeSectionFormSet = forms.inlineformset_factory(
    NarrativeUpdate,
    NarrativeSection,
    formset=BaseNarrativeSectionFormSet,
    fields=["heading", "level", "text"],
    widgets={
        "level": forms.Select(choices=LEVELS),
        "text": forms.Textarea(attrs={"rows": 6}),
    },
    labels={"level": "Kind of heading", "text": "Paragraphs"},
    help_texts={
        "level": "A workstream heading, or a project heading under one.",
        "text": "Leave a blank line between paragraphs: each is numbered (3.1, 3.2, …) when shown.",
    },
    extra=1,
    can_order=True,
    can_delete=True,
)
