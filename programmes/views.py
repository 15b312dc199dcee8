from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.forms import add_conflict_error, add_model_errors
from core.history import history_entries
from core.imports import export_sheet
from core.models import EditConflict
from core.page_cache import render_with_cached_part
from core.permissions import manages
from core.spreadsheets import DOWNLOAD_FORMATS, download
from core.views import edit_page
from programmes.access import get_programme_for_user, get_project_for_user, get_workstream_for_user
from programmes.benefit_views import programme_savings_context, project_benefits_context
from programmes.filters import ProjectFilter
from programmes.forms import (
    ProgrammeForm,
    ProjectForm,
    ProjectInitiationForm,
    ProjectMoveForm,
    ProjectStatusForm,
    ProjectUpdateForm,
    WorkstreamForm,
)
from programmes.funding_views import project_funding_context
from programmes.imports import PROJECTS
from programmes.milestone_views import programme_delivery_context
from programmes.models import Programme, Project, Workstream
from programmes.partner_views import programme_partners_context, project_partners_context
from programmes.services import change_project_status, move_project, record_project_update

PAGE_SIZE = 25


def programme_list(request):
    return render(request, "programmes/programme_list.html", {"programmes": Programme.objects.select_related("owner")})


def programme_detail(request, ref):
    def overview():
        programme = get_programme_for_user(request, ref)
        return {
            "programme": programme,
            "can_edit": programme.can_be_edited_by(request.user),
            **programme_delivery_context(programme),
            **programme_savings_context(programme),
            **programme_partners_context(programme),
        }

    programme = get_programme_for_user(request, ref, heading_only=True)
    return render_with_cached_part(
        request, "programmes/programme_detail.html", "programmes:detail", {"programme": programme}, overview
    )


def programme_create(request):
    if not request.user.has_perm("programmes.add_programme"):
        raise PermissionDenied("Only programme managers can create programmes.")
    # programmes.services.create_programme makes its creator one of its managers.
    form = ProgrammeForm(request.POST or None, user=request.user)
    return edit_page(request, form, title="New programme", message="Programme “{obj}” created.")


def programme_edit(request, ref):
    programme = get_programme_for_user(request, ref, for_edit=True)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit programme: {programme}",
        message="Programme “{obj}” saved.",
        cancel_url=programme.get_absolute_url(),
    )


def workstream_create(request, ref):
    programme = get_programme_for_user(request, ref, for_edit=True)
    form = WorkstreamForm(request.POST or None, instance=Workstream(programme=programme), user=request.user)
    return edit_page(
        request,
        form,
        title=f"New workstream in {programme}",
        message="Workstream “{obj}” added.",
        cancel_url=programme.get_absolute_url(),
    )


def workstream_edit(request, ref):
    workstream = get_workstream_for_user(request, ref, for_edit=True)
    form = WorkstreamForm(request.POST or None, instance=workstream, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit workstream: {workstream}",
        message="Workstream “{obj}” saved.",
        cancel_url=workstream.get_absolute_url(),
    )


def project_list(request):
    projects = Project.objects.select_related("owner", "workstream__programme").with_last_update()
    filterset = ProjectFilter(request.GET, queryset=projects)
    if (fmt := request.GET.get("download")) in DOWNLOAD_FORMATS:
        return download(fmt, export_sheet(PROJECTS, filterset.qs.iterator(chunk_size=2000)), "projects")
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programmes/project_list.html", {"filter": filterset, "page": page})


def project_detail(request, ref):
    project = get_project_for_user(request, ref, for_page=True)
    user = request.user
    context = {
        "project": project,
        # Actions sit above projects and point at them; the page follows that
        # link back (the reverse relation) rather than importing actions.
        "actions": project.actions.select_related("owner").with_last_update(),
        "can_update": project.can_be_updated_by(user),
        "can_edit": project.can_be_edited_by(user),
        "history": history_entries(project) if manages(user, project.programme_id, "programmes.view_project") else None,
        **project_funding_context(project),
        **project_benefits_context(project),
        **project_partners_context(project),
    }
    return render(request, "programmes/project_detail.html", context)


def project_create(request, ref):
    workstream = get_workstream_for_user(request, ref, for_edit=True)
    form = ProjectForm(request.POST or None, initial={"workstream": workstream}, user=request.user)
    return edit_page(
        request,
        form,
        title=f"New project in {workstream}",
        message="Project “{obj}” added.",
        cancel_url=workstream.get_absolute_url(),
    )


def project_edit(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Edit project: {project}",
        message="Project “{obj}” saved.",
        cancel_url=project.get_absolute_url(),
    )


def project_update(request, ref):
    project = get_project_for_user(request, ref, for_progress=True)
    form = ProjectUpdateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            record_project_update(
                project=project, user=request.user, expected_version=data.pop("version"), rag=data.pop("rag"), **data
            )
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            project = get_project_for_user(request, ref, for_progress=True)
        except ValidationError as error:
            add_model_errors(form, error)
            project = get_project_for_user(request, ref, for_progress=True)  # as saved, not as refused
        else:
            messages.success(request, f"Update saved for “{project}”.")
            return redirect(project)
    return render(request, "programmes/project_update.html", {"project": project, "form": form})


def project_status(request, ref):
    project = get_project_for_user(request, ref, for_edit=True)
    form = ProjectStatusForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            change_project_status(project=project, user=request.user, expected_version=data.pop("version"), **data)
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            project = get_project_for_user(request, ref, for_edit=True)
        except ValidationError as error:
            add_model_errors(form, error)
            project = get_project_for_user(request, ref, for_edit=True)  # as saved, not as refused
        else:
            messages.success(request, f"“{project}” is now {project.status_label.lower()}.")
            return redirect(project)
    context = {"form": form, "title": f"Stage and status: {project}", "cancel_url": project.get_absolute_url()}
    return render(request, "form_page.html", context)


def project_initiation(request, ref):
    """Edit the project initiation document's sections (objectives, scope, …)."""
    project = get_project_for_user(request, ref, for_edit=True)
    form = ProjectInitiationForm(request.POST or None, instance=project, user=request.user)
    return edit_page(
        request,
        form,
        title=f"Initiation document: {project}",
        message="Initiation document of “{obj}” saved.",
        cancel_url=f"{project.get_absolute_url()}#initiation",
    )


def project_move(request, ref):
    """Move a project to another workstream or programme the manager manages,
    with a reason kept in its history (programmes.services.move_project)."""
    project = get_project_for_user(request, ref, for_edit=True)
    form = ProjectMoveForm(request.POST or None, project=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move_project(
                project=project,
                user=request.user,
                expected_version=data["version"],
                workstream=data["workstream"],
                reason=data["reason"],
            )
        except EditConflict as conflict:
            add_conflict_error(form, conflict)
            project = get_project_for_user(request, ref, for_edit=True)
        except ValidationError as error:
            add_model_errors(form, error)
            project = get_project_for_user(request, ref, for_edit=True)
        else:
            messages.success(request, f"“{project}” moved to {data['workstream']} ({data['workstream'].programme}).")
            return redirect(project)
    where = f"{project.workstream} ({project.workstream.programme})"
    context = {"form": form, "title": f"Move {project} from {where}", "cancel_url": project.get_absolute_url()}
    return render(request, "form_page.html", context)
