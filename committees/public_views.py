"""The papers a committee publishes, open without a login as councils publish
agendas: only for committees with publish_online set, and only the latest
issued Part 1 pack of each meeting and the published highlight reports
presented to it. Everything else, exempt papers, drafts, packs not yet (or
not successfully) issued and the live meeting pages, is 404 here."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from committees.models import Committee, IssuedPack
from programmes.models import HighlightReport


def _publishing_committee(ref):
    return get_object_or_404(Committee, ref=ref, publish_online=True)


def _published_reports(committee):
    """Published highlight reports of the committee's own programmes."""
    return HighlightReport.objects.published().filter(programme__committees=committee)


@login_not_required
@require_GET
def index(request):
    committees = Committee.objects.filter(publish_online=True)
    return render(request, "committees/public_index.html", {"committees": committees})


@login_not_required
@require_GET
def committee_papers(request, ref):
    """The committee's meetings that have something published, newest first,
    in a fixed number of queries however many meetings."""
    committee = _publishing_committee(ref)
    meetings = committee.meetings.order_by("-date").prefetch_related(
        Prefetch("issued_packs", queryset=IssuedPack.objects.published_online(), to_attr="public_packs"),
        Prefetch(
            "reports",
            queryset=_published_reports(committee).select_related("programme").order_by("programme__name"),
            to_attr="public_reports",
        ),
    )
    meetings = [meeting for meeting in meetings if meeting.public_packs or meeting.public_reports]
    return render(request, "committees/public_committee.html", {"committee": committee, "meetings": meetings})


@login_not_required
@require_GET
def pack_pdf(request, ref, pk):
    packs = IssuedPack.objects.published_online().select_related("meeting__committee")
    pack = get_object_or_404(packs, pk=pk, meeting__committee__ref=ref)
    return FileResponse(pack.pdf.open("rb"), as_attachment=True, filename=pack.download_name)


@login_not_required
@require_GET
def report(request, ref, pk):
    """A published highlight report presented to one of the committee's
    meetings, as its print view shows it."""
    committee = _publishing_committee(ref)
    reports = _published_reports(committee).filter(meetings__committee=committee).distinct().for_display()
    report = get_object_or_404(reports, pk=pk)
    sections = [name for name in ("benefits", "milestones") if getattr(report, f"include_{name}")]
    prefetch_related_objects([report], *sections)
    return render(request, "committees/public_report.html", {"committee": committee, "report": report})
