"""The meeting's papers as documents: what the committee pack and a single
report print, and their PDF. Views (on request) and the issuing task (in the
background, without a request) both render through here, so a downloaded
draft and an issued pack are the same document."""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from weasyprint import HTML

from actions.access import reviews_with_actions
from actions.models import Progress
from committees import pdf_merge
from committees.access import appendix_prefetches_as_at, pack_agenda, pack_minutes
from committees.models import MinutedAction
from core import pdf as core_pdf
from programmes.models import HighlightReport


def live_papers(meeting, items=()):
    """The live-data papers a meeting's reports and pack print: matters
    arising and the action plan progress of the committee's programmes, and
    the key milestones and open risks of the reports `items`' appendices.

    All as they stood at the papers' cut-off (Meeting.cut_off, the end of
    the front sheet's date), read from the audit history: statuses, RAG,
    due dates and what is overdue as at then, updates recorded by then, and
    nothing created since. `position_date` is the day they print it as at."""
    when = meeting.cut_off
    reviews = reviews_with_actions(as_at=when).filter(action_plans__programme__committees=meeting.committee_id)
    matters = MinutedAction.objects.matters_arising_for(meeting, meeting.previous(), as_at=when)
    prefetch_related_objects(list(items), *appendix_prefetches_as_at(when))
    return {
        "rows": matters.for_table_as_at(when),
        "reviews": reviews.distinct(),
        "categories": Progress.choices,
        "position_date": meeting.position_date,
    }


@dataclass
class Paper:
    """One agenda item's paper in a pack: its report (cover, commentary,
    appendices) and/or the minutes it takes. The PDF's front sheet prints
    the pages it runs to (first_page, last_page: known after layout)."""

    item: object
    minutes: list = field(default_factory=list)
    first_page: int | None = None
    last_page: int | None = None

    @property
    def anchor(self):
        return f"paper-{self.item.number}"

    @property
    def end_anchor(self):
        return f"paper-{self.item.number}-end"

    @property
    def pages_label(self):
        """As the agenda prints it: "Page 7" or "Pages 7 - 12"; before the
        pages are known, a stand-in as wide as most ranges."""
        if self.first_page is None:
            return "Pages 000 - 000"
        if self.first_page == self.last_page:
            return f"Page {self.first_page}"
        return f"Pages {self.first_page} - {self.last_page}"


def agenda_papers(meeting, *, exempt=False):
    """The agenda as the front sheet lists it, and the papers that follow it.

    Returns (agenda, exempt_agenda, papers): the Part 1 items and the Part 2
    (exempt) items, each as (item, paper or None) in number order, and the
    papers of this pack in agenda order. The Part 1 pack carries the papers
    of Part 1 items only, the exempt pack those of Part 2 items only: an item
    has a paper when it has a report or takes a meeting's minutes."""
    items = list(pack_agenda(meeting))
    taken = [item.minutes_of_id for item in items if item.minutes_of_id and item.exempt == exempt]
    minutes = {}
    for minute in pack_minutes(taken, exempt=exempt) if taken else []:
        minutes.setdefault(minute.meeting_id, []).append(minute)
    agenda, exempt_agenda, papers = [], [], []
    for item in items:
        paper = None
        if item.exempt == exempt and (item.has_report or item.minutes_of_id):
            paper = Paper(item, minutes=minutes.get(item.minutes_of_id, []))
            papers.append(paper)
        (exempt_agenda if item.exempt else agenda).append((item, paper))
    return agenda, exempt_agenda, papers


def pack_context(meeting, *, exempt=False):
    """Everything the pack prints, in a fixed number of queries whatever the
    number of projects, actions, minutes or reports: the agenda front sheet,
    then each Part 1 item's paper (its report, or the minutes it takes) in
    agenda order, and nothing else: what else goes in is the clerk's choice
    of each report's appendices (so a 2012 pack carries no 2010 action plan
    progress unless a report appends it). Only a pack without a report of
    its own keeps the older form: one cover sheet, then the highlight
    reports attached to the meeting, matters arising and action plan progress.

    exempt=True: the Part 2 pack, headed PART 2 - EXEMPT, with the exempt
    items' papers only (their reports, and the exempt minutes they take) and
    none of the Part 1 papers; the Part 1 pack never holds either."""
    agenda, exempt_agenda, papers = agenda_papers(meeting, exempt=exempt)
    items = [paper.item for paper in papers if paper.item.has_report]
    extras = not exempt and not items
    return {
        "meeting": meeting,
        "items": items,
        "agenda": agenda,
        "exempt_agenda": exempt_agenda,
        "papers": papers,
        "cover": None if items else meeting.pack_item,
        "exempt": exempt,
        "reports": HighlightReport.objects.for_display().filter(meetings=meeting).order_by("programme__name")
        if extras
        else [],
        "show_matters": extras,
        "show_progress": extras,
        **live_papers(meeting, items),
    }


