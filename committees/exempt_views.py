"""The Part 2 (exempt) papers and uploaded appendices' files.

Exempt papers are 404 to anyone Meeting.exempt_papers_visible_to refuses
(committees.access), so a login that may not see them is not told they
exist. Files are kept in private storage and only ever served from here."""

from django.http import FileResponse
from django.shortcuts import render

from committees import papers
from committees.access import get_appendix_file_for_user, get_exempt_meeting_for_user
from core.views import pdf_download


def exempt_pack(request, pk):
    """The Part 2 pack as one printable document: the exempt items' reports
    and the exempt minutes they take, headed PART 2 - EXEMPT."""
    meeting = get_exempt_meeting_for_user(request, pk)
    return render(request, "committees/committee_pack.html", papers.pack_context(meeting, exempt=True))


def exempt_pack_pdf(request, pk):
    meeting = get_exempt_meeting_for_user(request, pk)
    filename = f"{meeting.committee.ref}-{meeting.date.isoformat()}-part-2-exempt.pdf"
    return pdf_download(papers.pack_pdf(meeting, request, exempt=True), filename)


def appendix_file(request, pk, number, appendix_pk):
    """An uploaded appendix's PDF, as stored, as a download."""
    appendix = get_appendix_file_for_user(request, pk, number, appendix_pk)
    return FileResponse(
        appendix.file.open("rb"), as_attachment=True, filename=appendix.file_name, content_type="application/pdf"
    )
