"""The 1 June 2010 meeting's papers load as the council issued them (fixtures
05 and 16): the agenda front sheet and its 13 items with the page ranges and
the text printed under them, the minutes of 11 February 2010 numbered 34-42
with their RESOLVED lines, and the commentary of the five reports in the pack.
The expected strings are copied from the seed
(../shared/seeds/ie-subcommittee-agenda-2010-06-01.txt), so the suite needs
nothing outside the repository."""

import datetime
import re

import pytest
from django.core.management import call_command

from committees.models import AgendaItem, Committee, Meeting, Minute, MinutedAction, ReportParagraph

COMMITTEE = "ie-sub-committee"
JUNE, FEB = datetime.date(2010, 6, 1), datetime.date(2010, 2, 11)

# The A G E N D A of 1 June 2010: number, title (printed in capitals), "(Pages …)" where the agenda gives them.
AGENDA = [
    (1, "Appointment of Chairman and Vice-Chairman", ""),
    (2, "Apologies for Absence", ""),
    (3, "Declarations of Interest", ""),
    (4, "Questions from Members of the Public Attending the Meeting", ""),
    (5, "Minutes of the Meeting held on 11th February 2010", "3 - 6"),
    (6, "Matters Arising from Previous Meetings", "7 - 12"),
    (7, "London Efficiency Challenge Feedback and Action Plan", "13 - 50"),
    (8, "Organisational Improvement Programme", "51 - 62"),
    (9, "Presentation on Customer Access Research", ""),
    (10, "Partnership Working - Web Development", "63 - 90"),
    (11, "Aligning Policy and Finance", "91 - 102"),
    (
        12,
        "Local Government 1972 as amended by the Local Government (Access to Information) (Variation) Order 2006, "
        "and the Freedom of Information Act 2000",
        "",
    ),
    (13, "Exempt Minutes of the Meeting held on 11th February 2010", "103 - 104"),
]
QUESTIONS = (
    "To hear questions received in writing by the Legal, Democratic & Customer Services Department by 5pm on "
    "Tuesday 25th May and to respond."
)
EXCLUSION_MOTION = (
    "The Chairman to move that the Press and public be excluded during consideration of the item of business "
    "listed below as it is likely in view of the nature of the business to be transacted or the nature of the "
    "proceedings that if members of the Press and public were present there would be disclosure to them of "
    "exempt information."
)
SUMMONS = (
    "Subject to the Improvement and Efficiency Sub Committee being reconstituted and Members of the Committee being "
    "appointed, there will be a meeting of the Improvement and Efficiency Sub-Committee at Bromley Civic Centre on "
    "TUESDAY 1 JUNE 2010 AT 7.30 PM"
)

# Minutes of 11 February 2010: number, title, the RESOLVED lines (without "RESOLVED that").
MINUTES = [
    (34, "Apologies for Absence", []),
    (35, "Declarations of Interest", []),
    (36, "Questions from Members of the Public Attending the Meeting", []),
    (
        37,
        "Minutes of the Meeting held on 17 December 2009",
        ["the Minutes of the meeting held on 17th December 2009 be agreed."],
    ),
    (38, "Matters Arising from Previous Meetings", ["the report be noted."]),
    (
        39,
        "Organisational Improvement Programme Update",
        ["progress made on the first phase projects within the Organisational Improvement Programme be noted."],
    ),
    (
        40,
        "Voice Recognition Project",
        [
            "the research findings around the experiences of other Local Authorities in implementing voice "
            "recognition technology be noted;",
            "that the implementation of voice recognition technology for both internal and external switchboard "
            "calls be supported.",
        ],
    ),
    (
        41,
        "Local Government 1972 as amended by the Local Government (Access to Information) (Variation) Order 2006, "
        "and the Freedom of Information Act 2000",
        [
            "the press and public be excluded during consideration of the item of business listed below as it was "
            "likely in view of the nature of the business to be transacted or the nature of the proceedings, that if "
            "members of the press and public were present, there would be disclosure to them of exempt information."
        ],
    ),
    (
        42,
        "London Efficiency Challenge Feedback",
        ["the recommendations made by the London Efficiency Challenge team be noted."],
    ),
]


