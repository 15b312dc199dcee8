import os
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workspace.demo import create_demo_users


class Command(BaseCommand):
    help = (
        "Create one clearly-marked demo login per role (demo-officer, demo-manager, demo-clerk, demo-admin). "
        "Uses DEMO_PASSWORD if set, otherwise generates one. Refuses to run unless DEMO_MODE is on."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo accounts are for local evaluation only: DEMO_MODE is off in these settings.")
        password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
        try:
            accounts = create_demo_users(password=password)
        except ValidationError as error:
            raise CommandError("DEMO_PASSWORD is too weak: " + " ".join(error.messages)) from None
        self.stdout.write("Demo accounts (for evaluation only):")
        for user, spec, owner in accounts:
            acts_for = f", acts for {owner.name}" if owner else ""
            self.stdout.write(f"  {user.username:<14} password: {password}   role: {spec.role}{acts_for}")
