"""Issuing a meeting's pack: the clerk asks, a background task renders the
PDF through committees.papers and stores it, and from then on everyone
downloads that stored file; it is never rendered again.

The task goes through Django's tasks interface (the django-tasks backport,
with django-tasks-db's database backend by default, so the queue needs
nothing but the database). The worker, `manage.py db_worker`, imports
`committees.issuing.generate_pack` by the path stored with each task.

What can go wrong, and what the clerk then sees:
- the render raises: the pack is marked failed with the reason, no file is
  kept, and the clerk may retry it;
- the worker is killed mid-job: the row stays "generating" with no file, is
  never served, and after ISSUING_STALE_MINUTES is offered for retry;
- a retry while a slow worker is in fact still going: only the run that
  claimed the pack last may finish it; the other's file is deleted.
"""

import io
import logging

import pypdf
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from committees import papers
from committees.models import IssuedPack, Meeting

logger = logging.getLogger(__name__)

CLERKS_ONLY = "Only committee clerks can issue a meeting's papers."
BUSY = "Version {version} of the {part} pack is still being generated: wait for it to finish before issuing again."
FAILED = (
    "The PDF could not be generated, so nothing was issued. Check the meeting's papers and try again; "
    "if it fails again, give this message to the system administrator. The error was: {error}"
)
NOT_QUEUED = (
    "The pack could not be put in the queue for the background worker, so nothing was issued. "
    "Try again in a few minutes. The error was: {error}"
)
STOPPED = "Generation stopped before it finished (the background worker was stopped or restarted)."
SUPERSEDED = STOPPED + " Version {version} was requested in its place."
NO_EXEMPT_ITEMS = "This meeting has no Part 2 (exempt) items, so there is no exempt pack to issue."
NOT_RETRYABLE = "Only a pack that failed or stopped before it finished can be tried again."
DRAFT_NARRATIVE = (
    "Not issued: Appendix {position} to item {number} ({item}) is the narrative update “{narrative}”, which is "
    "a draft, and an issued pack can never be changed. Ask the programme's managers to mark it final, or remove "
    "the appendix, then issue the pack again."
)


def check_no_draft_narratives(meeting, part):
    """Refuse to issue (or go on generating) a pack whose reports append a
    narrative update that is a draft, e.g. one set back to draft after the
    clerk attached it (Meeting.draft_narrative_appendices)."""
    drafts = meeting.draft_narrative_appendices(exempt=part == IssuedPack.Part.EXEMPT)
    if drafts:
        raise ValidationError(
            [
                DRAFT_NARRATIVE.format(
                    position=appendix.position,
                    number=appendix.agenda_item.number,
                    item=appendix.agenda_item.title,
                    narrative=appendix.narrative.title,
                )
                for appendix in drafts
            ]
        )


def request_issue(*, meeting, part, user):
    """Queue the next version of the meeting's `part` pack for the worker.
    Refused while a version of the same part is still queued or generating;
    versions lost with a stopped worker are marked failed instead."""
    if not Meeting.can_be_managed_by(user):
        raise PermissionDenied(CLERKS_ONLY)
    if part == IssuedPack.Part.EXEMPT and not meeting.agenda_items.filter(exempt=True).exists():
        raise ValidationError(NO_EXEMPT_ITEMS)
    check_no_draft_narratives(meeting, part)
    with transaction.atomic():
        # One request at a time per meeting (PostgreSQL; SQLite's write lock
        # serialises the whole transaction anyway), so two clicks cannot both
        # pass the check below or take the same version number.
        Meeting.objects.select_for_update().values_list("pk", flat=True).get(pk=meeting.pk)
        packs = IssuedPack.objects.filter(meeting=meeting, part=part)
        busy = packs.in_progress().exclude(pk__in=packs.stale()).order_by("-version").first()
        if busy is not None:
            raise ValidationError(BUSY.format(version=busy.version, part=busy.get_part_display()))
        version = (packs.aggregate(highest=Max("version"))["highest"] or 0) + 1
        packs.stale().update(status=IssuedPack.Status.FAILED, error=SUPERSEDED.format(version=version))
        pack = IssuedPack(meeting=meeting, part=part, version=version, requested_by=user)
        pack.full_clean()
        pack.save()
        transaction.on_commit(lambda: _enqueue(pack.pk))
    return pack


