"""Model and form fields for free text with an enforced limit."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import normalize_newlines

from core.validators import MaxLinesValidator, MaxTextLengthValidator


class LimitedTextFormField(forms.CharField):
    """A textarea whose limit counts line breaks as the browser does.

    Browsers post line breaks as CR LF; storing them as LF means the text
    saved is the length the person saw, and the same on every page.
    """

    def __init__(self, *, max_lines=None, **kwargs):
        super().__init__(**kwargs)
        # Django's own validator counts CR LF as two and words the limit without commas.
        self.validators = [v for v in self.validators if type(v) is not MaxLengthValidator]
        if self.max_length is not None:
            self.validators.append(MaxTextLengthValidator(self.max_length))
        if max_lines is not None:
            self.validators.append(MaxLinesValidator(max_lines))

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class LimitedTextField(models.TextField):
    """A TextField whose max_length is a rule, not only a hint to the textarea.

    Django's TextField hands max_length to the form's widget but never checks
    it; this one validates it on the model, so the admin, the seed loader and
    every service (which call full_clean) refuse over-long text with the
    same message as the browser's forms. `max_lines` bounds text printed in
    a narrow column of a highlight report.
    """

    def __init__(self, *args, max_length, max_lines=None, **kwargs):
        self.max_lines = max_lines
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        limits = [MaxTextLengthValidator(self.max_length)]
        if self.max_lines is not None:
            limits.append(MaxLinesValidator(self.max_lines))
        return [*super().validators, *limits]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_lines is not None:
            kwargs["max_lines"] = self.max_lines
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        if "form_class" not in kwargs:  # a caller's own form class need not know max_lines
            kwargs = {"form_class": LimitedTextFormField, "max_lines": self.max_lines, **kwargs}
        return super().formfield(**kwargs)
