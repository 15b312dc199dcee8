from django.core.management.base import BaseCommand

from workspace.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Email each owner with a login one digest of their overdue actions and projects and those due within "
        "7 days, with links to update them. Safe to run more than once a day: nobody gets a second digest."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"Sent {sent} reminder digest{'' if sent == 1 else 's'}.")
