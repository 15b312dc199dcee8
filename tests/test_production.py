"""The documented production route works: the README's production
environment passes Django's deployment checks, and gunicorn serves the app
with DEBUG off (static files collected, HTTPS behind a proxy, health check).

Everything runs in subprocesses with their own environment and a scratch
SQLite database, so these tests behave the same in both passes of make test.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.single_pass  # its own SQLite file and gunicorn: the same in either pass

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "oip.bromley.gov.uk"


def documented_production_env():
    """The KEY=value lines between the production-env markers of the README."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- production-env:start -->(.*?)<!-- production-env:end -->", readme, re.S).group(1)
    lines = [line.strip() for line in block.splitlines() if "=" in line and not line.startswith("```")]
    return dict(line.split("=", 1) for line in lines)


def clean_env(**overrides):
    """This process's environment without anything that would change the settings under test."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBUG", "SECRET"))}
    return {**keep, **overrides}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The README's production environment with a random key and a scratch
    database, with static files collected and migrations applied."""
    tmp = tmp_path_factory.mktemp("production")
    env = clean_env(
        **{
            **documented_production_env(),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{tmp / 'oip.sqlite3'}",
            "STATIC_ROOT": str(tmp / "static"),
        }
    )
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([*MANAGE, *command], env=env, check=True, cwd=ROOT, capture_output=True, timeout=300)
    return env


def manage(env, *args):
    return subprocess.run([*MANAGE, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_documented_production_environment_passes_the_deployment_checks(production):
    assert production["DEBUG"] == "false"
    result = manage(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deployment_check_fails_when_static_files_were_not_collected(production, tmp_path):
    result = manage({**production, "STATIC_ROOT": str(tmp_path)}, "check", "--deploy")
    assert result.returncode != 0
    assert "oip.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_production_needs_allowed_hosts(production):
    result = manage({**production, "ALLOWED_HOSTS": ""}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_no_test_host_is_allowed_outside_tests(production):
    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    development = clean_env(DJANGO_SETTINGS_MODULE="bromley_oip.settings")
    for env in (production, development):
        result = manage(env, "shell", "-c", code)
        assert result.returncode == 0, result.stderr
        assert "testserver" not in result.stdout
    assert "localhost" in manage(development, "shell", "-c", code).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(production):
    port = free_port()
    env = {**production, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    server = subprocess.Popen(
        [GUNICORN, "--config", "bromley_oip/gunicorn_config.py", "bromley_oip.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz/").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz/ within 30 s")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


HTTPS = {"X-Forwarded-Proto": "https"}


def test_gunicorn_serves_the_login_page_over_https_with_its_static_files(gunicorn):
    response = get(gunicorn, "/login/", HTTPS)
    assert response.status == 200
    page = response.body.decode()
    assert "Log in to OIP Tracker" in page
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]+\.css)"', page).group(1)
    css = get(gunicorn, stylesheet, HTTPS)
    assert css.status == 200
    assert css.getheader("Content-Type").startswith("text/css")
    assert "max-age=315360000" in css.getheader("Cache-Control")


def test_gunicorn_redirects_plain_http_to_https_but_not_the_health_check(gunicorn):
    response = get(gunicorn, "/login/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/login/"
    assert get(gunicorn, "/healthz/").status == 200


def test_gunicorn_signed_in_pages_need_a_login(gunicorn):
    response = get(gunicorn, "/programmes/", HTTPS)
    assert response.status == 302
    assert response.getheader("Location").startswith("/login/")


def test_gunicorn_refuses_unknown_hosts(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=10)
    connection.request("GET", "/login/", headers={"Host": "evil.example.com", **HTTPS})
    assert connection.getresponse().status == 400
    connection.close()
