from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from core.seed import SeedError, load_seed_data


class Command(BaseCommand):
    help = (
        "Load the 2010 seed fixtures (default: every fixtures/*.json, in name order) in one transaction: "
        "all or nothing. Objects are matched by natural key, so running it again updates rather than duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixtures", nargs="*", help="Fixture files to load instead of fixtures/*.json.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database to load into.")

    def handle(self, *args, **options):
        try:
            result = load_seed_data(options["fixtures"] or None, using=options["database"])
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(str(result)))
