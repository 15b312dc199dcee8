"""Downloads (.xlsx or .csv) of a programme's milestones, risk log and
benefits, programme-wide or for one of its projects (?project=<ref>), in the
columns of the import sheets (programmes.imports), so an edited download
imports straight back.

Only the programme's own projects are included: a project shared in from
another programme is downloaded, changed and imported by its home programme.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from core.imports import export_sheet
from core.spreadsheets import DOWNLOAD_FORMATS, download
from programmes.imports import BENEFITS, MILESTONES, RISKS
from programmes.models import Programme, Project

PARTS = {"milestones": MILESTONES, "risks": RISKS, "benefits": BENEFITS}


def part_export(request, ref, part, fmt):
    """Every council login may read programme data, so any may download it;
    three queries whatever the number of rows (the rows stream in chunks)."""
    kind = PARTS.get(part)
    if kind is None or fmt not in DOWNLOAD_FORMATS:
        raise Http404("Downloads are of milestones, risks or benefits, as .xlsx or .csv.")
    programme = get_object_or_404(Programme, ref=ref)
    rows, basename = kind.export_queryset(programme), f"{programme.ref}-{part}"
    if project_ref := request.GET.get("project"):
        project = get_object_or_404(Project, ref=project_ref, workstream__programme=programme)
        rows, basename = rows.filter(project=project), f"{project.ref}-{part}"
    return download(fmt, export_sheet(kind, rows.iterator(chunk_size=2000)), basename)
