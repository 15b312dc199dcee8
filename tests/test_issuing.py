"""Issuing a meeting's pack (issue 11): the clerk asks, the background worker
renders and stores the PDF, and every download from then on serves that
stored file. Re-issuing makes a new version and keeps the old; a failure or
a killed worker leaves no half-issued pack, and the clerk can retry."""

import datetime
import signal
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from committees import issuing, papers, services
from committees.models import AgendaItem, Committee, IssuedPack, Meeting, ReportAppendix
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def meeting(db):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1), venue="Committee Room 1")
    meeting.pack_item = AgendaItem.objects.create(
        meeting=meeting,
        number=8,
        title="Organisational Improvement Programme",
        report_number="CEO1058",
        has_report=True,
        reason="To update Members on the progress of the Organisational Improvement Programme",
    )
    meeting.save()
    return meeting


# The real worker takes tasks in its own transaction, which SQLite cannot
# open inside a test's: the tests that run it use a transactional database.
through_the_worker = pytest.mark.django_db(transaction=True)


def run_worker():
    """The real worker, as `make run` starts it, until the queue is empty.
    It installs its own Ctrl-C handlers; pytest gets its own back after."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def stored_files(root):
    return sorted(path for path in Path(root).rglob("*") if path.is_file()) if Path(root).exists() else []


def issue(client, meeting, django_capture_on_commit_callbacks, part="public"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("committees:pack_issue", args=[meeting.pk]), {"part": part, "confirm": "yes"}, follow=True
        )


def issued_pack(meeting, **kwargs):
    """A pack as the worker leaves it, with a small file stored."""
    pack = IssuedPack.objects.create(meeting=meeting, version=kwargs.pop("version", 1), **kwargs)
    if pack.status == IssuedPack.Status.ISSUED:
        from django.core.files.base import ContentFile

        pack.pdf.save(pack.download_name, ContentFile(b"%PDF-1.4 stored pack"), save=False)
        pack.issued_at = timezone.now()
        pack.save()
    return pack


# --- Issuing, the worker, and downloads ---------------------------------------------


@through_the_worker
def test_clerk_issues_the_pack_and_the_worker_stores_it(
    client, clerk, meeting, private_media, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    response = issue(client, meeting, django_capture_on_commit_callbacks)
    body = response.content.decode()
    assert "Version 1 of the Part 1 (public) pack is being generated in the background" in body
    assert "Queued, waiting for the background worker" in body
    pack = IssuedPack.objects.get()
    assert (pack.version, pack.status, pack.requested_by) == (1, IssuedPack.Status.QUEUED, clerk)
    assert pack.task_id == str(DBTaskResult.objects.get().id)  # queued through django-tasks, not by hand

    run_worker()

    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.ISSUED
    assert pack.issued_at is not None
    assert pack.started_at is not None
    assert pack.page_count >= 1
    assert stored_files(private_media) == [Path(pack.pdf.path)]
    assert pack.size_bytes == Path(pack.pdf.path).stat().st_size
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert '<strong class="issued-status issued-status-issued">Issued</strong>' in page
    assert reverse("committees:issued_pdf", args=[pack.pk]) in page


def test_download_serves_the_stored_file_and_never_renders_again(client, clerk, officer, meeting, monkeypatch):
    pack = IssuedPack.objects.create(meeting=meeting, version=1, requested_by=clerk)
    issuing.generate_pack.call(pack.pk)
    pack.refresh_from_db()
    stored = Path(pack.pdf.path).read_bytes()
    assert stored.startswith(b"%PDF")

    def render_again(*args, **kwargs):
        raise AssertionError("an issued pack must not be rendered again")

    monkeypatch.setattr(papers, "pack_pdf", render_again)
    client.force_login(officer)
    response = client.get(reverse("committees:issued_pdf", args=[pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ie-2010-06-01-public-pack-v1.pdf"'
    assert b"".join(response.streaming_content) == stored


@through_the_worker
def test_reissue_makes_version_two_and_keeps_version_one(
    client, clerk, meeting, private_media, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    issue(client, meeting, django_capture_on_commit_callbacks)
    run_worker()
    first = IssuedPack.objects.get()
    first_bytes = Path(first.pdf.path).read_bytes()

    response = issue(client, meeting, django_capture_on_commit_callbacks)
    assert "Version 2 of the Part 1 (public) pack is being generated" in response.content.decode()
    run_worker()

    second = IssuedPack.objects.get(version=2)
    assert second.status == IssuedPack.Status.ISSUED
    assert second.pdf.name != first.pdf.name
    assert len(stored_files(private_media)) == 2
    response = client.get(reverse("committees:issued_pdf", args=[first.pk]))
    assert b"".join(response.streaming_content) == first_bytes
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert page.index("Version 2") < page.index("Version 1")
    # The meeting page offers the latest version only.
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Part 1 (public) pack, version 2 (PDF" in meeting_page
    assert "Part 1 (public) pack, version 1 (PDF" not in meeting_page


def test_a_second_issue_is_refused_while_one_is_still_queued(
    client, clerk, meeting, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    issue(client, meeting, django_capture_on_commit_callbacks)
    response = issue(client, meeting, django_capture_on_commit_callbacks)
    assert (
        "Version 1 of the Part 1 (public) pack is still being generated: wait for it to finish before issuing again."
        in response.content.decode()
    )
    assert IssuedPack.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_exempt_part_is_issued_separately(clerk, meeting):
    AgendaItem.objects.create(meeting=meeting, number=13, title="Printing contract award", exempt=True)
    public = issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    exempt = issuing.request_issue(meeting=meeting, part=IssuedPack.Part.EXEMPT, user=clerk)
    assert (public.version, exempt.version) == (1, 1)


def test_the_exempt_pack_holds_the_exempt_papers_and_the_public_pack_does_not(clerk, meeting):
    secret = "Tender prices from the three bidders are set out below."
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=13,
        title="Printing contract award",
        has_report=True,
        report_number="CEO1077",
        exempt=True,
        exempt_reason="Information relating to the financial or business affairs of any particular person",
    )
    services.add_paragraph(item=item, user=clerk, kind="paragraph", text=secret)
    texts = {}
    for part in IssuedPack.Part.values:
        pack = issuing.request_issue(meeting=meeting, part=part, user=clerk)
        assert issuing.generate_pack.call(pack.pk) == "issued"
        pack.refresh_from_db()
        reader = pypdf.PdfReader(pack.pdf.path)
        assert pack.page_count == len(reader.pages)
        texts[part] = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert secret in texts["exempt"]
    assert secret not in texts["public"]
    assert "Organisational Improvement Programme" in texts["public"]


def test_an_exempt_pack_without_exempt_items_is_refused(client, clerk, meeting):
    client.force_login(clerk)
    response = client.post(
        reverse("committees:pack_issue", args=[meeting.pk]), {"part": "exempt", "confirm": "yes"}, follow=True
    )
    assert (
        "This meeting has no Part 2 (exempt) items, so there is no exempt pack to issue." in response.content.decode()
    )
    assert not IssuedPack.objects.exists()


def test_an_unknown_part_is_refused_with_a_message(client, clerk, meeting):
    client.force_login(clerk)
    response = client.post(
        reverse("committees:pack_issue", args=[meeting.pk]), {"part": "secret", "confirm": "yes"}, follow=True
    )
    assert "Choose which part of the papers to issue" in response.content.decode()
    assert not IssuedPack.objects.exists()


def test_the_page_polls_only_while_the_pack_is_pending(client, clerk, meeting):
    pack = IssuedPack.objects.create(meeting=meeting, version=1, requested_by=clerk)
    client.force_login(clerk)
    status_url = reverse("committees:issued_status", args=[pack.pk])
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert f'data-issued-poll="{status_url}"' in page
    assert 'aria-live="polite" data-issued-announce' in page

    issuing.generate_pack.call(pack.pk)
    fragment = client.get(status_url).content.decode()
    assert fragment.strip().startswith(f'<tr id="pack-{pack.pk}"')
    assert "data-issued-poll" not in fragment
    assert 'data-issued-label="Part 1 (public) pack, version 1: Issued"' in fragment
    assert reverse("committees:issued_pdf", args=[pack.pk]) in fragment


# --- Failures, retries and a killed worker ------------------------------------------


@through_the_worker
def test_a_failed_generation_shows_the_error_and_retry_succeeds(
    client, clerk, meeting, private_media, monkeypatch, django_capture_on_commit_callbacks
):
    real_pack_pdf = papers.pack_pdf

    def broken(*args, **kwargs):
        raise RuntimeError("Font file 'Arial.ttf' not found")

    monkeypatch.setattr(papers, "pack_pdf", broken)
    client.force_login(clerk)
    issue(client, meeting, django_capture_on_commit_callbacks)
    run_worker()

    pack = IssuedPack.objects.get()
    assert pack.status == IssuedPack.Status.FAILED
    assert not pack.pdf
    assert stored_files(private_media) == []
    assert DBTaskResult.objects.get().status == "FAILED"  # the task result says so too
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "The PDF could not be generated, so nothing was issued." in page
    assert "Font file &#x27;Arial.ttf&#x27; not found" in page
    assert reverse("committees:issued_retry", args=[pack.pk]) in page
    assert client.get(reverse("committees:issued_pdf", args=[pack.pk])).status_code == 404

    monkeypatch.setattr(papers, "pack_pdf", real_pack_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("committees:issued_retry", args=[pack.pk]), follow=True)
    assert "Version 1 of the Part 1 (public) pack is queued again." in response.content.decode()
    run_worker()
    pack.refresh_from_db()
    assert (pack.version, pack.status, pack.error) == (1, IssuedPack.Status.ISSUED, "")
    assert IssuedPack.objects.count() == 1
    assert client.get(reverse("committees:issued_pdf", args=[pack.pk])).status_code == 200


def test_a_worker_stopped_mid_render_marks_the_pack_failed_and_keeps_no_file(
    clerk, meeting, private_media, monkeypatch
):
    """Ctrl-C twice makes the worker exit inside the task (SystemExit)."""

    def stopped(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr(papers, "pack_pdf", stopped)
    pack = IssuedPack.objects.create(meeting=meeting, version=1, requested_by=clerk)
    with pytest.raises(SystemExit):
        issuing.generate_pack.call(pack.pk)
    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.FAILED
    assert pack.error.startswith("Generation stopped before it finished")
    assert stored_files(private_media) == []


@through_the_worker
def test_a_killed_worker_leaves_a_pack_that_is_never_served_and_can_be_retried_after_the_timeout(
    client, clerk, officer, meeting, settings, django_capture_on_commit_callbacks
):
    settings.ISSUING_STALE_MINUTES = 15
    # What a worker killed mid-render leaves: the row claimed, no file.
    pack = IssuedPack.objects.create(
        meeting=meeting,
        version=1,
        requested_by=clerk,
        status=IssuedPack.Status.GENERATING,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    client.force_login(clerk)
    retry_url = reverse("committees:issued_retry", args=[pack.pk])
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "Generating the PDF" in page
    assert retry_url not in page
    response = client.post(retry_url, follow=True)
    assert "Only a pack that failed or stopped before it finished can be tried again." in response.content.decode()

    IssuedPack.objects.filter(pk=pack.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=16))
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "Stopped before it finished" in page
    assert "the background worker may have stopped" in page
    assert retry_url in page
    for user in (clerk, officer):
        client.force_login(user)
        assert client.get(reverse("committees:issued_pdf", args=[pack.pk])).status_code == 404

    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry_url)
    run_worker()
    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.ISSUED
    assert client.get(reverse("committees:issued_pdf", args=[pack.pk])).status_code == 200


def test_a_pack_that_cannot_be_queued_is_marked_failed(clerk, meeting, monkeypatch, django_capture_on_commit_callbacks):
    def unreachable(*args):
        raise OSError("database is locked")

    monkeypatch.setattr(issuing, "generate_pack", SimpleNamespace(enqueue=unreachable))
    with django_capture_on_commit_callbacks(execute=True):
        pack = issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.FAILED
    assert pack.error.startswith("The pack could not be put in the queue for the background worker")
    assert pack.can_retry


def test_a_new_issue_replaces_a_pack_lost_with_its_worker(clerk, meeting):
    lost = IssuedPack.objects.create(
        meeting=meeting,
        version=1,
        status=IssuedPack.Status.GENERATING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    pack = issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    lost.refresh_from_db()
    assert pack.version == 2
    assert lost.status == IssuedPack.Status.FAILED
    assert lost.error.endswith("Version 2 was requested in its place.")


def test_a_run_that_lost_its_claim_keeps_nothing(clerk, meeting, private_media, monkeypatch):
    """A slow worker presumed dead and retried: the retry's run owns the pack,
    and the slow run's file is deleted when it finally finishes."""
    pack = IssuedPack.objects.create(meeting=meeting, version=1, requested_by=clerk)
    real_pack_pdf = papers.pack_pdf

    def slow(*args, **kwargs):
        data = real_pack_pdf(*args, **kwargs)
        # Meanwhile the clerk retried it and another run claimed it.
        IssuedPack.objects.filter(pk=pack.pk).update(started_at=timezone.now() + datetime.timedelta(seconds=1))
        return data

    monkeypatch.setattr(papers, "pack_pdf", slow)
    assert issuing.generate_pack.call(pack.pk) == "superseded"
    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.GENERATING
    assert stored_files(private_media) == []


