"""Uploading a sheet for preview, and applying it: the only writers of ImportRun."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import imports
from core.spreadsheets import SpreadsheetError, read_table
from exchange.models import ImportRun

# What a preview page keeps to show; the counts always cover every row.
SHOWN = 500


def read(kind, data):
    """The kind's sheet of an uploaded file (SpreadsheetError for a bad file)."""
    return read_table(data, sheet_names=[kind.sheet_name], max_rows=settings.IMPORT_MAX_ROWS)


def check_size(size):
    limit = settings.IMPORT_MAX_MB
    if size > limit * 1024 * 1024:
        raise SpreadsheetError(
            f"This file is {size / 1024 / 1024:.1f} MB; the largest file an import takes is {limit} MB. "
            "Split it into smaller files."
        )


def _summary(result):
    rows = [r for r in result.rows if r.outcome != "unchanged"]
    return {
        "problems": [
            {"row": p.row, "column": p.column or "", "message": p.message, "text": str(p)}
            for p in result.problems[:SHOWN]
        ],
        "rows": [
            {
                "row": r.number,
                "outcome": r.outcome,
                "label": r.label,
                "changes": [[c.heading, c.old, c.new] for c in r.changes],
            }
            for r in rows[:SHOWN]
        ],
        "unchanged": [{"row": r.number, "label": r.label} for r in result.rows if r.outcome == "unchanged"][:SHOWN],
        "ignored_headings": result.ignored_headings,
    }


@transaction.atomic
def preview_upload(*, kind, target, upload, user):
    """Read and plan an uploaded file; keep it and its preview as an
    ImportRun. Writes nothing else. SpreadsheetError for a bad file."""
    check_size(upload.size)
    data = upload.read()
    table = read(kind, data)
    result = imports.plan(kind, table, user=user, target=target)
    unusable = [str(p) for p in result.problems if p.row is None]
    if unusable:
        raise SpreadsheetError(" ".join(unusable))
    counts = result.counts
    run = ImportRun(
        kind=kind.slug,
        user=user,
        filename=upload.name[:255],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=table.sheet,
        rows=len(table.rows),
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        problem_count=len(result.problems),
        preview=_summary(result),
        baseline=result.baseline() if result.ok else {},
    )
    setattr(run, kind.target_noun, target)
    run.file.save(upload.name, ContentFile(data), save=False)
    run.save()
    return run


def apply_run(*, run, kind, user, sha256):
    """Apply a previewed import, all of it, or raise ImportRefused (and record
    why on the run) with nothing else written."""
    if not run.can_apply:
        raise imports.ImportRefused([imports.Problem("This import cannot be applied: it has problems or has been.")])
    with run.file.open("rb") as stored:
        data = stored.read()
    if sha256 != run.sha256 or hashlib.sha256(data).hexdigest() != run.sha256:
        _refuse(run, "The file has changed since the preview. Upload it again to preview it as it is now.")
    try:
        _, saved = imports.commit(
            kind, read(kind, data), user=user, target=run.target, baseline=run.baseline, reason=run.history_reason
        )
    except imports.ImportRefused as refused:
        _refuse(run, "\n".join(str(p) for p in refused.problems[:SHOWN]), refused.problems)
    except SpreadsheetError as error:
        _refuse(run, str(error))
    run.status = ImportRun.Status.APPLIED
    run.applied_at = timezone.now()
    run.touched = [[row.label, row.item.get_absolute_url(), row.outcome] for row in saved]
    run.save(update_fields=["status", "applied_at", "touched"])
    return run


def _refuse(run, message, problems=None):
    """Mark the run refused (the import's own writes were rolled back) and raise."""
    run.status = ImportRun.Status.REFUSED
    run.message = message
    run.save(update_fields=["status", "message"])
    raise imports.ImportRefused(problems or [imports.Problem(message)])
