"""Benchmark: the PDF of the largest highlight report the text limits allow.

Builds a throwaway database as bench/run_all.py does (a temporary SQLite file
unless BENCH_DATABASE_URL says otherwise) and in it, for each shape of text
below, a programme of 60 projects whose every project update, and so every
report row, is at the limits for each column: key progress, risks and issues
and tasks planned each NARRATIVE_LIMIT characters in at most REPORT_LINES
lines (programmes/models.py), project and workstream names at their maximum
length, and the report's management summary and overall RAG reason at
theirs. The updates are recorded and the report drafted and published
through programmes.services, so every value has passed the models'
validation. Then it times the report's PDF through django.test.Client as the
programme's manager, and does the same for a one-project report (what one
worst-case row costs). Shapes:

- prose: lines of words, each just longer than the narrowest column holds,
  so each prints as two lines (the tallest that ordinary words can print),
  in 8 workstreams;
- wide: words of ten capital Ws (the widest letter), the tallest text that
  still breaks at spaces; the row-height estimate
  (HighlightReportRow.taller_than_a_page) counts them at ordinary widths,
  so WeasyPrint first tries to keep each row on one page;
- unbroken: one-letter lines, then one unbroken run of Ws, which WeasyPrint
  breaks letter by letter: the slowest.

In the last two the names are unbroken runs of Ws too, and each project has
a workstream of its own, so every row carries a heading that must print on
the same page as it: the hardest layout.

Prints the median, min and max of --runs timed requests after one untimed
warm-up, the PDF's pages and size. Exits 1 if a PDF fails or a median is
over BUDGET_SECONDS.

    .venv/bin/python bench/largest_report_pdf.py            # about 2 minutes on 2 cores
    .venv/bin/python bench/largest_report_pdf.py --runs 1   # under a minute
"""

import argparse
import datetime
import itertools
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run_all import Target, line, measure, start_django

# gunicorn's default worker timeout, and a common proxy timeout: a PDF that
# takes longer is a 500 for whoever asked. (bromley_oip/gunicorn_config.py
# allows 120 s; the budget is for the stricter deployments too.)
BUDGET_SECONDS = 30.0
PROJECTS = 60  # as in bench/dataset.py: a large programme
WORKSTREAMS = 8
SHAPES = ("prose", "wide", "unbroken")
TEXT = (
    "Agreed the business case with the Programme Board; consulted partners on the storage reduction plan, "
    "revised the procurement strategy after the member briefing and signed off the options appraisal."
)


