"""Exception reports and slippage, for a programme and for a review's action
plan. Every council login may read them, as it may the programme and the
review; they change nothing. The figures are actions.exceptions' and
actions.slippage's; these views fetch, render and download them."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from actions.access import get_review_summary_for_user
from actions.exception_forms import SinceForm
from actions.exceptions import exception_sheet, programme_report, review_report, summary_sheet
from actions.slippage import programme_slippage, review_slippage, slippage_sheet
from core import pdf as core_pdf
from core.spreadsheets import DOWNLOAD_FORMATS, download, xlsx_response
from core.views import pdf_download
from programmes.access import get_programme_for_user

PAGE = "actions/exception_report.html"
PRINT = "actions/exception_report_print.html"


def _programme(request, ref):
    """The programme, how to build its report and slippage, and what its templates need to link back."""
    programme = get_programme_for_user(request, ref)
    context = {"programme": programme, "scope": "programme", "back_url": programme.get_absolute_url()}
    return programme, context, programme_report, programme_slippage


def _review(request, ref):
    review = get_review_summary_for_user(request, ref)
    context = {"review": review, "scope": "review", "back_url": review.get_absolute_url()}
    return review, context, review_report, review_slippage


def _exception_report(request, found, template):
    """The report page or its print view, or (?download=xlsx|csv) its rows;
    the reader's choice of day (?since=) applies to all of them."""
    obj, context, build, _ = found
    form = SinceForm(request.GET or None)
    report = build(obj, since=form.chosen())
    basename = f"{obj.ref}-exception-report-{report.today:%Y-%m-%d}"
    fmt = request.GET.get("download")
    if fmt == "csv":
        return download(fmt, exception_sheet(report), basename)
    if fmt == "xlsx":  # with the headline counts on a second sheet
        return xlsx_response([exception_sheet(report), summary_sheet(report)], f"{basename}.xlsx")
    return render(request, template, {**context, "report": report, "form": form})


def _exception_pdf(request, found):
    """The print view as a PDF, by the engine in use (core.pdf.engine), its stylesheet inlined."""
    obj, context, build, _ = found
    report = build(obj, since=SinceForm(request.GET or None).chosen())
    footer = mark_safe(core_pdf.css_string(f"Exception report: {report.title}"))  # a CSS string literal
    html = render_to_string(PRINT, {**context, "report": report, "pdf": True, "pdf_footer": footer}, request)
    if core_pdf.engine() == "chromium":
        pdf = core_pdf.chromium_pdf(html)
    else:
        from weasyprint import HTML  # slow to import; only PDFs need it

        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    return pdf_download(pdf, f"{obj.ref}-exception-report-{report.today:%Y-%m-%d}.pdf")


def _slippage(request, found):
    obj, context, _, build = found
    result = build(obj)
    if (fmt := request.GET.get("download")) in DOWNLOAD_FORMATS:
        return download(fmt, slippage_sheet(result), f"{obj.ref}-slippage-{result.today:%Y-%m-%d}")
    return render(request, "actions/slippage.html", {**context, "slippage": result})


def programme_exceptions(request, ref):
    return _exception_report(request, _programme(request, ref), PAGE)


def programme_exceptions_print(request, ref):
    return _exception_report(request, _programme(request, ref), PRINT)


def programme_exceptions_pdf(request, ref):
    return _exception_pdf(request, _programme(request, ref))


def programme_slippage_page(request, ref):
    return _slippage(request, _programme(request, ref))


def review_exceptions(request, ref):
    return _exception_report(request, _review(request, ref), PAGE)


def review_exceptions_print(request, ref):
    return _exception_report(request, _review(request, ref), PRINT)


def review_exceptions_pdf(request, ref):
    return _exception_pdf(request, _review(request, ref))


def review_slippage_page(request, ref):
    return _slippage(request, _review(request, ref))
