"""Benchmark: importing and exporting a 10,000-row action plan.

Builds the same throwaway database and large programme as bench/run_all.py
(bench/dataset.py: 600 actions already in its LEC-style plan, 40
recommendations, 30 owners), writes an .xlsx of --rows (default 10,000) new
action-plan rows with openpyxl's write-only mode, and times, as the
programme manager:

- reading the sheet (core.spreadsheets.read_table) and the preview
  (core.imports.plan: parse, match, diff, validate; writes nothing), and the
  whole upload as the page runs it (exchange.services.preview_upload: the
  same plus storing the file and the ImportRun);
- the commit as "Apply this import" runs it (exchange.services.apply_run:
  read and plan again, check against the preview, then save every row
  through actions.services.create_action, one transaction);
- exporting the programme's actions (10,600) to .xlsx (core.spreadsheets.
  write_xlsx of core.imports.export_sheet over queryset.iterator(), the
  queryset the All actions list's "Download .xlsx" uses) and to .csv
  (csv_rows), then the same downloads through the page (django.test.Client,
  whole middleware stack; not part of the targets);
- re-importing the exported file: the round trip must leave every row
  unchanged.

Peak memory is given two ways: the process's peak resident set
(getrusage ru_maxrss: everything, Django and the data included; the figure
a web worker would reach) and, in a second pass after the timed one,
tracemalloc's peak of Python allocations during each step (tracemalloc slows
the code down several times, so its pass is not timed). Targets, from issue
12: commit of 10,000 rows in under 10 s on SQLite, export at 5,000 rows/s or
more, peak memory under 300 MB. Exits 1 if any is missed or a step fails.

    .venv/bin/python bench/imports.py                 # about 2-3 minutes on 2 cores
    .venv/bin/python bench/imports.py --rows 2000     # quicker
    .venv/bin/python bench/imports.py --profile       # cProfile the commit (also done if it misses its target)
    .venv/bin/python bench/imports.py --no-tracemalloc

BENCH_DATABASE_URL works as for bench/run_all.py; the developer's db.sqlite3
is never touched.
"""

import argparse
import cProfile
import datetime
import gc
import io
import os
import platform
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run_all import choose_database  # noqa: E402 (stdlib only at import time)

COMMIT_SECONDS = 10.0  # target for --rows 10000 (scaled for other sizes)
EXPORT_ROWS_PER_SECOND = 5_000
PEAK_MB = 300
TARGET_ROWS = 10_000

DEADLINES = [
    "end of June 2010",
    "post-elections",
    "mid-April",
    "Report to COE post-elections",
    "immediately after Member/COE decision has been made",
    "work to commence May 2010",
    "September 2010, after elections and new Member induction",
]
VERBS = ["Agree", "Publish", "Review", "Report on", "Consult staff on", "Complete", "Commission", "Cost"]
OBJECTS = [
    "the business case",
    "the flexible working pilot",
    "the storage reduction plan",
    "the one stop shop concept",
    "the e-forms proposal",
    "the procurement strategy",
    "the shared service review",
    "the channel shift survey",
    "the ICT infrastructure refresh",
    "the customer access strategy",
    "the Member engagement plan",
    "the commissioning framework",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS, help=f"action rows to import (default {TARGET_ROWS})")
    parser.add_argument("--seed", type=int, default=2010, help="random seed for the generated data")
    parser.add_argument(
        "--profile",
        type=int,
        default=1000,
        metavar="ROWS",
        help="cProfile the commit of the first ROWS rows (rolled back) if the commit misses its target "
        "(default 1000; 0: never)",
    )
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the (untimed) tracemalloc pass")
    parser.add_argument(
        "--trace-commit", action="store_true", help="include the whole commit in the tracemalloc pass (slow)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and say where it is")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    return args


