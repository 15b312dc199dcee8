"""Uploaded PDF appendices: checking an upload, and printing its pages inside
a report or pack PDF with the pack's own page numbers.

WeasyPrint cannot draw another PDF's pages, so the print templates give an
uploaded appendix one empty placeholder page per page of the file, each in
its own page box (`uploaded` or `uploaded-landscape`, as the file's page
is) and carrying an id `uploaded-<appendix pk>-<page number>`. The pages
are counted and numbered as any others, so the contents, the agenda's page
ranges and "Page n of m" stay right. After layout, write_pdf() finds those
pages by their anchors and puts the file's page under each: the placeholder
page is blank but for its margin boxes (footer, page number, appendix
label), so they print on top of the uploaded page.

Chromium's print (committees.papers.ChromiumPrint) finds the same pages by
its named destinations instead: place_uploaded() takes the page map from
either engine (placeholders_at)."""

import io
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError

from committees.models import ReportAppendix

PLACEHOLDER_ID = "uploaded-{pk}-{page}"
_PLACEHOLDER = re.compile(r"^uploaded-(\d+)-(\d+)$")
MAX_PAGES = 500


def _reader(fileobj):
    fileobj.seek(0)
    return PdfReader(io.BytesIO(fileobj.read()))


def inspect_upload(fileobj):
    """The number of pages of an uploaded paper, or a ValidationError saying
    in words why it cannot be used: too large, not a PDF, encrypted, empty.
    Leaves the file at its start, ready to be saved."""
    limit = settings.APPENDIX_UPLOAD_MAX_MB
    size = getattr(fileobj, "size", None)
    if size is not None and size > limit * 1024 * 1024:
        raise ValidationError(
            f"The file is {size / 1024 / 1024:.1f} MB: an uploaded appendix can be at most {limit} MB."
        )
    fileobj.seek(0)
    head = fileobj.read(1024)
    fileobj.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError("The file is not a PDF. Save the paper as a PDF and upload that.")
    try:
        reader = _reader(fileobj)
        if reader.is_encrypted:
            raise ValidationError(
                "The PDF is encrypted or password-protected, so its pages cannot be printed in the pack. "
                "Upload a copy saved without a password."
            )
        count = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - a page without a readable size cannot be placed
    except ValidationError:
        raise
    except Exception as error:  # a broken upload may fail anywhere in the parser
        detail = f" ({error})" if isinstance(error, PdfReadError) else ""
        raise ValidationError(f"The PDF could not be read{detail}. Save it again as a PDF and upload that.") from None
    finally:
        fileobj.seek(0)
    if count == 0:
        raise ValidationError("The PDF has no pages.")
    if count > MAX_PAGES:
        raise ValidationError(f"The PDF has {count} pages: an uploaded appendix can have at most {MAX_PAGES}.")
    return count


def _size(page):
    """(width, height) as the page shows, its /Rotate taken into account."""
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return (height, width) if page.rotation % 180 else (width, height)


def page_orientations(fileobj):
    """["portrait" | "landscape"] for each page of a stored PDF, so each
    placeholder page is laid out the way round its page is."""
    return ["landscape" if w > h else "portrait" for w, h in map(_size, _reader(fileobj).pages)]


def placeholder_pages(document):
    """{page index: (appendix pk, page number)} of a rendered WeasyPrint document."""
    return placeholders_at({anchor: index for index, page in enumerate(document.pages) for anchor in page.anchors})


def placeholders_at(anchor_pages):
    """{page index: (appendix pk, page number)} from {anchor or marker name:
    page index}, whichever engine laid the pages out: WeasyPrint's anchors,
    or the marker headings of Chromium's render (core.pdf.marker_pages)."""
    found = {}
    for anchor, index in anchor_pages.items():
        match = _PLACEHOLDER.match(anchor)
        if match:
            found[index] = (int(match[1]), int(match[2]))
    return found


def _place(target, source):
    """Draw `source` under `target`'s content, scaled to fit its page if its
    size differs (an A4 paper is placed as it is) and centred."""
    source.transfer_rotation_to_content()
    width, height = float(target.mediabox.width), float(target.mediabox.height)
    src_width, src_height = float(source.mediabox.width), float(source.mediabox.height)
    scale = min(width / src_width, height / src_height)
    if abs(scale - 1) < 0.01:
        scale = 1
    transform = (
        Transformation()
        .translate(-float(source.mediabox.left), -float(source.mediabox.bottom))
        .scale(scale)
        .translate((width - src_width * scale) / 2, (height - src_height * scale) / 2)
    )
    target.merge_transformed_page(source, transform, over=False)


def write_pdf(document):
    """The PDF of a laid-out WeasyPrint document (HTML(...).render()), with
    each uploaded appendix's pages in place of its placeholders."""
    pdf = document.write_pdf()
    placeholders = placeholder_pages(document)
    if not placeholders:
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    place_uploaded(writer, placeholders)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def place_uploaded(writer, placeholders):
    """Put each uploaded appendix's page under its placeholder page in a
    PdfWriter; placeholders as placeholders_at() gives them."""
    appendices = ReportAppendix.objects.filter(pk__in={pk for pk, _ in placeholders.values()}).exclude(file="")
    readers = {}
    for appendix in appendices:
        with appendix.file.open("rb") as stored:
            # A writer's copy: pypdf changes a page's content (its rotation
            # turned into the drawing) only on pages that belong to a writer.
            readers[appendix.pk] = PdfWriter(clone_from=_reader(stored))
    for index, (pk, number) in placeholders.items():
        if pk not in readers or number > len(readers[pk].pages):
            raise ValueError(f"Uploaded appendix {pk} has no page {number}: its file is missing or has changed.")
        _place(writer.pages[index], readers[pk].pages[number - 1])
