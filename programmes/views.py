from django.shortcuts import render

from actions.models import ActionItem
from programmes.access import get_programme_for_user, get_project_for_user
from programmes.models import Programme


def programme_list(request):
    return render(request, "programmes/programme_list.html", {"programmes": Programme.objects.select_related("owner")})


def programme_detail(request, ref):
    programme = get_programme_for_user(request, ref)
    return render(request, "programmes/programme_detail.html", {"programme": programme})


def project_detail(request, ref):
    project = get_project_for_user(request, ref)
    actions = ActionItem.objects.filter(project=project).select_related("owner").with_last_update()
    return render(request, "programmes/project_detail.html", {"project": project, "actions": actions})