def report_context(item):
    """What one report to committee prints: its cover, commentary and appendices."""
    return {"item": item, "meeting": item.meeting, **live_papers(item.meeting, [item])}


def pdf_footer(context):
    """The running title of a PDF's footer as a CSS string, for Chromium,
    which has no string-set: the pack's heading, or the report's title."""
    if "item" in context:
        return core_pdf.css_string(context["item"].title)
    meeting = context["meeting"]
    what = "Part 2 (exempt) papers, not for publication" if context.get("exempt") else "committee pack"
    return core_pdf.css_string(f"{meeting.committee.name}, {meeting.date:%-d %B %Y}: {what}")


def render_document(template, context, request=None):
    """A print template laid out by WeasyPrint, pages not yet written.
    Stylesheets are inlined (pdf=True), so no request is needed: the issuing
    task renders without one."""
    html = render_to_string(template, {**context, "pdf": True}, request)
    base_url = request.build_absolute_uri("/") if request else settings.BASE_DIR.as_uri() + "/"
    return HTML(string=html, base_url=base_url).render()


def render_pdf(template, context, request=None):
    """The PDF of a print template, by the engine in use (core.pdf.engine)."""
    if core_pdf.engine() == "chromium":
        return ChromiumPrint(template, context, request).finish()
    return pdf_merge.write_pdf(render_document(template, context, request))


class ChromiumPrint:
    """A print template printed by headless Chromium (core.pdf.chromium_pdf).

    The render carries empty links to the anchors whose pages are wanted
    ({% pdf_marker %}, committees_tags); `markers` is {anchor: page index},
    read from the PDF's named destinations. finish() writes the final PDF:
    `front` (another print's first pages) drawn in place of the first pages,
    the uploaded appendices' pages under their placeholders, and
    `bookmarks` [(title, page index)] as its outline. It writes only what
    changed, after the PDF as Chromium wrote it (pypdf's incremental mode):
    copying a 240-page PDF object by object took longer than printing it."""

    def __init__(self, template, context, request=None):
        html = render_to_string(
            template, {**context, "pdf": True, "chromium": True, "pdf_footer": mark_safe(pdf_footer(context))}, request
        )
        self._printing = core_pdf.start_chromium_pdf(html)
        self._pdf = self._writer = None
        self.front = None
        self.bookmarks = []

    def _printed(self):
        if self._pdf is None:
            self._pdf = self._printing.result(timeout=core_pdf.TIMEOUT_SECONDS + 60)
            self.reader = PdfReader(io.BytesIO(self._pdf))
            self.markers = core_pdf.destination_pages(self.reader)
        return self

    def __getattr__(self, name):  # reader, markers: once printed
        if name in ("reader", "markers"):
            return getattr(self._printed(), name)
        raise AttributeError(name)

    def __len__(self):
        return len(self.reader.pages)

    def writer(self):
        """The PdfWriter that finish() writes through (opening it takes a
        while: chromium_pack opens it while the front sheet prints)."""
        if self._writer is None:
            self._writer = PdfWriter(io.BytesIO(self._printed()._pdf), incremental=True)
        return self._writer

    def finish(self):
        placeholders = pdf_merge.placeholders_at(self.markers)
        if self._writer is None and self.front is None and not placeholders and not self.bookmarks:
            return self._pdf
        writer = self.writer()
        if self.front is not None:
            for target, source in zip(writer.pages, self.front.reader.pages, strict=False):
                # The page's drawing is replaced; its links (the agenda's, to
                # the papers) stay: the front sheet is laid out the same.
                target.replace_contents(ContentStream(None, writer))
                target.merge_page(source)
        if placeholders:
            pdf_merge.place_uploaded(writer, placeholders)
        core_pdf.add_bookmarks(writer, self.bookmarks)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def chromium_pack(template, context, request=None):
    """The pack printed by Chromium, the agenda printing each paper's real
    pages. Chromium has no target-counter, so the pages are read from the
    first print's markers; the front sheet alone is printed again with them
    (and the pack's page count for its footer) and put in place of the
    first one. If that changed the front sheet's length, or the pack has a
    cover whose contents print pages, the whole pack is printed again with
    the pages known, until they hold (they hardly ever move). Its outline:
    the agenda and each paper (Chromium writes none without tagging)."""
    document = _chromium_pack(template, context, request)
    document.bookmarks = [("Agenda", 0)] + [
        (f"{paper.item.number}. {paper.item.title}", paper.first_page - 1)
        for paper in context["papers"]
        if paper.first_page
    ]
    return document