def test_a_pack_no_longer_queued_is_not_generated_twice(clerk, meeting):
    pack = issued_pack(meeting, status=IssuedPack.Status.ISSUED)
    assert issuing.generate_pack.call(pack.pk) == "skipped"
    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.ISSUED


# --- Who may issue, retry and download ----------------------------------------------


@pytest.mark.parametrize("who", ["officer", "manager", "outsider"])
def test_only_clerks_issue_or_retry(request, client, meeting, who):
    failed = IssuedPack.objects.create(meeting=meeting, version=1, status=IssuedPack.Status.FAILED, error="Planted")
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("committees:pack_issue", args=[meeting.pk]), {"part": "public"}).status_code == 403
    assert client.post(reverse("committees:issued_retry", args=[failed.pk])).status_code == 403
    failed.refresh_from_db()
    assert failed.status == IssuedPack.Status.FAILED
    assert IssuedPack.objects.count() == 1
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "Issue the pack" not in page
    assert "Planted" not in page  # the error is for the clerk


def test_services_refuse_anyone_but_a_clerk(officer, meeting):
    with pytest.raises(PermissionDenied):
        issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=officer)
    failed = IssuedPack.objects.create(meeting=meeting, version=1, status=IssuedPack.Status.FAILED)
    with pytest.raises(PermissionDenied):
        issuing.retry_issue(issued_pack=failed, user=officer)


