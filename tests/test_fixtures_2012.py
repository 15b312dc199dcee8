"""The 2012 papers (and the 2010 Capital Ambition PID) load as fixtures with
`make run`: the OIP as it stood in January 2012, the Shared Services
programme, the 18 January and 18 April 2012 meetings. Counts, texts, £ figures
and percentages are checked against the seeds; the 2012 highlight report
prints only what the 2012 paper covers."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from committees.models import Meeting
from core.models import RAG, Owner
from programmes.models import (
    Benefit,
    Funder,
    Milestone,
    Partner,
    Partnership,
    Programme,
    Project,
    ProjectUpdate,
    Risk,
    SpendProfileEntry,
)
from programmes.services import draft_highlight_report

# The projects the OIP update of 18 January 2012 reports, in its order.
OIP_2012_PROJECTS = [
    "Joint commissioning (New department)",
    "Public Health",
    "Voice Recognition",
    "CCC Service Migrations",
    "New Technology Working Group recommendations",
    "Stopford appointment booking system",
    "Blue Badge improvement scheme",
    "Tell Us Once",
    "Other customer service workstreams",
    "Shared Services",
    "Regulatory Services",
    "Civic centre accommodation",
    "Organisational Design",
    "Centralisation/Rationalisation of Support Services",
    "Market Testing",
    "Invest to Save for Special Educational Needs Provision",
]
NOT_REPORTED_IN_2012 = ["oip-website-upgrade", "oip-sharepoint-review-and-strategy", "oip-customer-insight-analysis"]


@pytest.fixture
def seeded(seed_data):
    """The 2010 seeds, restored rather than loaded (tests/seed_cache.py)."""


def pid_counts():
    models = [Owner, Partner, Partnership, Project, ProjectUpdate, Milestone, Risk, Funder, SpendProfileEntry, Benefit]
    return {model.__name__: model.objects.count() for model in models}


def test_the_2012_fixtures_give_the_expected_counts(seeded):
    oip = Project.objects.filter(workstream__programme__ref="oip")
    assert oip.count() == 19  # 16 reported in 2012 + 3 closed 2010 projects
    assert oip.active().count() == 16
    assert Project.objects.filter(workstream__programme__ref="shared-services").count() == 8
    assert Project.objects.in_programme(Programme.objects.get(ref="shared-services")).count() == 9
    assert Counter(Milestone.objects.values_list("project__ref", flat=True))["oip-website-upgrade"] == 16
    assert Milestone.objects.count() == 33
    assert Risk.objects.filter(project__ref="oip-website-upgrade").count() == 7
    assert Funder.objects.filter(project__ref="oip-website-upgrade").count() == 3
    assert SpendProfileEntry.objects.filter(project__ref="oip-website-upgrade", kind="capital").count() == 8
    assert Benefit.objects.filter(project__ref="oip-website-upgrade").count() == 7
    assert Benefit.objects.count() == 16
    assert Partner.objects.count() == 8
    assert Partnership.objects.count() == 35
    assert Owner.objects.count() == 22
    shared = Programme.objects.get(ref="shared-services")
    assert sorted(p.partner.short_name for p in shared.partnerships.all()) == ["LB Bexley", "LB Bromley", "LB Croydon"]


def test_the_2012_projects_carry_the_papers_words_verbatim(seeded):
    voice = Project.objects.get(ref="oip-voice-recognition")
    jan = voice.updates.get(period_end="2012-01-18")
    assert jan.key_progress.startswith("3.14 Phase 3 of the Voice Recognition project is looking at high volume")
    assert (jan.rag, jan.author_name) == (
        RAG.NOT_RATED,
        "Chris Spellman, Assistant Director, Organisational Improvement",
    )
    assert voice.updates.count() == 2  # the 2010 update is still there
    assert voice.workstream.name == "Customer Service Improvement (CCC)"

    civic = Project.objects.get(ref="oip-office-accommodation-business-case")
    assert (civic.name, civic.stage, civic.workstream.name) == (
        "Civic centre accommodation",
        "implementation",
        "Cross-cutting corporate projects",
    )
    assert civic.updates.get(period_end="2012-01-18").key_progress.startswith(
        "3.33 As Members will have observed, works on the Civic Centre site are well underway"
    )
    decant = civic.milestones.get(status="achieved")
    assert decant.achieved_on == datetime.date(2011, 7, 31)

    libraries = Project.objects.get(ref="ss-libraries")
    assert libraries.stage == "live"
    assert "the shared service went live on 1 January 2012" in libraries.description

    parking = Project.objects.get(ref="ss-parking-services")
    assert [(m.name, m.due_wording, m.due_date.isoformat()) for m in parking.milestones.all()] == [
        ("Joint tender for a shared IT solution", "proposed to be conducted in May 2012", "2012-05-31"),
        ("Implementation in both boroughs", "to be achieved by March 2013", "2013-03-31"),
    ]
    transport = Project.objects.get(ref="ss-shared-transport")
    assert transport.description.endswith("before looking to collaborate with Bexley and Bromley.")
    assert {p.partner.ref: p.role for p in transport.partnerships.all()} == {
        "lb-bexley": "partner",
        "lb-bromley": "partner",
        "lb-croydon": "partner",
        "people-too": "adviser",
        "capital-ambition": "funder",
    }
    croydon = Partnership.objects.get(project__ref="ss-property-services", partner__ref="lb-croydon")
    assert croydon.role == "may_join"
    assert "contracts are not due to expire until 2016" in croydon.join_condition

    harriet = Owner.objects.get(name="Harriet Martyn")
    assert (harriet.post_title, harriet.telephone) == ("Project Manager, Organisational Improvement", "020 8313 4439")
    assert Owner.objects.get(name="AD OIP").post_title == "Assistant Director, Organisational Improvement"
    assert not Owner.objects.filter(name="Chris Spellman").exists()  # the same post as "AD OIP"


def test_the_2012_meetings_hold_the_reports_as_printed(seeded):
    january = Meeting.objects.get(committee__ref="ie-sub-committee", date="2012-01-18")
    assert [i.title for i in january.agenda_items.all()] == ["Organisational Improvement Programme Update"]
    april = Meeting.objects.get(committee__ref="ie-sub-committee", date="2012-04-18")
    assert {i.title: i.report_number for i in april.agenda_items.all()} == {
        "Shared Services Update": "",
        "Transition Report (Moving Towards Our Corporate Operating Principles)": "CEO1198",
    }
    assert april.agenda_items.get(number=1).contact_officer.startswith("Harriet Martyn")
    assert sorted(Programme.objects.get(ref="shared-services").committees.values_list("ref", flat=True)) == [
        "ie-sub-committee"
    ]


def test_pounds_and_percentages_match_the_seeds(seeded):
    support = Benefit.objects.get(project__ref="oip-support-services")
    assert (support.type, support.target_amount) == ("cash_savings", Decimal("350000"))
    assert support.target_wording == "the £350k of support efficiencies identified in the budget in the first phase"

    minimum, longer_term = Benefit.objects.filter(project__ref="oip-regulatory-services").order_by("position")
    assert (minimum.target_percent_low, minimum.target_percent_high, minimum.at_least, minimum.percent_of) == (
        Decimal("20"),
        None,
        True,
        "combined management cost",
    )
    assert (longer_term.target_percent_low, longer_term.target_percent_high, longer_term.percent_of) == (
        Decimal("15"),
        Decimal("20"),
        "total service cost",
    )

    website = Project.objects.get(ref="oip-website-upgrade")
    assert (website.total_cost, website.capital_funding, website.revenue_funding) == (
        Decimal("1000000"),
        Decimal("500000"),
        None,
    )
    funders = {f.partner.ref: (f.amount, f.secured, f.decision_wording) for f in website.funders.all()}
    assert funders == {
        "capital-ambition": (Decimal("500000"), False, "by mid June"),
        "lb-bromley": (Decimal("250000"), False, "May 2010"),
        "lb-bexley": (Decimal("250000"), False, "July 2010"),
    }
    # PID 3.2 prints £83,333 a quarter and totals of £166,666, £333,332 and
    # £500,000: the quarters are kept as printed (their sum is £499,998), the
    # printed totals in the Capital Ambition funder's note.
    profile = website.spend_profile.table("capital")
    assert [(year, total) for year, _, total in profile["years"]] == [(1, Decimal("166666")), (2, Decimal("333332"))]
    assert profile["total"] == Decimal("499998")
    assert abs(profile["total"] - Decimal("500000")) <= 6
    assert "Total £500,000" in website.funders.get(partner__ref="capital-ambition").note
    assert sorted(website.benefits.values_list("type", flat=True)) == sorted(
        [
            "cash_savings",
            "efficiency_gains",
            "cost_avoidance",
            "capacity_building",
            "performance_improvement",
            "customer_satisfaction",
            "other",
        ]
    )
    assert website.benefits.get(type="cash_savings").target_amount == Decimal("360000")
    shares = {p.partner.ref: p.savings_share for p in website.partnerships.exclude(savings_share=None)}
    assert shares == {"lb-bromley": Decimal("220000"), "lb-bexley": Decimal("140000")}


def test_the_pid_risks_and_milestones_are_graded_and_dated_as_printed(seeded):
    website = Project.objects.get(ref="oip-website-upgrade")
    grades = [(r.number, r.grading) for r in website.risks.all()]
    assert grades == [
        (1, "L/H, score 3 (Medium)"),
        (2, "M/H, score 6 (High)"),
        (3, "M/H, score 6 (High)"),
        (4, "M/L, score 2 (Low)"),
        (5, "M/M, score 4 (Medium)"),
        (6, "M/M, score 4 (Medium)"),
        (7, "M/M, score 4 (Medium)"),
    ]
    assert {r.owner.name for r in website.risks.all()} == {"Bexley / Bromley"}
    assert website.risks.get(number=2).mitigation.endswith("will be programmed into the board meeting schedule")
    by_stage = Counter(website.milestones.values_list("stage", "due_wording", "due_date"))
    assert by_stage == {
        ("Governance", "June/July 2010", datetime.date(2010, 7, 31)): 3,
        ("Planning", "Autumn 2010", datetime.date(2010, 11, 30)): 5,
        ("Implementation", "Spring 2011", datetime.date(2011, 5, 31)): 4,
        ("Closure of phase", "Summer 2011", datetime.date(2011, 8, 31)): 4,
    }
    assert website.milestones.first().number == "1.1"
    assert set(website.milestones.values_list("status", flat=True)) == {"planned"}
    assert website.objectives.startswith("- To realise 10-15% channel shift to web self service systems")
    assert website.dependencies.startswith("There is clearly a relationship to the Capital Ambition funded project")


def test_regulatory_services_is_one_record_in_both_programmes(seeded):
    regulatory = Project.objects.get(name="Regulatory Services")
    assert regulatory.workstream.programme.ref == "oip"
    assert [w.programme.ref for w in regulatory.shared_with.all()] == ["shared-services"]
    for ref in ("oip", "shared-services"):
        assert list(
            Project.objects.in_programme(Programme.objects.get(ref=ref)).filter(name__iexact="regulatory services")
        ) == [regulatory]
    assert [u.period_end.isoformat() for u in regulatory.updates.order_by("period_end")] == ["2012-01-18", "2012-04-18"]


def test_the_january_2012_report_prints_only_what_the_2012_paper_covers(seeded):
    oip = Programme.objects.get(ref="oip")
    report = draft_highlight_report(
        programme=oip, period_start=datetime.date(2011, 10, 1), period_end=datetime.date(2012, 1, 18), user=None
    )

    rows = list(report.rows.all())
    assert [row.project_name for row in rows] == OIP_2012_PROJECTS
    assert all(row.key_progress for row in rows)
    assert {row.rag for row in rows} == {RAG.NOT_RATED}
    assert report.overall_rag == RAG.NOT_RATED
    closed = Project.objects.filter(ref__in=NOT_REPORTED_IN_2012)
    assert {p.closed_on for p in closed} == {datetime.date(2011, 9, 30)}
    assert all(p.closure_note.startswith("Not reported in the OIP update of 18 January 2012") for p in closed)


def test_a_2010_report_drafted_now_leaves_out_the_projects_first_reported_in_2012(seeded):
    """The 2012 projects have no start date in the papers; they count as
    started when first reported on, so a 2010 report offers only 2010's six."""
    oip = Programme.objects.get(ref="oip")
    report = draft_highlight_report(
        programme=oip, period_start=datetime.date(2010, 6, 7), period_end=datetime.date(2010, 7, 20), user=None
    )

    names = {row.project_name for row in report.rows.all()}
    assert len(names) == 6
    assert "Voice Recognition" in names
    assert not names & (
        set(OIP_2012_PROJECTS) - {"Voice Recognition", "CCC Service Migrations", "Civic centre accommodation"}
    )


def test_reloading_the_2012_fixtures_duplicates_nothing(seeded):
    first = pid_counts()

    call_command("load_seed_data", verbosity=0)

    assert pid_counts() == first
    assert Project.objects.get(ref="oip-office-accommodation-business-case").name == "Civic centre accommodation"
