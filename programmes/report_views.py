"""Highlight reports: a programme's managers draft, edit and publish them;
every council login reads, prints and downloads them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from programmes.access import get_programme_for_user
from programmes.models import HighlightReport, ReportIsPublished
from programmes.report_forms import HighlightReportForm, HighlightReportRowFormSet, StartReportForm
from programmes.services import correct_highlight_report, draft_highlight_report, publish_highlight_report


def get_report_for_user(request, pk, write=False):
    """The report with its programme, people, rows and corrections joined or
    prefetched (a fixed number of queries whatever its size). Every council
    login may read reports; write=True: only the programme's managers may
    draft, edit, publish or correct them."""
    report = get_object_or_404(HighlightReport.objects.for_display(), pk=pk)
    if write and not report.programme.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its highlight reports.")
    return report


def _print_context(request, report):
    return {"report": report, "can_edit": report.programme.can_be_edited_by(request.user)}


def report_list(request, ref):
    programme = get_programme_for_user(request, ref)
    reports = programme.highlight_reports.select_related("published_by").order_by("-period_end", "-version_number")
    return render(
        request,
        "programmes/highlight_report_list.html",
        {"programme": programme, "reports": reports, "can_edit": programme.can_be_edited_by(request.user)},
    )


def report_create(request, ref):
    programme = get_programme_for_user(request, ref, write=True)
    initial = {"period_start": HighlightReport.objects.next_period_start(programme), "period_end": timezone.localdate()}
    form = StartReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = draft_highlight_report(programme=programme, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Drafted from the latest project updates: check the wording, then publish.")
            return redirect("programmes:report_edit", report.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Start a highlight report for {programme}",
            "cancel_url": programme.get_absolute_url(),
        },
    )


def report_detail(request, pk):
    report = get_report_for_user(request, pk)
    return render(request, "programmes/highlight_report_detail.html", _print_context(request, report))


def report_edit(request, pk):
    report = get_report_for_user(request, pk, write=True)
    if not report.is_draft:
        messages.error(request, str(ReportIsPublished()))
        return redirect(report)
    rows = HighlightReportRowFormSet(request.POST or None, instance=report)
    form = HighlightReportForm(request.POST or None, instance=report, rows=rows)
    if request.method == "POST" and all([rows.is_valid(), form.is_valid()]):
        try:
            with transaction.atomic():
                form.save()
                rows.save()
        except ReportIsPublished as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Draft saved.")
        return redirect(report)
    return render(request, "programmes/highlight_report_edit.html", {"report": report, "form": form, "rows": rows})


@require_POST
def report_publish(request, pk):
    report = get_report_for_user(request, pk, write=True)
    try:
        publish_highlight_report(report=report, user=request.user)
    except ReportIsPublished as refused:
        messages.error(request, str(refused))
    except ValidationError as error:
        messages.error(request, "Not published: " + " ".join(error.messages))
        return redirect("programmes:report_edit", report.pk)
    else:
        messages.success(request, f"Version {report.version_number} published. It can no longer be changed.")
    return redirect(report)


@require_POST
def report_correct(request, pk):
    report = get_report_for_user(request, pk, write=True)
    try:
        correction = correct_highlight_report(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(request, f"Version {correction.version_number} drafted as a copy: correct it, then publish.")
    return redirect("programmes:report_edit", correction.pk)


def report_print(request, pk):
    report = get_report_for_user(request, pk)
    return render(request, "programmes/highlight_report_print.html", _print_context(request, report))


def report_pdf(request, pk):
    """The print view rendered by WeasyPrint, with the stylesheet inlined so it
    needs no HTTP fetch back to this server."""
    from weasyprint import HTML  # slow to import; only this view needs it

    report = get_report_for_user(request, pk)
    html = render_to_string(
        "programmes/highlight_report_print.html", {**_print_context(request, report), "pdf": True}, request=request
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{report.programme.ref}-highlight-report-{report.period_end:%Y-%m-%d}-v{report.version_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
