"""Forms for partner organisations and their roles on programmes and projects."""

from django import forms

from core.forms import UKDateInput, VersionedModelForm
from programmes.forms import PoundsField
from programmes.models import Partner, Partnership


class PartnerForm(VersionedModelForm):
    submit_label = "Save partner"

    class Meta:
        model = Partner
        fields = ["name", "short_name", "ref", "kind"]


class PartnershipForm(VersionedModelForm):
    """A partner's role on the programme or project the view sets: lead,
    partner, funder or one that may join later (from a date or on a
    condition), and its share of costs or savings where the papers give it."""

    cost_share = PoundsField(label="Share of costs (£)")
    savings_share = PoundsField(label="Share of savings (£)")
    submit_label = "Save partner's role"

    class Meta:
        model = Partnership
        fields = [
            "partner",
            "role",
            "contribution",
            "joins_on",
            "join_condition",
            "cost_share",
            "savings_share",
            "share_wording",
        ]
        widgets = {"joins_on": UKDateInput(), "contribution": forms.Textarea(attrs={"rows": 3})}

    def clean_partner(self):
        # The programme or project is set by the view, so Django's own
        # unique-constraint check would skip it.
        partner = self.cleaned_data["partner"]
        instance = self.instance
        where = {"project": instance.project_id} if instance.project_id else {"programme": instance.programme_id}
        if Partnership.objects.filter(partner=partner, **where).exclude(pk=instance.pk).exists():
            noun = "project" if instance.project_id else "programme"
            raise forms.ValidationError(f"This partner already has a role on this {noun}: edit that one instead.")
        return partner
