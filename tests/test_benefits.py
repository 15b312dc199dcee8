"""Benefits and savings: targets in £ or as a percentage of a base, amounts
realised over time, and target against realised per project, workstream and programme."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import roles
from programmes.models import Benefit, BenefitRealisation, BenefitType
from programmes.services import create_realisation
from tests import factories


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Shared services")


@pytest.fixture
def project(workstream, officer_team):
    return factories.make_project(workstream, name="Regulatory services", ref="regulatory", owner=officer_team)


@pytest.fixture
def benefit(project):
    return factories.make_benefit(project, target_amount=350_000, financial_year=2012, description="Cash savings")


@pytest.fixture
def other_manager(db):
    other = factories.make_programme(name="Shared Services", ref="shared-services")
    user = factories.make_user("quentin", roles.PROGRAMME_MANAGER)
    other.managers.add(user)
    return user


def benefit_data(**overrides):
    data = {"type": BenefitType.CASH_SAVINGS, "description": "Savings in management", "position": 0}
    return {**data, **overrides}


# --- The target as the council writes it ----------------------------------------------


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"target_amount": 350_000}, "£350,000"),
        ({"target_amount": 350_000, "at_least": True}, "at least £350,000"),
        (
            {
                "target_amount": None,
                "target_percent_low": 20,
                "at_least": True,
                "percent_of": "combined management cost",
            },
            "at least 20% of combined management cost",
        ),
        (
            {
                "target_amount": None,
                "target_percent_low": 15,
                "target_percent_high": 20,
                "percent_of": "total service cost",
            },
            "15–20% of total service cost",
        ),
        (
            {"target_amount": None, "target_wording": "to be confirmed in the business case"},
            "to be confirmed in the business case",
        ),
        ({"target_amount": None}, ""),
    ],
)
def test_target_label_writes_the_target_as_the_papers_do(project, fields, label):
    assert factories.make_benefit(project, **fields).target_label == label


def test_financial_years_are_shown_as_the_council_writes_them(benefit):
    assert benefit.financial_year_label == "2012/13"
    assert factories.make_realisation(benefit, financial_year=2009).financial_year_label == "2009/10"


# --- Managers add, edit and remove benefits ------------------------------------------------


def test_manager_adds_a_percentage_target_and_the_page_shows_it_in_words(client, manager, project):
    client.force_login(manager)
    url = reverse("programmes:benefit_create", args=[project.ref])
    data = benefit_data(
        target_percent_low="15",
        target_percent_high="20",
        percent_of="total service cost",
        financial_year="2012/13",
        target_wording="between 15-20% savings on the total cost of the service",
    )
    assert client.post(url, data).status_code == 302
    benefit = Benefit.objects.get()
    assert (benefit.financial_year, benefit.target_percent_low, benefit.target_amount) == (2012, 15, None)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "15–20% of total service cost" in html
    assert "2012/13" in html
    assert "As written: “between 15-20% savings on the total cost of the service”" in html


def test_a_percentage_without_its_base_is_refused_with_a_message(client, manager, project):
    client.force_login(manager)
    response = client.post(
        reverse("programmes:benefit_create", args=[project.ref]), benefit_data(target_percent_low="20")
    )
    assert "Say what the percentage is of" in response.content.decode()
    assert not Benefit.objects.exists()


def test_a_range_upside_down_is_refused(client, manager, project):
    client.force_login(manager)
    data = benefit_data(target_percent_low="20", target_percent_high="15", percent_of="total service cost")
    response = client.post(reverse("programmes:benefit_create", args=[project.ref]), data)
    assert "The top of the range cannot be below its bottom." in response.content.decode()
    assert not Benefit.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2012/14", "runs into the next year"), ("twelve", "such as 2012/13"), ("1999/00", "between 2000/01 and 2100/01")],
)
def test_a_financial_year_that_is_not_one_is_refused(client, manager, project, typed, message):
    client.force_login(manager)
    data = benefit_data(target_amount="1000", financial_year=typed)
    response = client.post(reverse("programmes:benefit_create", args=[project.ref]), data)
    assert message in response.content.decode()
    assert not Benefit.objects.exists()


def test_manager_edits_a_benefit_with_the_version_check(client, manager, benefit):
    client.force_login(manager)
    url = reverse("programmes:benefit_edit", args=[benefit.pk])
    form = client.get(url).content.decode()
    assert 'value="2012/13"' in form
    assert 'value="350000"' in form
    data = benefit_data(target_amount="£400,000", financial_year="2012/13", version=benefit.version)
    assert client.post(url, data).status_code == 302
    benefit.refresh_from_db()
    assert benefit.target_amount == 400_000
    stale = client.post(url, {**data, "target_amount": "1"})
    assert "your changes have not been saved" in stale.content.decode()
    benefit.refresh_from_db()
    assert benefit.target_amount == 400_000


def test_manager_removes_a_benefit(client, manager, benefit):
    factories.make_realisation(benefit)
    client.force_login(manager)
    client.post(reverse("programmes:benefit_delete", args=[benefit.pk]), {"version": benefit.version})
    assert not Benefit.objects.exists()
    assert not BenefitRealisation.objects.exists()


# --- Amounts realised -------------------------------------------------------------------


def test_the_owning_officer_records_an_amount_realised(client, officer, benefit):
    client.force_login(officer)
    url = reverse("programmes:realisation_create", args=[benefit.pk])
    assert 'value="2012/13"' in client.get(url).content.decode()  # the benefit's year, offered
    data = {"financial_year": "2012/13", "amount": "£120,000", "recorded_on": "2013-04-30", "note": "Year one"}
    assert client.post(url, data).status_code == 302
    realisation = BenefitRealisation.objects.get()
    assert (realisation.amount, realisation.recorded_by) == (120_000, officer)
    html = client.get(benefit.project.get_absolute_url()).content.decode()
    assert "2012/13: £120,000 (Year one), recorded 30 Apr 2013 by Alice Officer" in html
    assert 'data-testid="benefit-target-total">£350,000<' in html
    assert 'data-testid="benefit-realised-total">£120,000<' in html


def test_the_owning_officer_corrects_an_amount_but_may_not_remove_it_or_edit_the_benefit(client, officer, benefit):
    realisation = factories.make_realisation(benefit, amount=100)
    client.force_login(officer)
    url = reverse("programmes:realisation_edit", args=[realisation.pk])
    data = {"financial_year": "2011/12", "amount": "150", "recorded_on": "2012-01-18", "version": realisation.version}
    assert client.post(url, data).status_code == 302
    realisation.refresh_from_db()
    assert realisation.amount == 150

    delete = reverse("programmes:realisation_delete", args=[realisation.pk])
    assert client.post(delete, {"version": realisation.version}).status_code == 403
    assert BenefitRealisation.objects.exists()
    edit = reverse("programmes:benefit_edit", args=[benefit.pk])
    assert client.post(edit, benefit_data(target_amount="1", version=benefit.version)).status_code == 403
    create = reverse("programmes:benefit_create", args=[benefit.project.ref])
    assert client.post(create, benefit_data(target_amount="1")).status_code == 403
    benefit.refresh_from_db()
    assert benefit.target_amount == 350_000
    html = client.get(benefit.project.get_absolute_url()).content.decode()
    assert "Record realised" in html
    assert "Add a benefit" not in html


@pytest.mark.parametrize("who", ["outsider", "colleague", "clerk", "other_manager"])
def test_others_may_not_record_or_change_savings(request, client, benefit, who):
    realisation = factories.make_realisation(benefit)
    client.force_login(request.getfixturevalue(who))
    data = {"financial_year": "2012", "amount": "1", "recorded_on": "2012-01-18", "version": realisation.version}
    for url in [
        reverse("programmes:realisation_create", args=[benefit.pk]),
        reverse("programmes:realisation_edit", args=[realisation.pk]),
        reverse("programmes:realisation_delete", args=[realisation.pk]),
        reverse("programmes:benefit_edit", args=[benefit.pk]),
        reverse("programmes:benefit_delete", args=[benefit.pk]),
    ]:
        assert client.post(url, data).status_code == 403, url
    realisation.refresh_from_db()
    assert realisation.amount == 50_000
    assert BenefitRealisation.objects.count() == 1


def test_an_amount_realised_cannot_be_recorded_in_the_future(client, officer, benefit):
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"financial_year": "2012", "amount": "1", "recorded_on": tomorrow.isoformat()}
    response = client.post(reverse("programmes:realisation_create", args=[benefit.pk]), data)
    assert "cannot be recorded in the future" in response.content.decode()
    assert not BenefitRealisation.objects.exists()


def test_the_service_refuses_someone_who_may_not_record_savings(colleague, benefit):
    with pytest.raises(PermissionDenied):
        create_realisation(user=colleague, benefit=benefit, financial_year=2012, amount=1)
    assert not BenefitRealisation.objects.exists()


# --- Totals per project, workstream and programme ---------------------------------------------


def test_totals_for_a_programme_count_its_shared_projects_once_in_each(programme, workstream, project, benefit):
    other = factories.make_programme(name="Shared Services", ref="shared-services")
    theirs = factories.make_workstream(other, name="Priority projects")
    project.shared_with.add(theirs)
    factories.make_realisation(benefit, amount=Decimal("83333"))
    factories.make_realisation(benefit, amount=Decimal("83333"), financial_year=2012)
    factories.make_realisation(benefit, amount=Decimal("83333"), financial_year=2013)
    elsewhere = factories.make_benefit(factories.make_project(factories.make_workstream(other)), target_amount=1)

    ours = Benefit.objects.for_programme(programme)
    assert ours.totals() == {"target": Decimal("350000"), "realised": Decimal("249999")}
    assert set(Benefit.objects.for_programme(other)) == {benefit, elsewhere}
    assert list(Benefit.objects.for_workstream(theirs)) == [benefit]
    assert ours.by_financial_year() == [
        ("2011/12", None, Decimal("83333")),
        ("2012/13", Decimal("350000"), Decimal("83333")),
        ("2013/14", None, Decimal("83333")),
    ]
    by_workstream = Benefit.objects.by_workstream(other)
    assert by_workstream[theirs.pk] == {"target": Decimal("350000"), "realised": Decimal("249999")}
    assert Benefit.objects.by_workstream(programme) == {workstream.pk: by_workstream[theirs.pk]}


def test_programme_page_rolls_up_savings_target_against_realised(client, officer, programme, workstream, benefit):
    factories.make_realisation(benefit, amount=120_000, financial_year=2012)
    factories.make_benefit(benefit.project, target_amount=None, target_percent_low=20, percent_of="management cost")
    client.force_login(officer)
    html = client.get(programme.get_absolute_url()).content.decode()
    section = html[html.index('id="savings"') :]
    assert "£350,000" in section
    assert "£120,000" in section
    assert "2012/13" in section
    assert "Shared services" in section


def fill(programme, size):
    for _ in range(size):
        workstream = factories.make_workstream(programme)
        project = factories.make_project(workstream)
        benefit = factories.make_benefit(project, financial_year=2012)
        factories.make_realisation(benefit)
        factories.make_partnership(project=project)
        factories.make_partnership(programme=programme)


def test_programme_page_queries_do_not_grow_with_its_savings_and_partners(client, manager, django_assert_num_queries):
    """Measured against a small programme rather than pinned, because the
    page's other sections (milestones, risks) bring queries of their own."""
    small, large = factories.make_programme(ref="small"), factories.make_programme(ref="large")
    fill(small, 1)
    fill(large, 6)
    client.force_login(manager)
    client.get(small.get_absolute_url())
    caches["pages"].clear()  # measure the page drawn, not the copy kept
    with CaptureQueriesContext(connection) as queries:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(queries)):
        html = client.get(large.get_absolute_url()).content.decode()
    assert "£600,000" in html  # six targets of £100,000


@pytest.mark.parametrize("size", [1, 6])
def test_benefit_forms_run_constant_queries(client, officer, benefit, size, django_assert_num_queries):
    for _ in range(size):
        factories.make_realisation(benefit)
    client.force_login(officer)
    with django_assert_num_queries(8):
        assert client.get(reverse("programmes:realisation_create", args=[benefit.pk])).status_code == 200
