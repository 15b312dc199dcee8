"""Benchmark: how fast the list pages answer under gunicorn (issue 13, point 3).

Builds the large generated programme (bench/dataset.py: 600 actions, 60
projects, 12 published highlight reports) in a throwaway database, collects
the static files, starts gunicorn with 2 sync workers and production
settings (DEBUG off, so Django's cached template loader, a real SECRET_KEY,
ALLOWED_HOSTS, the manifest static storage), and loads each page from
threads on the same machine (bench/loadgen.py's standard-library client).

For every page, after a warm-up:
- one client, one request at a time, for --single-seconds: the median
  latency of a request on a quiet server;
- --connections clients (default 10) back to back for --seconds: requests a
  second, median and 95th percentile latency, and the ratio of its requests
  a second to the login page's in the same run (a trivial page of the same
  server, which cancels out most of what the machine is doing at the time);
- --clients clients (default 20) for --p95-seconds: the 95th percentile
  latency.

Then the targets of issue 13 with PASS or FAIL each; with --strict the exit
status is 1 if any fails (it is always 1 if a page does not answer 200).

    .venv/bin/python bench/list_pages.py                  # about 2 minutes on 2 cores
    .venv/bin/python bench/list_pages.py --seconds 10     # the issue's 10 s per page (about 3 minutes)
    .venv/bin/python bench/list_pages.py --only review,actions
    .venv/bin/python bench/list_pages.py --profile        # also where each page's time goes, in-process
    .venv/bin/python bench/list_pages.py --profile-only   # only that (about 30 s)

BENCH_DATABASE_URL works as for bench/run_all.py (an empty, expendable
database); without it a temporary SQLite file is used and the developer's
db.sqlite3 and DATABASE_URL are never touched.
"""

import argparse
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench.run_all import choose_database  # noqa: E402

PASSWORD = "list-pages-bench-2010"
WORKERS = 2
# Where the pages are measured from: gunicorn binds here (loadgen refuses anything else).
HOST = "127.0.0.1"


@dataclass
class Page:
    key: str
    label: str
    path: str
    who: str  # "anonymous" or a key of the logged-in browsers
    single: list = field(default_factory=list)  # seconds, one client
    load: list = field(default_factory=list)  # seconds, --connections clients
    load_seconds: float = 0.0
    crowd: list = field(default_factory=list)  # seconds, --clients clients
    errors: list = field(default_factory=list)
    size: int = 0

    @property
    def rate(self):
        return len(self.load) / self.load_seconds if self.load_seconds else 0.0


def percentile(values, fraction):
    """The nearest-rank percentile (no interpolation): the latency that
    `fraction` of the requests were at or under."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="seconds of --connections load per page (default 5)")
    parser.add_argument("--connections", type=int, default=10, help="clients for the req/s figure (default 10)")
    parser.add_argument("--clients", type=int, default=20, help="clients for the p95 target (default 20)")
    parser.add_argument("--p95-seconds", type=float, default=3, help="seconds of --clients load per page (default 3)")
    parser.add_argument(
        "--single-seconds", type=float, default=1.5, help="seconds of one-at-a-time requests per page (default 1.5)"
    )
    parser.add_argument("--only", default="", help="comma-separated page keys (login is always measured)")
    parser.add_argument("--seed", type=int, default=2010, help="random seed for the generated data")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any target fails")
    parser.add_argument(
        "--profile", action="store_true", help="also time each page in-process: SQL, templates, includes"
    )
    parser.add_argument(
        "--profile-only", action="store_true", help="only the in-process profile: no gunicorn, no load (quick)"
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="PAGE_CACHE_SECONDS=0: every request draws its page (what the first view after a write costs)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and say where it is")
    args = parser.parse_args(argv)
    if min(args.seconds, args.p95_seconds, args.single_seconds) <= 0 or min(args.connections, args.clients) < 1:
        parser.error("durations must be positive and client counts at least 1")
    return args


def production_env(database_url, static_root):
    """What a production deployment sets (README, Configuration), on loopback
    HTTP: DEBUG off, its own SECRET_KEY and ALLOWED_HOSTS, the manifest static
    storage over a collected STATIC_ROOT. HTTPS is a proxy's job, so the
    redirect to it is off; the secure cookie flags stay on (the stdlib client
    sends them anyway)."""
    env = loadgen.project_env(database_url)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        STATIC_ROOT=str(static_root),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        DEMO_MODE="false",
    )
    return env


def start_django(env):
    """Django in this process, on the run's database and settings, migrated."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from programmes.models import Programme

    database = settings.DATABASES["default"]
    if Path(str(database["NAME"])).resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit("Refusing to benchmark on the developer's db.sqlite3")
    call_command("migrate", verbosity=0)
    if Programme.objects.exists():
        sys.exit("Refusing to benchmark: the database already holds programmes (give an empty, expendable one)")


