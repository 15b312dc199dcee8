from django.shortcuts import render

from actions.access import get_action_for_user, get_recommendation_for_user, get_review_for_user
from actions.models import Review


def review_list(request):
    return render(request, "actions/review_list.html", {"reviews": Review.objects.all()})


def review_detail(request, ref):
    review = get_review_for_user(request, ref)
    return render(request, "actions/review_detail.html", {"review": review})


def recommendation_detail(request, ref):
    recommendation = get_recommendation_for_user(request, ref)
    return render(request, "actions/recommendation_detail.html", {"recommendation": recommendation})


def action_detail(request, ref):
    action = get_action_for_user(request, ref)
    return render(request, "actions/action_detail.html", {"action": action})
