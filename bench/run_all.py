"""Benchmark: how long the committee documents take on a large programme.

Builds a throwaway database (a temporary SQLite file unless
BENCH_DATABASE_URL says otherwise), migrates it, generates a realistic large
programme (bench/dataset.py) and times, through django.test.Client, the pages
a clerk and a programme manager produce for a committee: the latest highlight
report (HTML, print view, PDF), the latest meeting's committee pack (PDF,
HTML), the All actions list and the review page, and the PDF of the largest
highlight report the text limits allow, in its slowest shape
(bench/largest_report_pdf.py, which also has the others). Prints the median, min and
max of --runs (default 3) timed requests after one untimed warm-up request,
the SQL queries each request ran and the PDFs' page counts. Exits 1 if any
page does not answer 200.

    make bench
    .venv/bin/python bench/run_all.py --runs 5
    .venv/bin/python bench/run_all.py --runs 3 --profile   # cProfile anything over 1 s

BENCH_DATABASE_URL=postgres://.../oip_bench runs on that database instead (it
must be empty and expendable: the script refuses one that already holds
programmes, and leaves the generated data there); BENCH_DATABASE_URL=env uses
$DATABASE_URL. Without it the developer's db.sqlite3 and DATABASE_URL are
never touched.
"""

import argparse
import cProfile
import gc
import io
import logging
import os
import platform
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE_OVER = 1.0  # seconds: --profile explains medians slower than this
SLOW_WARMUP = 10.0  # seconds: a warm-up this slow counts as a timed run (see measure)
PROFILED = (  # what --profile's cumulative listing shows, past the request handling chain
    r"weasyprint/(layout|draw|css|formatting_structure|text|document|pdf)"
    r"|/(programmes|actions|core)/|django/template/(base|defaulttags|loader_tags)"
)


