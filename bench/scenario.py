"""The Django side of the concurrent-update scenario (bench/loadgen.py).

    python bench/scenario.py setup --writers 20   # migrate, add the people and actions
    python bench/scenario.py state                # every load-test action's version, RAG and notes

Runs against whatever DATABASE_URL says, which must be an empty, expendable
database: `setup` refuses one that already has the scenario's programme.
Prints JSON for the caller. The people are officers in one team that owns the
actions, so each may update every one of them; all share one password hash
(hashing it once per person would cost as long as the run itself).
"""

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME_REF = "load-test"
PASSWORD = "load-test-password-2010"


def action_refs(writers):
    """One action everyone updates, and one for each pair of writers."""
    return ["load-shared", *(f"load-pair-{i + 1}" for i in range((writers + 1) // 2))]


def setup(writers):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from actions.models import ActionItem, ActionPlan, ActionPlanSection, Review, Status
    from core import roles
    from core.models import RAG, Owner
    from programmes.models import Programme

    call_command("migrate", verbosity=0, interactive=False)
    if Programme.objects.filter(ref=PROGRAMME_REF).exists():
        sys.exit("Refusing to set up: this database already has the load-test programme (give an empty one)")
    with transaction.atomic():
        programme = Programme.objects.create(name="Load test programme", ref=PROGRAMME_REF, rag=RAG.AMBER)
        review = Review.objects.create(
            ref="load-review",
            title="Load test review",
            reviewing_body="Load test",
            review_date=datetime.date(2010, 1, 13),
        )
        plan = ActionPlan.objects.create(review=review, ref="load-plan", title="Load test plan", programme=programme)
        section = ActionPlanSection.objects.create(plan=plan, number=1, title="Load test", ref="load-section")
        team = Owner.objects.create(name="Load test team")
        officer = Group.objects.get(name=roles.OFFICER)
        password = make_password(PASSWORD)
        accounts = []
        for i in range(writers):
            user = get_user_model().objects.create(
                username=f"load-officer-{i + 1}", first_name="Officer", last_name=str(i + 1), password=password
            )
            user.groups.add(officer)
            team.members.add(user)
            accounts.append([user.username, PASSWORD])
        for position, ref in enumerate(action_refs(writers)):
            ActionItem.objects.create(
                ref=ref,
                title=f"Load test action {ref}",
                section=section,
                position=position,
                owner=team,
                rag=RAG.AMBER,
                status=Status.IN_PROGRESS,
                due_date=datetime.date(2030, 3, 31),
            )
    return {"accounts": accounts, "actions": action_refs(writers), "state": state()}


def state():
    from actions.models import ActionItem

    actions = ActionItem.objects.filter(section__plan__programme__ref=PROGRAMME_REF).prefetch_related("updates")
    return {
        action.ref: {
            "version": action.version,
            "rag": action.rag,
            "notes": [update.note for update in action.updates.all()],
        }
        for action in actions
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").add_argument("--writers", type=int, required=True)
    commands.add_parser("state")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bromley_oip.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    answer = setup(args.writers) if args.command == "setup" else state()
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
