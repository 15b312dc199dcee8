"""Dates are typed and shown the way a UK council writes them (31/07/2010,
31 July 2010), whatever the browser's locale: core.forms.UKDateField and
UKDateInput on every form, core.filters.UKDateFilter on every list."""

import datetime
import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.urls import reverse

from actions.models import Status
from committees.forms import MeetingForm
from core.filters import UKDateFilter
from core.forms import UKDateField, UKDateInput
from core.models import RAG
from programmes.forms import RiskForm
from tests import factories

JULY_31 = datetime.date(2010, 7, 31)
HINT = "For example, 31/07/2010 or 31 July 2010"
MESSAGE = "Enter a date like 31/07/2010 or 31 July 2010."
APPS = ["core", "programmes", "actions", "committees", "workspace", "exchange"]


class DueForm(forms.Form):
    due = UKDateField(help_text="When it is due.")
    note = forms.CharField()


@pytest.mark.parametrize(
    "typed",
    [
        "31/07/2010",
        "31/7/2010",
        "31-07-2010",
        "31.07.2010",
        "31 July 2010",
        "31 july 2010",
        "31 Jul 2010",
        "31st July 2010",
        "31 July, 2010",
        "2010-07-31",
        "  31/07/2010 ",
    ],
)
def test_uk_ways_of_writing_a_date_are_read(typed):
    form = DueForm({"due": typed, "note": "x"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == JULY_31


@pytest.mark.parametrize(
    "typed", ["07/31/2010", "31/31/2010", "31 July", "July 2010", "2010", "31/07", "tomorrow", "31 Julyy 2010"]
)
def test_month_first_and_incomplete_dates_are_refused_with_an_example(typed):
    form = DueForm({"due": typed, "note": "x"})
    assert not form.is_valid()
    assert form.errors["due"] == [MESSAGE]


def test_a_blank_optional_date_is_none():
    field = UKDateField(required=False)
    assert field.clean("") is None
    assert field.clean(JULY_31) == JULY_31


def test_a_date_shows_day_first_with_a_visible_example():
    html = str(DueForm(initial={"due": JULY_31})["due"])
    assert 'type="text"' in html
    assert 'value="31/07/2010"' in html
    assert 'autocomplete="off"' in html
    assert f'<div class="form-text mt-0 mb-1" id="id_due_format">{HINT}</div>' in html
    # The example is read out with the label, then the field's own help text.
    assert 'aria-describedby="id_due_format id_due_helptext"' in html


def test_a_date_typed_in_words_shows_again_day_first():
    form = DueForm({"due": "31 July 2010", "note": ""})
    assert not form.is_valid()  # the note is missing, so the form is shown again
    assert 'value="31/07/2010"' in str(form["due"])


def test_a_date_that_does_not_read_shows_again_as_typed():
    form = DueForm({"due": "07/31/2010", "note": "x"})
    assert not form.is_valid()
    html = str(form["due"])
    assert 'value="07/31/2010"' in html
    assert 'aria-describedby="id_due_format id_due_helptext id_due_error"' in html


def test_model_forms_read_their_date_fields_the_uk_way():
    assert isinstance(RiskForm.base_fields["raised_on"], UKDateField)
    assert isinstance(MeetingForm.base_fields["date"], UKDateField)
    assert isinstance(MeetingForm.base_fields["date"].widget, UKDateInput)


def _app_modules(name):
    """Every forms and filters module of the app's pages."""
    package = importlib.import_module(name)
    for module in pkgutil.iter_modules(package.__path__):
        if "forms" in module.name or "filters" in module.name:
            importlib.import_module(f"{name}.{module.name}")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_date_on_every_form_and_filter_is_read_the_uk_way():
    for app in APPS:
        _app_modules(app)
    not_uk = []
    for form in _subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] not in APPS:
            continue
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField | UKDateField):
                not_uk.append(f"{form.__module__}.{form.__name__}.{name}")
    for filterset in _subclasses(django_filters.FilterSet):
        if filterset.__module__.split(".")[0] not in APPS:
            continue
        for name, date_filter in filterset.base_filters.items():
            if isinstance(date_filter, django_filters.DateFilter) and not isinstance(date_filter, UKDateFilter):
                not_uk.append(f"{filterset.__module__}.{filterset.__name__}.{name}")
    assert not_uk == [], "use core.forms.UKDateField / core.filters.UKDateFilter for these"


# --- Through the pages ------------------------------------------------------------------


@pytest.fixture
def action(officer_team):
    return factories.make_action(
        title="Publish the councillors' surgery timetable",
        owner=officer_team,
        rag=RAG.GREEN,
        due_date=datetime.date(2010, 4, 30),
    )


def test_officer_types_a_due_date_in_words_and_it_is_saved(client, officer, administrator, action):
    client.force_login(officer)
    url = reverse("actions:update", args=[action.ref])
    assert 'value="30/04/2010"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "version": action.version,
            "update_date": "1/6/2010",
            "note": "Timetable agreed with members.",
            "rag": RAG.AMBER,
            "status": Status.IN_PROGRESS,
            "due_date": "31 July 2010",
            "due_change_reason": "Members asked for a consultation.",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date == JULY_31
    assert action.updates.get().update_date == datetime.date(2010, 6, 1)
    # The change history says the dates the way the page does, not 2010-07-31.
    client.force_login(administrator)
    html = client.get(action.get_absolute_url()).content.decode()
    assert "Due date: 30 Apr 2010 → 31 Jul 2010" in html
    assert "2010-04-30 →" not in html


def test_a_month_first_due_date_is_refused_and_nothing_is_saved(client, officer, action):
    client.force_login(officer)
    response = client.post(
        reverse("actions:update", args=[action.ref]),
        {
            "version": action.version,
            "update_date": "01/06/2010",
            "note": "Timetable agreed with members.",
            "rag": RAG.AMBER,
            "status": Status.IN_PROGRESS,
            "due_date": "07/31/2010",
            "due_change_reason": "Members asked for a consultation.",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    action.refresh_from_db()
    assert action.due_date == datetime.date(2010, 4, 30)
    assert not action.updates.exists()


def test_all_actions_filters_by_dates_written_the_uk_way(client, officer, action):
    factories.make_action(title="Later thing", due_date=datetime.date(2010, 9, 1))
    client.force_login(officer)
    response = client.get(reverse("actions:list"), {"due_after": "1 May 2010", "due_before": "31/08/2010"})
    assert "No actions match these filters." in response.content.decode()
    response = client.get(reverse("actions:list"), {"due_after": "01/09/2010"})
    html = response.content.decode()
    assert "Later thing" in html
    assert "Publish the councillors" not in html
    assert 'value="01/09/2010"' in html