def rss_mb():
    """The process's peak resident set so far, in MB (ru_maxrss is KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def verdict(ok):
    return "PASS" if ok else "FAIL"


class QueryCounter:
    """Counts SQL statements without keeping them (CaptureQueriesContext would
    hold 100,000 query strings)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Timing:
    seconds: float  # wall clock
    cpu: float  # this process's CPU time (SQLite runs in it): near the wall time on an idle machine
    queries: int


def timed(step):
    """(Timing, result) of step(), after a full collection."""
    from django.db import connection

    gc.collect()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        result = step()
        timing = Timing(time.perf_counter() - started, time.process_time() - cpu, counter.count)
    return timing, result


def traced(step):
    """(tracemalloc peak in MB, result) of step()."""
    gc.collect()
    tracemalloc.start()
    try:
        result = step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024), result


def start_django(tmpdir):
    """Django on the benchmark's database, migrated; the seconds migrate took.
    Leaner than bench.run_all.start_django: no WeasyPrint, so the peak
    resident set is the import's, not the PDF engine's."""
    url, temporary = choose_database(tmpdir)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bromley_oip.settings"
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(Path(tmpdir) / "private-media"))

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from programmes.models import Programme

    if Path(str(settings.DATABASES["default"]["NAME"])).resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit("Refusing to benchmark on the developer's db.sqlite3")
    print("OIP Tracker benchmark: spreadsheet import and export")
    print(
        f"  {time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, Django {django.get_version()}"
    )
    where = "temporary SQLite file" if temporary else "BENCH_DATABASE_URL"
    print(f"  database: {connection.vendor} ({where}), DEBUG={settings.DEBUG}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    if Programme.objects.exists():
        sys.exit("Refusing to benchmark: the database already holds programmes (give an empty, expendable one)")
    return migrated


def action_rows(data, count, seed):
    """`count` new action-plan rows for the dataset's programme, as a council
    officer fills the template in: sections by number, recommendations as
    area.number, owners in any case, deadlines in words or as dates, about a
    third with a due date, a fifth under a project, a tenth complete."""
    from actions.models import Recommendation
    from core.models import Owner
    from programmes.models import Project

    rng = random.Random(seed)
    recommendations = {}
    for rec in Recommendation.objects.filter(area__review=data.review).select_related("area"):
        recommendations.setdefault(rec.area.number, []).append(f"{rec.area.number}.{rec.number}")
    areas = sorted(recommendations)
    owners = list(Owner.objects.values_list("name", flat=True))
    projects = list(Project.objects.filter(workstream__programme=data.programme).values_list("name", flat=True))
    today = datetime.date.today()
    for i in range(count):
        area = areas[i % len(areas)]
        section = "Further research" if i % 20 == 19 else str(area)
        linked = [] if i % 10 == 9 or section == "Further research" else rng.sample(recommendations[area], k=1 + i % 2)
        owner = rng.choice(owners)
        owner = owner.upper() if i % 7 == 0 else (f" {owner.lower()} " if i % 7 == 1 else owner)
        due = today + datetime.timedelta(days=rng.randint(-240, 300))
        if i % 3 == 0:
            deadline, due_cell = rng.choice(DEADLINES), due
        elif i % 3 == 1:
            deadline, due_cell = due.strftime("%d/%m/%Y"), None  # the date column blank: taken from the wording
        else:
            deadline, due_cell = rng.choice(DEADLINES), None
        if i % 10 == 3:
            status, rag, completed = "Complete", "Complete", today - datetime.timedelta(days=rng.randint(1, 200))
        else:
            status = rng.choice(["Not started", "In progress", "In progress", "Blocked"])
            rag, completed = rng.choice(["Red", "Amber", "Green", "Not yet rated"]), None
        yield {
            "Action": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (benchmark item {i + 1:05d})",
            "Description": (
                "Set out the options, costs and timescales for Members and staff, "
                "with the savings each would bring and the risks to delivery."
                if i % 2
                else None
            ),
            "Section": section,
            "Recommendations": ", ".join(linked),
            "Project": rng.choice(projects) if i % 5 == 4 else None,
            "Owner": owner,
            "Deadline": deadline,
            "Due date": due_cell,
            "Status": status,
            "RAG": rag,
            "Completed on": completed,
        }


def write_sheet(path, rows, kind):
    """The rows as the kind's sheet (its import headings), openpyxl write-only."""
    import openpyxl

    headings = [c.heading for c in kind.columns if c.attr or c.heading == "Ref"]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.sheet_name)
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(h) for h in headings])
    workbook.save(path)


