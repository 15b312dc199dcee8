"""No write is lost on SQLite when several server processes save at once.

SQLite's default (deferred) transactions read first and take the write lock
only when they write, so two workers saving updates at the same moment can
deadlock, and one of them gets "database is locked" (a 500) at once. The
settings make SQLite transactions take the write lock up front and wait for
it. This test runs the README's default set-up for real: a file database and
a gunicorn server whose worker processes (not threads in this process) take
saves from ten officers at once, all on one action and, in pairs, on others.

Everything touches the database through the subprocesses, on a SQLite file of
its own, whatever DATABASE_URL the suite itself runs on (the second pass of
`make test` uses PostgreSQL).
"""

import pytest

from bench import loadgen

pytestmark = pytest.mark.single_pass  # its own SQLite file: the same in either pass

WRITERS = 10
WORKERS = 3
SECONDS = 5
MAX_SAVES = 60  # per writer; the time runs out first on this machine


def test_concurrent_updates_on_sqlite_file_lose_nothing_and_fail_nothing(tmp_path):
    env = loadgen.project_env(f"sqlite:///{tmp_path / 'oip.sqlite3'}", settings_module="tests.concurrency_settings")
    scenario = loadgen.django_command(env, "setup", "--writers", str(WRITERS))
    log = tmp_path / "gunicorn.log"
    with loadgen.gunicorn(env, workers=WORKERS, log_path=log) as url:
        result = loadgen.run_writers(
            [url],
            scenario["accounts"],
            loadgen.plans_for(scenario["actions"], WRITERS),
            seconds=SECONDS,
            max_saves=MAX_SAVES,
        )
    final = loadgen.django_command(env, "state")

    errors = result.of_kind(loadgen.ERROR)
    assert not errors, f"{result.line()}\n{result.error_summary()}\n{loadgen.tail(log)}"
    # Every save was answered as saved or with the conflict message, and both
    # happened: saves really raced on one action, and went through on others.
    accepted = {outcome.action for outcome in result.of_kind(loadgen.ACCEPTED)}
    assert len(accepted) > 1, result.line()
    assert "load-shared" in accepted, result.line()
    assert result.of_kind(loadgen.CONFLICT), result.line()
    assert all(outcome.kind in (loadgen.ACCEPTED, loadgen.CONFLICT) for outcome in result.posts)
    # The database agrees: every accepted note there once, no refused one,
    # and each action's version and RAG are those of its last accepted save.
    assert loadgen.check(result, scenario["state"], final) == []
