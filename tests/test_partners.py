"""Partner organisations and their roles: found by the partnership records,
never by a mention of their name."""

import datetime
import re

import pytest
from django.urls import reverse

from core import roles
from programmes.models import Partner, PartnerRole, Partnership
from tests import factories


@pytest.fixture
def bexley(db):
    return factories.make_partner("London Borough of Bexley", short_name="LB Bexley", ref="lb-bexley")


@pytest.fixture
def croydon(db):
    return factories.make_partner("London Borough of Croydon", short_name="LB Croydon", ref="lb-croydon")


@pytest.fixture
def workstream(programme):
    return factories.make_workstream(programme, name="Shared services")


@pytest.fixture
def projects(workstream, bexley, croydon):
    """A project Bexley is a partner on, one it funds, one that only mentions
    Bexley, and one with Croydon alone."""
    partnered = factories.make_project(workstream, name="Regulatory services", ref="regulatory")
    funded = factories.make_project(workstream, name="Joint web platform", ref="web-platform")
    mentions = factories.make_project(
        workstream, name="Libraries", ref="libraries", description="Benchmarked against Bexley's libraries."
    )
    croydons = factories.make_project(workstream, name="Legal services", ref="legal")
    factories.make_partnership(
        bexley,
        project=partnered,
        role=PartnerRole.LEAD,
        share_wording="a third of the costs and savings",
        join_condition="once its contracts expire in 2016",
        joins_on=datetime.date(2013, 4, 1),
    )
    factories.make_funder(funded, bexley, amount=250_000, decision_wording="July 2010")
    factories.make_partnership(croydon, project=croydons)
    return {"partnered": partnered, "funded": funded, "mentions": mentions, "croydons": croydons}


@pytest.fixture
def other_manager(db):
    other = factories.make_programme(name="Customer Access Programme", ref="cap")
    user = factories.make_user("quentin", roles.PROGRAMME_MANAGER)
    other.managers.add(user)
    return user


def role_data(partner, **overrides):
    return {"partner": partner.pk, "role": PartnerRole.PARTNER, **overrides}


def listed(response):
    """The refs of the projects a page lists in its tables."""
    return set(re.findall(r'<tr data-project="([^"]+)"', response.content.decode()))


# --- The partner filter on All projects -----------------------------------------------


def test_partner_filter_finds_exactly_its_projects_not_those_that_mention_it(client, officer, bexley, projects):
    client.force_login(officer)
    response = client.get(reverse("programmes:projects"), {"partner": bexley.pk})
    assert listed(response) == {"regulatory", "web-platform"}
    assert "2 projects found." in response.content.decode()


def test_a_programme_level_role_does_not_make_every_project_a_partners(client, officer, programme, bexley, projects):
    factories.make_partnership(factories.make_partner("Capital Ambition", kind="funder"), programme=programme)
    capital_ambition = Partner.objects.get(name="Capital Ambition")
    client.force_login(officer)
    response = client.get(reverse("programmes:projects"), {"partner": capital_ambition.pk})
    assert listed(response) == set()


def test_free_text_search_finds_the_mention_but_is_not_the_partner_filter(client, officer, bexley, projects):
    client.force_login(officer)
    assert listed(client.get(reverse("programmes:projects"), {"q": "Bexley"})) == {"libraries"}
    assert listed(client.get(reverse("programmes:projects"), {"q": "Bexley", "partner": bexley.pk})) == set()


def test_the_filter_is_labelled_partner(client, officer, bexley, projects):
    client.force_login(officer)
    html = client.get(reverse("programmes:projects")).content.decode()
    assert re.search(r'<label\s+for="id_partner"[^>]*>\s*Partner\s*</label>', html)
    assert "London Borough of Bexley" in html


# --- Partner pages -----------------------------------------------------------------------------


