"""The meeting's papers as documents: what the committee pack and a single
report print, and their PDF. Views (on request) and the issuing task (in the
background, without a request) both render through here, so a downloaded
draft and an issued pack are the same document."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from actions.access import reviews_with_actions
from actions.models import Progress
from committees.access import pack_report_items
from committees.models import MinutedAction, ReportAppendix
from programmes.models import HighlightReport


def live_papers(meeting):
    """The live-data papers a meeting's reports and pack print: matters
    arising and the action plan progress of the committee's programmes."""
    reviews = reviews_with_actions().filter(action_plans__programme__committees=meeting.committee_id).distinct()
    matters = MinutedAction.objects.matters_arising_for(meeting, meeting.previous()).for_table()
    return {"rows": matters, "reviews": reviews, "categories": Progress.choices}


def pack_context(meeting):
    """Everything the pack prints, in a fixed number of queries whatever the
    number of projects, actions or reports: every Part 1 report in agenda
    order; the highlight reports attached to the meeting, matters arising
    and action plan progress follow as before unless a report already
    carries them as appendices."""
    items = list(pack_report_items(meeting))
    kinds = {appendix.kind for item in items for appendix in item.appendices.all()}
    return {
        "meeting": meeting,
        "items": items,
        "cover": None if items else meeting.pack_item,
        "reports": []
        if ReportAppendix.Kind.HIGHLIGHT_REPORT in kinds
        else HighlightReport.objects.for_display().filter(meetings=meeting).order_by("programme__name"),
        "show_matters": ReportAppendix.Kind.MATTERS_ARISING not in kinds,
        "show_progress": ReportAppendix.Kind.ACTION_PLAN_PROGRESS not in kinds,
        **live_papers(meeting),
    }


def report_context(item):
    """What one report to committee prints: its cover, commentary and appendices."""
    return {"item": item, "meeting": item.meeting, **live_papers(item.meeting)}


def render_pdf(template, context, request=None):
    """The PDF of a print template. Stylesheets are inlined (pdf=True), so no
    request is needed: the issuing task renders without one."""
    html = render_to_string(template, {**context, "pdf": True}, request)
    base_url = request.build_absolute_uri("/") if request else settings.BASE_DIR.as_uri() + "/"
    return HTML(string=html, base_url=base_url).write_pdf()


def pack_pdf(meeting, request=None):
    return render_pdf("committees/committee_pack.html", pack_context(meeting), request)


def report_pdf(item, request=None):
    return render_pdf("committees/report_print.html", report_context(item), request)
