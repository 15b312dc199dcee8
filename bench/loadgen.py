"""Officers saving the action update form at the same time, against real servers.

Standard library only, so it measures the servers and not a client library.
Each writer is one person with their own cookies: it logs in through the login
page, then, until its time or its number of saves runs out, opens an action's
"Record an update" form (which carries the action's version and a CSRF token),
posts a progress note, and reads the answer the way a person would:

- a redirect means the update was saved (accepted);
- the form again with "… saved this while you were editing it" means someone
  else saved first and nothing was written (conflict); the person checks their
  note and saves again from that page, which carries the new version;
- anything else (a 500, a 403, the form back without that message, a dropped
  connection) is an error.

Every note is unique, so `check` can prove afterwards, from the database,
that every accepted update is there exactly once, no refused one is, and each
action's versions went up one accepted save at a time.

Writers are threads: the servers under test are separate processes (gunicorn
workers), which is where the concurrency that matters happens. Only
127.0.0.1/localhost are accepted as targets.

The gunicorn helpers start the project's WSGI application in its own
process group and always stop it; `django_command` runs bench/scenario.py (the
Django side: set up the people and actions, read the results back) with the
environment given, so the caller decides which database everything uses.
"""

import contextlib
import html
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONFLICT_TEXT = "saved this while you were editing it"  # core.forms.add_conflict_error
LOCAL_HOSTS = ("127.0.0.1", "localhost")
RATINGS = ("red", "amber", "green")

ACCEPTED, CONFLICT, ERROR = "accepted", "conflict", "error"


class FormParser(HTMLParser):
    """Every <form>'s fields as a browser would submit them (the text of
    textareas, the selected option of selects)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._form[self._textarea] = ""
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
        elif tag == "option" and self._select and ("selected" in attrs or self._select not in self._form):
            self._form[self._select] = attrs.get("value") or ""  # the first option unless one is selected

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data


def form_with(page, field_name):
    """The fields of the page's form that has `field_name` (the navigation bar
    has a log-out form too), or None."""
    parser = FormParser()
    parser.feed(page)
    return next((form for form in parser.forms if field_name in form), None)


def page_title(page):
    """What a page says it is; for DEBUG's error page, the exception too."""
    match = re.search(r"<title>(.*?)</title>", page, re.S)
    title = " ".join(html.unescape(match.group(1)).split()) if match else page[:120].strip()
    exception = re.search(r'<pre class="exception_value">(.*?)</pre>', page, re.S)
    return f"{title}: {' '.join(html.unescape(exception.group(1)).split())}" if exception else title


