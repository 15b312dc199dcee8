"""Each fixture meeting's pack, rendered to PDF and read back as text, page
by page: the agenda front sheet's "(Pages X - Y)" are the pages each paper
really starts and ends on; every report's cover prints its fields; commentary
is numbered 3.1, 3.2 … in order; covers, minutes and narrative are A4
portrait and wide tables (highlight report, action plan progress) A4
landscape; every page carries its number.

Each pack is rendered once per PDF engine (WeasyPrint takes seconds), and
all the checks run on that one rendering: the same checks for WeasyPrint and
Chromium (settings.PDF_ENGINE, the pdf_engine fixture)."""

import datetime
import io
import re

import pypdf
import pytest

from committees import papers
from committees.models import Committee, Meeting, ReportAppendix
from programmes.models import NarrativeSection
from tests import factories
from tests.test_pack_front_sheet import build_june_meeting

# PDF layout does not depend on the database: `make test` runs these in its SQLite pass only.
pytestmark = pytest.mark.single_pass

COMMITTEE = "ie-sub-committee"


@pytest.fixture
def seeded(seed_data):
    """The 2010 seeds, restored rather than loaded (tests/seed_cache.py)."""


def squash(text):
    """Text without any whitespace: pypdf breaks lines where the PDF does."""
    return re.sub(r"\s+", "", text)


def cover_blocks(item):
    """What a report's cover prints, label by label, from the item's stored
    fields (a blank one prints its label alone, as the council leaves it)."""
    recommendations = " ".join(f"2.{n} {line}" for n, line in enumerate(item.recommendation_lines, start=1))
    contact = [f"Tel: {item.contact_telephone}"] if item.contact_telephone else []
    contact += [f"E-mail: {item.contact_email}"] if item.contact_email else []
    return [
        f"Title: {item.title.upper()}",
        *contact,
        f"Chief Officer: {item.chief_officer} Ward: {item.ward}",
        f"1. Reason for report {item.reason}",
        f"2. RECOMMENDATION(S) {recommendations}",
        f"Corporate Policy 1. Policy Status: {item.policy_status} 2. BBB Priority: {item.bbb_priority}",
        f"Financial 1. Cost of proposal: {item.cost_of_proposal} 2. Ongoing costs: {item.ongoing_costs} "
        f"3. Budget head/performance centre: {item.budget_head} "
        f"4. Total current budget for this head: {item.total_current_budget} "
        f"5. Source of funding: {item.source_of_funding}",
        f"Staff 1. Number of staff (current and additional): {item.staff_number} "
        f"2. If from existing staff resources, number of staff hours: {item.staff_hours}",
        f"Legal 1. Legal Requirement: {item.legal_requirement} 2. Call-in: {item.call_in}",
        f"Customer Impact 1. Estimated number of users/beneficiaries (current and projected): {item.customer_impact}",
        f"Ward Councillor Views 1. Have Ward Councillors been asked for comments? {item.ward_councillors_asked} "
        f"2. Summary of Ward Councillors comments: {item.ward_councillors_comments}",
    ]


def appendix_heading(appendix, position):
    """An appendix's heading as _report_paper.html prints it."""
    title = appendix.title
    if not title:
        paper = appendix.highlight_report or appendix.narrative
        title = paper.title if paper else appendix.get_kind_display()
        if paper is None and appendix.programme_id:
            title += f", {appendix.programme.name}"
    return f"Appendix {position}: {title}"


def paper_headings(paper):
    """The headings a paper prints that must never end a page: its report's
    section and commentary headings, its appendices' headings and the
    headings of a narrative update appended; or the titles of its minutes."""
    item = paper.item
    if not item.has_report:
        return {f"{minute.number} {minute.title}".upper() for minute in paper.minutes} | {
            f"Minutes of the meeting held on {item.minutes_of.date:%-d %B %Y}"
        }
    headings = {paragraph.text.strip() for number, paragraph in item.commentary if number is None}
    headings |= {"1. Reason for report", "2. RECOMMENDATION(S)", "3. COMMENTARY", "4. POLICY IMPLICATIONS"}
    headings |= {"5. FINANCIAL IMPLICATIONS", "6. LEGAL IMPLICATIONS", "7. PERSONNEL IMPLICATIONS"}
    headings |= {"Corporate Policy", "Financial", "Staff", "Legal", "Customer Impact", "Ward Councillor Views"}
    for position, appendix in enumerate(item.appendices.all(), start=1):
        if appendix.kind != "uploaded":  # its label is the placeholder page's running head
            headings.add(appendix_heading(appendix, position))
        if appendix.narrative_id:
            headings |= {section.heading for section in appendix.narrative.sections.all()}
    return headings


