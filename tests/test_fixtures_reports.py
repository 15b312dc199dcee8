"""The committee reports as the council issued them load as fixtures: the three
2012 reports' cover sheets and commentary (fixture 14) and the 1 June 2010
pack's report cover sheets (fixture 15). Fields and sample paragraphs are
checked against the seeds' words (../shared/seeds/), copied into the tests so
the suite needs nothing outside the repository."""

import re

import pytest
from django.core.management import call_command

from committees.models import AgendaItem, ReportAppendix, ReportParagraph
from programmes.models import HighlightReport

COMMITTEE = "ie-sub-committee"
OIP_UPDATE = (COMMITTEE, "2012-01-18", 1)
SHARED_SERVICES = (COMMITTEE, "2012-04-18", 1)
CEO1198 = (COMMITTEE, "2012-04-18", 2)


@pytest.fixture
def seeded(seed_data):
    """The 2010 seeds, restored rather than loaded (tests/seed_cache.py)."""


def item(key):
    committee_ref, date, number = key
    return AgendaItem.objects.prefetch_related("paragraphs", "appendices").get(
        meeting__committee__ref=committee_ref, meeting__date=date, number=number
    )


def test_the_2012_reports_cover_sheets_are_as_printed(seeded):
    oip = item(OIP_UPDATE)
    assert oip.has_report
    assert not oip.exempt
    assert oip.title == "Organisational Improvement Programme Update"
    assert oip.report_number == ""  # the paper prints none
    assert oip.contact_officer == "Chris Spellman, Assistant Director, Organisational Improvement"
    assert (oip.contact_telephone, oip.contact_email) == ("020 8461 7942", "chris.spellman@bromley.gov.uk")
    assert oip.chief_officer == "Doug Patterson, Chief Executive"
    assert oip.ward == "Borough-wide"
    assert (oip.policy_status, oip.bbb_priority) == ("Existing policy.", "Excellent Council.")
    assert oip.cost_of_proposal == "N/A No additional costs at this stage"
    assert oip.ongoing_costs.startswith("N/A. Opportunity cost of Organisational Improvement Team.")
    assert oip.budget_head == "Organisational Improvement Team"
    assert oip.total_current_budget == "£328k"
    assert oip.source_of_funding == "Existing revenue budgets"
    assert (oip.staff_number, oip.staff_hours) == ("5 FTE", "")  # the paper leaves the hours blank
    assert oip.legal_requirement == "Non-statutory - Government guidance."
    assert oip.call_in == "Call-in is applicable"
    assert oip.customer_impact == "Dependent on Member Decision Making. Potentially all customers"
    assert (oip.ward_councillors_asked, oip.ward_councillors_comments) == ("N/A.", "N/A")
    assert oip.personnel_implications == (
        "All the projects mentioned above will have personnel implications as we continue to move towards a well "
        "skilled but smaller workforce."
    )
    assert (oip.non_applicable_sections, oip.background_documents) == ("", "")

    shared = item(SHARED_SERVICES)
    assert shared.has_report
    assert shared.contact_officer == "Harriet Martyn, Project Manager, Organisational Improvement"
    assert (shared.contact_telephone, shared.contact_email) == ("020 8313 4439", "harriet.martyn@bromley.gov.uk")
    assert (shared.cost_of_proposal, shared.ongoing_costs) == ("N/A", "N/A.")
    assert shared.budget_head == "Chris Spellman"
    assert (shared.total_current_budget, shared.staff_number) == ("£328k", "5")
    assert shared.legal_requirement == "Non-statutory Government guidance."  # no dash in this paper
    assert shared.financial_implications == "None directly arising from this report."

    transition = item(CEO1198)
    assert transition.has_report
    assert transition.report_number == "CEO1198"
    assert transition.title == "Transition Report (Moving Towards Our Corporate Operating Principles)"
    assert transition.contact_officer == "Doug Patterson, Chief Executive"
    assert (transition.contact_telephone, transition.contact_email) == (
        "020 8461 7942",
        "doug.patterson@bromley.gov.uk",
    )
    assert transition.chief_officer == ""  # printed blank
    assert transition.ward == "Borough-wide"
    assert transition.call_in == "Call-in is applicable"
    assert [
        transition.policy_implications,
        transition.financial_implications,
        transition.legal_implications,
        transition.personnel_implications,
    ] == ["None directly from this report"] * 3 + [""]  # CEO1198 has no section 7


