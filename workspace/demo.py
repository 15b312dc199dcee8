"""Demo accounts for local evaluation: one per role, clearly marked as demo,
linked to owners from the 2010 fixtures."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from core import roles
from core.models import Owner
from programmes.models import Programme


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    last_name: str
    owner_name: str = ""  # the fixture owner this login acts for
    person: bool = False  # True: the login *is* that owner; False: a member of that team
    manages: tuple = ()  # refs of programmes this login manages
    staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("demo-officer", roles.OFFICER, "Officer (demo)", owner_name="OIP Team"),
    DemoAccount(
        "demo-manager",
        roles.PROGRAMME_MANAGER,
        "Manager (demo)",
        owner_name="AD OIP",
        manages=("oip", "shared-services"),
    ),
    DemoAccount("demo-clerk", roles.COMMITTEE_CLERK, "Clerk (demo)", owner_name="Kerry Nicholls", person=True),
    DemoAccount("demo-admin", roles.ADMINISTRATOR, "Administrator (demo)", staff=True),
]


def stored_demo_password(path):
    """The demo password kept in the file at `path`, generated and written there
    (readable by its owner only) the first time, so that every `make run` prints
    the same one. Deleting the file makes a new one next time."""
    path = Path(path)
    try:
        password = path.read_text().strip()
    except FileNotFoundError:
        password = ""
    if not password:
        password = secrets.token_urlsafe(12)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            file.write(password + "\n")
    return password


@transaction.atomic
def create_demo_users(*, password):
    """Create or refresh the demo accounts with `password`. Idempotent."""
    user_model = get_user_model()
    accounts = []
    for spec in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=spec.username)
        user.first_name = "Demo"
        user.last_name = spec.last_name
        user.email = f"{spec.username}@example.org"
        user.is_staff = spec.staff
        user.is_active = True
        # The same rules as "Change password": a weak DEMO_PASSWORD is refused.
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        user.groups.set([Group.objects.get(name=spec.role)])
        owner = Owner.objects.filter(name=spec.owner_name).first() if spec.owner_name else None
        if owner and spec.person:
            Owner.objects.filter(user=user).exclude(pk=owner.pk).update(user=None)
            owner.user = user
            owner.save(update_fields=["user"])
        elif owner:
            owner.members.add(user)
        for programme in Programme.objects.filter(ref__in=spec.manages):
            programme.managers.add(user)
        accounts.append((user, spec, owner))
    return accounts
