from django import forms
from django.conf import settings

from committees.models import AgendaItem, Meeting, Minute, ReportAppendix, ReportParagraph
from core.forms import OwnerChoiceField, ScopedModelForm, UKDateField, UKDateInput, VersionedModelForm, crispy_helper
from programmes.models import HighlightReport, NarrativeUpdate, Programme


class MeetingForm(ScopedModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "time", "venue", "papers_as_at", "addressed_to", "summons", "signatory", "signatory_title"]
        widgets = {
            "date": UKDateInput(),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "papers_as_at": UKDateInput(),
            "summons": forms.Textarea(attrs={"rows": 3}),
        }
        # "Papers as at", not "Papers dated": the meeting's own Date is the field labelled so.
        labels = {"papers_as_at": "Papers as at"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save meeting")

    def clean_date(self):
        date = self.cleaned_data["date"]
        clash = Meeting.objects.filter(committee=self.instance.committee_id, date=date).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This committee already has a meeting on that date.")
        return date


class AgendaItemForm(ScopedModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "number",
            "title",
            "report_number",
            "contact_officer",
            "pages",
            "description",
            "minutes_of",
            "exempt",
            "decision_maker",
            "decision_type",
            "chief_officer",
            "ward",
            "reason",
            "recommendations",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the committee's earlier meetings (AgendaItem.clean says so to any other writer).
        meeting = self.instance.meeting
        self.fields["minutes_of"].queryset = Meeting.objects.before(meeting).order_by("-date")
        self.fields["minutes_of"].label = "Minutes of the meeting held on"
        self.fields["minutes_of"].error_messages["invalid_choice"] = AgendaItem.MINUTES_OF_EARLIER
        self.helper = crispy_helper("Save agenda item")

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = AgendaItem.objects.filter(meeting=self.instance.meeting_id, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This meeting already has an agenda item with that number.")
        return number


class MeetingPackForm(ScopedModelForm):
    """What goes into a meeting's committee pack: the published highlight
    reports presented and the agenda item whose cover sheet opens it."""

    class Meta:
        model = Meeting
        fields = ["reports", "pack_item"]
        labels = {"reports": "Published highlight reports to attach", "pack_item": "Cover sheet from agenda item"}
        help_texts = {
            "pack_item": "Used only while no agenda item has a report of its own: once one does, the pack prints "
            "every Part 1 report in agenda order, each with its own cover."
        }
        widgets = {"reports": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only published reports can go to committee: drafts may still change.
        self.fields["reports"].queryset = (
            HighlightReport.objects.published().select_related("programme").order_by("programme__name", "-period_end")
        )
        self.fields["reports"].required = False
        self.fields["pack_item"].queryset = self.instance.agenda_items.all()
        self.helper = crispy_helper("Save pack contents")


# --- Reports to committee (issue 11): the cover sheet, commentary and appendices ---

COVER_GROUPS = [
    (
        "The report",
        [
            "has_report",
            "report_number",
            "exempt",
            "exempt_reason",
            "title",
            "decision_maker",
            "decision_type",
            "contact_officer",
            "contact_telephone",
            "contact_email",
            "chief_officer",
            "ward",
            "reason",
            "recommendations",
        ],
    ),
    ("Corporate Policy", ["policy_status", "bbb_priority"]),
    ("Financial", ["cost_of_proposal", "ongoing_costs", "budget_head", "total_current_budget", "source_of_funding"]),
    ("Staff", ["staff_number", "staff_hours"]),
    ("Legal", ["legal_requirement", "call_in"]),
    ("Customer Impact", ["customer_impact"]),
    ("Ward Councillor Views", ["ward_councillors_asked", "ward_councillors_comments"]),
    ("4. Policy implications", ["policy_implications"]),
    ("5. Financial implications", ["financial_implications"]),
    ("6. Legal implications", ["legal_implications"]),
    ("7. Personnel implications", ["personnel_implications"]),
    ("Non-Applicable Sections", ["non_applicable_sections"]),
    ("Background Documents", ["background_documents"]),
]
COVER_FIELDS = [name for _, names in COVER_GROUPS for name in names]


class ReportCoverForm(ScopedModelForm):
    """The report's cover sheet. AgendaItem is not versioned: a hidden
    fingerprint of the cover as the clerk loaded it refuses a save over
    someone else's since (AgendaItem.cover_fingerprint)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AgendaItem
        fields = COVER_FIELDS
        textareas = [
            "reason",
            "recommendations",
            "cost_of_proposal",
            "ongoing_costs",
            "customer_impact",
            "ward_councillors_comments",
            "policy_implications",
            "financial_implications",
            "legal_implications",
            "personnel_implications",
            "background_documents",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in textareas}
        help_texts = {"recommendations": "One per line; numbered 2.1, 2.2 … on print."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fingerprint"].initial = self.instance.cover_fingerprint()

    def groups(self):
        return [(heading, [self[name] for name in names]) for heading, names in COVER_GROUPS]

    def clean(self):
        cleaned = super().clean()
        current = AgendaItem.objects.get(pk=self.instance.pk).cover_fingerprint()
        if cleaned.get("fingerprint") != current:
            raise forms.ValidationError(
                "Someone else saved this report's cover since you opened it. Reload the page to see their changes, "
                "then make yours again."
            )
        return cleaned


class ReportParagraphForm(forms.Form):
    kind = forms.ChoiceField(choices=ReportParagraph.Kind.choices, initial=ReportParagraph.Kind.PARAGRAPH)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    position = forms.IntegerField(
        min_value=1, required=False, help_text="Insert at this place in the commentary (leave blank for the end)."
    )


class ReportAppendixForm(forms.ModelForm):
    """An appendix to add. An uploaded paper's file is checked by the model
    (ReportAppendix.clean: a readable, unencrypted PDF within the size limit),
    so the form is multipart."""

    position = forms.IntegerField(min_value=1, required=False, help_text="Leave blank to add at the end.")

    class Meta:
        model = ReportAppendix
        fields = ["kind", "title", "highlight_report", "narrative", "programme", "open_only", "at_risk_only", "file"]
        labels = {"file": "PDF file (for an uploaded paper)"}
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["highlight_report"].queryset = (
            HighlightReport.objects.published().select_related("programme").order_by("programme__name", "-period_end")
        )
        # Only final narrative updates, as only published highlight reports: a draft may still change.
        self.fields["narrative"].queryset = NarrativeUpdate.objects.final().select_related("programme")
        self.fields["narrative"].label = "Final narrative programme update"
        self.fields["narrative"].error_messages["invalid_choice"] = ReportAppendix.NARRATIVE_NOT_FINAL
        self.fields["programme"].queryset = Programme.objects.order_by("name")
        self.fields["file"].help_text = (
            f"A paper produced elsewhere, as a PDF of at most {settings.APPENDIX_UPLOAD_MAX_MB} MB without a password: "
            "its pages are printed in the report and the pack."
        )


# --- Minutes of a meeting (issue 11) ---


class MinuteForm(VersionedModelForm):
    """A minute; its number is checked against the whole committee's minutes
    (Minute.clean), so a clash shows on the number field. Saved through
    committees.services with the version the clerk opened."""

    submit_label = "Save minute"

    class Meta:
        model = Minute
        fields = ["number", "title", "agenda_item", "text", "resolved"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), "resolved": forms.Textarea(attrs={"rows": 3})}
        labels = {"resolved": "RESOLVED that …"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=self.instance.meeting_id)


class MinutedActionForm(forms.Form):
    """An action recorded under a minute (committees.services.record_minuted_action)."""

    title = forms.CharField(max_length=300, help_text="A short summary, as the matters arising table shows it.")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Decision/agreement",
        help_text="As minuted; leave blank to use the minute's resolution.",
    )
    owner = OwnerChoiceField(required=True, label="Action by")
    due_date = UKDateField(label="Completion date")
    due_wording = forms.CharField(
        max_length=300, required=False, label="Completion date as written", help_text="e.g. “June 2010”."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Record action")
