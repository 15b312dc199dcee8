"""Forms for starting and editing a highlight report."""

from django import forms

from core.forms import ScopedModelForm, UKDateField, UKDateInput, crispy_helper
from core.validators import validate_sensible_date
from programmes.models import HighlightReport, HighlightReportRow


class StartReportForm(forms.Form):
    period_start = UKDateField(label="Reporting period from", validators=[validate_sensible_date])
    period_end = UKDateField(
        label="Reporting period to",
        validators=[validate_sensible_date],
        help_text=HighlightReport._meta.get_field("period_end").help_text,
    )

    # Hidden until the period chosen is one already published; then shown,
    # unticked, with the warning, so a new version is never drafted by accident.
    new_version = forms.BooleanField(
        label="Yes, draft a new version of that period", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, programme, **kwargs):
        """Offers the period after `programme`'s last published report (see
        HighlightReport.period_after), saying which period that was."""
        self.programme = programme
        last = HighlightReport.objects.last_published(programme)
        start, end = HighlightReport.period_after(last)
        kwargs.setdefault("initial", {"period_start": start, "period_end": end})
        super().__init__(*args, **kwargs)
        if last is not None:
            self.fields["period_start"].help_text = (
                f"The last published report covered {last.period_label}; this one starts the day after, "
                "unless you change it."
            )
        self.helper = crispy_helper("Draft the report")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The reporting period cannot end before it starts.")
        elif start and end and not data.get("new_version"):
            published = HighlightReport.objects.published().for_period(self.programme, start, end).first()
            if published is not None:
                self.fields["new_version"].widget = forms.CheckboxInput()
                self.add_error(
                    "new_version",
                    f"The report for {published.period_label} is already published (version "
                    f"{published.version_number}). Tick this box to draft a new version of it, which replaces "
                    "the published one when you publish it, or choose another period.",
                )
        return data


class PublishReportForm(forms.Form):
    """Publishing cannot be undone: the manager ticks that they know it."""

    confirm = forms.BooleanField(
        label="I understand that publishing freezes this version: it is what the committee sees, "
        "and it can no longer be changed (only corrected by a new version).",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": "Not published: tick the box to confirm that you want to publish this version."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Publish")


class CorrectReportForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control mb-1"}),
        max_length=HighlightReport._meta.get_field("correction_reason").max_length,
        help_text="Printed on the new version, e.g. “The RAG of the Libraries project was Amber, not Green.”",
        error_messages={"required": "Say why the report is being corrected: the reason prints on the new version."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Draft a correction")


class HighlightReportForm(ScopedModelForm):
    """The report's header narrative. Bound together with the rows formset, so
    the overall-RAG rule is checked against the row ratings being saved.

    As in core.forms.VersionedModelForm, the version the manager loaded
    travels in a hidden field: report_edit saves nothing if another manager
    (or a row left out, put back or a figure chosen) has moved it on since.
    """

    SECTION_FIELDS = ("include_benefits", "include_milestones")

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HighlightReport
        fields = [
            "title",
            "as_at",
            "management_summary",
            "overall_rag",
            "overall_rag_reason",
            "include_benefits",
            "include_milestones",
        ]
        widgets = {
            "as_at": UKDateInput(),
            "management_summary": forms.Textarea(attrs={"rows": 6}),
            "overall_rag_reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"as_at": "As at (if entered after the event)"}
        help_texts = {
            "as_at": "Printed in the header, e.g. “As at 18 January 2012”. The time it is published is recorded too.",
            "include_benefits": "A table of each project's savings and benefits: target and realised so far.",
            "include_milestones": "Key milestones due by the end of the next period, and those achieved in this one.",
        }

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.rows = rows
        self.helper = crispy_helper("Save draft")
        self.helper.inputs = []  # one submit button for header and rows, in the template

    def clean(self):
        data = super().clean()
        if self.rows.is_valid():
            self.instance.pending_row_ratings = [row.cleaned_data["rag"] for row in self.rows.forms]
        return data

    @property
    def sections_changed(self):
        """Whether a section was switched on or off: its lines are then copied afresh."""
        return any(name in self.changed_data for name in self.SECTION_FIELDS)


class BaseHighlightReportRowFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Django binds a posted row id it cannot find among this report's rows
        # to a blank row and then skips it when saving, so a tampered id
        # (another report's row) would be dropped without a word: refuse it.
        super().clean()
        if any(form.instance.pk is None for form in self.initial_forms):
            raise forms.ValidationError("Only this report's own rows can be changed here: reload the page.")


HighlightReportRowFormSet = forms.inlineformset_factory(
    HighlightReport,
    HighlightReportRow,
    formset=BaseHighlightReportRowFormSet,
    fields=["key_progress", "risks_issues", "next_tasks", "rag"],
    widgets={
        "key_progress": forms.Textarea(attrs={"rows": 4}),
        "risks_issues": forms.Textarea(attrs={"rows": 3}),
        "next_tasks": forms.Textarea(attrs={"rows": 3}),
    },
    extra=0,
    can_delete=False,
)
