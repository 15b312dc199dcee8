"""A project's funding: totals, match funders and the spend profile (PID 1.7, 3.1–3.3)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from programmes.models import Funder, SpendProfileEntry
from programmes.services import delete_part, save_spend_profile
from tests import factories
from tests.test_admin import form_data


@pytest.fixture
def project(programme, officer_team):
    workstream = factories.make_workstream(programme, name="Customer access")
    return factories.make_project(workstream, name="Joint web platform", ref="web-platform", owner=officer_team)


@pytest.fixture
def bromley(db):
    return factories.make_partner("London Borough of Bromley", short_name="LB Bromley", ref="bromley")


@pytest.fixture
def bexley(db):
    return factories.make_partner("London Borough of Bexley", short_name="LB Bexley", ref="bexley")


@pytest.fixture
def other_manager(db):
    other = factories.make_programme(name="Shared Services", ref="shared-services")
    user = factories.make_user("quentin", roles.PROGRAMME_MANAGER)
    other.managers.add(user)
    return user


def page(client, project):
    return client.get(project.get_absolute_url()).content.decode()


def grid(project, **amounts):
    """The spend profile form's data: amounts by field name, e.g. capital_1_q3="83,333"."""
    entries = SpendProfileEntry.objects.filter(project=project)
    data = {"fingerprint": entries.fingerprint()}
    for kind in ("capital", "revenue"):
        for year in (1, 2, 3):
            for quarter in (1, 2, 3, 4):
                data[f"{kind}-{year}-q{quarter}"] = ""
    for entry in entries:
        data[f"{entry.kind}-{entry.year}-q{entry.quarter}"] = str(entry.amount)
    data.update({name.replace("_", "-"): value for name, value in amounts.items()})
    return data


PID_CAPITAL = {
    "capital_1_q3": "83,333",
    "capital_1_q4": "£83,333",
    "capital_2_q1": "83333",
    "capital_2_q2": "83333",
    "capital_2_q3": "83333",
    "capital_2_q4": "83333.00",
}


# --- Totals ---------------------------------------------------------------------


