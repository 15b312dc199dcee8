"""A failed submit says what went wrong once, in the error summary at the top of
the form, and every list filter has a real label."""

import datetime
import re

import pytest
from django.forms import Form, ValidationError
from django.template import Context, Template
from django.urls import reverse

from actions.filters import ActionFilter
from actions.models import ActionItem
from core.forms import crispy_helper
from core.models import RAG
from programmes.filters import ProjectFilter
from programmes.models import ProjectUpdate
from tests import factories


def summaries(html):
    return html.count('id="error-summary"')


@pytest.fixture
def plan_section(programme):
    area = factories.make_area(title="Customer access", ref="customer-access")
    section = factories.make_section(area=area)
    section.plan.programme = programme
    section.plan.save()
    return section


@pytest.fixture
def action(officer_team, plan_section):
    rec = factories.make_recommendation(plan_section.area, text="A transactional website is required")
    return factories.make_action(
        [rec],
        title="Write up the e-forms investment proposal",
        ref="eforms",
        owner=officer_team,
        section=plan_section,
        rag=RAG.GREEN,
        due_date=datetime.date(2010, 4, 30),
    )


@pytest.fixture
def project(programme, officer_team):
    workstream = factories.make_workstream(programme, name="Self-service and ICT", ref="self-service")
    return factories.make_project(workstream, name="Voice Recognition", ref="voice", owner=officer_team)


# --- Form-wide errors show once ------------------------------------------------------


def test_a_wrong_password_is_reported_once_in_the_error_summary(client, officer):
    response = client.post(reverse("login"), {"username": officer.username, "password": "not-the-password"})
    html = response.content.decode()
    assert summaries(html) == 1
    assert html.count("username and password didn\u2019t match") == 1
    assert "Please enter a correct" not in html
    summary = html[html.index('id="error-summary"') :]
    assert summary.index("didn\u2019t match") < summary.index("</div>")


def test_a_blank_login_links_each_field_from_the_summary(client, db):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert summaries(html) == 1
    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_a_new_action_outside_any_programme_says_why_once(client, manager, programme):
    client.force_login(manager)
    response = client.post(reverse("actions:create"), {"title": "Review the contact centre", "rag": RAG.NOT_RATED})
    html = response.content.decode()
    assert response.status_code == 200
    assert summaries(html) == 1
    assert html.count("An action must belong to a programme you manage") == 1
    assert not ActionItem.objects.filter(title="Review the contact centre").exists()


def test_a_new_action_with_no_title_links_the_title_from_the_summary(client, manager, plan_section):
    client.force_login(manager)
    html = client.post(
        reverse("actions:create"), {"title": "", "section": plan_section.pk, "rag": RAG.NOT_RATED}
    ).content.decode()
    assert summaries(html) == 1
    assert 'href="#id_title"' in html
    assert not ActionItem.objects.exists()


def test_an_edit_conflict_on_an_action_is_reported_once(client, manager, administrator, action, plan_section):
    opened = action.version
    client.force_login(administrator)
    client.post(
        reverse("actions:edit", args=[action.ref]),
        {"title": "Admin's title", "section": plan_section.pk, "version": opened},
    )
    client.force_login(manager)
    html = client.post(
        reverse("actions:edit", args=[action.ref]),
        {"title": "Manager's title", "section": plan_section.pk, "version": opened},
    ).content.decode()
    assert summaries(html) == 1
    assert html.count("saved this while you were editing it") == 1
    action.refresh_from_db()
    assert action.title == "Admin's title"


def test_an_edit_conflict_on_a_project_update_is_reported_once(client, officer, manager, project):
    opened = project.version
    data = {
        "period_start": "2010-06-07",
        "period_end": "2010-07-20",
        "key_progress": "Went live to all staff on 14 June.",
        "risks_issues": "Grammar gaps.",
        "next_tasks": "Extend to external calls.",
        "rag": RAG.GREEN,
    }
    client.force_login(manager)
    client.post(reverse("programmes:project_update", args=[project.ref]), {**data, "version": opened})
    client.force_login(officer)
    html = client.post(
        reverse("programmes:project_update", args=[project.ref]),
        {**data, "version": opened, "key_progress": "Officer's own words"},
    ).content.decode()
    assert summaries(html) == 1
    assert html.count("saved this while you were editing it") == 1
    assert ProjectUpdate.objects.count() == 1


class _Plain(Form):
    def clean(self):
        raise ValidationError("These two do not go together.")


def test_forms_without_a_summary_still_show_their_form_wide_errors():
    """Formset rows and secondary forms drawn with |crispy keep their own message;
    forms drawn with crispy_helper leave it to the summary."""
    form = _Plain(data={})
    form.is_valid()
    plain = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    assert plain.count("These two do not go together.") == 1
    form.helper = crispy_helper("Save")
    summarised = Template("{% load crispy_forms_tags %}{% crispy form form.helper %}").render(Context({"form": form}))
    assert "These two do not go together." not in summarised


# --- Every filter has a real label ---------------------------------------------------


@pytest.mark.parametrize("filterset", [ActionFilter, ProjectFilter])
def test_every_filter_has_an_explicit_label(filterset, db):
    for name, list_filter in filterset.base_filters.items():
        assert list_filter.label, f"{filterset.__name__}.{name} has no label"
    for field in filterset().form:
        assert field.label
        assert "invalid name" not in field.label


@pytest.mark.parametrize(
    ("url_name", "labels"),
    [
        ("actions:list", ["Programme", "Workstream", "Project", "Owner", "Recommendation", "Status"]),
        ("programmes:projects", ["Programme", "Workstream", "Stage", "Status", "Owner"]),
    ],
)
def test_list_filters_show_real_labels(client, manager, programme, url_name, labels):
    client.force_login(manager)
    html = client.get(reverse(url_name)).content.decode()
    assert "[invalid name]" not in html
    shown = {re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)}
    shown |= {
        re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in re.findall(r"<legend[^>]*>(.*?)</legend>", html, re.S)
    }
    for label in labels:
        assert label in shown, f"no filter labelled {label!r} on {url_name}: {sorted(shown)}"