def choose_database(tmpdir):
    """The URL to run on, set as DATABASE_URL before Django reads its settings."""
    requested = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if not requested:
        return f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}", True
    if requested.lower() == "env":
        if not os.environ.get("DATABASE_URL"):
            sys.exit("BENCH_DATABASE_URL=env but DATABASE_URL is not set")
        return os.environ["DATABASE_URL"], False
    return requested, False


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed requests per page after one warm-up (default 3)")
    parser.add_argument("--seed", type=int, default=2010, help="random seed for the generated data")
    parser.add_argument(
        "--profile", action="store_true", help=f"cProfile one more request of pages over {PROFILE_OVER} s"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite database and say where it is")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


@dataclass
class Target:
    label: str
    url: str
    client: object
    pdf: bool = False
    times: list = field(default_factory=list)
    first: float = 0.0
    queries: list = field(default_factory=list)
    pages: int | None = None
    size: int = 0
    failure: str = ""


def fetch(target):
    """One request: (seconds, response) and its query count noted on the
    target, or None with the failure noted on the target."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A committee pack PDF leaves about half a million objects in reference
    # cycles; whichever request happened to trigger the next full collection
    # would pay for them (a second or more). Collect first, untimed, so each
    # figure is the page's own cost.
    gc.collect()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        try:
            response = target.client.get(target.url)
        except Exception as error:  # a 500 raises through the test client
            target.failure = f"raised {type(error).__name__}: {error}"
            return None
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        target.failure = f"answered {response.status_code}"
        return None
    target.queries.append(len(captured.captured_queries))
    return elapsed, response


def measure(target, runs):
    """A warm-up request (imports, template compilation; checks the answer),
    then `runs` timed ones. A warm-up slower than SLOW_WARMUP counts as the
    first timed run: one-off costs are by then a rounding error (WeasyPrint is
    already imported and its fonts loaded by the report PDF), and it keeps the
    committee pack PDF within the time budget."""
    import pypdf

    result = fetch(target)
    if result is None:
        return
    target.first, response = result
    target.size = len(response.content)
    if target.pdf:
        if response["Content-Type"] != "application/pdf":
            target.failure = f"returned {response['Content-Type']}, not a PDF"
            return
        target.pages = len(pypdf.PdfReader(io.BytesIO(response.content)).pages)
    if target.first > SLOW_WARMUP:
        target.times.append(target.first)
    while len(target.times) < runs:
        result = fetch(target)
        if result is None:
            return
        target.times.append(result[0])


def profile(target, top=15):
    """One more request under cProfile: where the time goes, by cumulative
    time (our code, Django's templates and database layer, WeasyPrint) and by
    time spent in the function itself."""
    gc.collect()
    profiler = cProfile.Profile()
    profiler.enable()
    target.client.get(target.url)
    profiler.disable()
    print(f"\n--- cProfile: {target.label} ({target.url})")
    for order, restriction in [("cumulative", PROFILED), ("tottime", None)]:
        out = io.StringIO()
        stats = (
            pstats.Stats(profiler, stream=out).strip_dirs()
            if order == "tottime"
            else pstats.Stats(profiler, stream=out)
        )
        stats.sort_stats(order)
        stats.print_stats(*([restriction] if restriction else []), top)
        text = out.getvalue()
        body = text[text.index("ncalls") :] if "ncalls" in text else text
        print(f"top {top} by {order}:" + (f" (only {restriction})" if restriction else ""))
        print("\n".join(row.replace(str(ROOT) + "/", "") for row in body.splitlines() if row.strip()))


def line(target):
    if target.failure:
        return f"{target.label:<18} FAILED: {target.failure}"
    times = target.times
    queries = sorted(set(target.queries))
    query_text = str(queries[0]) if len(queries) == 1 else f"{queries[0]}-{queries[-1]} (varied!)"
    text = (
        f"{target.label:<18} median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f})  queries {query_text}"
    )
    if target.pages is not None:
        text += f"  pages {target.pages}"
    first = "counted" if target.first > SLOW_WARMUP else f"{target.first:.2f} s"
    return text + f"  [{target.size / 1024:.0f} KB; warm-up {first}]"


def main(argv=None):
    args = parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="oip-bench-")
    try:
        return run(args, tmpdir)
    finally:
        if args.keep:
            print(f"\nKept {tmpdir}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def start_django(tmpdir, title, runs):
    """Set Django up on the benchmark's database (see choose_database), say
    what it runs on, and migrate. Returns the settings overrides, enabled,
    and the seconds migrate took. Refuses the developer's db.sqlite3 and a
    database that already holds programmes."""
    url, temporary = choose_database(tmpdir)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bromley_oip.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    database = settings.DATABASES["default"]
    if Path(str(database["NAME"])).resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit("Refusing to benchmark on the developer's db.sqlite3")

    overrides = override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        # Render templates without collectstatic's manifest.
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    overrides.enable()

    import weasyprint

    # It warns about print-color-adjust (which Chromium needs) on every PDF.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    from programmes.models import Programme

    print(title)
    print(
        f"  {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}, WeasyPrint {weasyprint.__version__}"
    )
    where = "temporary SQLite file" if temporary else "BENCH_DATABASE_URL"
    print(f"  database: {connection.vendor} ({where}), DEBUG={settings.DEBUG}, runs={runs} after 1 warm-up")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    if Programme.objects.exists():
        sys.exit("Refusing to benchmark: the database already holds programmes (give an empty, expendable one)")
    return overrides, migrated


def run(args, tmpdir):
    overrides, migrated = start_django(tmpdir, "OIP Tracker benchmark", args.runs)

    from django.db import reset_queries
    from django.test import Client
    from django.urls import reverse

    from bench import dataset, largest_report_pdf

    started = time.perf_counter()
    data = dataset.build(seed=args.seed)
    largest = largest_report_pdf.build(manager=data.manager, shapes=["unbroken"], one_row=False)
    generated = time.perf_counter() - started
    reset_queries()  # DEBUG keeps the last 9,000 queries, and the per-request counts need room
    print(f"  migrate {migrated:.1f} s, data generation {generated:.1f} s")
    print("Data: " + ", ".join(f"{name} {count}" for name, count in data.counts.items()))
    print(f"  and the largest report allowed: {largest_report_pdf.describe()}")

    manager, clerk = Client(), Client()
    manager.force_login(data.manager)
    clerk.force_login(data.clerk)
    report, meeting = data.latest_report, data.latest_meeting
    targets = [
        Target("report HTML", reverse("programmes:report", args=[report.pk]), manager),
        Target("report print", reverse("programmes:report_print", args=[report.pk]), manager),
        Target("report PDF", reverse("programmes:report_pdf", args=[report.pk]), manager, pdf=True),
        Target("pack PDF", reverse("committees:pack_pdf", args=[meeting.pk]), clerk, pdf=True),
        Target("pack HTML", reverse("committees:pack", args=[meeting.pk]), clerk),
        Target("actions list", reverse("actions:list"), manager),
        Target("review page", reverse("actions:review", args=[data.review.ref]), manager),
        *(
            Target(f"largest PDF, {label}", reverse("programmes:report_pdf", args=[big.pk]), manager, pdf=True)
            for label, big in largest.items()
        ),
    ]
    print(f"Latest report: {report} ({report.rows.count()} rows); latest meeting: {meeting}")
    print()
    for target in targets:
        measure(target, args.runs)
        print(line(target), flush=True)

    if args.profile:
        for target in targets:
            if not target.failure and statistics.median(target.times) > PROFILE_OVER:
                profile(target)

    overrides.disable()
    failed = [target.label for target in targets if target.failure]
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
