"""Benchmark: officers saving updates to the same and different actions at
once, against real gunicorn servers.

Twenty writers (bench/loadgen.py) log in and, for a bounded time, open an
action's "Record an update" form and save it: all of them on one shared
action, and in pairs on others. Each run prints how many saves were accepted,
refused with the conflict message, or failed (error), the saves and HTTP
requests per second, and whether the database agrees afterwards (every
accepted note there once, no refused one, each action's version and RAG those
of its last accepted save). Runs:

- sqlite: the README's default, a SQLite file, one gunicorn server with 2
  worker processes;
- postgresql: two gunicorn servers (2 workers each) on one PostgreSQL
  database, writers split between them;
- with --before, also sqlite-before: SQLite with Django's default options
  (deferred transactions, 5 s busy timeout, rollback journal), to show what
  the settings' transaction_mode/timeout/WAL change.

    .venv/bin/python bench/concurrency.py                    # about 2 minutes on 2 cores
    .venv/bin/python bench/concurrency.py --seconds 10 --only sqlite
    .venv/bin/python bench/concurrency.py --before

PostgreSQL: with DATABASE_URL set to a PostgreSQL server the script creates a
throwaway database on it (the role needs CREATEDB) and drops it afterwards;
otherwise, as root, it starts a throwaway cluster from
/usr/lib/postgresql/*/bin as the postgres user, as .ci/run does. Without
either, that run is reported SKIPPED. SQLite runs use temporary files; the
developer's db.sqlite3 is never opened.

The project's settings are used as they are (DEBUG on, the real password
hasher: logging in is not timed). Exits 1 if a run other than sqlite-before
had an error or the database disagrees with the answers.
"""

import argparse
import contextlib
import os
import platform
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen

BEFORE_SETTINGS = '''"""The project's settings with Django's default SQLite options."""
from bromley_oip.settings import *  # noqa: F403

DATABASES["default"].pop("OPTIONS", None)  # noqa: F405
'''