def build_people(data):
    """Logins for the pages: the dataset's manager and clerk, an officer in
    the team that owns the most open actions (My work), and an
    administrator (Django admin). One password hash for all of them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db.models import Count

    from actions.models import ActionItem
    from core import roles
    from core.models import Owner

    users = get_user_model().objects
    password = make_password(PASSWORD)
    officer = users.create(username="bench-officer", first_name="Olive", last_name="Officer", password=password)
    officer.groups.add(Group.objects.get(name=roles.OFFICER))
    admin = users.create(
        username="bench-admin", first_name="Ada", last_name="Admin", password=password, is_staff=True, is_superuser=True
    )
    admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    busiest = ActionItem.objects.open().values("owner").annotate(n=Count("pk")).order_by("-n", "owner").first()
    team = Owner.objects.get(pk=busiest["owner"])
    team.members.add(officer)
    for user in (data.manager, data.clerk):
        user.password = password
        user.save(update_fields=["password"])
    return {"manager": data.manager, "clerk": data.clerk, "officer": officer, "admin": admin}, team


def pages_for(data):
    from django.urls import reverse

    report = data.latest_report
    return [
        Page("login", "login page", reverse("login"), "anonymous"),
        Page("mywork", "My work", reverse("home"), "officer"),
        Page("actions", "All actions", reverse("actions:list"), "manager"),
        Page("projects", "All projects", reverse("programmes:projects"), "manager"),
        Page("programme", "programme page", reverse("programmes:detail", args=[data.programme.ref]), "manager"),
        Page("report", "highlight report", reverse("programmes:report", args=[report.pk]), "manager"),
        Page("review", "review page", reverse("actions:review", args=[data.review.ref]), "manager"),
        Page("pack", "pack HTML", reverse("committees:pack", args=[data.latest_meeting.pk]), "clerk"),
        Page("admin", "admin changelist", reverse("admin:actions_actionitem_changelist"), "admin"),
    ]


# --- Load ---------------------------------------------------------------------


def browser_for(page, url, sessions):
    browser = loadgen.Browser(url, timeout=120)
    if page.who != "anonymous":
        browser.cookies = dict(sessions[page.who])
    return browser


def one(browser, page, into, deadline=None):
    started = time.perf_counter()
    try:
        status, location, text = browser.request("GET", page.path)
    except OSError as error:
        page.errors.append(f"{type(error).__name__}: {error}")
        return None
    elapsed = time.perf_counter() - started
    if status != 200:
        page.errors.append(f"{status} {location or loadgen.page_title(text)}")
        return None
    into.append(elapsed)
    return text


def hammer(page, url, sessions, clients, seconds, into):
    """`clients` threads requesting the page back to back until the deadline
    (a request in flight then still finishes and counts); the wall time."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def client(_):
        browser = browser_for(page, url, sessions)
        mine = []
        while time.monotonic() < deadline and len(page.errors) < 20:
            one(browser, page, mine)
        with lock:
            into.extend(mine)

    started = time.monotonic()
    loadgen.run_threads(client, clients)
    return time.monotonic() - started


def measure(page, url, sessions, args):
    browser = browser_for(page, url, sessions)
    warm = []
    for _ in range(2 * WORKERS):  # both workers compile the templates and fill their caches
        text = one(browser, page, warm)
        if text is None:
            return
    page.size = len(text.encode())
    deadline = time.monotonic() + args.single_seconds
    while (time.monotonic() < deadline or len(page.single) < 3) and len(page.single) < 50 and not page.errors:
        one(browser, page, page.single)
    if page.errors:
        return
    page.load_seconds = hammer(page, url, sessions, args.connections, args.seconds, page.load)
    hammer(page, url, sessions, args.clients, args.p95_seconds, page.crowd)


