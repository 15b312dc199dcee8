# core.search folds accents with PostgreSQL's `unaccent` extension ("cafe"
# finds "Café"). The operation does nothing on SQLite, which folds with a
# function registered on each connection instead.

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_owner_version_stops_silent_overwrites"),
    ]

    operations = [UnaccentExtension()]