class Upload(io.BytesIO):
    """What exchange.services.preview_upload reads from an uploaded file."""

    def __init__(self, data, name):
        super().__init__(data)
        self.name, self.size = name, len(data)


def programme_actions(programme):
    """The programme's actions as the All actions list's "Download" link
    fetches them (actions.views.action_list, filtered by programme): an
    iterator, each action with its recommendations' numbers."""
    from actions.access import ACTION_PARENTS
    from actions.imports import ACTIONS
    from actions.models import ActionItem

    queryset = ActionItem.objects.select_related(*ACTION_PARENTS, "arising").with_last_update()
    return ACTIONS.export_rows(queryset.filter(section__plan__programme=programme).order_by("pk"))


def download(client, url):
    """The bytes of a download as the browser gets them (FileResponse or streamed CSV)."""
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return b"".join(response.streaming_content) if response.streaming else response.content


def export_xlsx(programme, path):
    from actions.imports import ACTIONS
    from core.imports import export_sheet
    from core.spreadsheets import write_xlsx

    write_xlsx([export_sheet(ACTIONS, programme_actions(programme))], path)
    return path.stat().st_size


def export_csv(programme, path):
    from actions.imports import ACTIONS
    from core.imports import export_sheet
    from core.spreadsheets import csv_rows

    _, headings, rows, _ = export_sheet(ACTIONS, programme_actions(programme))
    with path.open("w", encoding="utf-8", newline="") as out:
        for line in csv_rows(headings, rows):
            out.write(line)
    return path.stat().st_size


def undo(saved_pks, run=None):
    """Remove what a commit created, so that the next pass creates it again."""
    from actions.models import ActionItem

    ActionItem.objects.filter(pk__in=saved_pks).delete()
    if run is not None:
        run.delete()


def profile_commit(kind, table, user, programme, rows, top=30):
    """The commit of the first `rows` rows under cProfile, rolled back: the
    per-row costs are the same as for all of them. Returns the report."""
    from django.db import transaction

    from core import imports
    from core.spreadsheets import Table

    part = Table(table.sheet, table.headings, table.rows[:rows])
    report = io.StringIO()
    with transaction.atomic():
        baseline = imports.plan(kind, part, user=user, target=programme).baseline()
        gc.collect()
        profiler = cProfile.Profile()
        profiler.enable()
        imports.commit(kind, part, user=user, target=programme, baseline=baseline, reason="benchmark profile")
        profiler.disable()
        transaction.set_rollback(True)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        text = out.getvalue()
        report.write(
            f"\n--- cProfile of core.imports.commit of {len(part.rows):,} rows (rolled back), top {top} by {order}\n"
        )
        report.write(text[text.index("ncalls") :] if "ncalls" in text else text)
    return report.getvalue()


def line(label, timing, rows, extra=""):
    print(
        f"{label:<36} {timing.seconds:7.2f} s (cpu {timing.cpu:6.2f} s)  {rows / timing.seconds:8,.0f} rows/s"
        f"  {timing.queries:7,} queries  peak RSS {rss_mb():4.0f} MB{extra}",
        flush=True,
    )