def prose(limit, lines, line_length):
    """Lines of words, `limit` characters in all (a line break counts one), at
    most `lines` of them, each a little longer than `line_length` so that it
    prints as two lines."""
    words = itertools.cycle(TEXT.split())
    lines = min(lines, (limit + 1) // (line_length + 2))
    per_line, extra = divmod(limit - (lines - 1), lines)
    out = []
    for index in range(lines):
        wanted = per_line + (1 if index < extra else 0)
        text = ""
        while len(text) < wanted:
            text = f"{text} {next(words)}" if text else next(words)
        out.append(text[:wanted].rstrip().ljust(wanted, "."))
    return "\n".join(out)


def unbroken(limit, lines):
    """One-letter lines, then one run of Ws without a space to the limit."""
    head = "W\n" * (lines - 1)
    return head + "W" * (limit - len(head))


def wide(limit):
    return ("W" * 10 + " ") * (limit // 11) + "W" * (limit % 11)


def name(shape, max_length, prefix):
    """A name at its maximum length that is unique under its parent."""
    if shape in ("wide", "unbroken"):
        return prefix.replace(" ", "").ljust(max_length, "W")
    words = " ".join(itertools.islice(itertools.cycle(TEXT.split()), max_length))
    return f"{prefix} {words}"[:max_length].rstrip().ljust(max_length, ".")


def text_for(field, shape):
    lines = field.max_lines
    if shape == "wide":
        return wide(field.max_length)
    if shape == "unbroken":
        return unbroken(field.max_length, lines)
    from programmes.models import HighlightReportRow

    narrowest = min(HighlightReportRow.PRINTED_LINE_LENGTHS.values())
    return prose(field.max_length, lines, narrowest)


def describe():
    from programmes.models import NARRATIVE_LIMIT, REPORT_LINES

    return (
        f"{PROJECTS} projects, each narrative {NARRATIVE_LIMIT:,} characters in {REPORT_LINES} lines, "
        "names and header text at their limits"
    )


def build(*, manager, shapes=SHAPES, one_row=True):
    """Programmes with the largest report allowed, published; returns {label: report}."""
    from django.db import transaction
    from django.utils import timezone

    from core.models import RAG
    from programmes.models import HighlightReport, Programme, Project, ProjectUpdate, Workstream
    from programmes.services import draft_highlight_report, publish_highlight_report, record_project_update

    field = {model: {f.name: f for f in model._meta.get_fields()} for model in (Programme, HighlightReport)}
    narratives = {name: ProjectUpdate._meta.get_field(name) for name in ("key_progress", "risks_issues", "next_tasks")}
    today = timezone.localdate()
    period_end = today.replace(day=1) - datetime.timedelta(days=1)
    period_start = period_end.replace(day=1)
    reports = {}
    with transaction.atomic():
        for shape, projects in itertools.product(shapes, [PROJECTS, 1] if one_row else [PROJECTS]):
            label = f"{shape}, {projects} project{'s' if projects > 1 else ''}"
            ref = f"largest-{shape}-{projects}"
            summary = field[Programme]["management_summary"]
            programme = Programme(
                name=f"Largest report ({label})",
                ref=ref,
                management_summary=text_for(summary, shape),
                report_authors=name(shape, field[Programme]["report_authors"].max_length, "Authors"),
                sponsor=name(shape, field[Programme]["sponsor"].max_length, "Sponsor"),
            )
            programme.full_clean()
            programme.save()
            programme.managers.add(manager)
            manager = type(manager).objects.get(pk=manager.pk)  # forget the programmes it managed before
            workstreams = []
            for index in range(min(WORKSTREAMS if shape == "prose" else projects, projects)):
                workstream = Workstream(
                    programme=programme,
                    name=name(shape, Workstream._meta.get_field("name").max_length, f"Workstream {index + 1}"),
                    ref=f"{ref}-ws-{index + 1}",
                    position=index + 1,
                )
                workstream.full_clean()
                workstream.save()
                workstreams.append(workstream)
            for index in range(projects):
                project = Project(
                    workstream=workstreams[index % len(workstreams)],
                    name=name(shape, Project._meta.get_field("name").max_length, f"Project {index + 1}"),
                    ref=f"{ref}-project-{index + 1}",
                    position=index + 1,
                    rag=RAG.AMBER,
                )
                project.full_clean()
                project.save()
                record_project_update(
                    project=project,
                    user=manager,
                    expected_version=project.version,
                    rag=[RAG.RED, RAG.AMBER, RAG.GREEN][index % 3],
                    period_start=period_start,
                    period_end=period_end,
                    **{name_: text_for(f, shape) for name_, f in narratives.items()},
                )
            report = draft_highlight_report(
                programme=programme, period_start=period_start, period_end=period_end, user=manager
            )
            # An overall RAG better than the worst row, so the reason is printed too.
            report.overall_rag = RAG.GREEN
            report.overall_rag_reason = text_for(field[HighlightReport]["overall_rag_reason"], shape)
            report.full_clean()
            report.save()
            reports[label] = publish_highlight_report(report=report, user=manager)
    return reports


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed requests per PDF after one warm-up (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite database and say where it is")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    tmpdir = tempfile.mkdtemp(prefix="oip-bench-largest-")
    try:
        return run(args, tmpdir)
    finally:
        if args.keep:
            print(f"\nKept {tmpdir}")
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)


def run(args, tmpdir):
    overrides, migrated = start_django(tmpdir, "OIP Tracker benchmark: the largest highlight report PDF", args.runs)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import reset_queries
    from django.test import Client
    from django.urls import reverse

    from core import roles

    manager = get_user_model().objects.create_user("bench-manager", password=None)
    manager.groups.add(Group.objects.get(name=roles.PROGRAMME_MANAGER))
    reports = build(manager=manager)
    reset_queries()  # DEBUG keeps the last 9,000 queries, and the per-request counts need room
    print(f"  migrate {migrated:.1f} s; {describe()}; budget {BUDGET_SECONDS:.0f} s a PDF")
    print()
    client = Client()
    client.force_login(manager)
    targets = [
        Target(label, reverse("programmes:report_pdf", args=[report.pk]), client, pdf=True)
        for label, report in reports.items()
    ]
    for target in targets:
        measure(target, args.runs)
        print(line(target), flush=True)
    overrides.disable()

    failed = [target.label for target in targets if target.failure]
    slow = [t.label for t in targets if not t.failure and statistics.median(t.times) > BUDGET_SECONDS]
    if failed:
        print(f"\nFAILED: {', '.join(failed)}")
    if slow:
        print(f"\nOVER BUDGET ({BUDGET_SECONDS:.0f} s): {', '.join(slow)}")
    return 1 if failed or slow else 0


if __name__ == "__main__":
    sys.exit(main())
