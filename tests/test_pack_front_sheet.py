"""The pack opens with the agenda front sheet as the council prints it (the
1 June 2010 seed: letterhead, "To:", the summons, the A G E N D A with its
standing items and Part 2), then each item's paper in agenda order: the
minutes of the last meeting under the minutes item, then the reports."""

import datetime
import html as entities
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees.forms import AgendaItemForm, MeetingForm
from committees.models import AgendaItem, Committee, Meeting, Minute
from tests import factories

EXCLUSION_MOTION = (
    "The Chairman to move that the Press and public be excluded during consideration of the item of business "
    "listed below as it is likely in view of the nature of the business to be transacted or the nature of the "
    "proceedings that if members of the Press and public were present there would be disclosure to them of "
    "exempt information."
)
QUESTIONS = (
    "To hear questions received in writing by the Legal, Democratic & Customer Services Department by 5pm on "
    "Tuesday 25th May and to respond."
)
# Minute 39 of 11 February 2010, two of its paragraphs (seed: ie-subcommittee-agenda-2010-06-01.txt).
OIP_MINUTE = (
    "The Sub Committee received a report providing an update on the progress of the Organisational Improvement "
    "Programme definition phase following the commissioning of this work by the Improvement and Efficiency Sub "
    "Committee on 21st October 2009.\n\n"
    "The Assistant Director: Organisational Improvement outlined the three areas of cross-cutting work."
)


def build_june_meeting(extra_minutes=0):
    """The 1 June 2010 meeting as its front sheet has it, built with factories
    (the fixtures carry the same from helper D's transcription): the February
    minutes it takes, a report, standing items and a Part 2."""
    committee = Committee.objects.create(
        name="Improvement and Efficiency Sub-Committee",
        short_name="I&E sub-committee",
        ref="ie-test",
        address="BROMLEY CIVIC CENTRE, STOCKWELL CLOSE, BROMLEY BRI 3UH",
        telephone="020 8464 3333",
        contact_name="Kerry Nicholls",
        contact_email="kerry.nicholls@bromley.gov.uk",
        contact_telephone="020 8313 4602",
        fax="020 8290 0608",
        documents_note="http://sharepoint.bromley.gov.uk",
    )
    february = Meeting.objects.create(committee=committee, date=datetime.date(2010, 2, 11))
    june = Meeting.objects.create(
        committee=committee,
        date=datetime.date(2010, 6, 1),
        time=datetime.time(19, 30),
        venue="Bromley Civic Centre",
        papers_as_at=datetime.date(2010, 5, 20),
        addressed_to="ALL MEMBERS OF THE COUNCIL",
        signatory="MARK BOWEN",
        signatory_title="Director of Legal, Democratic and Customer Services.",
    )
    Minute.objects.create(
        meeting=february,
        number=34,
        title="Apologies for absence",
        text="Apologies for absence were received from Councillor Carr.",
    )
    Minute.objects.create(
        meeting=february,
        number=39,
        title="Organisational Improvement Programme update",
        text=OIP_MINUTE,
        resolved="progress made on the first phase projects within the Organisational Improvement Programme be noted.",
    )
    Minute.objects.create(
        meeting=february,
        number=40,
        title="Voice recognition project",
        text="The Sub Committee received a report presenting the findings of market research.",
        resolved="the research findings be noted;\nthe implementation of voice recognition technology be supported.",
    )
    Minute.objects.create(
        meeting=february,
        number=42,
        title="London Efficiency Challenge feedback",
        text="The Sub-Committee received a report updating Members on the findings.",
        resolved="the recommendations made by the London Efficiency Challenge team be noted.",
        exempt=True,
    )
    for i in range(extra_minutes):
        Minute.objects.create(meeting=february, number=100 + i, title=f"Further minute {i}", resolved=f"item {i}.")
    items = [
        {"number": 1, "title": "Appointment of Chairman and Vice-Chairman"},
        {"number": 2, "title": "Apologies for Absence"},
        {"number": 3, "title": "Declarations of Interest"},
        {"number": 4, "title": "Questions from Members of the Public Attending the Meeting", "description": QUESTIONS},
        {"number": 5, "title": "Minutes of the Meeting held on 11th February 2010", "minutes_of": february},
        {
            "number": 8,
            "title": "Organisational Improvement Programme",
            "has_report": True,
            "report_number": "CEO1058",
            "decision_maker": "Improvement and Efficiency Sub-Committee",
            "decision_type": "Non-Urgent Non-Executive Non-Key",
            "contact_officer": "Chris Spellman, Assistant Director, Organisational Improvement",
            "reason": "To update Members on the progress of the Organisational Improvement Programme",
            "recommendations": "Note the progress made on the first phase projects",
        },
        {"number": 9, "title": "Presentation on Customer Access Research"},
        {
            "number": 12,
            "title": "Local Government 1972 as amended by the Local Government (Access to Information) (Variation) "
            "Order 2006, and the Freedom of Information Act 2000",
            "description": EXCLUSION_MOTION,
        },
        {
            "number": 13,
            "title": "Exempt Minutes of the Meeting held on 11th February 2010",
            "exempt": True,
            "exempt_reason": "Information relating to the financial or business affairs of any particular person",
            "minutes_of": february,
        },
        {
            "number": 14,
            "title": "Contract award",
            "exempt": True,
            "has_report": True,
            "exempt_reason": "Information relating to any individual",
        },
    ]
    for fields in items:
        AgendaItem.objects.create(meeting=june, **fields)
    return june