def run(args, tmpdir):
    tmp = Path(tmpdir)
    migrated = start_django(tmpdir)

    from actions.imports import ACTIONS
    from actions.models import ActionItem
    from bench import dataset
    from core import imports
    from core.spreadsheets import read_table
    from exchange import services

    started = time.perf_counter()
    data = dataset.build(seed=args.seed)
    generated = time.perf_counter() - started
    programme, user = data.programme, data.manager
    before = ActionItem.objects.count()
    print(f"  migrate {migrated:.1f} s, data generation {generated:.1f} s; {before} actions before the import")

    sheet_path = tmp / "actions.xlsx"
    started = time.perf_counter()
    write_sheet(sheet_path, action_rows(data, args.rows, args.seed), ACTIONS)
    file_bytes = sheet_path.read_bytes()
    print(
        f"  the file: {args.rows:,} rows, {len(file_bytes) / 1024 / 1024:.1f} MB "
        f"(written in {time.perf_counter() - started:.1f} s); peak RSS so far {rss_mb():.0f} MB"
    )
    print()
    failures = []

    def read(data):
        return read_table(data, sheet_names=[ACTIONS.sheet_name], max_rows=50_000)

    # -- preview
    timing, table = timed(lambda: read(file_bytes))
    line("read_table (.xlsx, read-only)", timing, len(table.rows))
    timing, planned = timed(lambda: imports.plan(ACTIONS, table, user=user, target=programme))
    line("plan (the preview's work)", timing, len(table.rows), f"  {planned.counts}")
    if not planned.ok or planned.count("create") != args.rows:
        for problem in planned.problems[:10]:
            print(f"  problem: {problem}")
        print(f"FAILED: the preview should create {args.rows} and has {len(planned.problems)} problems")
        return 1
    del planned
    upload = Upload(file_bytes, "actions.xlsx")
    timing, import_run = timed(
        lambda: services.preview_upload(kind=ACTIONS, target=programme, upload=upload, user=user)
    )
    line("preview_upload (read + plan + log)", timing, args.rows)

    # -- commit
    timing, import_run = timed(
        lambda: services.apply_run(run=import_run, kind=ACTIONS, user=user, sha256=import_run.sha256)
    )
    commit_timing = timing
    created = ActionItem.objects.count() - before
    line("apply_run (read + plan + commit)", timing, args.rows, f"  {timing.queries / args.rows:.1f} queries a row")
    target = COMMIT_SECONDS * args.rows / TARGET_ROWS
    ok = created == args.rows and import_run.status == "applied"
    print(
        f"  commit of {args.rows:,} rows: {timing.seconds:.2f} s (cpu {timing.cpu:.2f} s), target < {target:.1f} s: "
        f"{verdict(ok and timing.seconds < target)}"
        + ("" if ok else f" (created {created}, status {import_run.status})")
    )
    if not (ok and timing.seconds < target):
        failures.append("commit")
    saved_pks = list(ActionItem.objects.order_by("-pk").values_list("pk", flat=True)[: args.rows])

    # -- export
    exported = ActionItem.objects.filter(section__plan__programme=programme).count()
    timing, size = timed(lambda: export_xlsx(programme, tmp / "export.xlsx"))
    line(f"export .xlsx ({exported:,} rows)", timing, exported, f"  [{size / 1024 / 1024:.1f} MB]")
    xlsx_timing = timing
    csv_timing, size = timed(lambda: export_csv(programme, tmp / "export.csv"))
    line(f"export .csv ({exported:,} rows)", csv_timing, exported, f"  [{size / 1024 / 1024:.1f} MB]")
    for label, timing in (("xlsx", xlsx_timing), ("csv", csv_timing)):
        rate = exported / timing.seconds
        print(
            f"  export .{label}: {rate:,.0f} rows/s ({exported / timing.cpu:,.0f} per CPU second), "
            f"target >= {EXPORT_ROWS_PER_SECOND:,}: {verdict(rate >= EXPORT_ROWS_PER_SECOND)}"
        )
        if rate < EXPORT_ROWS_PER_SECOND:
            failures.append(f"export .{label}")

    # -- the same through the page: All actions, filtered by programme, "Download .xlsx/.csv"
    from django.test import Client, override_settings
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for fmt in ("xlsx", "csv"):
            url = f"{reverse('actions:list')}?programme={programme.pk}&download={fmt}"
            timing, body = timed(lambda url=url: download(client, url))
            line(f"GET All actions ?download={fmt}", timing, exported, f"  [{len(body) / 1024 / 1024:.1f} MB]")

    # -- round trip: the export, imported back, changes nothing
    exported_bytes = (tmp / "export.xlsx").read_bytes()
    timing, again = timed(lambda: imports.plan(ACTIONS, read(exported_bytes), user=user, target=programme))
    line("re-import of the export (preview)", timing, exported, f"  {again.counts}")
    if not again.ok or again.count("unchanged") != exported:
        print(f"  round trip: FAIL ({len(again.problems)} problems, e.g. {[str(p) for p in again.problems[:3]]})")
        failures.append("round trip")
    else:
        print(f"  round trip: PASS (all {exported:,} rows unchanged)")
    del again

    peak = rss_mb()
    print(
        f"\nPeak resident set (ru_maxrss, whole process, Django and data included): {peak:.0f} MB, "
        f"target < {PEAK_MB} MB: {verdict(peak < PEAK_MB)}"
    )
    if peak >= PEAK_MB:
        failures.append("memory")

    # -- tracemalloc: Python allocations per step (not timed: tracemalloc slows everything down)
    if not args.no_tracemalloc:
        print("\ntracemalloc peak of each step (Python allocations only; an untimed second pass):")
        mb, table = traced(lambda: read(file_bytes))
        print(f"  read_table                         {mb:6.0f} MB")
        mb, _ = traced(lambda: export_xlsx(programme, tmp / "export2.xlsx"))
        print(f"  export .xlsx                       {mb:6.0f} MB")
        mb, _ = traced(lambda: export_csv(programme, tmp / "export2.csv"))
        print(f"  export .csv                        {mb:6.0f} MB")
        exported_bytes = (tmp / "export.xlsx").read_bytes()
        mb, _ = traced(lambda: imports.plan(ACTIONS, read(exported_bytes), user=user, target=programme))
        print(f"  re-import of the export (preview)  {mb:6.0f} MB")
        undo(saved_pks, import_run)
        saved_pks, import_run = [], None
        mb, planned = traced(lambda: imports.plan(ACTIONS, table, user=user, target=programme))
        print(f"  plan (the preview)                 {mb:6.0f} MB")
        if args.trace_commit:
            baseline = planned.baseline()
            del planned
            mb, _ = traced(
                lambda: imports.commit(ACTIONS, table, user=user, target=programme, baseline=baseline, reason="traced")
            )
            print(f"  commit (plan + save)               {mb:6.0f} MB")
            saved_pks = list(ActionItem.objects.order_by("-pk").values_list("pk", flat=True)[: args.rows])
        print(f"  peak RSS after this pass           {rss_mb():6.0f} MB (tracemalloc's own bookkeeping included)")

    # -- cProfile of the commit of part of the rows (rolled back)
    report = ""
    if "commit" in failures and args.profile:
        undo(saved_pks, import_run)
        report = profile_commit(ACTIONS, table, user, programme, args.profile)

    if report:
        print(report)
    if "commit" in failures:
        print(
            f"The commit took {commit_timing.seconds / args.rows * 1000:.1f} ms a row "
            f"({commit_timing.cpu / args.rows * 1000:.1f} ms CPU), "
            f"{commit_timing.queries / args.rows:.1f} queries a row."
        )
    print("\n" + ("FAILED: " + ", ".join(failures) if failures else "All targets met."))
    return 1 if failures else 0


def main(argv=None):
    args = parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="oip-bench-imports-")
    try:
        return run(args, tmpdir)
    finally:
        if args.keep:
            print(f"\nKept {tmpdir} (actions.xlsx, export.xlsx, export.csv, bench.sqlite3)")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
