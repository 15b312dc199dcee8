import re
from decimal import Decimal

from django import forms
from django.utils import timezone

from core.forms import OwnerChoiceField, UKDateField, UKDateInput, VersionedModelForm, crispy_helper
from core.models import RAG
from core.permissions import within_managed_programmes
from core.validators import validate_sensible_date
from programmes.models import (
    Benefit,
    BenefitRealisation,
    Funder,
    FundingKind,
    Milestone,
    MilestoneStatus,
    Programme,
    Project,
    ProjectStage,
    ProjectStatus,
    ProjectUpdate,
    Risk,
    RiskStatus,
    Workstream,
    financial_year_label,
)


class ProjectUpdateForm(forms.Form):
    """One reporting period's narrative: the raw material of a highlight report.

    Only parses: ProjectUpdate.clean keeps the period in order and out of the
    future, and programmes.services.record_project_update applies it.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    period_start = UKDateField(label="Covers from", required=False, validators=[validate_sensible_date])
    period_end = UKDateField(label="Covers to", initial=timezone.localdate, validators=[validate_sensible_date])
    # Text fields come from the model's, so the form shows and checks the same limits.
    key_progress = ProjectUpdate._meta.get_field("key_progress").formfield(
        label="Key progress during the period",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe the key progress during the period."},
    )
    risks_issues = ProjectUpdate._meta.get_field("risks_issues").formfield(
        label="Risks and issues to be raised for information or escalated",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_tasks = ProjectUpdate._meta.get_field("next_tasks").formfield(
        label="Tasks planned for next period", widget=forms.Textarea(attrs={"rows": 4})
    )
    rag = forms.ChoiceField(label="RAG status", choices=RAG.choices)
    author_name = ProjectUpdate._meta.get_field("author_name").formfield(
        label="Written by (if not you)",
        help_text="When you enter someone else's update, their name: it shows as “entered by you for them”.",
    )

    def __init__(self, *args, project, **kwargs):
        self.project = project
        kwargs.setdefault("initial", {"version": project.version, "rag": project.rag})
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save update")


class ProgrammeForm(VersionedModelForm):
    owner = OwnerChoiceField()

    class Meta:
        model = Programme
        fields = [
            "name",
            "ref",
            "description",
            "sponsor",
            "owner",
            "report_authors",
            "stage",
            "start_date",
            "start_wording",
            "due_date",
            "due_wording",
            "rag",
            "management_summary",
            "open_data_public",
        ]
        labels = {"due_date": "Proposed end date", "due_wording": "Proposed end date as written", "rag": "Overall RAG"}
        widgets = {"start_date": UKDateInput(), "due_date": UKDateInput()}


class WorkstreamForm(VersionedModelForm):
    owner = OwnerChoiceField()

    class Meta:
        model = Workstream
        fields = ["name", "ref", "description", "owner", "stage", "due_date", "due_wording", "rag", "position"]
        widgets = {"due_date": UKDateInput()}

    def clean_name(self):
        # The programme is set by the view, not the form, so Django's own
        # unique-constraint check would skip this one.
        name = self.cleaned_data["name"]
        clash = Workstream.objects.filter(programme=self.instance.programme_id, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This programme already has a workstream with that name.")
        return name


class ProjectForm(VersionedModelForm):
    owner = OwnerChoiceField()

    class Meta:
        model = Project
        fields = [
            "workstream",
            "name",
            "ref",
            "description",
            "owner",
            "due_date",
            "due_wording",
            "rag",
            "position",
            "shared_with",
        ]
        widgets = {"due_date": UKDateInput(), "shared_with": forms.CheckboxSelectMultiple}
        labels = {"shared_with": "Also reported by (shared with other programmes)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sharing into other programmes' workstreams: those this manager also
        # manages, and any it is shared into already (Project.validate_scope).
        shared = self.fields["shared_with"]
        shared.queryset = within_managed_programmes(
            Workstream.objects.select_related("programme").order_by("programme__name", "position", "name"),
            self.scope_user,
            "programmes.change_project",
            "programme",
            keep=list(self.instance.shared_with.values_list("pk", flat=True)) if self.instance.pk else (),
        )
        if self.instance.pk:
            shared.queryset = shared.queryset.exclude(programme=self.instance.workstream.programme_id)
        shared.label_from_instance = lambda ws: f"{ws.programme}: {ws}"
        shared.error_messages["invalid_choice"] = Project.SCOPE_SHARED
        shared.help_text = "The project appears under these workstreams too, and in their highlight reports."
        # Workstreams of every programme this user manages, so a manager of
        # several can move a project between them; Project.validate_scope
        # refuses any other.
        workstream = self.fields["workstream"]
        workstream.queryset = within_managed_programmes(
            Workstream.objects.select_related("programme"),
            self.scope_user,
            "programmes.change_project" if self.instance.pk else "programmes.add_project",
            "programme",
            keep=[self.instance.workstream_id] if self.instance.pk else (),
        )
        workstream.label_from_instance = lambda ws: f"{ws.programme}: {ws}"
        workstream.error_messages["invalid_choice"] = Project.SCOPE_WORKSTREAM
        if self.instance.pk:
            del self.fields["rag"]  # changes through project updates, with a narrative


class ProjectStatusForm(forms.Form):
    """Close a project, put it on hold, or resume or reopen it.

    Only parses: programmes.services.change_project_status applies it, and
    Project.clean requires the closing date and note of a closed project.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ProjectStatus.choices, widget=forms.RadioSelect)
    stage = forms.ChoiceField(
        choices=[choice for choice in ProjectStage.choices if choice[0] != ProjectStage.CLOSED],
        help_text="Where an active or on-hold project is in its life.",
    )
    closed_on = UKDateField(label="Closing date", required=False, validators=[validate_sensible_date])
    closure_note = Project._meta.get_field("closure_note").formfield(
        label="Closure note", widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, project, **kwargs):
        self.project = project
        stage = ProjectStage.IMPLEMENTATION if project.is_closed else project.stage
        kwargs.setdefault(
            "initial",
            {
                "version": project.version,
                "status": project.status,
                "stage": stage,
                "closed_on": project.closed_on or timezone.localdate(),
                "closure_note": project.closure_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save stage and status")


# --- The project initiation document ---------------------------------------------


class ProjectInitiationForm(VersionedModelForm):
    """The PID's narrative sections: what the project is for, its bounds, what
    it leans on, and how it is governed. Saved through update_project."""

    class Meta:
        model = Project
        fields = [
            "start_date",
            "start_wording",
            "objectives",
            "scope",
            "exclusions",
            "dependencies",
            "assumptions",
            "constraints_note",
            "governance",
        ]
        labels = {"scope": "In scope", "exclusions": "Specific exclusions"}
        widgets = {
            "start_date": UKDateInput(),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in fields[2:]},
        }


# --- Funding, benefits and savings --------------------------------------------------


class PoundsField(forms.DecimalField):
    """An amount in pounds as people type it: “83333”, “£83,333” or “83,333.50”."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": "Enter an amount in pounds, e.g. 83333 or £83,333.50.",
        "min_value": "Enter an amount of £0 or more.",
        "max_decimal_places": "Enter whole pence at most, e.g. £83,333.50.",
        "max_digits": "Enter an amount below £1,000,000,000,000.",
        "max_whole_digits": "Enter an amount below £1,000,000,000,000.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text box, not a number box, so “£” and commas can be typed.
        return {"inputmode": "decimal"}

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[£,\s]", "", value)
        return super().to_python(value)

    def prepare_value(self, value):
        # Whole pounds shown without “.00”, so an unchanged form reads as it was typed.
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return super().prepare_value(value)


class FinancialYearField(forms.Field):
    """A financial year as the council writes it, “2012/13” (or “2012”),
    held as the year it starts."""

    default_error_messages = {"invalid": "Enter a financial year such as 2012/13."}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "e.g. 2012/13.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return financial_year_label(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        start = int(match[1])
        if match[2] and int(match[2]) % 100 != (start + 1) % 100:
            raise forms.ValidationError("A financial year runs into the next year, e.g. 2012/13.", code="invalid")
        if not 2000 <= start <= 2100:
            raise forms.ValidationError("Enter a financial year between 2000/01 and 2100/01.", code="invalid")
        return start


class ProjectFundingForm(VersionedModelForm):
    """The project's funding totals (PID 1.7), saved through update_project."""

    total_cost = PoundsField(label="Total project cost (£)")
    capital_funding = PoundsField(label="Capital funding requested (£)")
    revenue_funding = PoundsField(label="Revenue funding requested (£)")
    submit_label = "Save funding"

    class Meta:
        model = Project
        fields = ["total_cost", "capital_funding", "revenue_funding", "funding_note"]


class FunderForm(VersionedModelForm):
    """A match funder (PID 3.1): who, how much, and whether it is secured."""

    amount = PoundsField(label="Amount (£)")
    submit_label = "Save funder"

    class Meta:
        model = Funder
        fields = ["partner", "amount", "kind", "secured", "decision_wording", "decision_date", "note"]
        labels = {"partner": "Funder", "kind": "Capital or revenue"}
        widgets = {"decision_date": UKDateInput()}
        help_texts = {"decision_date": "The real date, for sorting and reminders."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Not stated"), *FundingKind.choices]

    def clean(self):
        # The project is set by the view, so Django's unique check would skip it.
        data = super().clean()
        clash = Funder.objects.filter(
            project=self.instance.project_id, partner=data.get("partner"), kind=data.get("kind", "")
        ).exclude(pk=self.instance.pk)
        if data.get("partner") and clash.exists():
            self.add_error("partner", "This funder is already listed for this project with that kind of funding.")
        return data


class SpendProfileForm(forms.Form):
    """PID 3.2 and 3.3 as one grid: a row per project year, a column per
    quarter, for capital and for revenue, in pounds. Only parses:
    programmes.services.save_spend_profile saves it, all or nothing."""

    EXTRA_YEARS = 1
    MIN_YEARS = 2

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project, entries, **kwargs):
        self.project = project
        last_year = max((entry.year for entry in entries), default=0)
        self.years = range(1, min(max(last_year + self.EXTRA_YEARS, self.MIN_YEARS), 20) + 1)
        initial = {self.field_name(e.kind, e.year, e.quarter): e.amount for e in entries}
        kwargs.setdefault("initial", {**initial, "fingerprint": entries.fingerprint()})
        super().__init__(*args, **kwargs)
        for kind, label in FundingKind.choices:
            for year in self.years:
                for quarter in range(1, 5):
                    self.fields[self.field_name(kind, year, quarter)] = PoundsField(
                        label=f"{label}, year {year}, quarter {quarter} (£)"
                    )

    @staticmethod
    def field_name(kind, year, quarter):
        return f"{kind}-{year}-q{quarter}"

    def grid(self):
        """[(kind label, [(year, [bound field per quarter])])], for the template."""
        return [
            (label, [(year, [self[self.field_name(kind, year, q)] for q in range(1, 5)]) for year in self.years])
            for kind, label in FundingKind.choices
        ]

    def amounts(self):
        """{(kind, year, quarter): Decimal or None}, as save_spend_profile takes them."""
        return {
            (kind, year, quarter): self.cleaned_data[self.field_name(kind, year, quarter)]
            for kind in FundingKind.values
            for year in self.years
            for quarter in range(1, 5)
        }


class BenefitForm(VersionedModelForm):
    """A benefit or saving: a target in pounds, or a percentage (or range) of a
    stated base; Benefit.clean checks the percentages and their base."""

    target_amount = PoundsField(label="Target (£)", help_text="Leave blank for a target given as a percentage.")
    financial_year = FinancialYearField(required=False, label="Financial year")
    submit_label = "Save benefit"

    class Meta:
        model = Benefit
        fields = [
            "type",
            "description",
            "target_amount",
            "at_least",
            "target_percent_low",
            "target_percent_high",
            "percent_of",
            "target_wording",
            "financial_year",
            "position",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RealisationForm(VersionedModelForm):
    """An amount of a benefit realised in a financial year."""

    financial_year = FinancialYearField(label="Financial year")
    amount = PoundsField(required=True, label="Realised (£)")
    submit_label = "Save amount realised"

    class Meta:
        model = BenefitRealisation
        fields = ["financial_year", "amount", "recorded_on", "note"]
        labels = {"recorded_on": "Date recorded"}
        widgets = {"recorded_on": UKDateInput()}


class RemoveForm(forms.Form):
    """Confirms a removal; the version the user saw travels with it."""

    version = forms.IntegerField(widget=forms.HiddenInput)


# --- Milestones and the risk and issue register -------------------------------------


class MilestoneForm(VersionedModelForm):
    """A project's milestone, added or changed by its programme's managers
    (programmes.services.create_milestone / update_milestone)."""

    owner = OwnerChoiceField(label="Responsible officer", help_text="The named officer or team who answers for it.")

    class Meta:
        model = Milestone
        fields = [
            "number",
            "stage",
            "name",
            "due_wording",
            "due_date",
            "owner",
            "status",
            "achieved_on",
            "rag",
            "position",
            "key",
        ]
        labels = {
            "name": "Milestone",
            "due_wording": "Target date as written",
            "due_date": "Target date",
            "achieved_on": "Date achieved",
        }
        help_texts = {
            "due_wording": "As the plan writes it, e.g. “June 2010”, “Q3 2010/11”.",
            "due_date": "The real date used to decide whether it is overdue.",
            "achieved_on": "Only for an achieved milestone.",
            "rag": "An achieved milestone is rated Complete.",
        }
        widgets = {"due_date": UKDateInput(), "achieved_on": UKDateInput()}


class MilestoneProgressForm(forms.Form):
    """Progress on a milestone, by its responsible officer, the project's
    owner or a manager. Only parses: Milestone.clean and
    programmes.services.record_milestone_progress apply the rules."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=MilestoneStatus.choices)
    achieved_on = UKDateField(
        label="Date achieved",
        required=False,
        validators=[validate_sensible_date],
        help_text="Needed when it is achieved.",
    )
    rag = forms.ChoiceField(
        label="RAG status",
        choices=[choice for choice in RAG.choices if choice[0] != RAG.COMPLETE],
        required=False,
        help_text="An achieved milestone is rated Complete.",
    )
    due_date = UKDateField(label="Target date", required=False, validators=[validate_sensible_date])
    due_wording = forms.CharField(
        label="Target date as written",
        max_length=Milestone._meta.get_field("due_wording").max_length,
        required=False,
        help_text="Change these to record a revised target.",
    )

    def __init__(self, *args, milestone, **kwargs):
        self.milestone = milestone
        rag = "" if milestone.rag == RAG.COMPLETE else milestone.rag
        kwargs.setdefault(
            "initial",
            {
                "version": milestone.version,
                "status": milestone.status,
                "achieved_on": milestone.achieved_on,
                "rag": rag,
                "due_date": milestone.due_date,
                "due_wording": milestone.due_wording,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save progress")


class RiskForm(VersionedModelForm):
    """A line of a project's risk and issue register, added or changed by its
    programme's managers; a new one is offered the register's next number."""

    owner = OwnerChoiceField(label="Responsible officer", help_text="The named officer or team who answers for it.")

    class Meta:
        model = Risk
        fields = [
            "number",
            "kind",
            "description",
            "probability",
            "impact",
            "mitigation",
            "owner",
            "status",
            "raised_on",
            "closed_on",
            "escalated",
        ]
        labels = {"closed_on": "Date closed", "escalated": "Escalated to the programme"}
        widgets = {
            "raised_on": UKDateInput(),
            "closed_on": UKDateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            if self.initial.get("number") is None:
                self.initial["number"] = Risk.objects.next_number(self.instance.project_id)
            self.fields["number"].help_text = "The next number in this register is suggested."

    def clean_number(self):
        # The project is set by the view, not the form, so Django's own
        # unique-constraint check would skip this one.
        number = self.cleaned_data["number"]
        clash = Risk.objects.filter(project=self.instance.project_id, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"This project's register already has a risk or issue numbered {number}.")
        return number


class RiskProgressForm(forms.Form):
    """Where a risk stands, by its responsible officer, the project's owner
    or a manager (programmes.services.record_risk_progress)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=RiskStatus.choices)
    closed_on = UKDateField(
        label="Date closed",
        required=False,
        validators=[validate_sensible_date],
        help_text="Left blank when closing it: today.",
    )
    mitigation = Risk._meta.get_field("mitigation").formfield(
        label="Mitigating actions", widget=forms.Textarea(attrs={"rows": 4})
    )
    escalated = forms.BooleanField(
        label="Escalated to the programme",
        required=False,
        help_text="Escalated open risks are offered to the highlight report's risks and issues.",
    )

    def __init__(self, *args, risk, **kwargs):
        self.risk = risk
        kwargs.setdefault(
            "initial",
            {
                "version": risk.version,
                "status": risk.status,
                "closed_on": risk.closed_on,
                "mitigation": risk.mitigation,
                "escalated": risk.escalated,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save")


# --- Moving a project, sharing it with another programme ---------------------------


class ProjectMoveForm(forms.Form):
    """Move a project to another workstream, of its programme or another the
    manager manages. Only parses: programmes.services.move_project records the
    move and its reason in the project's history, and Project.validate_scope
    refuses a workstream outside the manager's programmes."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    workstream = forms.ModelChoiceField(
        queryset=Workstream.objects.none(),
        label="Move to workstream",
        error_messages={"invalid_choice": Project.SCOPE_WORKSTREAM},
    )
    reason = forms.CharField(
        label="Reason for the move",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the project's history, e.g. “Taken over by the Shared Services programme”.",
        error_messages={"required": "Say why the project is moving: it is kept in the project's history."},
    )

    def __init__(self, *args, project, user, **kwargs):
        self.project = project
        kwargs.setdefault("initial", {"version": project.version})
        super().__init__(*args, **kwargs)
        workstream = self.fields["workstream"]
        workstream.queryset = within_managed_programmes(
            Workstream.objects.select_related("programme").exclude(pk=project.workstream_id),
            user,
            "programmes.change_project",
            "programme",
        ).order_by("programme__name", "position", "name")
        workstream.label_from_instance = lambda ws: f"{ws.programme}: {ws}"
        self.helper = crispy_helper("Move the project")
