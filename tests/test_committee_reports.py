"""Reports to committee (issue 11): the clerk edits a report's cover sheet,
commentary and appendices; the report prints in the council's layout on A4
portrait with wide appendices on landscape pages; the pack prints every
Part 1 report in agenda order."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse

from committees import services
from committees.forms import COVER_FIELDS
from committees.models import AgendaItem, Committee, Meeting, ReportAppendix, ReportParagraph
from programmes.models import Project
from tests import factories
from tests.history import backdate_all
from tests.test_committee_pack import published_report

A4_SHORT, A4_LONG = 595, 842  # points, rounded


@pytest.fixture
def meeting(db, programme):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    committee.programmes.add(programme)
    return Meeting.objects.create(committee=committee, date=datetime.date(2012, 4, 18))


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(
        meeting=meeting,
        number=6,
        title="Shared services update",
        has_report=True,
        report_number="CEO1199",
        decision_maker="Improvement and Efficiency Sub-Committee",
        decision_type="Non-Urgent Non-Executive Non-Key",
        contact_officer="Harriet Martyn, Project Manager, Organisational Improvement",
        contact_telephone="020 8313 4439",
        contact_email="harriet.martyn@bromley.gov.uk",
        chief_officer="Doug Patterson, Chief Executive",
        ward="Borough-wide",
        reason="To inform Members of the shared services projects.",
        recommendations="That Members note the progress\nThat Members comment on changes",
        cost_of_proposal="N/A",
        total_current_budget="£328k",
    )


def add(item, clerk, text, kind="paragraph", position=None):
    return services.add_paragraph(item=item, user=clerk, kind=kind, text=text, position=position)


def report_url(name, item, *extra):
    return reverse(f"committees:{name}", args=[item.meeting_id, item.number, *extra])


def cover_data(item, **changes):
    data = {name: getattr(item, name) for name in COVER_FIELDS}
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}
    data = {k: v for k, v in data.items() if v != ""}
    return {**data, "fingerprint": item.cover_fingerprint(), **changes}


def test_clerk_edits_the_cover_sheet_and_sees_it_printed(client, clerk, item):
    client.force_login(clerk)
    page = client.get(report_url("report_edit", item)).content.decode()
    for heading in [
        "Corporate Policy",
        "Financial",
        "Staff",
        "Legal",
        "Customer Impact",
        "Ward Councillor Views",
        "4. Policy implications",
        "Non-Applicable Sections",
        "Background Documents",
    ]:
        assert f">{heading}</legend>" in page, heading
    response = client.post(
        report_url("report_edit", item),
        cover_data(item, policy_status="Existing policy.", call_in="Call-in is applicable"),
        follow=True,
    )
    assert "Report cover sheet saved." in response.content.decode()
    item.refresh_from_db()
    assert item.policy_status == "Existing policy."
    html = client.get(report_url("report", item)).content.decode()
    for text in [
        "Report No.",
        "CEO1199",
        "London Borough of Bromley",
        "PART 1 - PUBLIC",
        "18th April 2012",
        "SHARED SERVICES UPDATE",
        "Tel: 020 8313 4439",
        "E-mail: harriet.martyn@bromley.gov.uk",
        "1. Policy Status: Existing policy.",
        "2. Call-in: Call-in is applicable",
        '<span class="para-number">2.1</span> That Members note the progress',
        '<span class="para-number">2.2</span> That Members comment on changes',
        "3. COMMENTARY",
        "4. POLICY IMPLICATIONS",
        "7. PERSONNEL IMPLICATIONS",
    ]:
        assert text in html, text


def test_na_prints_where_typed_and_blank_stays_blank(client, clerk, item):
    client.force_login(clerk)
    html = client.get(report_url("report", item)).content.decode()
    assert "1. Cost of proposal: N/A</li>" in html
    assert "2. Ongoing costs: </li>" in html  # blank, as the council leaves it
    assert "4. Total current budget for this head: £328k" in html


def test_a_stale_cover_edit_is_refused(client, clerk, item):
    client.force_login(clerk)
    stale = cover_data(item, policy_status="Mine")
    AgendaItem.objects.filter(pk=item.pk).update(bbb_priority="Theirs")
    response = client.post(report_url("report_edit", item), stale)
    assert "Someone else saved this report" in response.content.decode()
    item.refresh_from_db()
    assert (item.policy_status, item.bbb_priority) == ("", "Theirs")


def test_inserting_a_paragraph_in_the_middle_renumbers(client, clerk, item):
    add(item, clerk, "Background", kind="heading")
    add(item, clerk, "First point")
    add(item, clerk, "Second point")
    client.force_login(clerk)
    client.post(report_url("paragraph_add", item), {"kind": "paragraph", "text": "Inserted point", "position": 3})
    item = AgendaItem.objects.prefetch_related("paragraphs").get(pk=item.pk)
    assert [(number, p.text) for number, p in item.commentary] == [
        (None, "Background"),
        ("3.1", "First point"),
        ("3.2", "Inserted point"),
        ("3.3", "Second point"),
    ]
    html = client.get(report_url("report", item)).content.decode()
    assert '<span class="para-number">3.2</span> Inserted point' in html
    assert '<h3 class="commentary-heading">Background</h3>' in html


def test_clerk_moves_edits_and_removes_paragraphs(client, clerk, item):
    first, second = add(item, clerk, "One"), add(item, clerk, "Two")
    client.force_login(clerk)
    client.post(report_url("paragraph_move", item, second.pk), {"direction": "up"})
    assert list(item.paragraphs.values_list("text", "position")) == [("Two", 1), ("One", 2)]
    client.post(report_url("paragraph_edit", item, first.pk), {"kind": "heading", "text": "Now a heading"})
    first.refresh_from_db()
    assert (first.kind, first.text) == ("heading", "Now a heading")
    client.post(report_url("paragraph_remove", item, second.pk))
    assert list(item.paragraphs.values_list("text", "position")) == [("Now a heading", 1)]


def test_empty_paragraph_is_refused_with_a_message(client, clerk, item):
    client.force_login(clerk)
    response = client.post(report_url("paragraph_add", item), {"kind": "paragraph", "text": ""}, follow=True)
    assert "The paragraph was not added" in response.content.decode()
    assert not item.paragraphs.exists()


def test_clerk_adds_orders_and_removes_appendices(client, clerk, manager, programme, item):
    report = published_report(programme, manager, 2)
    client.force_login(clerk)
    client.post(report_url("appendix_add", item), {"kind": "highlight_report", "highlight_report": report.pk})
    client.post(report_url("appendix_add", item), {"kind": "action_plan_progress", "open_only": "on"})
    client.post(report_url("appendix_add", item), {"kind": "matters_arising", "position": 1})
    kinds = list(item.appendices.values_list("kind", flat=True))
    assert kinds == ["matters_arising", "highlight_report", "action_plan_progress"]
    html = client.get(report_url("report", item)).content.decode()
    assert "Appendix 2: " + report.title in html
    assert "Project number 1" in html
    assert "Showing open actions only." in html
    matters = item.appendices.get(kind="matters_arising")
    client.post(report_url("appendix_move", item, matters.pk), {"direction": "down"})
    assert list(item.appendices.values_list("kind", flat=True))[:2] == ["highlight_report", "matters_arising"]
    client.post(report_url("appendix_remove", item, matters.pk))
    assert item.appendices.count() == 2


def test_a_draft_highlight_report_cannot_be_an_appendix(client, clerk, manager, programme, item):
    from programmes.services import draft_highlight_report

    draft = draft_highlight_report(
        programme=programme, period_start=datetime.date(2012, 1, 1), period_end=datetime.date(2012, 3, 31), user=manager
    )
    client.force_login(clerk)
    response = client.post(
        report_url("appendix_add", item), {"kind": "highlight_report", "highlight_report": draft.pk}, follow=True
    )
    assert "The appendix was not added" in response.content.decode()
    assert not item.appendices.exists()


def write_requests(item, paragraph, appendix):
    return [
        ("report_edit", (), cover_data(item, title="Planted")),
        ("paragraph_add", (), {"kind": "paragraph", "text": "Planted"}),
        ("paragraph_edit", (paragraph.pk,), {"kind": "paragraph", "text": "Planted"}),
        ("paragraph_move", (paragraph.pk,), {"direction": "up"}),
        ("paragraph_remove", (paragraph.pk,), {}),
        ("appendix_add", (), {"kind": "matters_arising"}),
        ("appendix_move", (appendix.pk,), {"direction": "up"}),
        ("appendix_remove", (appendix.pk,), {}),
    ]


@pytest.mark.parametrize("who", ["manager", "officer", "outsider"])
def test_only_clerks_write_reports(client, clerk, item, who, request):
    add(item, clerk, "Zero")
    paragraph = add(item, clerk, "Kept")
    appendix = services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="matters_arising"))
    before = (
        list(ReportParagraph.objects.values()),
        list(ReportAppendix.objects.values()),
        list(AgendaItem.objects.values()),
    )
    client.force_login(request.getfixturevalue(who))
    for name, extra, data in write_requests(item, paragraph, appendix):
        assert client.post(report_url(name, item, *extra), data).status_code == 403, name
    assert client.get(report_url("report_edit", item)).status_code == 403
    after = (
        list(ReportParagraph.objects.values()),
        list(ReportAppendix.objects.values()),
        list(AgendaItem.objects.values()),
    )
    assert before == after
    assert client.get(report_url("report", item)).status_code == 200  # every login reads papers


def test_anonymous_is_sent_to_log_in(client, item):
    response = client.post(report_url("paragraph_add", item), {"kind": "paragraph", "text": "x"})
    assert "/login/" in response["Location"]


def test_report_pdf_is_portrait_with_a_landscape_highlight_report(client, clerk, manager, programme, item):
    add(item, clerk, "Background", kind="heading")
    add(item, clerk, "The Board's initial remit.")
    report = published_report(programme, manager, 3)
    services.add_appendix(
        item=item, user=clerk, appendix=ReportAppendix(kind="highlight_report", highlight_report=report)
    )
    client.force_login(clerk)
    response = client.get(report_url("report_pdf", item))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    first = reader.pages[0]
    assert (round(first.mediabox.width), round(first.mediabox.height)) == (A4_SHORT, A4_LONG)
    texts = [page.extract_text() for page in reader.pages]
    appendix_page = next(i for i, t in enumerate(texts) if "Appendix 1:" in t)
    page = reader.pages[appendix_page]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (A4_LONG, A4_SHORT)
    text = "\n".join(texts)
    assert "3.1" in text
    assert "Background" in text
    assert "Project number 2" in text


def test_pack_prints_every_part_1_report_in_agenda_order(client, clerk, meeting, item):
    AgendaItem.objects.create(meeting=meeting, number=1, title="Apologies for absence")
    AgendaItem.objects.create(
        meeting=meeting, number=5, title="Transition report", has_report=True, report_number="CEO1198"
    )
    AgendaItem.objects.create(
        meeting=meeting,
        number=9,
        title="Exempt contract award",
        has_report=True,
        exempt=True,
        exempt_reason="Information relating to the financial or business affairs of any particular person",
    )
    client.force_login(clerk)
    html = client.get(reverse("committees:pack", args=[meeting.pk])).content.decode()
    assert html.index("CEO1198") < html.index("CEO1199")
    assert "TRANSITION REPORT" in html
    assert "SHARED SERVICES UPDATE" in html
    # The agenda front sheet lists every item (Part 2 with its reason, as the
    # council's public agenda does); the papers after it are Part 1's only.
    papers = html.split('class="agenda-front-sheet"', 1)[1].split("</section>", 1)[1]
    assert "EXEMPT CONTRACT AWARD" not in papers
    assert "PART 2" not in html
    assert "APOLOGIES FOR ABSENCE" not in papers
    # Only what the reports carry follows the front sheet: none appends matters arising.
    assert "MATTERS ARISING FROM PREVIOUS MEETINGS" not in html


def test_pack_leaves_out_parts_a_report_carries_as_appendices(client, clerk, meeting, item):
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="matters_arising"))
    client.force_login(clerk)
    html = client.get(reverse("committees:pack", args=[meeting.pk])).content.decode()
    assert "Appendix 1: Matters arising" in html
    assert "MATTERS ARISING FROM PREVIOUS MEETINGS" not in html


def grow(meeting, clerk, manager, programme, size):
    from programmes.models import NarrativeSection

    report = published_report(programme, manager, size)
    start = datetime.date(2010, 1, 1)
    narrative = factories.make_narrative(programme, period_start=start, period_end=report.period_end)
    for s in range(size):
        NarrativeSection.objects.create(narrative=narrative, position=s, heading=f"Section {s}", text="A.\n\nB.")
    for n in range(size):
        item = AgendaItem.objects.create(meeting=meeting, number=20 + n, title=f"Report {n}", has_report=True)
        for p in range(size):
            add(item, clerk, f"Paragraph {p}")
        services.add_appendix(
            item=item, user=clerk, appendix=ReportAppendix(kind="highlight_report", highlight_report=report)
        )
        services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="action_plan_progress"))
        services.add_appendix(
            item=item, user=clerk, appendix=ReportAppendix(kind="narrative_update", narrative=narrative)
        )
        for kind in ["milestones", "risks"]:
            services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind=kind, programme=programme))
    for project in Project.objects.filter(workstream__programme=programme):
        factories.make_milestone(project, name=f"Milestone of {project.name}")
        factories.make_risk(project, description=f"Risk to {project.name}")
    backdate_all(datetime.date(2012, 4, 1))  # the papers show them as they stood on 18 April 2012


@pytest.mark.parametrize("size", [2, 6])
def test_report_and_pack_run_constant_queries(
    client, clerk, manager, programme, meeting, size, django_assert_num_queries
):
    grow(meeting, clerk, manager, programme, size)
    item = meeting.agenda_items.order_by("number").first()
    client.force_login(clerk)
    with django_assert_num_queries(19):
        response = client.get(report_url("report", item))
    assert response.content.count(b'class="numbered-para"') == size
    assert response.content.count(b"Milestone of Project number") == size
    assert response.content.count(b"Risk to Project number") == size
    assert response.content.count(b'class="narrative-paragraph"') == 2 * size
    with django_assert_num_queries(18):
        client.get(report_url("report_edit", item))
    with django_assert_num_queries(20):  # with the data stamp (page cache)
        response = client.get(reverse("committees:pack", args=[meeting.pk]))
    assert response.content.count(b'class="report-paper"') == size


def test_an_exempt_report_prints_part_2_with_its_reason(client, clerk, item):
    AgendaItem.objects.filter(pk=item.pk).update(exempt=True, exempt_reason="Paragraph 3 of Schedule 12A")
    client.force_login(clerk)
    html = client.get(report_url("report", item)).content.decode()
    assert "PART 2 - EXEMPT: Paragraph 3 of Schedule 12A" in html
    assert "PART 1 - PUBLIC" not in html


def test_a_narrative_update_prints_as_an_appendix(client, clerk, programme, item):
    from programmes.models import NarrativeSection

    narrative = factories.make_narrative(
        programme, period_start=datetime.date(2011, 10, 1), period_end=datetime.date(2012, 1, 10)
    )
    NarrativeSection.objects.create(narrative=narrative, position=1, heading="Shared services", level=1, text="")
    NarrativeSection.objects.create(
        narrative=narrative, position=2, heading="Libraries", text="Went to tender.\n\nAward due in March."
    )
    client.force_login(clerk)
    client.post(report_url("appendix_add", item), {"kind": "narrative_update", "narrative": narrative.pk})
    html = client.get(report_url("report", item)).content.decode()
    for text in ["Appendix 1: OIP update", "Shared services", "Libraries", "Went to tender.", "Award due in March."]:
        assert text in html, text
    assert '<span class="paragraph-number">1.2</span>' in html  # numbered from the appendix, not 3.x


def test_pack_pdf_turns_landscape_for_a_highlight_report_appendix(client, clerk, manager, programme, meeting, item):
    add(item, clerk, "Background", kind="heading")
    add(item, clerk, "The Board met.")
    report = published_report(programme, manager, 2)
    services.add_appendix(
        item=item, user=clerk, appendix=ReportAppendix(kind="highlight_report", highlight_report=report)
    )
    client.force_login(clerk)
    reader = pypdf.PdfReader(io.BytesIO(client.get(reverse("committees:pack_pdf", args=[meeting.pk])).content))
    shapes = [(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages]
    assert shapes[0] == (A4_SHORT, A4_LONG)
    assert (A4_LONG, A4_SHORT) in shapes
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


# --- Only final narrative updates go to committee -------------------------------------------


def narrative_update(programme, status="final", text="Went to tender."):
    from programmes.models import NarrativeSection

    narrative = factories.make_narrative(
        programme,
        title=f"OIP update ({status})",
        period_start=datetime.date(2011, 10, 1),
        period_end=datetime.date(2012, 1, 10),
        status=status,
    )
    NarrativeSection.objects.create(narrative=narrative, position=1, heading="Libraries", text=text)
    return narrative


def test_only_a_final_narrative_update_is_offered_or_accepted_as_an_appendix(client, clerk, programme, item):
    from django.core.exceptions import ValidationError

    draft = narrative_update(programme, status="draft", text="Draft wording still changing.")
    final = narrative_update(programme, text="Went to tender.")
    client.force_login(clerk)
    page = client.get(report_url("report_edit", item)).content.decode()
    assert f'<option value="{final.pk}">OIP update (final)</option>' in page
    assert "OIP update (draft)" not in page
    response = client.post(
        report_url("appendix_add", item), {"kind": "narrative_update", "narrative": draft.pk}, follow=True
    )
    body = response.content.decode()
    assert "The appendix was not added" in body
    assert "Only a final narrative programme update can go to committee: this one is still a draft." in body
    assert not item.appendices.exists()
    # Nor past the form (the admin, an import): the model refuses it too.
    with pytest.raises(ValidationError) as refused:
        services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="narrative_update", narrative=draft))
    assert refused.value.message_dict["narrative"] == [ReportAppendix.NARRATIVE_NOT_FINAL]
    assert not item.appendices.exists()

    response = client.post(
        report_url("appendix_add", item), {"kind": "narrative_update", "narrative": final.pk}, follow=True
    )
    assert "Appendix added." in response.content.decode()
    assert list(item.appendices.values_list("narrative", flat=True)) == [final.pk]
    html = client.get(report_url("report", item)).content.decode()
    assert "Went to tender." in html
    assert "DRAFT" not in html


def test_a_narrative_set_back_to_draft_after_it_was_attached_prints_marked_draft(
    client, clerk, manager, programme, meeting, item
):
    from programmes.services import reopen_narrative_update

    narrative = narrative_update(programme, text="Went to tender.")
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="narrative_update", narrative=narrative))
    reopen_narrative_update(narrative=narrative, user=manager, expected_version=narrative.version)
    client.force_login(clerk)
    for url in [reverse("committees:pack", args=[meeting.pk]), report_url("report", item)]:
        html = client.get(url).content.decode()
        assert "Appendix 1: OIP update (final) (DRAFT)</h2>" in html, url
        assert "<strong>DRAFT</strong>: this narrative update is a draft again" in html
        assert 'class="report-appendix appendix-draft"' in html  # watermarked on print
    edit = client.get(report_url("report_edit", item)).content.decode()
    assert "<strong>DRAFT</strong>: set back to draft, so the pack cannot be issued until it is final" in edit


# --- The LEC action plan progress appendix's filters ----------------------------------------


@pytest.fixture
def plan_actions(programme):
    """Action-plan actions of the committee's programme, each titled by how
    the 18 April 2012 papers judge it (overdue as at that day, not today)."""
    from actions.models import Status
    from core.models import RAG

    section = factories.make_section(area=factories.make_area(title="Customer access"))
    section.plan.programme = programme
    section.plan.save()
    recommendation = factories.make_recommendation(section.area)
    later, earlier = datetime.date(2012, 12, 31), datetime.date(2012, 3, 1)
    for title, fields in {
        "Red action": {"rag": RAG.RED, "due_date": later},
        "Amber action": {"rag": RAG.AMBER, "due_date": later},
        "Overdue Green action": {"rag": RAG.GREEN, "due_date": earlier},
        "On-track Green action": {"rag": RAG.GREEN, "due_date": later},
        "Green action overdue only since": {"rag": RAG.GREEN, "due_date": datetime.date(2013, 1, 31)},
        "Complete action": {"status": Status.COMPLETE, "rag": RAG.COMPLETE, "completed_on": earlier, "due_date": later},
        "Superseded action": {"status": Status.SUPERSEDED, "rag": RAG.RED, "due_date": earlier},
    }.items():
        status = fields.pop("status", Status.IN_PROGRESS)
        factories.make_action([recommendation], section=section, title=title, status=status, **fields)
    backdate_all(datetime.date(2012, 4, 1))


AT_RISK = ["Red action", "Amber action", "Overdue Green action"]
OPEN = [*AT_RISK, "On-track Green action", "Green action overdue only since"]
ALL = [*OPEN, "Complete action", "Superseded action"]


@pytest.mark.parametrize(
    ("filters", "shown", "note"),
    [
        ({"at_risk_only": "on"}, AT_RISK, "Showing at-risk actions (Red or Amber, or overdue) only."),
        (
            {"at_risk_only": "on", "open_only": "on"},
            AT_RISK,
            "Showing open actions that are at-risk actions (Red or Amber, or overdue) only.",
        ),
        ({"open_only": "on"}, OPEN, "Showing open actions only."),
        ({}, ALL, None),
    ],
    ids=["at-risk only", "at-risk and open only", "open only", "all"],
)
def test_action_plan_progress_appendix_prints_only_the_actions_its_filters_keep(
    client, clerk, meeting, item, plan_actions, filters, shown, note
):
    client.force_login(clerk)
    client.post(report_url("appendix_add", item), {"kind": "action_plan_progress", **filters})
    appendix = item.appendices.get()
    assert (appendix.open_only, appendix.at_risk_only) == ("open_only" in filters, "at_risk_only" in filters)
    for url in [report_url("report", item), reverse("committees:pack", args=[meeting.pk])]:
        html = client.get(url).content.decode()
        printed = html.split(f'id="appendix-{appendix.pk}"', 1)[1].split("</section>", 1)[0]
        for title in ALL:
            assert (f">{title}<" in printed) == (title in shown), (url, title)
        assert (note in printed) if note else ("Showing" not in printed)