def _chromium_pack(template, context, request):
    papers = context["papers"]
    document = ChromiumPrint(template, context, request)
    number_paper_pages(document.markers, papers)
    has_contents = not context["items"] and not context["exempt"]
    if not has_contents:
        if not papers or papers[0].first_page is None:
            return document
        front = ChromiumPrint(template, {**context, "front_sheet_only": True, "total_pages": len(document)}, request)
        document.writer()  # while Chromium prints the front sheet
        if len(front) == papers[0].first_page - 1:
            document.front = front
            return document
    for _ in range(3):
        printed = _printed_numbers(document, papers)
        document = ChromiumPrint(template, {**context, "section_pages": printed[1]}, request)
        number_paper_pages(document.markers, papers)
        if _printed_numbers(document, papers) == printed:
            break
    return document


def _printed_numbers(document, papers):
    """The pages a Chromium print's front sheet and contents print: the
    papers' (first, last), and {section anchor: page} of the sections after them."""
    sections = {name: index + 1 for name, index in document.markers.items() if name.startswith("pack-")}
    return [(paper.first_page, paper.last_page) for paper in papers], sections


def number_paper_pages(markers, papers):
    """Set each paper's first and last page (from 1) from {marker: page index}."""
    for paper in papers:
        first, last = markers.get(paper.anchor), markers.get(paper.end_anchor)
        paper.first_page = None if first is None else first + 1
        paper.last_page = None if last is None else last + 1


def number_pages(document, papers):
    """Set each paper's first and last page from where its start and end
    anchors fell in the laid-out document."""
    pages = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    for paper in papers:
        paper.first_page, paper.last_page = pages.get(paper.anchor), pages.get(paper.end_anchor)


def pack_document(template, context, request=None):
    """The pack laid out once, its agenda front sheet printing each paper's
    real pages. WeasyPrint fills the "(Pages 7 - 12)" in as it lays out
    (CSS target-counter), in the one pass. Only a one-page paper, which the
    agenda prints "(Page 7)" and CSS cannot tell apart, needs more: the
    front sheet alone is laid out again with the numbers now known and put
    in place of the first one (the whole pack again only if that changed
    the front sheet's length)."""
    papers = context["papers"]
    document = render_document(template, context, request)
    number_pages(document, papers)
    if not any(paper.first_page and paper.first_page == paper.last_page for paper in papers):
        return document  # every "(Pages X - Y)" is already right
    total = len(document.pages)
    front_pages = (papers[0].first_page or 1) - 1
    front = render_document(template, {**context, "front_sheet_only": True, "total_pages": total}, request)
    if len(front.pages) == front_pages:
        return document.copy([*front.pages, *document.pages[front_pages:]])
    # The papers now know which of them is one page long; their numbers are
    # still filled in by target-counter, so they follow the longer front sheet.
    return render_document(template, context, request)


def pack_pdf(meeting, request=None, *, exempt=False):
    """The pack's PDF; exempt=True: the Part 2 (exempt) pack."""
    context = pack_context(meeting, exempt=exempt)
    if core_pdf.engine() == "chromium":
        return chromium_pack("committees/committee_pack.html", context, request).finish()
    return pdf_merge.write_pdf(pack_document("committees/committee_pack.html", context, request))


def report_pdf(item, request=None):
    return render_pdf("committees/report_print.html", report_context(item), request)
