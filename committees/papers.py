"""The meeting's papers as documents: what the committee pack and a single
report print, and their PDF. Views (on request) and the issuing task (in the
background, without a request) both render through here, so a downloaded
draft and an issued pack are the same document."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from weasyprint import HTML

from actions.access import reviews_with_actions
from actions.models import Progress
from committees import pdf_merge
from committees.access import appendix_prefetches_as_at, pack_agenda, pack_minutes
from committees.models import MinutedAction, ReportAppendix
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
        """As the agenda prints it: "Page 7" or "Pages 7 - 12"."""
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
    agenda order; the highlight reports attached to the meeting, matters
    arising and action plan progress follow as before unless a report
    already carries them as appendices.

    exempt=True: the Part 2 pack, headed PART 2 - EXEMPT, with the exempt
    items' papers only (their reports, and the exempt minutes they take) and
    none of the Part 1 papers; the Part 1 pack never holds either."""
    agenda, exempt_agenda, papers = agenda_papers(meeting, exempt=exempt)
    items = [paper.item for paper in papers if paper.item.has_report]
    kinds = {appendix.kind for item in items for appendix in item.appendices.all()}
    return {
        "meeting": meeting,
        "items": items,
        "agenda": agenda,
        "exempt_agenda": exempt_agenda,
        "papers": papers,
        "cover": None if items else meeting.pack_item,
        "exempt": exempt,
        "reports": []
        if exempt or ReportAppendix.Kind.HIGHLIGHT_REPORT in kinds
        else HighlightReport.objects.for_display().filter(meetings=meeting).order_by("programme__name"),
        "show_matters": not exempt and ReportAppendix.Kind.MATTERS_ARISING not in kinds,
        "show_progress": not exempt and ReportAppendix.Kind.ACTION_PLAN_PROGRESS not in kinds,
        **live_papers(meeting, items),
    }


def report_context(item):
    """What one report to committee prints: its cover, commentary and appendices."""
    return {"item": item, "meeting": item.meeting, **live_papers(item.meeting, [item])}


def render_document(template, context, request=None):
    """A print template laid out by WeasyPrint, pages not yet written.
    Stylesheets are inlined (pdf=True), so no request is needed: the issuing
    task renders without one."""
    html = render_to_string(template, {**context, "pdf": True}, request)
    base_url = request.build_absolute_uri("/") if request else settings.BASE_DIR.as_uri() + "/"
    return HTML(string=html, base_url=base_url).render()


def render_pdf(template, context, request=None):
    """The PDF of a print template."""
    return pdf_merge.write_pdf(render_document(template, context, request))


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
    return pdf_merge.write_pdf(pack_document("committees/committee_pack.html", context, request))


def report_pdf(item, request=None):
    return render_pdf("committees/report_print.html", report_context(item), request)