@pytest.fixture
def seeded(seed_data):
    """The 2010 seeds, restored rather than loaded (tests/seed_cache.py)."""


def june():
    return Meeting.objects.select_related("committee").get(committee__ref=COMMITTEE, date=JUNE)


def item(number):
    return AgendaItem.objects.prefetch_related("paragraphs").get(
        meeting__committee__ref=COMMITTEE, meeting__date=JUNE, number=number
    )


def numbered(number):
    """{generated number: text} of an item's commentary, headings left out."""
    return {n: paragraph.text for n, paragraph in item(number).commentary if n is not None}


def test_the_agenda_has_all_13_items_in_order_with_the_seeds_page_ranges(seeded):
    items = june().agenda_items.order_by("number")
    assert [(i.number, i.title, i.pages) for i in items] == AGENDA
    assert list(items.filter(has_report=True).values_list("number", flat=True)) == [6, 7, 8, 10, 11]


def test_text_printed_under_items_and_the_minutes_they_take(seeded):
    assert item(4).description == QUESTIONS
    assert item(12).description == EXCLUSION_MOTION
    assert [i.number for i in AgendaItem.objects.filter(meeting__date=JUNE).exclude(description="")] == [4, 12]

    february = Meeting.objects.get(committee__ref=COMMITTEE, date=FEB)
    assert item(5).minutes_of == february
    assert not item(5).exempt

    exempt = item(13)
    assert exempt.exempt
    assert exempt.minutes_of == february
    assert exempt.exempt_reason == ""  # the agenda's "Schedule 12A Description" column is printed empty
    assert list(AgendaItem.objects.filter(meeting__date=JUNE, exempt=True).values_list("number", flat=True)) == [13]


def test_the_front_sheet_and_the_letterhead(seeded):
    meeting = june()
    assert meeting.papers_as_at == datetime.date(2010, 5, 20)  # "DATE: 20 May 2010"
    assert meeting.as_at == datetime.date(2010, 5, 20)
    assert meeting.addressed_to == "ALL MEMBERS OF THE COUNCIL"
    assert meeting.summons == SUMMONS
    assert (meeting.signatory, meeting.signatory_title) == (
        "MARK BOWEN",
        "Director of Legal, Democratic and Customer Services.",
    )
    assert (meeting.time, meeting.venue) == (datetime.time(19, 30), "Bromley Civic Centre")

    committee = meeting.committee
    assert committee.address == "BROMLEY CIVIC CENTRE, STOCKWELL CLOSE, BROMLEY BRI 3UH"  # as printed
    assert committee.telephone == "020 8464 3333"
    assert (committee.contact_name, committee.contact_email) == ("Kerry Nicholls", "kerry.nicholls@bromley.gov.uk")
    assert (committee.contact_telephone, committee.fax) == ("020 8313 4602", "020 8290 0608")
    assert committee.documents_note == "http://sharepoint.bromley.gov.uk"


def test_the_2012_papers_print_no_front_sheet_date(seeded):
    for date in (datetime.date(2012, 1, 18), datetime.date(2012, 4, 18)):
        meeting = Meeting.objects.get(committee__ref=COMMITTEE, date=date)
        assert meeting.papers_as_at is None
        assert meeting.as_at == date


def test_the_11_february_2010_minutes_are_numbered_with_their_resolutions(seeded):
    minutes = Minute.objects.filter(meeting__date=FEB).order_by("number")
    assert [(m.number, m.title, m.resolution_lines) for m in minutes] == MINUTES
    assert [m.number for m in minutes if m.exempt] == [42]  # "The following summary refers to … exempt information"
    assert not any(m.agenda_item_id for m in minutes)  # the seed holds that meeting's minutes, not its agenda
    assert not AgendaItem.objects.filter(meeting__date=FEB).exists()