def test_manager_sets_the_funding_totals(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:project_funding_edit", args=[project.ref])
    assert client.get(url).status_code == 200
    data = {"total_cost": "£1,000,000", "capital_funding": "500,000", "revenue_funding": "", "version": 1}
    response = client.post(url, {**data, "funding_note": "Transformation and Efficiency Capital Funding"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.total_cost, project.capital_funding, project.revenue_funding) == (1_000_000, 500_000, None)
    html = page(client, project)
    assert "£1,000,000" in html
    assert "£500,000" in html
    assert "Transformation and Efficiency Capital Funding" in html


def test_funding_totals_saved_from_a_stale_page_are_refused(client, manager, project):
    client.force_login(manager)
    project.total_cost = 900_000
    project.save()  # someone else saved: now version 2
    url = reverse("programmes:project_funding_edit", args=[project.ref])
    response = client.post(url, {"total_cost": "1000000", "version": 1})
    assert "your changes have not been saved" in response.content.decode()
    project.refresh_from_db()
    assert project.total_cost == 900_000


def test_a_bad_amount_is_explained_and_saves_nothing(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:project_funding_edit", args=[project.ref])
    response = client.post(url, {"total_cost": "a lot", "capital_funding": "500000", "version": 1})
    assert "Enter an amount in pounds, e.g. 83333 or £83,333.50." in response.content.decode()
    project.refresh_from_db()
    assert project.capital_funding is None


@pytest.mark.parametrize("who", ["outsider", "colleague", "officer", "clerk", "other_manager"])
def test_only_the_programmes_managers_edit_funding(request, client, project, bexley, who):
    client.force_login(request.getfixturevalue(who))
    funder = factories.make_funder(project, bexley)
    urls = [
        reverse("programmes:project_funding_edit", args=[project.ref]),
        reverse("programmes:funder_create", args=[project.ref]),
        reverse("programmes:funder_edit", args=[funder.pk]),
        reverse("programmes:funder_delete", args=[funder.pk]),
        reverse("programmes:spend_profile_edit", args=[project.ref]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"total_cost": "1", "version": 1, "partner": bexley.pk}).status_code == 403, url
    assert Funder.objects.get() == funder
    html = page(client, project)
    assert "Add a funder" not in html
    assert "Edit spend profile" not in html


def test_anonymous_users_are_sent_to_log_in(client, project):
    response = client.get(reverse("programmes:spend_profile_edit", args=[project.ref]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- Funders ----------------------------------------------------------------------


def test_manager_adds_match_funders_and_the_page_shows_them_as_the_pid_does(client, manager, project, bromley, bexley):
    client.force_login(manager)
    url = reverse("programmes:funder_create", args=[project.ref])
    common = {"kind": "capital", "note": ""}
    client.post(url, {**common, "partner": bromley.pk, "amount": "£250,000", "decision_wording": "May 2010"})
    client.post(url, {**common, "partner": bexley.pk, "amount": "250k", "secured": "on"})  # a bad amount
    client.post(url, {**common, "partner": bexley.pk, "amount": "250000", "secured": "on"})
    assert Funder.objects.count() == 2
    html = page(client, project)
    assert html.count("£250,000") == 2
    assert "Not secured — decision May 2010" in html
    assert ">Secured<" in html
    assert 'href="/programmes/partners/bromley/"' in html


def test_the_same_funder_twice_for_the_same_kind_is_refused_with_a_message(client, manager, project, bexley):
    factories.make_funder(project, bexley, kind="capital")
    client.force_login(manager)
    url = reverse("programmes:funder_create", args=[project.ref])
    response = client.post(url, {"partner": bexley.pk, "amount": "1000", "kind": "capital"})
    assert "This funder is already listed for this project" in response.content.decode()
    assert Funder.objects.count() == 1


def test_not_secured_without_a_date_says_so(project, bexley):
    funder = factories.make_funder(project, bexley, secured=False)
    assert funder.secured_label == "Not secured"
    funder.decision_date = "2010-07-31"
    funder.save()
    funder.refresh_from_db()
    assert funder.secured_label == "Not secured — decision July 2010"


def test_manager_edits_and_removes_a_funder(client, manager, project, bexley):
    funder = factories.make_funder(project, bexley, amount=200_000)
    client.force_login(manager)
    edit = reverse("programmes:funder_edit", args=[funder.pk])
    data = {"partner": bexley.pk, "amount": "250000", "kind": "capital", "version": funder.version}
    assert client.post(edit, data).status_code == 302
    funder.refresh_from_db()
    assert funder.amount == 250_000

    remove = reverse("programmes:funder_delete", args=[funder.pk])
    assert "Remove funder" in client.get(remove).content.decode()
    response = client.post(remove, {"version": funder.version}, follow=True)
    assert "Funder “London Borough of Bexley” removed." in response.content.decode()
    assert not Funder.objects.exists()
    assert Funder.history.filter(history_type="-", history_user=manager).exists()


def test_removing_a_funder_someone_changed_meanwhile_is_refused(client, manager, project, bexley):
    funder = factories.make_funder(project, bexley)
    seen = funder.version
    funder.amount = 1
    funder.save()
    client.force_login(manager)
    response = client.post(reverse("programmes:funder_delete", args=[funder.pk]), {"version": seen})
    assert "so it has not been removed" in response.content.decode()
    assert Funder.objects.filter(pk=funder.pk).exists()


def test_delete_service_refuses_a_role_that_may_not_remove(project, bexley, officer):
    funder = factories.make_funder(project, bexley)
    with pytest.raises(PermissionDenied):
        delete_part(part=funder, user=officer, expected_version=funder.version)
    assert Funder.objects.exists()


# --- Spend profile -----------------------------------------------------------------


def test_manager_enters_the_spend_profile_and_the_page_totals_it_as_the_pid(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:spend_profile_edit", args=[project.ref])
    response = client.get(url)
    assert "Capital, year 1, quarter 1 (£)" in response.content.decode()
    response = client.post(url, grid(project, **PID_CAPITAL))
    assert response.status_code == 302
    entries = SpendProfileEntry.objects.filter(project=project, kind="capital")
    assert entries.count() == 6
    assert sum(e.amount for e in entries) == Decimal("499998")
    html = page(client, project)
    assert "£166,666" in html  # year 1
    assert "£333,332" in html  # year 2
    assert "£499,998" in html  # overall (the PID rounds its total to £500,000)
    assert "No revenue spend profile recorded." in html


def test_a_bad_amount_anywhere_in_the_grid_saves_nothing(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:spend_profile_edit", args=[project.ref])
    response = client.post(url, grid(project, **PID_CAPITAL, revenue_1_q2="eighty"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Revenue, year 1, quarter 2 (£): Enter an amount in pounds" in html
    assert 'value="83,333"' in html  # what was typed is kept
    assert not SpendProfileEntry.objects.exists()


def test_a_negative_amount_is_refused(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:spend_profile_edit", args=[project.ref])
    response = client.post(url, grid(project, capital_1_q1="-5"))
    assert "Enter an amount of £0 or more." in response.content.decode()
    assert not SpendProfileEntry.objects.exists()


def test_the_service_saves_all_or_nothing(manager, project):
    amounts = {("capital", 1, 1): Decimal("100"), ("capital", 1, 2): Decimal("-1")}
    with pytest.raises(ValidationError) as refused:
        save_spend_profile(project=project, user=manager, amounts=amounts, expected_fingerprint="")
    assert "capital-1-q2" in refused.value.message_dict
    assert not SpendProfileEntry.objects.exists()


def test_blanking_a_quarter_removes_it_and_changing_one_updates_it(client, manager, project):
    SpendProfileEntry.objects.create(project=project, kind="capital", year=1, quarter=1, amount=10)
    SpendProfileEntry.objects.create(project=project, kind="capital", year=1, quarter=2, amount=20)
    client.force_login(manager)
    url = reverse("programmes:spend_profile_edit", args=[project.ref])
    client.post(url, grid(project, capital_1_q1="", capital_1_q2="25"))
    assert list(SpendProfileEntry.objects.values_list("quarter", "amount")) == [(2, Decimal("25"))]


def test_a_grid_saved_after_someone_elses_change_is_refused_then_saves_on_a_second_try(client, manager, project):
    entry = SpendProfileEntry.objects.create(project=project, kind="capital", year=1, quarter=1, amount=10)
    client.force_login(manager)
    data = grid(project, capital_1_q2="20")
    entry.amount = 15
    entry.save()  # someone else, meanwhile
    url = reverse("programmes:spend_profile_edit", args=[project.ref])
    response = client.post(url, data)
    assert "Someone else changed this spend profile" in response.content.decode()
    entry.refresh_from_db()
    assert entry.amount == 15
    assert SpendProfileEntry.objects.count() == 1
    data["fingerprint"] = response.context["form"].data["fingerprint"]
    assert client.post(url, data).status_code == 302
    assert SpendProfileEntry.objects.count() == 2


# --- Queries ------------------------------------------------------------------------


def fill(project, size):
    for i in range(size):
        partner = factories.make_partner()
        factories.make_funder(project, partner, decision_wording="May 2010")
        factories.make_partnership(partner, project=project, share_wording="a third")
        benefit = factories.make_benefit(project, financial_year=2011 + i % 2)
        factories.make_realisation(benefit)
        factories.make_realisation(benefit, financial_year=2012)
        for quarter in (1, 2, 3, 4):
            SpendProfileEntry.objects.create(project=project, kind="capital", year=i + 1, quarter=quarter, amount=1)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_project_page_queries_do_not_grow_with_funding_benefits_and_partners(
    client, manager, programme, django_assert_num_queries
):
    """Measured against a small project rather than pinned, because the page's
    other sections (milestones, risks, actions) bring queries of their own."""
    small = factories.make_project(factories.make_workstream(programme))
    large = factories.make_project(factories.make_workstream(programme))
    fill(small, 1)
    fill(large, 6)
    client.force_login(manager)
    count_queries(client, small.get_absolute_url())  # warm the per-user caches
    expected = count_queries(client, small.get_absolute_url())
    with django_assert_num_queries(expected):
        html = client.get(large.get_absolute_url()).content.decode()
    assert html.count("Not secured — decision May 2010") == 6


@pytest.mark.parametrize("size", [1, 6])
def test_funding_pages_run_constant_queries(client, manager, project, size, django_assert_num_queries):
    fill(project, size)
    client.force_login(manager)
    with django_assert_num_queries(11):
        assert client.get(reverse("programmes:spend_profile_edit", args=[project.ref])).status_code == 200
    funder = Funder.objects.first()
    with django_assert_num_queries(9):
        assert client.get(reverse("programmes:funder_edit", args=[funder.pk])).status_code == 200


# --- The admin goes through the same door ---------------------------------------------


def test_a_staff_manager_cannot_change_another_programmes_funding_in_the_admin(client, other_manager, project, bexley):
    """Another programme's manager, made staff, is refused in the admin as in the app."""
    other_manager.is_staff = True
    other_manager.save()
    funder = factories.make_funder(project, bexley, amount=100)
    benefit = factories.make_benefit(project)
    partnership = factories.make_partnership(bexley, project=project)
    client.force_login(other_manager)
    for obj in [funder, benefit, partnership]:
        url = reverse(f"admin:programmes_{obj._meta.model_name}_change", args=[obj.pk])
        data = form_data(client.get(url))
        assert client.post(url, data).status_code == 403, obj
    add = reverse("admin:programmes_funder_add")
    response = client.post(add, {"project": project.pk, "partner": bexley.pk, "amount": "5", "kind": "revenue"})
    assert "You can only add funders to projects of a programme you manage." in response.content.decode()
    assert list(Funder.objects.values_list("amount", flat=True)) == [100]


def test_a_managers_admin_save_goes_through_the_service_with_the_version_check(client, manager, project, bexley):
    manager.is_staff = True
    manager.save()
    funder = factories.make_funder(project, bexley, amount=100)
    client.force_login(manager)
    url = reverse("admin:programmes_funder_change", args=[funder.pk])
    data = form_data(client.get(url))
    funder.amount = 200
    funder.save()  # someone else, meanwhile
    response = client.post(url, {**data, "amount": "300"})
    assert "your changes have not been saved" in response.content.decode()
    funder.refresh_from_db()
    assert funder.amount == 200