class Unavailable(Exception):
    """No PostgreSQL to run on; the run is skipped, visibly."""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=20, help="people saving at once (default 20)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each run's writing phase (default 20)")
    parser.add_argument("--max-saves", type=int, default=500, help="saves per writer at most (default 500)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    parser.add_argument("--before", action="store_true", help="also run SQLite with Django's default options")
    args = parser.parse_args(argv)
    if args.writers < 2 or args.seconds <= 0 or args.max_saves < 1:
        parser.error("--writers must be at least 2, --seconds and --max-saves positive")
    return args


def run(label, env, args, tmpdir, *, servers, workers):
    """Set up, serve, write, check and print; (errors, the database's disagreements)."""
    started = time.monotonic()
    scenario = loadgen.django_command(env, "setup", "--writers", str(args.writers), timeout=300)
    setup_seconds = time.monotonic() - started
    logs = [Path(tmpdir) / f"{label}-gunicorn-{i + 1}.log" for i in range(servers)]
    with contextlib.ExitStack() as stack:
        urls = [stack.enter_context(loadgen.gunicorn(env, workers=workers, log_path=log)) for log in logs]
        result = loadgen.run_writers(
            urls,
            scenario["accounts"],
            loadgen.plans_for(scenario["actions"], args.writers),
            seconds=args.seconds,
            max_saves=args.max_saves,
        )
    problems = loadgen.check(result, scenario["state"], loadgen.django_command(env, "state"))
    locked = sum(log.read_text(errors="replace").count("database is locked") for log in logs)
    errors = result.counts()[loadgen.ERROR]

    print(f"\n{label}: {servers} gunicorn server(s) x {workers} workers, {args.writers} writers")
    print(f"  set-up {setup_seconds:.1f} s (migrate and data), logging in {result.login_seconds:.1f} s (not timed)")
    print(f"  {result.line()}")
    shared = [o for o in result.posts if o.action == scenario["actions"][0]]
    print(
        f"  of which on the shared action: {len(shared)} saves, "
        f"{sum(o.kind == loadgen.ACCEPTED for o in shared)} accepted"
    )
    for line in result.error_summary():
        print(f"  error: {line}")
    if locked:
        print(f"  'database is locked' appears {locked} times in the servers' logs")
    if problems:
        for problem in problems[:10]:
            print(f"  DATABASE DISAGREES: {problem}")
    else:
        print("  database agrees: every accepted update saved once, no refused one, versions and RAG in step")
    return errors, problems


@contextlib.contextmanager
def postgresql():
    """The URL of an empty, throwaway PostgreSQL database."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme in ("postgres", "postgresql"):
        with throwaway_database(url) as database_url:
            yield database_url, "a throwaway database on DATABASE_URL's server"
    else:
        with throwaway_cluster() as database_url:
            yield database_url, "a throwaway cluster"


@contextlib.contextmanager
def throwaway_database(url):
    import psycopg

    name = f"oip_concurrency_{os.getpid()}"
    try:
        admin = psycopg.connect(url, autocommit=True)
    except psycopg.Error as error:
        raise Unavailable(f"cannot connect to DATABASE_URL: {error}") from error
    with admin:
        try:
            admin.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as error:
            raise Unavailable(f"cannot create a database on DATABASE_URL's server: {error}") from error
        try:
            yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def throwaway_cluster():
    """initdb and start PostgreSQL as the postgres user (it refuses to run as
    root) in a directory of its own; stopped and removed on the way out."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if not bins:
        raise Unavailable("no DATABASE_URL and no PostgreSQL in /usr/lib/postgresql (apt-get install postgresql)")
    if os.geteuid() != 0 or not shutil.which("runuser"):
        raise Unavailable("no DATABASE_URL, and starting a throwaway cluster needs root (runuser -u postgres)")
    try:
        postgres = pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("no DATABASE_URL and no postgres user to run a cluster as") from None
    bin_dir = bins[-1].parent
    directory = Path(tempfile.mkdtemp(prefix="oip-concurrency-pg-"))
    os.chown(directory, postgres.pw_uid, postgres.pw_gid)
    port = loadgen.free_port()

    def as_postgres(*command):
        subprocess.run(["runuser", "-u", "postgres", "--", *map(str, command)], check=True, capture_output=True)

    data = directory / "data"
    as_postgres(bin_dir / "initdb", "-D", data, "-A", "trust", "-U", "postgres")
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
    as_postgres(bin_dir / "pg_ctl", "-D", data, "-l", directory / "log", "-w", "-o", options, "start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            as_postgres(bin_dir / "pg_ctl", "-D", data, "stop", "-m", "fast")
        shutil.rmtree(directory, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    import django

    print("OIP Tracker concurrency benchmark")
    print(
        f"  {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )
    print(f"  {args.writers} writers, {args.seconds:g} s per run (at most {args.max_saves} saves each)")
    failures = []
    tmpdir = tempfile.mkdtemp(prefix="oip-concurrency-")
    try:
        if args.only in (None, "sqlite"):
            env = loadgen.project_env(f"sqlite:///{Path(tmpdir) / 'sqlite.sqlite3'}")
            errors, problems = run("sqlite", env, args, tmpdir, servers=1, workers=2)
            failures += [f"sqlite: {errors} errors"] * bool(errors) + problems
            if args.before:
                (Path(tmpdir) / "before_settings.py").write_text(BEFORE_SETTINGS)
                env = loadgen.project_env(
                    f"sqlite:///{Path(tmpdir) / 'before.sqlite3'}", "before_settings", pythonpath=[tmpdir]
                )
                # Errors are what this run shows; lost or phantom writes would still be a failure.
                failures += run("sqlite-before", env, args, tmpdir, servers=1, workers=2)[1]
        if args.only in (None, "postgresql"):
            try:
                with postgresql() as (url, where):
                    print(f"\n(PostgreSQL: {where})")
                    errors, problems = run("postgresql", loadgen.project_env(url), args, tmpdir, servers=2, workers=2)
                    failures += [f"postgresql: {errors} errors"] * bool(errors) + problems
            except Unavailable as reason:
                print(f"\nSKIPPED postgresql: {reason}")
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    if failures:
        print("\nFAILED: " + "; ".join(failures[:5]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