# --- Report -------------------------------------------------------------------


def ms(seconds):
    return f"{1000 * seconds:.0f} ms" if seconds == seconds else "-"


def table(pages, baseline, clients):
    rows = [
        ("Page", "req/s", "× login", "p50", "p95", "single", f"p95 @{clients}", "KB"),
    ]
    for page in pages:
        if page.errors and not page.load:
            rows.append((page.label, "FAILED: " + page.errors[0], "", "", "", "", "", ""))
            continue
        ratio = page.rate / baseline.rate if baseline.rate else 0
        rows.append(
            (
                page.label,
                f"{page.rate:.1f}",
                f"{ratio:.2f}×",
                ms(percentile(page.load, 0.5)),
                ms(percentile(page.load, 0.95)),
                ms(statistics.median(page.single)) if page.single else "-",
                ms(percentile(page.crowd, 0.95)),
                f"{page.size / 1024:.0f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def verdicts(pages, args):
    """Issue 13's targets: (description, passed, what was measured)."""
    by_key = {page.key: page for page in pages}
    login = by_key["login"]
    results = []

    def ratio_target(key, at_least):
        page = by_key.get(key)
        if page is None:
            return
        ratio = page.rate / login.rate if login.rate else 0
        results.append((f"{page.label} ≥ {at_least}× the login page", ratio >= at_least, f"{ratio:.2f}×"))

    ratio_target("actions", 0.25)
    ratio_target("mywork", 0.25)
    ratio_target("programme", 0.2)
    ratio_target("report", 0.2)
    if (review := by_key.get("review")) is not None:
        median = statistics.median(review.single) if review.single else float("inf")
        results.append(("review page under 100 ms (median, one client)", median < 0.1, ms(median)))
    for page in pages:
        if page.key == "admin":  # Django's own page: the comparison for All actions, not a target
            continue
        p95 = percentile(page.crowd, 0.95) if page.crowd else float("inf")
        results.append((f"{page.label}: p95 < 200 ms with {args.clients} clients", p95 < 0.2, ms(p95)))
    if "actions" in by_key and "admin" in by_key:
        actions, admin = by_key["actions"], by_key["admin"]
        results.append(
            (
                "All actions faster than the admin changelist",
                actions.rate > admin.rate,
                f"{actions.rate:.1f} against {admin.rate:.1f} req/s",
            )
        )
    return results


# --- Profile (in-process) ------------------------------------------------------


def profile(pages, people, runs=5):
    """Each page through django.test.Client in this process (the same
    settings as the servers): median wall and CPU time of a request (CPU is
    the steadier figure on a busy machine; SQLite runs in this process, so
    it includes the queries), of which SQL; then, from one more request, its
    queries, templates rendered by {% include %} and inclusion tags, and
    model instances built."""
    from django.db import connection
    from django.db.models.signals import post_init
    from django.template import library, loader_tags
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    counts = {"include": 0, "inclusion": 0, "instances": 0}
    include_render, inclusion_render = loader_tags.IncludeNode.render, library.InclusionNode.render

    def counting_include(self, context):
        counts["include"] += 1
        return include_render(self, context)

    def counting_inclusion(self, context):
        counts["inclusion"] += 1
        return inclusion_render(self, context)

    def built(**kwargs):
        counts["instances"] += 1

    clients = {"anonymous": Client()}
    for key, user in people.items():
        clients[key] = Client()
        clients[key].force_login(user)
    print(f"\nIn-process profile (django.test.Client; medians of {runs} requests, then one counted):")
    heads = ("Page", "wall", "CPU", "SQL", "queries", "includes", "incl. tags", "instances")
    print("  " + "".join(f"{h:<18}" if i == 0 else f"{h:>11}" for i, h in enumerate(heads)))
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for page in pages:
            client = clients[page.who]
            client.get(page.path)
            wall, cpu, sql = [], [], []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started, used = time.perf_counter(), time.process_time()
                    client.get(page.path)
                    wall.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - used)
                sql.append(sum(float(query["time"]) for query in captured.captured_queries))
                queries = len(captured.captured_queries)
            counts.update(include=0, inclusion=0, instances=0)
            loader_tags.IncludeNode.render, library.InclusionNode.render = counting_include, counting_inclusion
            post_init.connect(built, dispatch_uid="bench-list-pages")
            try:
                client.get(page.path)
            finally:
                loader_tags.IncludeNode.render, library.InclusionNode.render = include_render, inclusion_render
                post_init.disconnect(dispatch_uid="bench-list-pages")
            cells = [ms(statistics.median(values)) for values in (wall, cpu, sql)]
            cells += [queries, counts["include"], counts["inclusion"], counts["instances"]]
            print(f"  {page.label:<18}" + "".join(f"{cell:>11}" for cell in cells))


# --- Run ------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="oip-list-pages-")
    try:
        return run(args, Path(tmpdir))
    finally:
        if args.keep:
            print(f"\nKept {tmpdir}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def run(args, tmpdir):
    began = time.monotonic()
    url, temporary = choose_database(tmpdir)
    env = production_env(url, tmpdir / "static")
    env["PAGE_CACHE_SECONDS"] = "0" if args.no_page_cache else "300"
    # collectstatic (about 7 s: it compresses the bundles) runs while the data is built.
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        start_django(env)
        import django
        from django.conf import settings
        from django.db import connection

        from bench import dataset

        data = dataset.build(seed=args.seed)
        people, team = build_people(data)
        pages = pages_for(data)
    finally:
        output = collect.communicate()[0]
    if collect.returncode:
        sys.exit(f"collectstatic failed:\n{output.decode(errors='replace')[-3000:]}")
    if args.only:
        wanted = {"login", *filter(None, (key.strip() for key in args.only.split(",")))}
        unknown = wanted - {page.key for page in pages}
        if unknown:
            sys.exit(f"unknown page keys: {', '.join(sorted(unknown))} (known: {', '.join(p.key for p in pages)})")
        pages = [page for page in pages if page.key in wanted]

    print("OIP Tracker list pages under gunicorn")
    print(
        f"  {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )
    where = "temporary SQLite file" if temporary else "BENCH_DATABASE_URL"
    print(
        f"  database: {connection.vendor} ({where}); gunicorn {WORKERS} sync workers, DEBUG={settings.DEBUG}, "
        f"page cache {f'{settings.PAGE_CACHE_SECONDS} s' if settings.PAGE_CACHE_SECONDS else 'off'}; "
        f"{args.connections} clients × {args.seconds:g} s, {args.clients} clients × {args.p95_seconds:g} s, "
        f"one client × {args.single_seconds:g} s per page"
    )
    print("Data: " + ", ".join(f"{name} {count}" for name, count in data.counts.items()))
    print(
        f"  My work is {people['officer'].username}'s, added to “{team}”, the owner of the most open actions; "
        f"set-up {time.monotonic() - began:.0f} s"
    )

    if args.profile or args.profile_only:
        profile(pages, people)
    if args.profile_only:
        return 0

    log = tmpdir / "gunicorn.log"
    with loadgen.gunicorn(env, workers=WORKERS, log_path=log) as url:
        sessions = {}
        for key, user in people.items():
            browser = loadgen.Browser(url)
            browser.log_in(user.username, PASSWORD)
            sessions[key] = browser.cookies
        print()
        for page in pages:
            measure(page, url, sessions, args)
            state = f"{page.rate:.1f} req/s" if not page.errors else f"errors: {page.errors[0]}"
            print(f"  measured {page.label}: {state}", flush=True)
    print()
    baseline = pages[0]
    table(pages, baseline, args.clients)
    print()
    results = verdicts(pages, args)
    for description, passed, measured in results:
        print(f"{'PASS' if passed else 'FAIL'}  {description}: {measured}")
    failed_pages = [page.label for page in pages if page.errors]
    print(f"\nWhole run {time.monotonic() - began:.0f} s")
    if failed_pages:
        print(f"FAILED (errors): {', '.join(failed_pages)}; see {log}" + ("" if args.keep else " (use --keep)"))
        print("\n".join(f"  {page.label}: {page.errors[0]}" for page in pages if page.errors))
        return 1
    if args.strict and not all(passed for _, passed, _ in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
