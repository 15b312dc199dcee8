"""Narrative programme updates: a programme's managers draft them from the
project updates, edit and finalise them; every council login reads and prints them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import add_conflict_error, add_model_errors
from core.models import EditConflict
from programmes.access import get_narrative_for_user, get_programme_for_user
from programmes.models import COMMENTARY_SECTION, NarrativeUpdate
from programmes.narrative_forms import DraftNarrativeForm, NarrativeSectionFormSet, NarrativeUpdateForm
from programmes.services import draft_narrative_update, reopen_narrative_update, update_narrative_update

NUMBER_FROM_CHOICES = range(1, 100)


def _number_from(request):
    """The report section the paragraphs are numbered in (?number_from=4 for
    4.1, 4.2, …): the commentary, section 3, unless asked otherwise."""
    try:
        number = int(request.GET.get("number_from", COMMENTARY_SECTION))
    except ValueError:
        return COMMENTARY_SECTION
    return number if number in NUMBER_FROM_CHOICES else COMMENTARY_SECTION


def _page_context(request, narrative):
    number_from = _number_from(request)
    return {
        "narrative": narrative,
        "numbered_sections": narrative.numbered_sections(number_from=number_from),
        "number_from": number_from,
        "can_edit": narrative.can_be_edited_by(request.user),
    }


def narrative_list(request, ref):
    programme = get_programme_for_user(request, ref)
    narratives = programme.narrative_updates.select_related("created_by").order_by("-period_end", "-created_at")
    return render(
        request,
        "programmes/narrative_list.html",
        {"programme": programme, "narratives": narratives, "can_edit": programme.can_be_edited_by(request.user)},
    )


def narrative_create(request, ref):
    programme = get_programme_for_user(request, ref, for_edit=True)
    initial = {"period_start": NarrativeUpdate.objects.next_period_start(programme), "period_end": timezone.localdate()}
    form = DraftNarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            narrative = draft_narrative_update(programme=programme, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Drafted from the latest project updates: check the wording, then save it.")
            return redirect("programmes:narrative_edit", narrative.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": f"Draft a narrative update for {programme}",
            "cancel_url": programme.get_absolute_url(),
        },
    )


def narrative_detail(request, pk):
    narrative = get_narrative_for_user(request, pk)
    return render(request, "programmes/narrative_detail.html", _page_context(request, narrative))


def narrative_print(request, pk):
    narrative = get_narrative_for_user(request, pk)
    return render(request, "programmes/narrative_print.html", _page_context(request, narrative))


def narrative_edit(request, pk):
    narrative = get_narrative_for_user(request, pk, for_edit=True)
    if not narrative.is_draft:
        messages.error(request, "This narrative update is final, so it cannot be changed: set it back to draft first.")
        return redirect(narrative)
    form = NarrativeUpdateForm(request.POST or None, instance=narrative, user=request.user)
    sections = NarrativeSectionFormSet(request.POST or None, instance=narrative)
    if request.method == "POST" and all([form.is_valid(), sections.is_valid()]):
        try:
            update_narrative_update(
                narrative=narrative,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                sections=sections.sections_in_order,
                title=form.cleaned_data["title"],
                status=form.cleaned_data["status"],
            )
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, "Narrative update saved." if narrative.is_draft else "Saved as final.")
            return redirect(narrative)
    return render(
        request, "programmes/narrative_edit.html", {"narrative": narrative, "form": form, "sections": sections}
    )


@require_POST
def narrative_reopen(request, pk):
    """Set a final narrative update back to draft (the programme's managers)."""
    narrative = get_narrative_for_user(request, pk, for_edit=True)
    try:
        reopen_narrative_update(narrative=narrative, user=request.user, expected_version=_posted_version(request))
    except EditConflict as conflict:
        messages.error(request, f"{conflict.changed_by_name} changed it meanwhile: check it and try again.")
        return redirect(narrative)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(narrative)
    messages.success(request, "Set back to draft: it can be edited again.")
    return redirect("programmes:narrative_edit", narrative.pk)


def _posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0
