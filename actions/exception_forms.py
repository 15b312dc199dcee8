"""The one choice an exception report offers: from which day a rescheduled item counts as new."""

from django import forms

from core.forms import UKDateField
from core.validators import validate_sensible_date


class SinceForm(forms.Form):
    """Read from the query string (a GET form), so a report chosen is a link to share."""

    since = UKDateField(
        label="Show items rescheduled after",
        required=False,
        validators=[validate_sensible_date],
        help_text="Leave blank for the date of the last report.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].widget.attrs.update({"class": "form-control", "aria-describedby": "since-help"})

    def chosen(self):
        """The day chosen, or None for the report's own (also when the date given is wrong)."""
        return self.cleaned_data.get("since") if self.is_valid() else None
