import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspace.demo import create_demo_users, stored_demo_password


class Command(BaseCommand):
    help = (
        "Create one clearly-marked demo login per role (demo-officer, demo-manager, demo-clerk, demo-admin). "
        "Uses DEMO_PASSWORD if set, otherwise the password kept in DEMO_PASSWORD_FILE (generated there on "
        "first use, so every run prints the same one). Refuses to run unless DEMO_MODE is on."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo accounts are for local evaluation only: DEMO_MODE is off in these settings.")
        override = os.environ.get("DEMO_PASSWORD")
        path = settings.DEMO_PASSWORD_FILE
        password = override or stored_demo_password(path)
        try:
            accounts = create_demo_users(password=password)
        except ValidationError as error:
            reasons = " ".join(error.messages)
            if override:
                raise CommandError(f"DEMO_PASSWORD is too weak: {reasons}") from None
            raise CommandError(
                f"The password in {path} is too weak: {reasons} Delete the file for a new one, or set DEMO_PASSWORD."
            ) from None
        kept = "from DEMO_PASSWORD" if override else f"kept in {path}; delete it for a new one"
        self.stdout.write(f"Demo accounts (for evaluation only; password {kept}):")
        for user, spec, owner in accounts:
            acts_for = f", acts for {owner.name}" if owner else ""
            self.stdout.write(f"  {user.username:<14} password: {password}   role: {spec.role}{acts_for}")
