"""The programme dashboard (every council login reads it) and the choice of
its charts a draft highlight report prints as appendix figures (the
programme's managers)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from core.forms import add_model_errors, crispy_helper
from programmes import dashboard
from programmes.access import get_programme_for_user, get_report_for_user
from programmes.models import HighlightReport, ReportIsPublished


def programme_dashboard(request, ref):
    programme = get_programme_for_user(request, ref)
    today = timezone.localdate()
    figures = dashboard.figures(programme, today)
    until, due_soon = dashboard.milestones_due_soon(programme, today)
    can_edit = programme.can_be_edited_by(request.user)
    drafts = (
        list(HighlightReport.objects.filter(programme=programme, status=HighlightReport.Status.DRAFT))
        if can_edit
        else []
    )
    context = {
        "programme": programme,
        "today": today,
        "figures": figures,
        "due_soon": due_soon,
        "due_until": until,
        "drafts": drafts,
    }
    return render(request, "programmes/dashboard.html", context)


class ReportFiguresForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Figures to print as appendices",
        choices=list(dashboard.FIGURE_KINDS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each prints after the report as “Appendix: Figure N” with its table of numbers. The numbers "
        "are taken again when the report is published, and then never change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("Save the figures")


def report_figures(request, pk):
    """Choose the dashboard charts a draft report prints as appendix figures."""
    report = get_report_for_user(request, pk, for_edit=True)
    if not report.is_draft:
        messages.error(request, str(ReportIsPublished()))
        return redirect(report)
    chosen = [figure["kind"] for figure in report.appendix_figures or []]
    form = ReportFiguresForm(request.POST or None, initial={"kinds": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            dashboard.choose_report_figures(report=report, user=request.user, kinds=form.cleaned_data["kinds"])
        except ReportIsPublished as refused:
            messages.error(request, str(refused))
            return redirect(report)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            count = len(report.appendix_figures)
            messages.success(
                request, f"{count} appendix figure{'' if count == 1 else 's'} saved." if count else "No figures now."
            )
            return redirect(report)
    title = f"Appendix figures for {report.title}, {report.period_label}"
    return render(request, "form_page.html", {"form": form, "title": title, "cancel_url": report.get_absolute_url()})