def test_recommendations_are_one_per_line(seeded):
    assert item(OIP_UPDATE).recommendation_lines == [
        "Note the progress made to date on projects led by the Organisational Improvement Team and the new work "
        "projects that members of the team are currently supporting."
    ]
    assert item(SHARED_SERVICES).recommendation_lines == [
        "That Members note the progress made to date on shared services project",
        "That Members comment on changes to improve project delivery of this workstream.",
    ]
    assert item(CEO1198).recommendation_lines == [
        "Comment on the approach to be taken to progress towards the Target Operating Model."
    ]


@pytest.mark.parametrize(
    ("key", "paragraphs", "headings"),
    [(OIP_UPDATE, 56, 17), (SHARED_SERVICES, 19, 3), (CEO1198, 19, 7)],
)
def test_each_report_has_its_commentary_paragraphs_and_headings(seeded, key, paragraphs, headings):
    kinds = list(item(key).paragraphs.values_list("kind", flat=True))
    assert kinds.count(ReportParagraph.Kind.PARAGRAPH) == paragraphs
    assert kinds.count(ReportParagraph.Kind.HEADING) == headings


@pytest.mark.parametrize("key", [OIP_UPDATE, SHARED_SERVICES, CEO1198])
def test_no_commentary_text_stores_its_generated_number(seeded, key):
    """Every paragraph was checked word for word against its seed when the
    fixture was made (fixtures/README.md); the suite needs nothing outside the
    repository, so here the samples below stand for that, and no paragraph
    may carry the 3.x number the page generates."""
    for paragraph in item(key).paragraphs.all():
        assert not re.match(r"^3\.\d", paragraph.text), "the 3.x number is generated, not stored"


def test_commentary_is_numbered_in_order_with_headings_unnumbered(seeded):
    commentary = item(OIP_UPDATE).commentary
    numbers = [number for number, _ in commentary if number is not None]
    assert numbers == [f"3.{n}" for n in range(1, 57)]
    assert commentary[0][0] == "3.1"
    assert commentary[0][1].text.startswith("Since the last I&E Sub-Committee, a corporate decision")
    assert commentary[4] == (None, commentary[4][1])
    assert commentary[4][1].text == "Joint commissioning (New department)"

    # The paper prints 3.2 twice and skips 3.32: generated numbers run one ahead from its second 3.2 …
    def number_of(start):
        return next(number for number, paragraph in commentary if paragraph.text.startswith(start))

    assert number_of("There remain a number of cross-cutting corporate projects") == "3.3"
    # … and meet the paper's own again at its 3.33.
    assert number_of("As Members will have observed, works on the Civic Centre site") == "3.33"
    assert commentary[-1][0] == "3.56"

    transition = item(CEO1198).commentary
    assert [(number, paragraph.text) for number, paragraph in transition[4:7]] == [
        (None, "Key Issues:"),
        (None, "Markey Testing & Outsourcing"),  # sic
        ("3.5", transition[6][1].text),
    ]


