"""One access helper per object type: each fetches the object with everything
its page needs and checks the user may see it, and with a flag what they may
do to it. The flags mean the same for every helper here and in the other apps:

- for_edit=True: the user may change the object itself (and add to it), as
  its model's can_be_edited_by decides: its programme's managers;
- for_progress=True: the user may record a progress update on it, as its
  model's can_be_updated_by decides: its owner, their team or a manager.

Every council login may read programme data (clerks and colleagues included).
Refusals are 403 rather than 404 because the object's existence is not secret
inside the council.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programmes.models import (
    Benefit,
    BenefitRealisation,
    Funder,
    HighlightReport,
    Milestone,
    NarrativeUpdate,
    Partner,
    Partnership,
    Programme,
    Project,
    ProjectUpdate,
    Risk,
    Workstream,
)


def get_programme_for_user(request, ref, *, for_edit=False, heading_only=False):
    """The programme with its owner, its committee, and its workstreams and
    projects (with their owners and last update dates) prefetched: the
    overview lists them all, so this costs a fixed number of queries whatever
    the programme's size. heading_only: the programme alone, for a page whose
    body may come from the page cache."""
    programmes = Programme.objects.all() if heading_only else Programme.objects.with_structure()
    programme = get_object_or_404(programmes, ref=ref)
    if for_edit and not programme.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change it.")
    return programme


def get_workstream_for_user(request, ref, *, for_edit=False):
    """The workstream with its programme joined (whose managers decide
    for_edit, and whose page it links back to) and its owner (the forms show it)."""
    workstream = get_object_or_404(Workstream.objects.select_related("programme", "owner"), ref=ref)
    if for_edit and not workstream.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its workstreams.")
    return workstream


def get_project_for_user(request, ref, *, for_edit=False, for_progress=False, for_page=False):
    """The project with its owner, workstream and programme joined (the page's
    heading, and who may update or edit it), and its updates with their
    authors prefetched newest first (the page's timeline), so the page's
    queries do not grow with its history. for_page: also what only the
    project page shows (milestones, the risk register, the programmes it is
    shared with), which the forms opened from it have no use for."""
    queryset = Project.objects.select_related("owner", "workstream__programme", "workstream__owner").prefetch_related(
        Prefetch("updates", queryset=ProjectUpdate.objects.select_related("author"))
    )
    if for_page:
        queryset = queryset.prefetch_related(
            # The milestones table and the risk register, with their responsible officers.
            Prefetch("milestones", queryset=Milestone.objects.select_related("owner")),
            Prefetch("risks", queryset=Risk.objects.select_related("owner")),
            # The other programmes it is shared with (Project.shared_label).
            Prefetch("shared_with", queryset=Workstream.objects.select_related("programme")),
        )
    project = get_object_or_404(queryset, ref=ref)
    if for_progress and not project.can_be_updated_by(request.user):
        raise PermissionDenied("Only the project's owner or its programme's managers can update it.")
    if for_edit and not project.can_be_edited_by(request.user):
        raise PermissionDenied("Only the programme's managers can change this project.")
    return project


def get_report_for_user(request, pk, *, for_edit=False, heading_only=False):
    """The highlight report with its programme, people, rows and corrections
    joined or prefetched (HighlightReportQuerySet.for_display): every page of
    a report prints all of them, in a fixed number of queries whatever its
    size. for_edit: draft, edit, publish or correct it (the programme's managers).
    heading_only: without its rows and corrections, for a page whose body may
    come from the page cache (the page fetches them when it draws them)."""
    reports = HighlightReport.objects.for_display(rows=not heading_only)
    report = get_object_or_404(reports, pk=pk)
    if for_edit and not report.programme.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its highlight reports.")
    return report


# --- Funding, benefits and savings, partner organisations -------------------------

PART_PROJECT = "project__workstream__programme"


def get_funder_for_user(request, pk, *, for_edit=False):
    """The funder with its partner and its project's programme joined (the
    form's heading, and whose managers decide for_edit)."""
    funder = get_object_or_404(Funder.objects.select_related("partner", PART_PROJECT), pk=pk)
    if for_edit and not funder.can_be_edited_by(request.user):
        raise PermissionDenied("Only the project's programme managers can change its funders.")
    return funder


def get_benefit_for_user(request, pk, *, for_edit=False, for_progress=False):
    """The benefit with its project and programme joined. for_edit: change
    the benefit itself (its programme's managers); for_progress: record an
    amount realised (the project's owner, their team, or a manager)."""
    benefit = get_object_or_404(Benefit.objects.select_related(PART_PROJECT, "project__owner"), pk=pk)
    if for_progress and not benefit.project.can_be_updated_by(request.user):
        raise PermissionDenied("Only the project's owner or its programme's managers can record savings realised.")
    if for_edit and not benefit.can_be_edited_by(request.user):
        raise PermissionDenied("Only the project's programme managers can change its benefits.")
    return benefit


def get_realisation_for_user(request, pk, *, for_progress=False):
    """An amount realised, with its benefit and project joined; for_progress:
    correct it (whoever may record one: BenefitRealisation.can_be_edited_by)."""
    queryset = BenefitRealisation.objects.select_related(f"benefit__{PART_PROJECT}", "benefit__project__owner")
    realisation = get_object_or_404(queryset, pk=pk)
    if for_progress and not realisation.can_be_edited_by(request.user):
        raise PermissionDenied("Only the project's owner or its programme's managers can change savings realised.")
    return realisation


def get_partner_for_user(request, ref, *, for_edit=False):
    """The partner organisation alone: its page fetches its roles and funding
    (programmes.partner_views), which only that page shows."""
    partner = get_object_or_404(Partner, ref=ref)
    if for_edit and not partner.can_be_edited_by(request.user):
        raise PermissionDenied("Only programme managers can change partner organisations.")
    return partner


def get_partnership_for_user(request, pk, *, for_edit=False):
    """A partner's role with the partner and the programme or project it is
    on joined (the heading, and whose managers decide for_edit)."""
    queryset = Partnership.objects.select_related("partner", "programme", "project__workstream__programme")
    partnership = get_object_or_404(queryset, pk=pk)
    if for_edit and not partnership.can_be_edited_by(request.user):
        raise PermissionDenied("Only the programme's managers can change its partners.")
    return partnership


# --- Milestones and the risk and issue register -------------------------------------

MILESTONES_DUE_DAYS = 90


def get_milestone_for_user(request, ref, *, for_edit=False, for_progress=False):
    """The milestone with its responsible officer, and its project's owner
    and programme joined: who may edit it (the programme's managers) or record
    its progress (Milestone.can_be_updated_by: its officer, the project's
    owner, a manager), and the page's heading."""
    queryset = Milestone.objects.select_related("owner", "project__owner", "project__workstream__programme")
    milestone = get_object_or_404(queryset, ref=ref)
    if for_progress and not milestone.can_be_updated_by(request.user):
        raise PermissionDenied(
            "Only the milestone's responsible officer, the project's owner or its programme's managers "
            "can record its progress."
        )
    if for_edit and not milestone.can_be_edited_by(request.user):
        raise PermissionDenied("Only the project's programme managers can change its milestones.")
    return milestone


def get_risk_for_user(request, ref, *, for_edit=False, for_progress=False):
    """The risk with its responsible officer, and its project's owner and
    programme joined, as get_milestone_for_user (Risk.can_be_updated_by)."""
    queryset = Risk.objects.select_related("owner", "project__owner", "project__workstream__programme")
    risk = get_object_or_404(queryset, ref=ref)
    if for_progress and not risk.can_be_updated_by(request.user):
        raise PermissionDenied(
            "Only the risk's responsible officer, the project's owner or its programme's managers can update it."
        )
    if for_edit and not risk.can_be_edited_by(request.user):
        raise PermissionDenied("Only the project's programme managers can change its risk register.")
    return risk


def delivery_rollup(programme, today=None):
    """What the programme page rolls up from its projects' plans: milestones
    due in the next MILESTONES_DUE_DAYS days, overdue milestones, and open
    risks by grade. Two queries whatever the programme's size."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=MILESTONES_DUE_DAYS)
    milestones = (
        Milestone.objects.for_programme(programme)
        .open()
        .filter(due_date__lte=horizon)
        .for_listing()
        .order_by("due_date", "project__name", "pk")
    )
    # Overdue (MilestoneQuerySet.overdue) and due soon (.due_within) from one query.
    overdue, due_soon = [], []
    for milestone in milestones:
        (overdue if milestone.due_date < today else due_soon).append(milestone)
    return {
        # (id, heading, milestones, what to say when there are none)
        "milestone_lists": [
            ("due", f"Milestones due in the next {MILESTONES_DUE_DAYS} days", due_soon, "None due."),
            ("overdue", "Overdue milestones", overdue, "None overdue."),
        ],
        "risk_grades": Risk.objects.open().for_programme(programme).grade_counts(),
    }


# --- Narrative programme updates ----------------------------------------------------


def get_narrative_for_user(request, pk, *, for_edit=False):
    """The narrative update with its programme and author joined and its
    sections prefetched (NarrativeUpdateQuerySet.for_display): every page of
    it prints them all, in a fixed number of queries. for_edit: edit it or
    set it back to draft (the programme's managers)."""
    narrative = get_object_or_404(NarrativeUpdate.objects.for_display(), pk=pk)
    if for_edit and not narrative.can_be_edited_by(request.user):
        raise PermissionDenied("Only this programme's managers can change its narrative updates.")
    return narrative