class Browser:
    """One person's browser: their own cookies; redirects are not followed,
    because a redirect is the answer being measured."""

    def __init__(self, base_url, timeout=60):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname not in LOCAL_HOSTS:
            raise ValueError(f"refusing to load-test {base_url}: only http://127.0.0.1 is allowed")
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies = {}
        self.requests = 0

    def request(self, method, path, fields=None):
        """(status, Location header, body text)."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.requests += 1
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.getheader("Location", ""), text

    def log_in(self, username, password):
        status, _, page = self.request("GET", "/login/")
        form = form_with(page, "username") if status == 200 else None
        if form is None:
            raise RuntimeError(f"login page answered {status}: {page_title(page)}")
        status, _, page = self.request("POST", "/login/", {**form, "username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"logging in {username} answered {status}: {page_title(page)}")


@dataclass
class Outcome:
    """One attempt to save an update (or to open the form for one)."""

    writer: int
    action: str
    kind: str
    note: str = ""
    version: int | None = None  # the version the form was opened at
    rag: str = ""
    status: int | None = None
    detail: str = ""


@dataclass
class Result:
    outcomes: list = field(default_factory=list)
    seconds: float = 0.0  # the writing phase, after everyone has logged in
    login_seconds: float = 0.0
    requests: int = 0  # every HTTP request of the writing phase, GETs included
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def of_kind(self, kind):
        return [outcome for outcome in self.outcomes if outcome.kind == kind]

    @property
    def posts(self):
        return [outcome for outcome in self.outcomes if outcome.note]

    def counts(self):
        counts = Counter(outcome.kind for outcome in self.outcomes)
        return {kind: counts.get(kind, 0) for kind in (ACCEPTED, CONFLICT, ERROR)}

    def error_summary(self, limit=5):
        grouped = Counter(f"{outcome.status or '-'} {outcome.detail}" for outcome in self.of_kind(ERROR))
        return [f"{count} x {what}" for what, count in grouped.most_common(limit)]

    def line(self):
        counts = self.counts()
        errors = f"error {counts[ERROR]}"
        if counts[ERROR]:
            errors += f" ({100 * counts[ERROR] / len(self.outcomes):.1f}%)"
        seconds = self.seconds or 1
        return (
            f"{len(self.posts)} saves in {self.seconds:.1f} s: accepted {counts[ACCEPTED]}, "
            f"conflict {counts[CONFLICT]}, {errors}; "
            f"{len(self.posts) / seconds:.1f} saves/s, {self.requests / seconds:.1f} requests/s"
        )


def update_path(ref):
    return f"/actions/{ref}/update/"  # actions:update


def classify(status, page):
    if status == 302:
        return ACCEPTED, ""
    if status == 200 and CONFLICT_TEXT in page:
        return CONFLICT, ""
    if status == 200:
        return ERROR, "the form came back without the conflict message: " + form_errors(page)
    return ERROR, page_title(page)


def form_errors(page):
    items = re.findall(r"<li>(.*?)</li>", page.split('id="error-summary"', 1)[-1].split("</div>", 1)[0], re.S)
    return "; ".join(" ".join(html.unescape(re.sub("<[^>]+>", "", item)).split()) for item in items) or "no errors"


def write(writer, browser, plan, deadline, max_saves, result, rng):
    """One person's session: save updates to the actions of `plan` in turn
    until the deadline or `max_saves` attempts. After a conflict they save
    once more from the page they were given (the re-armed form, at the new
    version), as the message asks, then move on to their next action."""
    attempts, saves, turn, rearmed = 0, 0, 0, None
    while attempts < max_saves and time.monotonic() < deadline:
        attempts += 1
        ref = plan[turn % len(plan)]
        path = update_path(ref)
        outcome = Outcome(writer=writer, action=ref, kind=ERROR)
        try:
            form = rearmed
            if form is None:
                status, _, page = browser.request("GET", path)
                form = form_with(page, "version") if status == 200 else None
                if form is None:
                    outcome.status, outcome.detail = status, "opening the form: " + page_title(page)
                    continue
            saves += 1
            outcome.note = f"Load test: writer {writer}, save {saves}, {rng.getrandbits(48):012x}."
            outcome.version = int(form["version"])
            outcome.rag = rng.choice(RATINGS)
            fields = {**form, "note": outcome.note, "rag": outcome.rag, "status": "in_progress"}
            outcome.status, _, page = browser.request("POST", path, fields)
            outcome.kind, outcome.detail = classify(outcome.status, page)
        except Exception as error:  # a dropped connection, a page that is not the form: an error, counted
            outcome.detail = f"{type(error).__name__}: {error}"
        finally:
            with result.lock:
                result.outcomes.append(outcome)
        if outcome.kind == CONFLICT and rearmed is None:
            rearmed = form_with(page, "version")  # save once more from the page the conflict gave
        else:
            rearmed = None
            turn += 1


def run_writers(servers, accounts, plans, *, seconds, max_saves, seed=2010):
    """Log everyone in (untimed), then let them all write at once for at most
    `seconds` and `max_saves` saves each. Writer i uses accounts[i], plans[i]
    (a list of action refs it cycles through) and servers[i % len(servers)]."""
    result = Result()
    browsers = [Browser(servers[i % len(servers)]) for i in range(len(plans))]
    failures = []

    def log_in(i):
        try:
            browsers[i].log_in(*accounts[i])
        except Exception as error:  # reported below, with the others
            failures.append(f"writer {i}: {error}")

    started = time.monotonic()
    run_threads(log_in, len(browsers))
    result.login_seconds = time.monotonic() - started
    if failures:
        raise RuntimeError("could not log in: " + "; ".join(failures[:3]))
    before = sum(browser.requests for browser in browsers)

    started = time.monotonic()
    deadline = started + seconds
    run_threads(
        lambda i: write(i, browsers[i], plans[i], deadline, max_saves, result, random.Random(f"{seed}-{i}")),
        len(browsers),
    )
    result.seconds = time.monotonic() - started
    result.requests = sum(browser.requests for browser in browsers) - before
    return result


def run_threads(target, count):
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def check(result, initial, final):
    """What the database says against what the servers answered; a list of
    problems, empty when no write was lost or let through.

    `initial` and `final` are bench/scenario.py's `state` output: per action
    its version, RAG and progress notes.
    """
    problems = []
    saved = Counter(note for state in final.values() for note in state["notes"])
    before = Counter(note for state in initial.values() for note in state["notes"])
    sent = {outcome.note for outcome in result.posts}
    for outcome in result.posts:
        times = saved[outcome.note] - before[outcome.note]
        if outcome.kind == ACCEPTED and times != 1:
            problems.append(f"accepted update saved {times} times: {outcome.note}")
        elif outcome.kind != ACCEPTED and times:
            problems.append(f"{outcome.kind} update was saved anyway: {outcome.note}")
    unknown = [note for note in saved if note not in sent and not before[note]]
    if unknown:
        problems.append(f"{len(unknown)} updates nobody sent, e.g. {unknown[0]}")
    for ref, state in final.items():
        accepted = sorted((o for o in result.of_kind(ACCEPTED) if o.action == ref), key=lambda o: o.version)
        start = initial[ref]["version"]
        versions = [outcome.version for outcome in accepted]
        # Each accepted save was made from the version the one before it produced.
        if versions != list(range(start, start + len(accepted))):
            problems.append(f"{ref}: accepted saves were made from versions {versions}, not {start} upwards")
        if state["version"] != start + len(accepted):
            problems.append(f"{ref}: version {state['version']} after {len(accepted)} accepted saves from {start}")
        expected_rag = accepted[-1].rag if accepted else initial[ref]["rag"]
        if state["rag"] != expected_rag:
            problems.append(f"{ref}: RAG {state['rag']}, but the last accepted save set {expected_rag}")
    return problems


# --- The servers and the Django side ---------------------------------------


def project_env(database_url, settings_module="bromley_oip.settings", pythonpath=()):
    """The environment for every process of a run: this database and nothing
    else from the caller's DATABASE_URL (the second pass of `make test` sets
    one to PostgreSQL)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=settings_module,
        DEBUG="true",
        PYTHONPATH=os.pathsep.join([*map(str, pythonpath), str(ROOT)]),
        LOG_LEVEL="WARNING",
    )
    env.pop("SECRET_KEY", None)  # DEBUG's development key
    return env


def django_command(env, *args, timeout=120):
    """Run bench/scenario.py with `env`; its JSON answer."""
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scenario.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode:
        raise RuntimeError(f"scenario.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, *, workers, log_path, port=None, ready_timeout=60):
    """A gunicorn server of `workers` sync worker processes on 127.0.0.1,
    stopped (with its workers) on the way out; yields its base URL."""
    port = port or free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "bromley_oip.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync",
        "--no-control-socket",  # one shared path per user otherwise: two servers would fight over it
    ]
    with open(log_path, "ab") as log:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, url, log_path, ready_timeout)
        yield url
    finally:
        stop(server)


def wait_until_serving(server, url, log_path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{tail(log_path)}")
        try:
            if Browser(url, timeout=5).request("GET", "/login/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{tail(log_path)}")


def stop(server):
    if server.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def plans_for(actions, writers):
    """Who writes to what: every writer alternates between the action everyone
    updates (actions[0]) and one shared with one other writer, so saves race
    on the same action and, at the same time, on different ones."""
    shared, others = actions[0], actions[1:]
    return [[shared, others[(i // 2) % len(others)]] for i in range(writers)]