def retry_issue(*, issued_pack, user):
    """Queue a failed or stopped version again, as the same version."""
    if not Meeting.can_be_managed_by(user):
        raise PermissionDenied(CLERKS_ONLY)
    with transaction.atomic():
        pack = IssuedPack.objects.select_for_update().get(pk=issued_pack.pk)
        if not pack.can_retry:
            raise ValidationError(NOT_RETRYABLE)
        check_no_draft_narratives(pack.meeting, pack.part)
        # requested_at restarts the clock that decides when a queued pack is stale.
        IssuedPack.objects.filter(pk=pack.pk).update(
            status=IssuedPack.Status.QUEUED,
            error="",
            started_at=None,
            requested_by=user,
            requested_at=timezone.now(),
        )
        transaction.on_commit(lambda: _enqueue(pack.pk))
    pack.refresh_from_db()
    return pack


def _enqueue(pack_id):
    """After the request's transaction commits, so the worker never looks for
    a row it cannot see yet."""
    try:
        result = generate_pack.enqueue(pack_id)
    except Exception as error:
        logger.exception("Could not queue issued pack %s", pack_id)
        IssuedPack.objects.filter(pk=pack_id, status=IssuedPack.Status.QUEUED).update(
            status=IssuedPack.Status.FAILED, error=NOT_QUEUED.format(error=error)
        )
        return
    IssuedPack.objects.filter(pk=pack_id).update(task_id=str(result.id))


def render_pack(pack):
    """The PDF bytes of the pack's part, rendered as the pack print view is."""
    meeting = Meeting.objects.select_related("committee", "pack_item").prefetch_related("agenda_items")
    meeting = meeting.get(pk=pack.meeting_id)
    check_no_draft_narratives(meeting, pack.part)  # set back to draft since the clerk asked
    return papers.pack_pdf(meeting, exempt=pack.part == IssuedPack.Part.EXEMPT)


@task()
def generate_pack(issued_pack_id):
    """Render, store, then mark issued in one step: a row says "issued" only
    once its whole file is stored. Returns what became of it, for the task
    result; a failure is recorded on the pack and raised again for the worker."""
    started = timezone.now()
    mine = IssuedPack.objects.filter(pk=issued_pack_id, status=IssuedPack.Status.GENERATING, started_at=started)
    claimed = IssuedPack.objects.filter(pk=issued_pack_id, status=IssuedPack.Status.QUEUED).update(
        status=IssuedPack.Status.GENERATING, started_at=started, error=""
    )
    if not claimed:
        logger.info("Issued pack %s is no longer queued; nothing to do", issued_pack_id)
        return "skipped"
    pack = IssuedPack.objects.select_related("meeting__committee").get(pk=issued_pack_id)
    storage = pack.pdf.storage
    stored = None
    try:
        data = render_pack(pack)
        page_count = len(pypdf.PdfReader(io.BytesIO(data)).pages)
        stored = storage.save(pack.pdf.field.generate_filename(pack, pack.download_name), ContentFile(data))
        with transaction.atomic():
            finished = mine.update(
                status=IssuedPack.Status.ISSUED,
                pdf=stored,
                issued_at=timezone.now(),
                page_count=page_count,
                size_bytes=len(data),
            )
    except BaseException as error:
        # BaseException too: a worker told twice to stop exits mid-render
        # (SystemExit), and the clerk may then retry at once. A worker killed
        # outright runs nothing more; its row goes stale instead.
        logger.exception("Issued pack %s failed", issued_pack_id)
        if stored:
            storage.delete(stored)
        stopped = not isinstance(error, Exception)
        if isinstance(error, ValidationError):  # refused, in words for the clerk
            reason = " ".join(error.messages)
        else:
            reason = STOPPED if stopped else FAILED.format(error=str(error) or type(error).__name__)
        mine.update(status=IssuedPack.Status.FAILED, error=reason)
        raise
    if not finished:
        # Retried as stale while this run was still going: the newer run owns it.
        storage.delete(stored)
        return "superseded"
    return "issued"
