from django import forms

from core.forms import crispy_helper
from core.spreadsheets import SpreadsheetError
from exchange import services


class ImportForm(forms.Form):
    """Choose where the rows go and the file; reading it is part of validation,
    so a bad file is a form error and nothing is kept."""

    target = forms.ModelChoiceField(queryset=None, empty_label=None)
    file = forms.FileField(
        label="Spreadsheet",
        help_text="An Excel workbook (.xlsx) or a CSV file, laid out like the template.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.user = kind, user
        self.fields["target"].queryset = kind.targets(user)
        self.fields["target"].label = kind.target_noun.capitalize()
        self.fields["file"].help_text += f" At most {services.settings.IMPORT_MAX_MB} MB."
        self.helper = crispy_helper("Upload and preview")
        self.run = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.run = services.preview_upload(
                kind=self.kind, target=data["target"], upload=data["file"], user=self.user
            )
        except SpreadsheetError as error:
            self.add_error("file", str(error))
        return data