def test_partner_page_lists_exactly_its_roles_and_what_it_funds(client, officer, programme, bexley, projects):
    factories.make_partnership(bexley, programme=programme, role=PartnerRole.MAY_JOIN)
    client.force_login(officer)
    response = client.get(bexley.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>London Borough of Bexley · OIP Tracker</title>" in html
    assert listed(response) == {"regulatory", "web-platform"}
    assert "Organisational Improvement Programme" in html
    assert "May join later" in html
    assert "From 1 Apr 2013; once its contracts expire in 2016" in html
    assert "a third of the costs and savings" in html
    assert "£250,000" in html
    assert "Not secured — decision July 2010" in html
    assert "Libraries" not in html


def test_partner_list_counts_roles_and_funding(client, officer, bexley, croydon, projects):
    client.force_login(officer)
    html = client.get(reverse("programmes:partners")).content.decode()
    assert "London Borough of Bexley" in html
    assert "New partner organisation" not in html  # officers do not record partners
    row = html[html.index('data-partner="lb-bexley"') :].split("</tr>")[0]
    assert '<td class="text-end">1</td>\n      <td class="text-end">1</td>' in row


def test_project_and_programme_pages_show_their_partners(client, manager, programme, bexley, projects):
    factories.make_partnership(bexley, programme=programme, contribution="Shares the management team")
    client.force_login(manager)
    project_html = client.get(projects["partnered"].get_absolute_url()).content.decode()
    section = project_html[project_html.index('id="partners"') :]
    assert "LB Bexley" in section
    assert "Lead" in section
    assert "a third of the costs and savings" in section
    programme_html = client.get(programme.get_absolute_url()).content.decode()
    section = programme_html[programme_html.index('id="partners"') :]
    assert "Shares the management team" in section
    assert "Regulatory services" in section  # partners on its projects
    assert "Legal services" in section


# --- Managers record partners -------------------------------------------------------------------


def test_manager_creates_a_partner_with_a_ref_made_from_its_name(client, manager):
    client.force_login(manager)
    data = {"name": "Bromley Primary Care Trust", "short_name": "the PCT", "ref": "", "kind": "public_body"}
    response = client.post(reverse("programmes:partner_create"), data, follow=True)
    partner = Partner.objects.get()
    assert partner.ref == "bromley-primary-care-trust"
    assert "Partner “Bromley Primary Care Trust” added." in response.content.decode()


def test_manager_edits_a_partner_with_the_version_check(client, manager, bexley):
    client.force_login(manager)
    url = reverse("programmes:partner_edit", args=[bexley.ref])
    data = {"name": "London Borough of Bexley", "short_name": "Bexley", "ref": bexley.ref, "kind": "council"}
    assert client.post(url, {**data, "version": 1}).status_code == 302
    bexley.refresh_from_db()
    assert bexley.short_name == "Bexley"
    stale = client.post(url, {**data, "short_name": "LBB", "version": 1})
    assert "your changes have not been saved" in stale.content.decode()
    bexley.refresh_from_db()
    assert bexley.short_name == "Bexley"


@pytest.mark.parametrize("who", ["officer", "clerk", "outsider"])
def test_only_managers_create_or_change_partners(request, client, bexley, who):
    client.force_login(request.getfixturevalue(who))
    data = {"name": "Planted", "kind": "council", "version": 1}
    assert client.post(reverse("programmes:partner_create"), data).status_code == 403
    assert client.post(reverse("programmes:partner_edit", args=[bexley.ref]), data).status_code == 403
    assert list(Partner.objects.values_list("name", flat=True)) == ["London Borough of Bexley"]


def test_manager_adds_a_partner_to_a_project_and_to_the_programme(client, manager, programme, bexley, projects):
    client.force_login(manager)
    project = projects["mentions"]
    url = reverse("programmes:project_partnership_create", args=[project.ref])
    data = role_data(bexley, role=PartnerRole.MAY_JOIN, joins_on="2016-04-01", cost_share="£83,333")
    assert client.post(url, data).status_code == 302
    partnership = Partnership.objects.get(project=project)
    assert (partnership.role, partnership.cost_share) == (PartnerRole.MAY_JOIN, 83_333)
    assert partnership.share_label == "Costs £83,333"
    again = client.post(url, data)
    assert "This partner already has a role on this project" in again.content.decode()
    assert Partnership.objects.filter(project=project).count() == 1

    url = reverse("programmes:programme_partnership_create", args=[programme.ref])
    assert client.post(url, role_data(bexley, role=PartnerRole.LEAD)).status_code == 302
    assert Partnership.objects.get(programme=programme).role == PartnerRole.LEAD


def test_manager_edits_and_removes_a_partners_role(client, manager, bexley, projects):
    partnership = Partnership.objects.get(partner=bexley)
    client.force_login(manager)
    url = reverse("programmes:partnership_edit", args=[partnership.pk])
    data = role_data(bexley, role=PartnerRole.PARTNER, share_wording="half", version=partnership.version)
    assert client.post(url, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.share_wording == "half"
    remove = reverse("programmes:partnership_delete", args=[partnership.pk])
    client.post(remove, {"version": partnership.version})
    assert not Partnership.objects.filter(pk=partnership.pk).exists()


@pytest.mark.parametrize("who", ["officer", "colleague", "clerk", "other_manager"])
def test_others_may_not_change_partners_roles(request, client, programme, bexley, projects, who):
    partnership = Partnership.objects.get(partner=bexley)
    client.force_login(request.getfixturevalue(who))
    data = role_data(bexley, version=partnership.version)
    for url in [
        reverse("programmes:project_partnership_create", args=[projects["mentions"].ref]),
        reverse("programmes:programme_partnership_create", args=[programme.ref]),
        reverse("programmes:partnership_edit", args=[partnership.pk]),
        reverse("programmes:partnership_delete", args=[partnership.pk]),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert Partnership.objects.count() == 2
    partnership.refresh_from_db()
    assert partnership.role == PartnerRole.LEAD


# --- Queries ------------------------------------------------------------------------------------------


def fill(partner, programme, size):
    for _ in range(size):
        project = factories.make_project(factories.make_workstream(programme))
        factories.make_partnership(partner, project=project)
        factories.make_funder(factories.make_project(factories.make_workstream(programme)), partner)
        factories.make_partnership(partner, programme=factories.make_programme())


@pytest.mark.parametrize("size", [1, 6])
def test_partner_pages_run_constant_queries(client, officer, programme, bexley, size, django_assert_num_queries):
    fill(bexley, programme, size)
    client.force_login(officer)
    with django_assert_num_queries(7):
        response = client.get(bexley.get_absolute_url())
    assert len(listed(response)) == 2 * size
    with django_assert_num_queries(5):
        assert client.get(reverse("programmes:partners")).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_filtered_project_list_runs_constant_queries(
    client, officer, programme, bexley, size, django_assert_num_queries
):
    fill(bexley, programme, size)
    client.force_login(officer)
    with django_assert_num_queries(10):  # with the data stamp (page cache)
        response = client.get(reverse("programmes:projects"), {"partner": bexley.pk})
    assert len(listed(response)) == 2 * size