def test_sample_paragraphs_are_verbatim(seeded):
    oip = item(OIP_UPDATE).paragraphs.all()
    assert any(
        p.text.startswith(
            "The new model will deliver the £350k of support efficiencies identified in the budget in the first phase"
        )
        for p in oip
    )
    momentum = next(p.text for p in oip if p.text.startswith("The areas with significant momentum are:"))
    assert momentum.splitlines()[1] == (
        "- Libraries back-office and managerial savings are in the process of being realised as the shared service "
        "went live on 1 January 2012. There is potential for further savings through a Libraries' Trust (Bexley & "
        "Bromley) and this is currently being investigated further."
    )
    assert momentum.splitlines()[-1] == "- Regulatory services (see below)"

    shared = item(SHARED_SERVICES).paragraphs.all()
    transport = next(p.text for p in shared if p.text.startswith("Shared transport:"))
    # §3.8 runs over a page break in the seed; it is one paragraph here.
    assert "followed by implementation. Bexley and Bromley have a more similar transport operation" in transport
    questions = next(p.text for p in shared if p.text.startswith("The joint working group will be tasked"))
    assert questions.splitlines()[1:] == [
        "- How will savings & costs be attributed?",
        "- Who will pay for redundancies?",
        "- Will staff be TUPE'd or seconded?",
        "- Will terms and conditions need to change?",
        "- Will budgets be pooled and who will monitor them?",
        "- How will staff access their 'home' IT system if based elsewhere?",
        "- What is the Member approval process to establish a shared service?",
    ]


def test_the_1_june_2010_cover_sheets(seeded):
    matters = item((COMMITTEE, "2010-06-01", 6))
    assert matters.has_report
    assert matters.report_number == "LDCS10081"
    assert matters.contact_telephone == "020 8313 4602"
    assert matters.total_current_budget == "£N/A"
    assert matters.call_in == "Call-in is not applicable. This report does not involve an executive decision"
    assert matters.non_applicable_sections == (
        "Policy Implications; Financial Implications; Legal Implications; Personnel Implications"
    )
    assert [a.kind for a in matters.appendices.all()] == [ReportAppendix.Kind.MATTERS_ARISING]

    oip = item((COMMITTEE, "2010-06-01", 8))
    assert oip.contact_telephone == "020 8 461 7942"  # as printed
    assert (oip.total_current_budget, oip.staff_number) == ("£", "5 FTE")
    assert oip.ward_councillors_comments == ""
    assert oip.legal_implications == "No obvious legal implications at this stage"
    (appendix,) = oip.appendices.all()
    assert appendix.highlight_report == HighlightReport.objects.get(programme__ref="oip", period_end="2010-06-06")

    web = item((COMMITTEE, "2010-06-01", 10))
    assert web.total_current_budget.startswith("£Customer Contact Centre £1,385,300 (£976,330 controllable budget)")
    assert web.staff_hours == "Estimate one working week (36 hours) drawn from various officers"
    assert web.non_applicable_sections == "N/A"

    policy = item((COMMITTEE, "2010-06-01", 11))
    assert (policy.decision_maker, policy.decision_type) == ("IE&E Sub-committee", "Non-Urgent Executive Non-Key")
    assert len(policy.reason.splitlines()) == 3
    assert policy.financial_implications.startswith("There are no financial or personnel implications")
    assert "SERVICE" not in policy.financial_implications  # stops before the appendix table

    assert not item((COMMITTEE, "2010-06-01", 2)).has_report  # a standing item has no cover
    assert AgendaItem.objects.filter(meeting__date="2010-06-01", has_report=True).count() == 5


def test_a_second_load_duplicates_nothing_and_restores_the_text(seeded):
    def counts():
        return (
            AgendaItem.objects.count(),
            ReportParagraph.objects.count(),
            ReportAppendix.objects.count(),
        )

    first = counts()
    # 2012: January, April, CEO1198 (paragraphs + headings); 1 June 2010 (fixture 16): items 6, 7, 8, 10, 11.
    assert first[1:] == (56 + 17 + 19 + 3 + 19 + 7 + 1 + 18 + 29 + 9 + 3, 2)
    paragraph = item(CEO1198).paragraphs.first()
    original = paragraph.text
    paragraph.text = "Edited after loading"
    paragraph.save()

    call_command("load_seed_data", verbosity=0)

    assert counts() == first
    paragraph.refresh_from_db()
    assert paragraph.text == original