def test_an_issued_pack_cannot_be_retried(clerk, meeting):
    pack = issued_pack(meeting, status=IssuedPack.Status.ISSUED)
    with pytest.raises(ValidationError):
        issuing.retry_issue(issued_pack=pack, user=clerk)


def test_anonymous_users_are_sent_to_log_in(client, meeting):
    pack = issued_pack(meeting, status=IssuedPack.Status.ISSUED)
    for url in (
        reverse("committees:issued", args=[meeting.pk]),
        reverse("committees:issued_pdf", args=[pack.pk]),
        reverse("committees:issued_status", args=[pack.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("committees:pack_issue", args=[meeting.pk]), {"part": "public"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert IssuedPack.objects.count() == 1


@pytest.mark.parametrize("who", ["officer", "manager", "outsider"])
def test_exempt_packs_are_hidden_from_those_not_allowed_the_exempt_papers(request, client, meeting, who):
    exempt = issued_pack(meeting, part=IssuedPack.Part.EXEMPT, status=IssuedPack.Status.ISSUED)
    public = issued_pack(meeting, part=IssuedPack.Part.PUBLIC, status=IssuedPack.Status.ISSUED)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("committees:issued_pdf", args=[exempt.pk])).status_code == 404
    assert client.get(reverse("committees:issued_status", args=[exempt.pk])).status_code == 404
    assert client.get(reverse("committees:issued_pdf", args=[public.pk])).status_code == 200
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "Part 2 (exempt)" not in page
    assert "Part 1 (public)" in page
    assert "Part 2 (exempt)" not in client.get(meeting.get_absolute_url()).content.decode()


def test_clerk_downloads_the_exempt_pack(client, clerk, meeting):
    exempt = issued_pack(meeting, part=IssuedPack.Part.EXEMPT, status=IssuedPack.Status.ISSUED)
    client.force_login(clerk)
    response = client.get(reverse("committees:issued_pdf", args=[exempt.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 stored pack"


def test_meeting_page_lists_the_latest_issued_pack_for_everyone_and_the_form_for_clerks(
    client, clerk, officer, meeting
):
    pack = issued_pack(meeting, status=IssuedPack.Status.ISSUED)
    client.force_login(officer)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("committees:issued_pdf", args=[pack.pk]) in page
    assert reverse("committees:pack_issue", args=[meeting.pk]) not in page
    client.force_login(clerk)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("committees:pack_issue", args=[meeting.pk]) in page
    assert reverse("committees:issued", args=[meeting.pk]) in page


@pytest.mark.parametrize("size", [1, 6])
def test_issued_packs_page_runs_constant_queries(client, clerk, meeting, size, django_assert_num_queries):
    for version in range(1, size + 1):
        status = IssuedPack.Status.ISSUED if version % 2 else IssuedPack.Status.FAILED
        issued_pack(meeting, version=version, status=status, requested_by=clerk, error="Planted")
    client.force_login(clerk)
    # Session and user, the meeting and its agenda, the clerk's permissions (2), the packs with who asked.
    with django_assert_num_queries(7):
        response = client.get(reverse("committees:issued", args=[meeting.pk]))
    assert response.content.decode().count('<tr id="pack-') == size


# --- Draft narrative updates are never issued ---------------------------------------------


def attach_narrative(item, clerk, programme, text="Went to tender."):
    """A final narrative update appended to the item's report."""
    from programmes.models import NarrativeSection

    narrative = factories.make_narrative(programme)
    NarrativeSection.objects.create(narrative=narrative, position=1, heading="Libraries", text=text)
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="narrative_update", narrative=narrative))
    return narrative


def set_back_to_draft(narrative, manager):
    from programmes.services import reopen_narrative_update

    narrative.refresh_from_db()
    return reopen_narrative_update(narrative=narrative, user=manager, expected_version=narrative.version)


def pdf_text(pack):
    pack.refresh_from_db()
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pack.pdf.path).pages)


DRAFT_REFUSED = (
    "Not issued: Appendix 1 to item 8 (Organisational Improvement Programme) is the narrative update “OIP update”, "
    "which is a draft, and an issued pack can never be changed. Ask the programme's managers to mark it final, or "
    "remove the appendix, then issue the pack again."
)


def test_a_pack_whose_narrative_appendix_is_a_draft_again_is_not_issued(
    client, clerk, manager, programme, meeting, django_capture_on_commit_callbacks
):
    narrative = attach_narrative(meeting.pack_item, clerk, programme)
    set_back_to_draft(narrative, manager)
    client.force_login(clerk)
    response = issue(client, meeting, django_capture_on_commit_callbacks)
    assert escape(DRAFT_REFUSED) in response.content.decode()
    assert not IssuedPack.objects.exists()
    assert not DBTaskResult.objects.exists()

    # Final again: it is issued, and the stored PDF prints it.
    narrative.refresh_from_db()
    type(narrative).objects.filter(pk=narrative.pk).update(status="final")
    response = issue(client, meeting, django_capture_on_commit_callbacks)
    assert "Version 1 of the Part 1 (public) pack is being generated" in response.content.decode()
    pack = IssuedPack.objects.get()
    assert issuing.generate_pack.call(pack.pk) == "issued"
    text = pdf_text(pack)
    assert "Appendix 1: OIP update" in text
    assert "Went to tender." in text
    assert "DRAFT" not in text


def test_a_draft_narrative_in_a_part_2_report_stops_only_the_exempt_pack(clerk, manager, programme, meeting):
    exempt = AgendaItem.objects.create(
        meeting=meeting, number=13, title="Printing contract award", has_report=True, exempt=True
    )
    set_back_to_draft(attach_narrative(exempt, clerk, programme), manager)
    with pytest.raises(ValidationError, match=r"Appendix 1 to item 13 \(Printing contract award\) is the narrative"):
        issuing.request_issue(meeting=meeting, part=IssuedPack.Part.EXEMPT, user=clerk)
    assert issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk).version == 1
    assert list(IssuedPack.objects.values_list("part", flat=True)) == [IssuedPack.Part.PUBLIC]


def test_a_narrative_set_back_to_draft_while_the_pack_is_queued_fails_it_and_keeps_no_file(
    client, clerk, manager, programme, meeting, private_media
):
    narrative = attach_narrative(meeting.pack_item, clerk, programme)
    pack = issuing.request_issue(meeting=meeting, part=IssuedPack.Part.PUBLIC, user=clerk)
    set_back_to_draft(narrative, manager)
    with pytest.raises(ValidationError):
        issuing.generate_pack.call(pack.pk)
    pack.refresh_from_db()
    assert (pack.status, pack.error) == (IssuedPack.Status.FAILED, DRAFT_REFUSED)
    assert not pack.pdf
    assert stored_files(private_media) == []
    client.force_login(clerk)
    page = client.get(reverse("committees:issued", args=[meeting.pk])).content.decode()
    assert "Not issued: Appendix 1 to item 8 (Organisational Improvement Programme)" in page
    # Retrying is refused too while it is a draft, and the pack stays failed.
    response = client.post(reverse("committees:issued_retry", args=[pack.pk]), follow=True)
    assert escape(DRAFT_REFUSED) in response.content.decode()
    pack.refresh_from_db()
    assert pack.status == IssuedPack.Status.FAILED
