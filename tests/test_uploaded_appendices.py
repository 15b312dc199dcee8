"""Uploaded appendices (issue 11): a clerk uploads a paper produced elsewhere
as a PDF; it is checked (a real, unencrypted PDF within the size limit), its
pages are counted, it can be downloaded, and its pages print inside the
report's and the pack's PDF with the pack's own continuous page numbers."""

import datetime
import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from committees import services
from committees.models import AgendaItem, Committee, Meeting, ReportAppendix

A4_SHORT, A4_LONG = 595, 842  # points, rounded


def make_pdf(*texts, landscape=False):
    """A PDF with one page per text, each page saying it."""
    size = "A4 landscape" if landscape else "A4"
    pages = "".join(f'<p style="break-before: page">{text}</p>' for text in texts)
    return HTML(string=f"<style>@page {{ size: {size}; }}</style>{pages}").write_pdf()


def encrypted_pdf():
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf("Secret page"))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def meeting(db, programme):
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    committee.programmes.add(programme)
    return Meeting.objects.create(committee=committee, date=datetime.date(2012, 4, 18))


@pytest.fixture
def item(meeting):
    return AgendaItem.objects.create(
        meeting=meeting, number=6, title="Shared services update", has_report=True, report_number="CEO1199"
    )


def report_url(name, item, *extra):
    return reverse(f"committees:{name}", args=[item.meeting_id, item.number, *extra])


