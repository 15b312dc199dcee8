from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import imports
from core.spreadsheets import DOWNLOAD_FORMATS, csv_response, xlsx_response
from exchange import services
from exchange.access import get_kind, get_run_for_user, require_importer
from exchange.forms import ImportForm
from exchange.models import ImportRun

PAGE_SIZE = 50


def import_list(request):
    """The kinds of sheet, their templates, and the log of imports."""
    require_importer(request)
    runs = ImportRun.objects.visible_to(request.user).select_related("user", "programme", "review")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exchange/import_list.html", {"kinds": imports.kinds(), "page": page})


def import_new(request, kind):
    require_importer(request)
    kind = get_kind(kind)
    form = ImportForm(request.POST or None, request.FILES or None, kind=kind, user=request.user)
    if request.method == "POST" and form.is_valid():
        return redirect(form.run)
    return render(request, "exchange/import_new.html", {"form": form, "kind": kind})


def import_detail(request, pk):
    """The preview (before applying) or the record (after) of one import."""
    run, kind = get_run_for_user(request, pk)
    touched = Paginator(run.touched, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exchange/import_detail.html", {"run": run, "kind": kind, "touched": touched})


@require_POST
def import_apply(request, pk):
    run, kind = get_run_for_user(request, pk)
    try:
        services.apply_run(run=run, kind=kind, user=request.user, sha256=request.POST.get("sha256", ""))
    except imports.ImportRefused as refused:
        messages.error(request, f"Nothing was imported. {refused.problems[0]}")
    else:
        messages.success(
            request,
            f"Imported {run.filename}: {run.created} created, {run.updated} updated, {run.unchanged} unchanged.",
        )
    return redirect(run)


def import_template(request, kind, fmt):
    """The blank template: headings, example rows, allowed values, notes."""
    require_importer(request)
    kind = get_kind(kind)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404("Templates come as .xlsx or .csv.")
    sheets = imports.template_sheets(kind)
    if fmt == "csv":
        _, headings, rows, _ = sheets[0]
        return csv_response(headings, rows, f"{kind.slug}-template.csv")
    return xlsx_response(sheets, f"{kind.slug}-template.xlsx")