def test_minute_text_is_verbatim_in_paragraphs(seeded):
    def text(number):
        return Minute.objects.get(meeting__date=FEB, number=number).text

    assert text(34) == (
        "Apologies for absence were received from Councillor Carr. Councillor Wells attended as alternate to "
        "Councillor Mellor."
    )
    matters = text(38).split("\n\n")
    assert matters[0] == "Report LDCS10017"
    # The seed breaks this paragraph across a page ("… Improvement and / Efficiency Sub Committee …").
    assert matters[1].startswith(
        "The Committee were advised that a discussion around the Aligning Policy and Finance Workstream would be "
        "held at the next meeting of Improvement and Efficiency Sub Committee on 1st June 2010. Councillor Grainger"
    )
    assert len(text(39).split("\n\n")) == 7  # the report number and six paragraphs
    assert "It was also important to consider how more complex service enquiries might be accommodated" in text(39)
    assert "release existing switchboard staff to support a wider range of customer service enquiries" in text(40)
    assert text(41) == ""
    assert text(42) == (
        "Report CEO1053\n\nThe Sub-Committee received a report updating Members on the findings of the London "
        "Efficiency Challenge which took place on 13th January 2010."
    )


def test_minute_numbers_continue_and_the_matter_arising_links_to_its_minute(seeded):
    committee = Committee.objects.get(ref=COMMITTEE)
    assert Minute.objects.next_number(committee) == 43  # the committee's next minute, at 1 June 2010

    arising = MinutedAction.objects.get(action__ref="ma-42")
    assert arising.minute == Minute.objects.get(meeting__date=FEB, number=42)
    assert arising.minute_label == "Minute 42 London Efficiency Challenge Feedback"
    # The two older matters arising come from minutes the seeds do not hold: number and title only.
    older = MinutedAction.objects.filter(minute__isnull=True)
    assert sorted(older.values_list("minute_number", "meeting__date")) == [
        ("30", datetime.date(2009, 12, 17)),
        ("5", datetime.date(2009, 10, 21)),
    ]


def test_the_lec_report_numbers_each_heading_with_the_paragraph_under_it(seeded):
    """CEO1057 prints "3.1 What does it involve?" and the paragraph under it
    unnumbered: the heading is unnumbered here and its paragraph takes 3.1, so
    the paragraphs carry the paper's numbers 3.1-3.13."""
    commentary = item(7).commentary
    assert [n for n, _ in commentary] == [
        None, "3.1", "3.2", None, "3.3", "3.4", None, "3.5", "3.6", None, "3.7", "3.8", "3.9", None,
        "3.10", "3.11", "3.12", "3.13",
    ]  # fmt: skip
    assert [p.text for n, p in commentary if n is None] == [
        "What does it involve?",
        "London Efficiency Challenge set-up day",
        "London Efficiency Challenge main challenge day",
        "London Efficiency Challenge feedback",
        "London Efficiency Challenge Action Plan and next steps",
    ]
    paragraphs = numbered(7)
    assert paragraphs["3.1"] == (
        "The London Efficiency Challenge (LEC) is a free of charge pan-London programme run by Capital Ambition to "
        "enable London local authorities to share best practice. Its principal aim is: 'To identify cashable "
        "efficiency savings in order to deliver the best possible affordable services to London and Londoners'."
    )
    assert paragraphs["3.2"].splitlines() == [
        "Bromley's challenge team consisted of:",
        "Jan Willis – Director of Finance, LB Barnet",
        "Steve Stott – Audit Manager, LB Bexley",
        "David Armin – Challenge Manager, IDeA",
        "Caroline Stanger, Capital Ambition representative",
    ]
    assert paragraphs["3.3"].splitlines()[1:] == [
        "- Mobile & flexible working (including accommodation)",
        "- E-payments / transactions",
        "- Partnership working",
        "- Customer access",
        "- A more strategic approach towards efficiency in the organisation",
    ]
    # Split by a page break in the seed ("Following this, / discussions will be held …").
    assert "Following this, discussions will be held with Property Services" in paragraphs["3.12"]
    assert paragraphs["3.13"].startswith("Once all London boroughs have participated")


