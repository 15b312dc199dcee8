"""The savings-and-benefits appendix (issue 11): a programme's benefits under
each workstream and project, with their targets (in pounds or as a
percentage of a base) and what has been realised, totals per workstream,
for the programme and by financial year, in constant queries."""

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.urls import reverse

from committees import services
from committees.models import AgendaItem, Committee, Meeting, ReportAppendix
from tests import factories


@pytest.fixture
def item(db, programme):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2012, 4, 18))
    return AgendaItem.objects.create(meeting=meeting, number=6, title="Shared services update", has_report=True)


@pytest.fixture
def benefits(programme):
    """Two workstreams: one with two projects, one with a project of its own
    and one shared into it from another programme."""
    shared_services = factories.make_workstream(programme, name="Shared services", position=1)
    libraries = factories.make_project(shared_services, name="Libraries")
    b1 = factories.make_benefit(
        libraries, description="Library running costs", target_amount=350_000, financial_year=2012
    )
    factories.make_realisation(b1, financial_year=2012, amount=100_000)
    factories.make_realisation(b1, financial_year=2013, amount=50_000)
    factories.make_benefit(
        libraries,
        description="Cheaper management",
        target_amount=None,
        target_percent_low=15,
        target_percent_high=20,
        percent_of="total service cost",
    )
    legal = factories.make_project(shared_services, name="Legal services")
    b3 = factories.make_benefit(legal, description="Shared legal team", target_amount=120_000, financial_year=2011)
    factories.make_realisation(b3, financial_year=2011, amount=120_000)

    customer = factories.make_workstream(programme, name="Customer services", position=2)
    contact = factories.make_project(customer, name="Contact centre")
    factories.make_benefit(contact, description="Fewer call handlers", target_amount=80_000, financial_year=2012)
    other = factories.make_programme(name="Capital Ambition")
    hr = factories.make_project(factories.make_workstream(other), name="Shared HR")
    hr.shared_with.add(customer)
    b5 = factories.make_benefit(hr, description="One HR service", target_amount=40_000, financial_year=2012)
    factories.make_realisation(b5, financial_year=2012, amount=10_000)


def report_url(name, item):
    return reverse(f"committees:{name}", args=[item.meeting_id, item.number])


def total_row(name, target, realised):
    return f'<th scope="row" colspan="3">Total, {name}</th><td>{target}</td><td></td><td class="num">{realised}</td>'


def squash(html):
    return re.sub(r">\s+<", "><", html)


def test_clerk_adds_a_savings_appendix_and_sees_the_table(client, clerk, programme, item, benefits):
    client.force_login(clerk)
    response = client.post(
        report_url("appendix_add", item), {"kind": "savings", "programme": programme.pk}, follow=True
    )
    assert "Appendix added." in response.content.decode()
    html = squash(client.get(report_url("report", item)).content.decode())
    assert f"Appendix 1: Savings and benefits, {programme.name}" in html
    assert "later slice" not in html
    assert '<tr class="savings-workstream"><th scope="colgroup" colspan="6">Shared services</th></tr>' in html
    assert '<td>Libraries</td><th scope="row">Library running costs</th><td>Cash savings</td>' in html
    assert '<td>£350,000</td><td>2012/13</td><td class="num">£150,000</td>' in html
    assert '<td>15–20% of total service cost</td><td>—</td><td class="num">—</td>' in html
    assert "<td>Shared HR (shared from Capital Ambition)</td>" in html
    assert total_row("Shared services", "£470,000", "£270,000") in html
    assert total_row("Customer services", "£120,000", "£10,000") in html
    assert total_row(programme.name, "£590,000", "£280,000") in html
    assert '<th scope="row">2011/12</th><td class="num">£120,000</td><td class="num">£120,000</td>' in html
    assert '<th scope="row">2012/13</th><td class="num">£470,000</td><td class="num">£110,000</td>' in html
    assert '<th scope="row">2013/14</th><td class="num">—</td><td class="num">£50,000</td>' in html


def test_a_project_shared_into_two_workstreams_counts_once(clerk, programme, item, benefits):
    from programmes.models import Project

    again = factories.make_workstream(programme, name="Corporate", position=3)
    Project.objects.get(name="Shared HR").shared_with.add(again)
    appendix = services.add_appendix(
        item=item, user=clerk, appendix=ReportAppendix(kind="savings", programme=programme)
    )
    appendix = ReportAppendix.objects.prefetch_related(*appendix_prefetches()).get(pk=appendix.pk)
    savings = appendix.savings
    assert [group["workstream"].name for group in savings["workstreams"]] == [
        "Shared services",
        "Customer services",
        "Corporate",
    ]
    assert (savings["target"], savings["realised"]) == (Decimal(590_000), Decimal(280_000))
    assert savings["workstreams"][2]["target"] == Decimal(40_000)


def appendix_prefetches():
    from committees.access import report_prefetches

    appendices = report_prefetches()[1].queryset
    return appendices._prefetch_related_lookups


def test_a_programme_without_benefits_says_so(client, clerk, programme, item):
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="savings", programme=programme))
    client.force_login(clerk)
    html = client.get(report_url("report", item)).content.decode()
    assert f"No savings or benefits are recorded for the projects of {programme.name}." in html


def test_the_savings_appendix_prints_in_the_pdf(client, clerk, programme, item, benefits):
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="savings", programme=programme))
    client.force_login(clerk)
    reader = pypdf.PdfReader(io.BytesIO(client.get(report_url("report_pdf", item)).content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for printed in ["Library running costs", "£470,000", "£590,000", "£280,000", "2013/14"]:
        assert printed in text, printed


def test_savings_appendix_needs_a_programme(client, clerk, item):
    client.force_login(clerk)
    response = client.post(report_url("appendix_add", item), {"kind": "savings"}, follow=True)
    assert "Choose the programme." in response.content.decode()
    assert not item.appendices.exists()


@pytest.mark.parametrize("size", [1, 4])
def test_report_with_savings_runs_constant_queries(client, clerk, programme, item, size, django_assert_num_queries):
    other = factories.make_programme(name="Capital Ambition")
    for w in range(size):
        workstream = factories.make_workstream(programme)
        for p in range(size):
            project = factories.make_project(workstream)
            benefit = factories.make_benefit(project, description=f"Saving {w}.{p}", financial_year=2012)
            factories.make_realisation(benefit, financial_year=2012, amount=1_000)
        shared = factories.make_project(factories.make_workstream(other))
        shared.shared_with.add(workstream)
        factories.make_benefit(shared, description=f"Shared saving {w}")
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="savings", programme=programme))
    client.force_login(clerk)
    with django_assert_num_queries(17):
        response = client.get(report_url("report", item))
    html = squash(response.content.decode())
    assert html.count('<tr class="savings-workstream">') == size
    assert f"£{size * size * 1_000:,}" in html  # realised, the programme's total