@pytest.fixture
def june(db):
    return build_june_meeting()


def pack_html(client, user, meeting):
    client.force_login(user)
    response = client.get(reverse("committees:pack", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def front_sheet(html):
    return entities.unescape(html.split('class="agenda-front-sheet"', 1)[1].split("</section>", 1)[0])


def test_front_sheet_has_the_letterhead_summons_and_signatory(client, clerk, june):
    sheet = front_sheet(pack_html(client, clerk, june))
    for text in [
        "BROMLEY CIVIC CENTRE, STOCKWELL CLOSE, BROMLEY BRI 3UH",
        "TELEPHONE:</dt> <dd>020 8464 3333",
        "Kerry Nicholls<br>kerry.nicholls@bromley.gov.uk",
        "DIRECT LINE:</dt> <dd>020 8313 4602",
        "FAX:</dt> <dd>020 8290 0608",
        "DATE:</dt> <dd>20 May 2010",  # the papers' date, not the meeting's
        "To: <strong>ALL MEMBERS OF THE COUNCIL</strong>",
        "There will be a meeting of the Improvement and Efficiency Sub-Committee at Bromley Civic Centre on "
        "<strong>TUESDAY 1 JUNE 2010 AT 7.30 PM</strong>",
        "<strong>MARK BOWEN</strong><br>Director of Legal, Democratic and Customer Services.",
        "Copies of the documents referred to below can be obtained from http://sharepoint.bromley.gov.uk",
        "A G E N D A",
    ]:
        assert text in sheet, text


def test_a_summons_typed_by_the_clerk_prints_instead(client, clerk, june):
    june.summons = "Subject to the Sub Committee being reconstituted, there will be a meeting on TUESDAY 1 JUNE 2010"
    june.save()
    sheet = front_sheet(pack_html(client, clerk, june))
    assert "Subject to the Sub Committee being reconstituted, there will be a meeting on TUESDAY 1 JUNE 2010" in sheet
    assert "There will be a meeting of the" not in sheet


def test_agenda_lists_every_item_in_order_in_capitals_with_descriptions(client, clerk, june):
    sheet = front_sheet(pack_html(client, clerk, june))
    numbers = [int(n) for n in re.findall(r'data-agenda-item="(\d+)"', sheet)]
    assert numbers == [1, 2, 3, 4, 5, 8, 9, 12, 13, 14]
    assert "APOLOGIES FOR ABSENCE" in sheet
    assert "QUESTIONS FROM MEMBERS OF THE PUBLIC ATTENDING THE MEETING" in sheet
    assert QUESTIONS in sheet
    assert EXCLUSION_MOTION in sheet  # the standing item 12 carries the motion
    # Part 2 follows the motion, each item with its Schedule 12A description.
    part_two = sheet.split("Schedule 12A Description", 1)[1]
    assert "EXEMPT MINUTES OF THE MEETING HELD ON 11TH FEBRUARY 2010" in part_two
    assert "Information relating to the financial or business affairs of any particular person" in part_two
    assert sheet.index(EXCLUSION_MOTION) < sheet.index("Schedule 12A Description")


def test_on_screen_items_with_papers_link_to_them_and_print_no_page_numbers(client, clerk, june):
    html = pack_html(client, clerk, june)
    sheet = front_sheet(html)
    assert '<a href="#paper-5">MINUTES OF THE MEETING HELD ON 11TH FEBRUARY 2010</a>' in sheet
    assert '<a href="#paper-8">ORGANISATIONAL IMPROVEMENT PROGRAMME</a>' in sheet
    assert "Pages" not in sheet  # unknown until the PDF is laid out
    assert 'href="#paper-2"' not in sheet  # a standing item has no paper
    # Part 2 papers are not in the Part 1 pack, so nothing links to them.
    assert 'href="#paper-13"' not in sheet
    assert 'href="#paper-14"' not in sheet
    assert 'id="paper-5"' in html
    assert 'id="paper-8"' in html


def test_papers_follow_in_agenda_order_with_the_public_minutes(client, clerk, june):
    html = pack_html(client, clerk, june)
    minutes = html[html.index('id="paper-5"') : html.index('id="paper-8"')]
    assert "IMPROVEMENT AND EFFICIENCY SUB-COMMITTEE" in minutes
    assert "Minutes of the meeting held on 11 February 2010" in minutes
    assert re.findall(r'data-minute="(\d+)"', minutes) == ["34", "39", "40"]  # 42 is exempt
    # The text splits into paragraphs on blank lines; each RESOLVED line prints.
    assert "<p>The Sub Committee received a report providing an update" in minutes
    assert "<p>The Assistant Director: Organisational Improvement outlined" in minutes
    assert "RESOLVED that progress made on the first phase projects" in minutes
    assert "<li>the research findings be noted;</li>" in minutes
    assert "London Efficiency Challenge feedback" not in html
    assert "Contract award".upper() in front_sheet(html)
    assert 'id="paper-14"' not in html  # the exempt report waits for the Part 2 pack
    assert html.index('id="paper-8"') > html.index('id="paper-5"')
    assert "Report No.<br><strong>CEO1058</strong>" in html


@pytest.mark.parametrize("extra", [0, 12])
def test_pack_with_front_sheet_and_minutes_runs_constant_queries(client, clerk, django_assert_num_queries, extra, db):
    june = build_june_meeting(extra_minutes=extra)
    client.force_login(clerk)
    # The same whatever the number of minutes: the agenda (with the reports'
    # commentary and appendices), the minutes it takes and their actions, and
    # the live papers its reports' appendices need.
    with django_assert_num_queries(11):  # with the data stamp (page cache)
        response = client.get(reverse("committees:pack", args=[june.pk]))
    assert response.content.decode().count('class="minute"') == 3 + extra


def test_clerk_edits_the_front_sheet_fields(client, clerk, june):
    client.force_login(clerk)
    response = client.post(
        reverse("committees:meeting_edit", args=[june.pk]),
        {
            "date": "2010-06-01",
            "time": "19:30",
            "venue": "Bromley Civic Centre",
            "papers_as_at": "2010-05-21",
            "addressed_to": "ALL MEMBERS OF THE SUB-COMMITTEE",
            "summons": "There will be a meeting.",
            "signatory": "MARK BOWEN",
            "signatory_title": "Director",
        },
    )
    assert response.status_code == 302
    june.refresh_from_db()
    assert (june.papers_as_at, june.addressed_to, june.summons) == (
        datetime.date(2010, 5, 21),
        "ALL MEMBERS OF THE SUB-COMMITTEE",
        "There will be a meeting.",
    )
    assert "DATE:</dt> <dd>21 May 2010" in front_sheet(pack_html(client, clerk, june))


def test_an_item_takes_only_an_earlier_meeting_of_the_same_committee(june, clerk):
    later = Meeting.objects.create(committee=june.committee, date=datetime.date(2010, 9, 1))
    elsewhere = factories.make_meeting(date=datetime.date(2010, 2, 1))
    item = AgendaItem.objects.get(meeting=june, number=5)
    form = AgendaItemForm(instance=item, user=clerk)
    choices = set(form.fields["minutes_of"].queryset)
    assert later not in choices
    assert elsewhere not in choices
    assert june not in choices
    assert item.minutes_of in choices
    for meeting in (later, elsewhere, june):
        item.minutes_of = meeting
        with pytest.raises(ValidationError) as error:
            item.full_clean()
        assert "an earlier meeting of this committee" in str(error.value)


def test_clerk_sets_an_items_description_and_the_minutes_it_takes(client, clerk, june):
    february = Meeting.objects.get(committee=june.committee, date=datetime.date(2010, 2, 11))
    client.force_login(clerk)
    response = client.post(
        reverse("committees:agenda_item_edit", args=[june.pk, 9]),
        {
            "number": 9,
            "title": "Minutes of the meeting held on 11 February 2010",
            "minutes_of": february.pk,
            "description": "To confirm them.",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=june, number=9)
    assert (item.minutes_of, item.description) == (february, "To confirm them.")


def test_meeting_form_offers_the_front_sheet_fields(clerk, june):
    fields = MeetingForm(instance=june, user=clerk).fields
    assert {"papers_as_at", "addressed_to", "summons", "signatory", "signatory_title"} <= set(fields)


def test_taking_the_minutes_of_a_later_meeting_is_refused_with_a_clear_message(client, clerk, june):
    later = Meeting.objects.create(committee=june.committee, date=datetime.date(2010, 9, 1))
    client.force_login(clerk)
    response = client.post(
        reverse("committees:agenda_item_edit", args=[june.pk, 9]),
        {"number": 9, "title": "Minutes", "minutes_of": later.pk},
    )
    assert response.status_code == 200
    assert AgendaItem.MINUTES_OF_EARLIER in response.content.decode()
    item = AgendaItem.objects.get(meeting=june, number=9)
    assert (item.title, item.minutes_of) == ("Presentation on Customer Access Research", None)


def test_administrator_edits_the_committee_letterhead_in_the_admin(client, administrator, june):
    client.force_login(administrator)
    html = client.get(reverse("admin:committees_committee_change", args=[june.committee.pk])).content.decode()
    assert "Agenda front sheet letterhead" in html
    for name in ["address", "telephone", "contact_name", "contact_email", "contact_telephone", "fax", "documents_note"]:
        assert f'name="{name}"' in html, name