def stranded_heading(lines, headings):
    """The heading, if any, that the page's last lines (a heading may wrap
    onto two or three) print, with nothing of its section after it."""
    squashed = {squash(heading): heading for heading in headings}
    for count in (1, 2, 3):
        tail = squash("".join(lines[-count:]))
        if tail in squashed:
            return squashed[tail]
    return None


class Pack:
    """A meeting's pack PDF, read back: each page's text and orientation."""

    def __init__(self, meeting):
        self.meeting = meeting
        self.context = papers.pack_context(meeting)
        reader = pypdf.PdfReader(io.BytesIO(papers.pack_pdf(meeting)))
        self.reader = reader
        self.texts = [page.extract_text() for page in reader.pages]
        self.landscape = [float(page.mediabox.width) > float(page.mediabox.height) for page in reader.pages]

    def body_lines(self, number):
        """A page's lines less its footer (the pack's title, "Page n of m"),
        wherever the engine writes it in the page's text."""
        title = squash(str(self.context["meeting"].committee.name))
        return [
            line
            for line in self.page(number).splitlines()
            if not re.search(r"Page \d+ of \d+", line) and not squash(line).startswith(title)
        ]

    def page(self, number):
        return self.texts[number - 1]

    def first_page_with(self, *texts, start=1):
        for number in range(start, len(self.texts) + 1):
            if all(squash(text) in squash(self.page(number)) for text in texts):
                return number
        raise AssertionError(f"no page from {start} shows {texts}")

    def agenda_pages(self, item, front_pages):
        """The pages the front sheet prints against the item: (first, last)."""
        front = squash(" ".join(self.texts[:front_pages]))
        found = re.search(re.escape(squash(item.title.upper())) + r"\(Pages?(\d+)(?:-(\d+))?\)", front)
        assert found, f"no page numbers printed against item {item.number}"
        first = int(found.group(1))
        return first, int(found.group(2) or first)


def paper_start(pack, paper, after):
    """Where a paper really starts, found by what its first page prints."""
    item = paper.item
    if item.has_report:
        return pack.first_page_with("Agenda Item No.", "Title:", item.title.upper(), start=after)
    return pack.first_page_with(
        f"Agenda Item {item.number}", f"Minutes of the meeting held on {item.minutes_of.date:%-d %B %Y}", start=after
    )


