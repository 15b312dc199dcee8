"""Writes that touch several rows at once."""

from django.db import transaction

from programmes.models import ProjectUpdate


@transaction.atomic
def record_project_update(*, project, user, expected_version, rag, **narrative):
    """Append a period's narrative to a project and set its RAG, together and
    only if nobody saved the project since `expected_version`."""
    rag_before = project.rag
    project.rag = rag
    project._history_user = user
    project.full_clean()
    project.save_if_unchanged(expected_version)
    update = ProjectUpdate(project=project, rag=rag, rag_before=rag_before, author=user, **narrative)
    update.full_clean()
    update.save()
    return update
