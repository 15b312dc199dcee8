from django import forms

from committees.models import AgendaItem, Meeting
from core.forms import DateInput, ScopedModelForm, crispy_helper
from programmes.models import HighlightReport


class MeetingForm(ScopedModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "time", "venue"]
        widgets = {"date": DateInput(), "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

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
            "exempt",
            "decision_maker",
            "decision_type",
            "chief_officer",
            "ward",
            "reason",
            "recommendations",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "recommendations": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
