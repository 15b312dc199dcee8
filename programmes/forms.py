from django import forms
from django.utils import timezone

from core.forms import DateInput, OwnerChoiceField, VersionedModelForm, crispy_helper
from core.models import RAG
from core.permissions import within_managed_programmes
from core.validators import validate_sensible_date
from programmes.models import Programme, Project, ProjectStage, ProjectStatus, ProjectUpdate, Workstream


class ProjectUpdateForm(forms.Form):
    """One reporting period's narrative: the raw material of a highlight report.

    Only parses: ProjectUpdate.clean keeps the period in order and out of the
    future, and programmes.services.record_project_update applies it.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    period_start = forms.DateField(
        label="Covers from", widget=DateInput(), required=False, validators=[validate_sensible_date]
    )
    period_end = forms.DateField(
        label="Covers to", widget=DateInput(), initial=timezone.localdate, validators=[validate_sensible_date]
    )
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
        ]
        labels = {"due_date": "Proposed end date", "due_wording": "Proposed end date as written", "rag": "Overall RAG"}
        widgets = {"start_date": DateInput(), "due_date": DateInput()}


class WorkstreamForm(VersionedModelForm):
    owner = OwnerChoiceField()

    class Meta:
        model = Workstream
        fields = ["name", "ref", "description", "owner", "stage", "due_date", "due_wording", "rag", "position"]
        widgets = {"due_date": DateInput()}

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
        fields = ["workstream", "name", "ref", "description", "owner", "due_date", "due_wording", "rag", "position"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
    closed_on = forms.DateField(
        label="Closing date", widget=DateInput(), required=False, validators=[validate_sensible_date]
    )
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
            "start_date": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in fields[2:]},
        }