def check_pack(pack):
    meeting, context = pack.meeting, pack.context
    total = len(pack.texts)
    assert "A G E N D A" in pack.page(1)
    assert not pack.landscape[0]
    footer = squash(f"{meeting.committee.name}, {meeting.date:%-d %B %Y}: committee pack")
    for number in range(1, total + 1):
        assert f"Page {number} of {total}" in pack.page(number), f"page {number} has no page number"
        assert footer in squash(pack.page(number)), f"page {number}'s footer names the pack"
    # No marker of where pages fall (Chromium's) is left in the text or the outline.
    assert "@@" not in "".join(pack.texts)
    assert not any(str(entry.title).startswith("@@") for entry in flatten(pack.reader.outline))

    # Where each paper really starts, read from the pages themselves.
    paper_list = context["papers"]
    assert paper_list, "the pack has papers"
    starts, after = [], 2
    for paper in paper_list:
        start = paper_start(pack, paper, after)
        starts.append(start)
        after = start + 1
    front_pages = starts[0] - 1
    # A paper ends where the next begins, the last where the papers give way
    # to the sections that follow them (or the pack ends). (Every page's
    # footer names the pack, so its title cannot mark the fallback cover.)
    tail = total + 1
    for heading in [
        "MATTERS ARISING FROM PREVIOUS MEETINGS",
        "action plan progress",
        "Highlight Report",
        "\nContents\n",
    ]:
        for number in range(starts[-1] + 1, total + 1):
            if heading in pack.page(number) and not any(
                squash(text) in squash(pack.page(number)) for text in ["Appendix", "Agenda Item"]
            ):
                tail = min(tail, number)
                break
    ends = [start - 1 for start in starts[1:]] + [tail - 1]

    for paper, start, end in zip(paper_list, starts, ends, strict=True):
        item = paper.item
        assert pack.agenda_pages(item, front_pages) == (start, end), f"agenda item {item.number}'s pages"
        assert not pack.landscape[start - 1], f"item {item.number} starts on a portrait page"
        text = "\n".join(pack.texts[start - 1 : end])
        # No heading left alone at the foot of a page: the lines above the footer are never one.
        headings = paper_headings(paper)
        for number in range(start, end + 1):
            heading = stranded_heading(pack.body_lines(number), headings)
            assert heading is None, f"the heading {heading!r} ends page {number}"
        if item.has_report:
            cover = squash(pack.page(start))
            assert squash(f"Agenda Item No. {item.number}") in cover
            assert squash("PART 1 - PUBLIC") in cover
            for value in [item.report_number, item.decision_maker, item.contact_officer, item.decision_type]:
                assert squash(value) in cover, (item.number, value)
            assert squash(f"Date: {meeting.date:%-d}") in cover
            # Every block of the cover prints the item's stored values, in
            # order, on its page or pages before the commentary.
            body = squash("".join(line for number in range(start, end + 1) for line in pack.body_lines(number)))
            cover = body.split(squash("3. COMMENTARY"), 1)[0]
            at = 0
            for block in cover_blocks(item):
                found = cover.find(squash(block), at)
                assert found >= 0, f"item {item.number}'s cover does not print {block!r} (after {cover[at:][:80]!r})"
                at = found + len(squash(block))
            # Commentary numbered 3.1, 3.2 … in order, every one printed.
            expected = [number for number, _ in item.commentary if number]
            printed = re.findall(r"(?m)^(3\.\d+)\s", text)
            assert printed == expected, f"item {item.number}'s paragraph numbers"
            appendices = list(item.appendices.all())
            if not appendices:
                assert squash("Background Documents") in squash(pack.page(end))
            for position, appendix in enumerate(appendices, start=1):
                page = pack.first_page_with(f"Appendix {position}:", start=start)
                assert page <= end
                assert pack.landscape[page - 1] == appendix.is_wide, f"appendix {position} of item {item.number}"
        else:
            for minute in paper.minutes:
                assert squash(f"{minute.number} {minute.title.upper()}") in squash(text.upper())
                if minute.resolution_lines:
                    assert "RESOLVED that" in text
            assert all(not landscape for landscape in pack.landscape[start - 1 : end]), "minutes are portrait"
    # Items without a paper in this pack print no page numbers.
    front = squash(" ".join(pack.texts[:front_pages]))
    # The front sheet prints each item's number beside its title.
    for item, _ in [*context["agenda"], *context["exempt_agenda"]]:
        assert re.search(r"(?<!\d)" + re.escape(squash(f"{item.number} {item.title.upper()}")), front), item.number
    for item, paper in [*context["agenda"], *context["exempt_agenda"]]:
        if paper is None:
            assert not re.search(re.escape(squash(item.title.upper())) + r"\(Pages?\d", front), item.number
    # Action plan progress after the papers is a wide table, on landscape pages.
    for number in range(tail, total + 1):
        if "action plan progress" in pack.page(number):
            assert pack.landscape[number - 1]
    return starts, ends


def flatten(outline):
    for entry in outline:
        yield from flatten(entry) if isinstance(entry, list) else [entry]


def fixture_meeting(date):
    return Meeting.objects.select_related("committee").get(committee__ref=COMMITTEE, date=date)


def test_fixture_packs_pages_covers_numbering_and_orientation(seeded, pdf_engine):
    """The three fixture meetings in one test: loading the fixtures once."""
    june = Pack(fixture_meeting("2010-06-01"))
    starts, ends = check_pack(june)
    # The minutes of 11 February 2010 (item 5) open the papers, after the
    # front sheet: the public minutes 34 to 41, not the exempt 42.
    first = june.context["papers"][0]
    assert (first.item.number, first.item.has_report) == (5, False)
    assert [minute.number for minute in first.minutes] == list(range(34, 42))
    minutes = squash(" ".join(june.texts[starts[0] - 1 : ends[0]]))
    assert squash("39 ORGANISATIONAL IMPROVEMENT PROGRAMME UPDATE") in minutes
    assert squash("RESOLVED that progress made on the first phase projects") in minutes
    assert squash("42 LONDON EFFICIENCY CHALLENGE FEEDBACK") not in squash(" ".join(june.texts))
    assert [paper.item.number for paper in june.context["papers"]] == [5, 6, 7, 8, 10, 11]
    check_pack(Pack(fixture_meeting("2012-01-18")))
    april = Pack(fixture_meeting("2012-04-18"))
    check_pack(april)
    assert [paper.item.number for paper in april.context["papers"]] == [1, 2]  # both reports, each with its cover