def test_the_oip_report_keeps_its_numbered_titles(seeded):
    """CEO1058 numbers its titles as paragraphs (3.4 Civic Centre
    Accommodation, 3.5 Work is ongoing …): they are numbered paragraphs here,
    so every number is the paper's."""
    paragraphs = numbered(8)
    assert list(paragraphs) == [f"3.{n}" for n in range(1, 30)]
    assert ReportParagraph.objects.filter(agenda_item=item(8), kind=ReportParagraph.Kind.HEADING).count() == 0
    assert {n: paragraphs[n] for n in ("3.4", "3.12", "3.15", "3.19", "3.27")} == {
        "3.4": "Civic Centre Accommodation",
        "3.12": "Customer Contact Centre Expansion",
        "3.15": "Customer Contact Centre Service Migrations",
        "3.19": "Website Upgrade & Self Service",
        "3.27": "Voice Recognition",
    }
    assert paragraphs["3.5"].startswith(
        "Work is ongoing to set out to Members a high level options appraisal for our Civic Centre office"
    )
    assert paragraphs["3.20"] == (
        "The website upgrade is the subject of a separate report (Report Number CEX1059) to this committee."  # sic
    )
    assert paragraphs["3.25"].splitlines()[1:] == [
        "- Website Development",
        "- Transactional & Authentication Capability",
        "- Customer Relationship Management Systems & Integration Into Back Office Line Of Business Systems",
    ]
    assert paragraphs["3.29"] == (
        "Roll out of the technology to an internal test group will commence on 27th May. Assuming a successful test "
        "period the system will go live to all staff and Members on 14th June."
    )


def test_the_other_2010_reports_commentary(seeded):
    assert numbered(6) == {
        "3.1": "The Committee is asked to consider progress on matters arising from previous meetings."
    }  # printed unnumbered under "3. COMMENTARY"

    web = numbered(10)
    assert list(web) == [f"3.{n}" for n in range(1, 10)]
    assert web["3.4"].splitlines()[1] == "The key areas of the bid are:"
    # Split by a page break in the seed ("… in a couple of easy steps. In / order to achieve this …").
    assert "all in a couple of easy steps. In order to achieve this websites are now made up" in web["3.8"]
    assert '"to resource new projects that would help London local government' in web["3.3"]

    policy = numbered(11)  # section 3 only: CEX1060's sections 4-6 number their own paragraphs (4.1 …)
    assert list(policy) == ["3.1", "3.2", "3.3"]
    assert policy["3.1"] == "Local authorities provide a wide range of services, some mandatory, others discretionary."
    assert policy["3.3"].startswith("The Conservative Government in the mid-1980s promised such a list –")


def test_no_2010_commentary_stores_a_number_or_extraction_marks(seeded):
    paragraphs = ReportParagraph.objects.filter(agenda_item__meeting__date=JUNE)
    assert paragraphs.count() == 1 + 18 + 29 + 9 + 3
    for paragraph in paragraphs:
        assert not re.match(r"^-? ?\d\.\d", paragraph.text), paragraph.text
        assert "*" not in paragraph.text
        assert "<" not in paragraph.text


def test_loading_again_duplicates_nothing_and_restores_the_minutes(seeded):
    def counts():
        return (
            AgendaItem.objects.count(),
            Minute.objects.count(),
            MinutedAction.objects.count(),
            ReportParagraph.objects.count(),
        )

    first = counts()
    minute = Minute.objects.get(meeting__date=FEB, number=40)
    original = minute.resolved
    minute.resolved = "Edited after loading"
    minute.save()
    edited_version = Minute.objects.get(pk=minute.pk).version

    call_command("load_seed_data", verbosity=0)

    assert counts() == first
    minute.refresh_from_db()
    assert minute.resolved == original
    assert minute.version == edited_version  # the loader keeps the optimistic-locking version
    assert MinutedAction.objects.get(action__ref="ma-42").minute.number == 42
