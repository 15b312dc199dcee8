"""Small builders for test data. Each makes a valid row with sensible defaults
and takes keyword overrides; nothing here is used outside tests."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from actions.models import (
    ActionItem,
    ActionPlan,
    ActionPlanSection,
    ActionUpdate,
    Finding,
    Recommendation,
    Review,
    ReviewArea,
)
from committees.models import Committee, Meeting, MinutedAction
from core.models import RAG, Owner
from programmes.models import NarrativeUpdate, Programme, Project, ProjectUpdate, Workstream

_seq = itertools.count(1)


def n():
    return next(_seq)


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="correct horse battery staple", email=f"{username}@example.org", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_owner(name=None, **extra):
    return Owner.objects.create(name=name or f"Team {n()}", **extra)


def make_programme(**extra):
    i = n()
    defaults = {"name": f"Programme {i}", "ref": f"programme-{i}", "rag": RAG.AMBER}
    return Programme.objects.create(**{**defaults, **extra})


def make_workstream(programme=None, **extra):
    i = n()
    defaults = {"name": f"Workstream {i}", "ref": f"workstream-{i}", "position": i}
    return Workstream.objects.create(programme=programme or make_programme(), **{**defaults, **extra})


def make_project(workstream=None, **extra):
    i = n()
    defaults = {"name": f"Project {i}", "ref": f"project-{i}", "rag": RAG.GREEN, "position": i}
    return Project.objects.create(workstream=workstream or make_workstream(), **{**defaults, **extra})


def make_project_update(project, **extra):
    defaults = {
        "period_start": datetime.date(2010, 4, 22),
        "period_end": datetime.date(2010, 6, 6),
        "key_progress": "Progress made.",
        "rag": project.rag,
    }
    return ProjectUpdate.objects.create(project=project, **{**defaults, **extra})


def make_review(**extra):
    i = n()
    defaults = {
        "ref": f"review-{i}",
        "title": f"Review {i}",
        "reviewing_body": "Capital Ambition",
        "review_date": datetime.date(2010, 1, 13),
    }
    return Review.objects.create(**{**defaults, **extra})


def make_area(review=None, **extra):
    i = n()
    defaults = {"number": i, "title": f"Area {i}", "ref": f"area-{i}"}
    return ReviewArea.objects.create(review=review or make_review(), **{**defaults, **extra})


def make_finding(area, **extra):
    i = n()
    return Finding.objects.create(area=area, **{"number": i, "text": f"Finding {i}", "ref": f"finding-{i}", **extra})


def make_recommendation(area=None, **extra):
    i = n()
    defaults = {"number": i, "text": f"Recommendation {i}", "ref": f"rec-{i}"}
    return Recommendation.objects.create(area=area or make_area(), **{**defaults, **extra})


def make_section(plan=None, area=None, **extra):
    i = n()
    if plan is None:
        plan = ActionPlan.objects.create(review=area.review if area else make_review(), ref=f"plan-{i}", title="Plan")
    return ActionPlanSection.objects.create(
        plan=plan, area=area, **{"number": i, "title": f"Section {i}", "ref": f"section-{i}", **extra}
    )


def make_action(recommendations=(), arising_from=None, minute_number="", minute_title="", **extra):
    """An action; with arising_from (a meeting), minuted there as a matter arising."""
    i = n()
    defaults = {"title": f"Action {i}", "ref": f"action-{i}", "due_date": datetime.date(2010, 6, 30)}
    action = ActionItem.objects.create(**{**defaults, **extra})
    action.recommendations.set(recommendations)
    if arising_from is not None:
        MinutedAction.objects.create(
            action=action, meeting=arising_from, minute_number=minute_number, minute_title=minute_title
        )
    return action


def make_action_update(action, **extra):
    return ActionUpdate.objects.create(action=action, **{"note": "Progress noted.", **extra})


def make_meeting(committee=None, **extra):
    if committee is None:
        i = n()
        committee = Committee.objects.create(name=f"Committee {i}", short_name=f"C{i}", ref=f"committee-{i}")
    return Meeting.objects.create(committee=committee, **{"date": datetime.date(2010, 6, 1), **extra})


# Milestones and the risk and issue register.


def make_milestone(project=None, **extra):
    from programmes.models import Milestone

    i = n()
    defaults = {"name": f"Milestone {i}", "number": f"{i}", "due_date": datetime.date(2010, 9, 30)}
    return Milestone.objects.create(project=project or make_project(), **{**defaults, **extra})


def make_risk(project=None, **extra):
    from programmes.models import Level, Risk

    project = project or make_project()
    defaults = {
        "number": Risk.objects.next_number(project),
        "description": f"Risk {n()}",
        "probability": Level.MEDIUM,
        "impact": Level.MEDIUM,
    }
    return Risk.objects.create(project=project, **{**defaults, **extra})


# Funding, benefits and savings, partner organisations.


def make_partner(name=None, **extra):
    from programmes.models import Partner

    i = n()
    defaults = {"name": name or f"London Borough {i}", "ref": f"partner-{i}"}
    return Partner.objects.create(**{**defaults, **extra})


def make_funder(project, partner=None, **extra):
    from programmes.models import Funder

    defaults = {"amount": 250_000, "kind": "capital"}
    return Funder.objects.create(project=project, partner=partner or make_partner(), **{**defaults, **extra})


def make_benefit(project, **extra):
    from programmes.models import Benefit, BenefitType

    defaults = {"type": BenefitType.CASH_SAVINGS, "description": f"Saving {n()}", "target_amount": 100_000}
    return Benefit.objects.create(project=project, **{**defaults, **extra})


def make_realisation(benefit, **extra):
    from programmes.models import BenefitRealisation

    defaults = {"financial_year": 2011, "amount": 50_000, "recorded_on": datetime.date(2012, 1, 18)}
    return BenefitRealisation.objects.create(benefit=benefit, **{**defaults, **extra})


def make_partnership(partner=None, **extra):
    """A partner's role: give `project=` or `programme=`."""
    from programmes.models import Partnership

    return Partnership.objects.create(partner=partner or make_partner(), **extra)


def make_narrative(programme, **extra):
    """A narrative programme update, final unless said (only a final one may go to committee)."""
    defaults = {
        "title": "OIP update",
        "period_start": datetime.date(2010, 4, 22),
        "period_end": datetime.date(2010, 5, 20),
        "status": NarrativeUpdate.Status.FINAL,
    }
    return NarrativeUpdate.objects.create(programme=programme, **{**defaults, **extra})