def upload(client, item, data, name="budget.pdf", **fields):
    payload = {"kind": "uploaded", "title": "Budget monitoring 2011/12", **fields}
    if data is not None:
        payload["file"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(report_url("appendix_add", item), payload, follow=True)


def add_uploaded(item, clerk, data, title="Budget monitoring 2011/12"):
    appendix = ReportAppendix(kind="uploaded", title=title, file=SimpleUploadedFile("budget.pdf", data))
    return services.add_appendix(item=item, user=clerk, appendix=appendix)


def test_the_add_appendix_form_takes_a_file(client, clerk, item):
    client.force_login(clerk)
    html = client.get(report_url("report_edit", item)).content.decode()
    form = html[html.index('action="' + report_url("appendix_add", item)) :]
    assert 'enctype="multipart/form-data"' in form[: form.index(">")]
    assert 'type="file" name="file"' in form
    assert "Uploaded file (PDF)" in form


def test_clerk_uploads_a_pdf_and_everyone_can_download_it(client, clerk, officer, item):
    data = make_pdf("Uploaded page one", "Uploaded page two")
    client.force_login(clerk)
    response = upload(client, item, data)
    assert "Appendix added." in response.content.decode()
    appendix = item.appendices.get()
    assert (appendix.kind, appendix.page_count, appendix.title) == ("uploaded", 2, "Budget monitoring 2011/12")
    assert appendix.file.name.startswith("appendices/")

    client.force_login(officer)
    html = client.get(report_url("report", item)).content.decode()
    assert "Appendix 1: Budget monitoring 2011/12" in html
    assert "2 pages, printed in full in the PDF" in html
    link = report_url("appendix_file", item, appendix.pk)
    assert f'href="{link}"' in html
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == data


def test_report_pdf_prints_the_uploaded_pages_with_continuing_page_numbers(client, clerk, item, pdf_engine):
    services.add_paragraph(item=item, user=clerk, kind="paragraph", text="The Board met in March.")
    add_uploaded(item, clerk, make_pdf("Uploaded page one", "Uploaded page two"))
    services.add_appendix(item=item, user=clerk, appendix=ReportAppendix(kind="matters_arising"))
    client.force_login(clerk)
    reader = pypdf.PdfReader(io.BytesIO(client.get(report_url("report_pdf", item)).content))
    texts = [page.extract_text() for page in reader.pages]
    total = len(texts)
    first = next(i for i, text in enumerate(texts) if "Uploaded page one" in text)
    assert "Uploaded page two" in texts[first + 1]
    assert "Appendix 2: Matters arising" in texts[first + 2]  # the next appendix follows on its own page
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text, number
    assert "Appendix 1: Budget monitoring 2011/12" in texts[first]  # the label in the top margin
    assert "The Board met in March." not in texts[first]
    for page in reader.pages[first : first + 2]:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (A4_SHORT, A4_LONG)


def test_a_landscape_upload_prints_on_landscape_pages_in_the_pack(client, clerk, meeting, item, pdf_engine):
    add_uploaded(item, clerk, make_pdf("Wide budget table", landscape=True), title="Budget table")
    client.force_login(clerk)
    reader = pypdf.PdfReader(io.BytesIO(client.get(reverse("committees:pack_pdf", args=[meeting.pk])).content))
    texts = [page.extract_text() for page in reader.pages]
    index = next(i for i, text in enumerate(texts) if "Wide budget table" in text)
    page = reader.pages[index]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (A4_LONG, A4_SHORT)
    assert f"Page {index + 1} of {len(texts)}" in texts[index]


def test_a_letter_size_upload_is_scaled_onto_a4(client, clerk, item, pdf_engine):
    letter = HTML(string="<style>@page { size: letter; }</style><p>American page</p>").write_pdf()
    add_uploaded(item, clerk, letter, title="Letter paper")
    client.force_login(clerk)
    reader = pypdf.PdfReader(io.BytesIO(client.get(report_url("report_pdf", item)).content))
    page = next(p for p in reader.pages if "American page" in p.extract_text())
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (A4_SHORT, A4_LONG)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Minutes of the Board, as a plain text file.", "The file is not a PDF."),
        (b"%PDF-1.7\nnot really a PDF at all", "The PDF could not be read"),
        (None, "Choose the PDF file of the paper to upload."),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_saved(client, clerk, item, tmp_path, data, message):
    client.force_login(clerk)
    response = upload(client, item, data, name="minutes.pdf")
    html = response.content.decode()
    assert "The appendix was not added" in html
    assert message in html
    assert not item.appendices.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_an_encrypted_pdf_is_refused_and_nothing_saved(client, clerk, item, tmp_path):
    client.force_login(clerk)
    html = upload(client, item, encrypted_pdf()).content.decode()
    assert "The appendix was not added" in html
    assert "The PDF is encrypted or password-protected" in html
    assert not item.appendices.exists()
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_pdf_over_the_size_limit_is_refused(client, clerk, item, settings):
    settings.APPENDIX_UPLOAD_MAX_MB = 1
    big = make_pdf("Big") + b"\n%" + b"x" * (1024 * 1024)
    client.force_login(clerk)
    html = upload(client, item, big).content.decode()
    assert "an uploaded appendix can be at most 1 MB" in html
    assert not item.appendices.exists()


def test_a_file_on_another_kind_of_appendix_is_refused(client, clerk, item):
    client.force_login(clerk)
    html = upload(client, item, make_pdf("Page"), kind="matters_arising").content.decode()
    assert "Only an uploaded paper (Uploaded file (PDF)) takes a file." in html
    assert not item.appendices.exists()


@pytest.mark.parametrize("who", ["manager", "officer", "outsider"])
def test_only_clerks_upload(client, item, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        report_url("appendix_add", item),
        {"kind": "uploaded", "file": SimpleUploadedFile("x.pdf", make_pdf("Page"))},
    )
    assert response.status_code == 403
    assert not item.appendices.exists()


def test_anonymous_cannot_download_an_appendix(client, clerk, item):
    appendix = add_uploaded(item, clerk, make_pdf("Page"))
    response = client.get(report_url("appendix_file", item, appendix.pk))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_another_reports_appendix_is_not_found_under_this_one(client, clerk, officer, meeting, item):
    other = AgendaItem.objects.create(meeting=meeting, number=7, title="Transition", has_report=True)
    appendix = add_uploaded(other, clerk, make_pdf("Page"))
    client.force_login(officer)
    assert client.get(report_url("appendix_file", item, appendix.pk)).status_code == 404
    assert client.get(report_url("appendix_file", other, appendix.pk)).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_report_with_uploads_runs_constant_queries(client, clerk, item, count, django_assert_num_queries):
    for n in range(count):
        add_uploaded(item, clerk, make_pdf(*[f"Page {p}" for p in range(n + 1)]), title=f"Paper {n}")
    client.force_login(clerk)
    with django_assert_num_queries(8):
        response = client.get(report_url("report", item))
    assert response.content.count(b"printed in full in the PDF") == count


def test_a_placeholder_page_paints_nothing_that_would_hide_the_uploaded_page(clerk, item):
    """The uploaded page goes under the placeholder page: only the margin
    boxes may be drawn on it, never a page background."""
    from pypdf.generic import ContentStream

    from committees import papers, pdf_merge
    from committees.access import report_prefetches

    add_uploaded(item, clerk, make_pdf("Uploaded page one"))
    item = (
        AgendaItem.objects.select_related("meeting__committee").prefetch_related(*report_prefetches()).get(pk=item.pk)
    )
    document = papers.render_document("committees/report_print.html", papers.report_context(item))
    (index,) = pdf_merge.placeholder_pages(document)
    page = pypdf.PdfReader(io.BytesIO(document.write_pdf())).pages[index]
    operations = ContentStream(page.get_contents(), page.pdf).operations
    rectangles = [[float(n) for n in operands] for operands, operator in operations if operator == b"re"]
    assert not any(w > 500 and h > 700 for _, _, w, h in rectangles)


def test_removing_an_uploaded_appendix_removes_its_file(
    client, clerk, item, tmp_path, django_capture_on_commit_callbacks
):
    appendix = add_uploaded(item, clerk, make_pdf("Page"))
    assert list(tmp_path.rglob("*.pdf"))
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url("appendix_remove", item, appendix.pk))
    assert not item.appendices.exists()
    assert not list(tmp_path.rglob("*.pdf"))
