"""The committee clerk's pages: committees, meetings and their agendas,
matters arising, and what changed since the last meeting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actions.models import Review
from committees import papers, services
from committees.access import (
    get_committee_for_user,
    get_meeting_for_user,
    get_minute_for_user,
    get_report_for_user,
    get_report_part_for_user,
)
from committees.changes import changes_between, window_for
from committees.exports import matters_arising_sheet
from committees.forms import (
    AgendaItemForm,
    MeetingForm,
    MeetingPackForm,
    MinutedActionForm,
    MinuteForm,
    ReportAppendixForm,
    ReportCoverForm,
    ReportParagraphForm,
)
from committees.models import (
    AgendaItem,
    Committee,
    IssuedPack,
    Meeting,
    Minute,
    MinutedAction,
    ReportAppendix,
    ReportParagraph,
)
from core.forms import add_model_errors, crispy_helper
from core.page_cache import render_with_cached_part
from core.spreadsheets import DOWNLOAD_FORMATS, download
from core.views import edit_page, pdf_download


def committee_list(request):
    committees = Committee.objects.prefetch_related("meetings")
    return render(request, "committees/committee_list.html", {"committees": committees})


def committee_detail(request, ref):
    committee = get_committee_for_user(request, ref)
    return render(
        request,
        "committees/committee_detail.html",
        {"committee": committee, "can_manage": Meeting.can_be_managed_by(request.user)},
    )


def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    reviews = Review.objects.filter(action_plans__programme__committees=meeting.committee_id).distinct()
    context = {
        "meeting": meeting,
        "reports": meeting.reports.select_related("programme"),
        "previous": meeting.previous(),
        "reviews": reviews,
        "can_manage": Meeting.can_be_managed_by(request.user),
        "can_delete": Meeting.can_be_deleted_by(request.user),
        "can_delete_items": AgendaItem.can_be_deleted_by(request.user),
        "can_see_exempt": Meeting.exempt_papers_visible_to(request.user),
        "issued_packs": meeting.issued_packs.visible_to(request.user).latest_issued().order_by("part"),
        "parts": IssuedPack.Part.choices,
    }
    return render(request, "committees/meeting_detail.html", context)


def meeting_create(request, ref):
    committee = get_object_or_404(Committee, ref=ref)
    if not Meeting.can_be_managed_by(request.user):
        raise PermissionDenied("Only committee clerks can add meetings.")
    form = MeetingForm(request.POST or None, instance=Meeting(committee=committee), user=request.user)
    return edit_page(
        request,
        form,
        title=f"New meeting of the {committee}",
        message="Meeting of {obj} added.",
        cancel_url=committee.get_absolute_url(),
    )


def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    return edit_page(
        request, form, title=f"Edit meeting: {meeting}", message="Meeting saved.", cancel_url=meeting.get_absolute_url()
    )


def agenda_item_create(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    next_number = max((item.number for item in meeting.agenda_items.all()), default=0) + 1
    form = AgendaItemForm(
        request.POST or None, instance=AgendaItem(meeting=meeting), initial={"number": next_number}, user=request.user
    )
    return edit_page(
        request,
        form,
        title=f"New agenda item for {meeting}",
        message="Agenda item “{obj}” added.",
        cancel_url=meeting.get_absolute_url(),
    )


def agenda_item_edit(request, pk, number):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    item = get_object_or_404(AgendaItem, meeting=meeting, number=number)
    form = AgendaItemForm(request.POST or None, instance=item, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit agenda item {item}",
        message="Agenda item saved.",
        cancel_url=meeting.get_absolute_url(),
    )


def matters_arising(request, pk):
    meeting = get_meeting_for_user(request, pk)
    rows = MinutedAction.objects.matters_arising_for(meeting, meeting.previous()).for_table()
    if (fmt := request.GET.get("download")) in DOWNLOAD_FORMATS:
        sheet = matters_arising_sheet(rows.iterator(chunk_size=2000))
        return download(fmt, sheet, f"matters-arising-{meeting.date:%Y-%m-%d}")
    return render(request, "committees/matters_arising.html", {"meeting": meeting, "rows": rows})


def changes_since_last_meeting(request, pk):
    meeting = get_meeting_for_user(request, pk)
    previous = meeting.previous()
    start, end = window_for(meeting, previous)
    context = {"meeting": meeting, "previous": previous, "changes": changes_between(start, end)}
    return render(request, "committees/changes.html", context)


def meeting_pack_contents(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    form = MeetingPackForm(request.POST or None, instance=meeting, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Committee pack for {meeting}",
        message="Committee pack contents saved.",
        cancel_url=meeting.get_absolute_url(),
    )


def meeting_pack(request, pk):
    """The clerk's committee pack as one printable document."""
    meeting = get_meeting_for_user(request, pk, with_cover_sheet=True)
    return render_with_cached_part(
        request, "committees/committee_pack.html", "committees:pack", {}, lambda: papers.pack_context(meeting)
    )