def append_narrative(item):
    """A final narrative programme update as the report's appendix: a
    workstream heading, then projects with numbered paragraphs."""
    programme = factories.make_programme(name="Organisational Improvement Programme", ref="oip-narrative")
    narrative = factories.make_narrative(programme, title="Organisational Improvement Programme update")
    for position, (level, heading, text) in enumerate(NARRATIVE, start=1):
        NarrativeSection.objects.create(narrative=narrative, position=position, level=level, heading=heading, text=text)
    ReportAppendix.objects.create(agenda_item=item, position=1, kind="narrative_update", narrative=narrative)


NARRATIVE = [
    (1, "Customer and Service Led Improvement", ""),
    (2, "Customer access", "The contact centre opened on time.\n\nThe e-forms proposal went to the Board."),
    (2, "Voice recognition", "Market research findings were reported in February."),
    (1, "Shared Services", ""),
    (2, "Joint web platform", "The bid to Capital Ambition was submitted with Bexley."),
]


def test_built_pack_prints_one_page_papers_as_page_and_the_rest_as_pages(db, pdf_engine):
    """The 1 June 2010 agenda built with factories: the minutes item and a
    report, with a Part 2 that prints no pages in the Part 1 pack."""
    meeting = build_june_meeting()
    append_narrative(meeting.agenda_items.get(number=8))
    meeting = Meeting.objects.select_related("committee").get(pk=meeting.pk)
    pack = Pack(meeting)
    starts, ends = check_pack(pack)
    front = " ".join(pack.texts[: starts[0] - 1])
    # One page for the minutes prints "(Page n)"; the report runs to more.
    assert starts[0] == ends[0]
    assert f"(Page {starts[0]})" in front
    assert f"(Pages {starts[1]} - {ends[1]})" in front
    assert "DATE: 20 May 2010" in front
    assert squash("EXEMPT MINUTES OF THE MEETING HELD ON 11TH FEBRUARY 2010") in squash(front)
    assert "LONDON EFFICIENCY CHALLENGE FEEDBACK" not in "".join(pack.texts)  # minute 42 is exempt
    assert datetime.date(2010, 2, 11).strftime("%-d %B %Y") in pack.page(starts[0])
    # The narrative appendix, on portrait pages, its paragraphs numbered from the appendix's number.
    appendix = pack.first_page_with("Appendix 1: Organisational Improvement Programme update", start=starts[1])
    assert not pack.landscape[appendix - 1]
    narrative = " ".join(pack.texts[appendix - 1 : ends[1]])
    for text in ["Customer access", "The contact centre opened on time.", "The bid to Capital Ambition"]:
        assert squash(text) in squash(narrative), text
    assert re.findall(r"1\.\d+", narrative) == ["1.1", "1.2", "1.3", "1.4"]
    assert "{#" not in narrative  # no template comment printed


def test_pack_without_reports_prints_its_contents_with_pages(db, pdf_engine):
    """With no report of its own, the pack's cover lists what follows, each
    with the page it starts on."""
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", ref="ie-contents")
    february = Meeting.objects.create(committee=committee, date=datetime.date(2010, 2, 11))
    june = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1))
    february.minutes.create(number=34, title="Apologies for absence", text="None.", resolved="the minutes be agreed.")
    june.agenda_items.create(number=1, title="Minutes of the meeting held on 11 February 2010", minutes_of=february)
    pack = Pack(Meeting.objects.select_related("committee").get(pk=june.pk))
    starts, ends = check_pack(pack)
    assert starts == ends == [2]
    matters = pack.first_page_with("MATTERS ARISING FROM PREVIOUS MEETINGS", "Position as at", start=3)
    cover = pack.first_page_with("Contents", start=3)
    assert squash(f"Matters arising from previous meetings (page {matters})") in squash(pack.page(cover))


def test_auto_prints_with_chromium_where_it_is_installed_else_weasyprint(settings, tmp_path):
    from core import pdf

    settings.PDF_ENGINE = "auto"
    settings.CHROMIUM_PATH = str(tmp_path / "no-chromium")
    assert pdf.engine() == "weasyprint"
    (tmp_path / "chromium").touch()
    settings.CHROMIUM_PATH = str(tmp_path / "chromium")
    assert pdf.engine() == "chromium"
    settings.PDF_ENGINE = "weasyprint"
    assert pdf.engine() == "weasyprint"


def test_css_strings_cannot_end_the_style_element():
    from core import pdf

    assert pdf.css_string('Budget "A" \\ </style><p>') == '"Budget \\"A\\" \\\\ \\3C /style>\\3C p>"'