def meeting_pack_pdf(request, pk):
    meeting = get_meeting_for_user(request, pk, with_cover_sheet=True)
    filename = f"{meeting.committee.ref}-{meeting.date.isoformat()}-pack.pdf"
    return pdf_download(papers.pack_pdf(meeting, request), filename)


# --- Reports to committee (issue 11) ---


def report_detail(request, pk, number):
    """One report as the council prints it: cover sheet, commentary, appendices."""
    item = get_report_for_user(request, pk, number)
    context = {**papers.report_context(item), "can_manage": Meeting.can_be_managed_by(request.user)}
    return render(request, "committees/report_print.html", context)


def report_pdf(request, pk, number):
    item = get_report_for_user(request, pk, number)
    name = item.report_number or f"item-{item.number}"
    return pdf_download(papers.report_pdf(item, request), f"{item.meeting.date.isoformat()}-{name}.pdf")


def report_edit(request, pk, number):
    """The clerk's report page: the cover sheet form, then the commentary and
    appendices, each changed by its own small form below."""
    item = get_report_for_user(request, pk, number, for_edit=True)
    form = ReportCoverForm(request.POST or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Report cover sheet saved.")
        return redirect("committees:report_edit", pk, number)
    context = {
        "item": item,
        "meeting": item.meeting,
        "form": form,
        "paragraph_form": ReportParagraphForm(),
        # Its own ids: the commentary form above also has a "kind" field.
        "appendix_form": ReportAppendixForm(auto_id="appendix_%s"),
    }
    return render(request, "committees/report_edit.html", context)


def _back_to_report(item, anchor="commentary"):
    return redirect(f"{reverse('committees:report_edit', args=[item.meeting_id, item.number])}#{anchor}")


def _refused(request, item, error, anchor):
    messages.error(request, " ".join(error.messages))
    return _back_to_report(item, anchor)


@require_POST
def paragraph_add(request, pk, number):
    item = get_report_for_user(request, pk, number, for_edit=True)
    form = ReportParagraphForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The paragraph was not added: give its text (and a place of 1 or more).")
        return _back_to_report(item)
    try:
        services.add_paragraph(item=item, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, item, error, "commentary")
    messages.success(request, "Added to the commentary.")
    return _back_to_report(item)


def paragraph_edit(request, pk, number, paragraph_pk):
    paragraph = get_report_part_for_user(request, ReportParagraph, pk, number, paragraph_pk)
    item = paragraph.agenda_item
    form = ReportParagraphForm(request.POST or None, initial={"kind": paragraph.kind, "text": paragraph.text})
    del form.fields["position"]
    form.helper = crispy_helper("Save")
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_paragraph(paragraph=paragraph, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Commentary saved.")
            return _back_to_report(item)
    cancel_url = reverse("committees:report_edit", args=[pk, number])
    return render(
        request, "form_page.html", {"form": form, "title": f"Edit commentary: {item}", "cancel_url": cancel_url}
    )


@require_POST
def paragraph_remove(request, pk, number, paragraph_pk):
    paragraph = get_report_part_for_user(request, ReportParagraph, pk, number, paragraph_pk)
    services.remove_paragraph(paragraph=paragraph, user=request.user)
    messages.success(request, "Removed from the commentary.")
    return _back_to_report(paragraph.agenda_item)


@require_POST
def paragraph_move(request, pk, number, paragraph_pk):
    paragraph = get_report_part_for_user(request, ReportParagraph, pk, number, paragraph_pk)
    services.move_paragraph(paragraph=paragraph, user=request.user, up=request.POST.get("direction") == "up")
    return _back_to_report(paragraph.agenda_item)


@require_POST
def appendix_add(request, pk, number):
    item = get_report_for_user(request, pk, number, for_edit=True)
    form = ReportAppendixForm(request.POST, request.FILES, instance=ReportAppendix(agenda_item=item))
    if not form.is_valid():
        errors = "; ".join(str(message) for messages_ in form.errors.values() for message in messages_)
        messages.error(request, f"The appendix was not added: {errors}")
        return _back_to_report(item, "appendices")
    try:
        services.add_appendix(
            item=item, user=request.user, appendix=form.instance, position=form.cleaned_data["position"]
        )
    except ValidationError as error:
        return _refused(request, item, error, "appendices")
    messages.success(request, "Appendix added.")
    return _back_to_report(item, "appendices")


@require_POST
def appendix_remove(request, pk, number, appendix_pk):
    appendix = get_report_part_for_user(request, ReportAppendix, pk, number, appendix_pk)
    services.remove_appendix(appendix=appendix, user=request.user)
    messages.success(request, "Appendix removed.")
    return _back_to_report(appendix.agenda_item, "appendices")


@require_POST
def appendix_move(request, pk, number, appendix_pk):
    appendix = get_report_part_for_user(request, ReportAppendix, pk, number, appendix_pk)
    services.move_appendix(appendix=appendix, user=request.user, up=request.POST.get("direction") == "up")
    return _back_to_report(appendix.agenda_item, "appendices")


# --- Minutes of a meeting (issue 11) ---


def minutes(request, pk):
    """The minutes as the council prints them: numbered, each with its
    RESOLVED lines and the actions recorded under it."""
    meeting = get_meeting_for_user(request, pk)
    context = {
        "meeting": meeting,
        "minutes": meeting.minutes.visible_to(request.user).for_page(),
        "can_manage": Meeting.can_be_managed_by(request.user),
    }
    return render(request, "committees/minutes.html", context)


def minute_create(request, pk):
    meeting = get_meeting_for_user(request, pk, for_edit=True)
    form = MinuteForm(
        request.POST or None,
        instance=Minute(meeting=meeting),
        initial={"number": Minute.objects.next_number(meeting.committee_id)},
        user=request.user,
    )
    return edit_page(
        request,
        form,
        title=f"New minute for {meeting}",
        message="Minute {obj} recorded.",
        cancel_url=reverse("committees:minutes", args=[meeting.pk]),
    )


def minute_edit(request, pk, number):
    minute = get_minute_for_user(request, pk, number, for_edit=True)
    form = MinuteForm(request.POST or None, instance=minute, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit minute {minute}",
        message="Minute {obj} saved.",
        cancel_url=minute.get_absolute_url(),
    )


@require_POST
def minute_remove(request, pk, number):
    minute = get_minute_for_user(request, pk, number, for_edit=True)
    try:
        services.remove_minute(minute=minute, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(minute.get_absolute_url())
    messages.success(request, f"Minute {minute} removed.")
    return redirect("committees:minutes", pk)


def minute_action_create(request, pk, number):
    minute = get_minute_for_user(request, pk, number, for_edit=True)
    form = MinutedActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minuted_action(minute=minute, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(request, f"Action recorded under minute {minute.number}: it will be a matter arising.")
            return redirect(minute.get_absolute_url())
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"New action under minute {minute}", "cancel_url": minute.get_absolute_url()},
    )
