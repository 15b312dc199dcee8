"""Logins, sessions and what signed-in pages send: throttling, idle expiry,
password changes, caching, the health check and error logs."""

import io
import json
import logging
import logging.config

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import path
from django.utils import timezone

from core.middleware import SESSION_REFRESHED_KEY

PASSWORD = "correct horse battery staple"


def log_in(client, username, password, address="192.0.2.10"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


# Login throttling


def test_wrong_passwords_lock_the_login_and_the_page_says_so(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "alice", "wrong")
        assert response.status_code == 200
        assert "username and password didn" in response.content.decode()
    response = log_in(client, "alice", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Login locked" in page
    assert f"{settings.AXES_FAILURE_LIMIT} wrong passwords in a row for <strong>alice</strong>" in page
    assert "You can try again in 30 minutes" in page
    assert "ask an OIP Tracker administrator to unlock" in page

    # The right password no longer gets in from that address.
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, officer, colleague, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    # Alice from her own desk, and Bob from the attacker's address, still log in.
    assert log_in(client, "alice", PASSWORD, address="198.51.100.7").status_code == 302
    client.logout()
    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_failure_limit_and_lockout_period_come_from_settings(client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timezone.timedelta(hours=2)
    log_in(client, "alice", "wrong")
    response = log_in(client, "alice", "wrong")
    assert response.status_code == 429
    assert "You can try again in 2 hours" in response.content.decode()


def test_lockout_ends_after_the_cool_off_period(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "alice", "wrong")
    assert log_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "alice", "wrong").status_code == 200  # counting starts again


def test_administrator_unlocks_a_login_in_admin(client, officer, administrator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "alice", "wrong")
    attempt = AccessAttempt.objects.get(username="alice")

    admin = type(client)()
    admin.force_login(administrator)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "alice" in listing.content.decode()
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_officer_cannot_see_or_clear_login_attempts(client, officer, colleague, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bob", "wrong")
    client.force_login(officer)
    response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 302  # to the admin login: officers are not staff
    assert AccessAttempt.objects.filter(username="bob").exists()


def test_authenticating_without_a_request_is_refused(officer):
    """Scripts must pass the request, so no path skips the throttle."""
    from axes.exceptions import AxesBackendRequestParameterRequired

    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="alice", password=PASSWORD)
    assert authenticate(RequestFactory().post("/login/"), username="alice", password=PASSWORD) == officer


# Sessions


def test_session_lasts_a_working_day_of_inactivity_by_default(client, officer):
    assert django_settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert log_in(client, "alice", PASSWORD).status_code == 302
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 60 * 60


def test_activity_pushes_the_idle_expiry_forward(client, officer):
    client.force_login(officer)
    session = Session.objects.get()
    # The session was last refreshed an hour ago and expires in seven hours.
    data = session.get_decoded()
    data[SESSION_REFRESHED_KEY] -= 3600
    Session.objects.filter(pk=session.pk).update(
        session_data=Session.objects.encode(data), expire_date=timezone.now() + timezone.timedelta(hours=7)
    )
    assert client.get("/").status_code == 200
    expires_in = Session.objects.get().expire_date - timezone.now()
    assert expires_in > timezone.timedelta(hours=7, minutes=59)


def test_recent_activity_does_not_rewrite_the_session(client, officer):
    client.force_login(officer)
    before = Session.objects.get().expire_date
    client.get("/")
    assert Session.objects.get().expire_date == before


def test_idle_session_is_sent_back_to_login(client, officer):
    client.force_login(officer)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(minutes=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_sessions_can_end_when_the_browser_closes(client, officer, settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    log_in(client, "alice", PASSWORD)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_signed_in_pages_are_never_cached(client, officer):
    client.force_login(officer)
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# Changing a password


@pytest.mark.parametrize("who", ["officer", "clerk", "outsider", "manager"])
def test_every_user_can_change_their_password(client, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get("/")
    assert 'href="/password/"' in page.content.decode()
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Bromley civic centre 2010",
            "new_password2": "Bromley civic centre 2010",
        },
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("Your password has been changed") == 1
    user.refresh_from_db()
    assert user.check_password("Bromley civic centre 2010")
    # Still logged in on this browser after the change.
    assert client.get("/").status_code == 200


def test_weak_or_wrong_passwords_are_refused_with_a_message(client, officer):
    client.force_login(officer)
    response = client.post(
        "/password/", {"old_password": "nope", "new_password1": "12345678", "new_password2": "12345678"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in page
    assert "This password is too common" in page
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_password_change_needs_a_login(client):
    response = client.get("/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# Health check


def test_health_check_answers_without_login_and_says_nothing_else(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


def test_health_check_is_503_when_the_database_does_not_answer(client, db, monkeypatch, caplog):
    monkeypatch.setattr("core.views.connection", UnreachableDatabase())
    with caplog.at_level(logging.ERROR, logger="core.views"):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "Connection refused" not in response.content.decode()
    assert "Health check failed" in caplog.text


# Error logs


def _boom(request):
    raise RuntimeError("the pack could not be built")


urlpatterns = [path("boom/", _boom)]


@pytest.fixture
def json_log():
    """The production logging configuration, writing to a buffer instead of stderr."""
    buffer = io.StringIO()
    config = {**django_settings.LOGGING, "handlers": {**django_settings.LOGGING["handlers"]}}
    config["handlers"]["stderr"] = {**config["handlers"]["stderr"], "stream": buffer, "formatter": "json"}
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(django_settings.LOGGING)


def test_server_errors_are_logged_as_json_with_path_and_user(client, officer, settings, json_log):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(officer)
    response = client.get("/boom/?q=1")
    assert response.status_code == 500
    records = [json.loads(line) for line in json_log.getvalue().splitlines()]
    error = next(r for r in records if r["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["path"] == "/boom/"
    assert error["method"] == "GET"
    assert error["user_id"] == officer.pk
    assert error["status_code"] == 500
    assert "the pack could not be built" in error["exc_info"]
    assert "alice" not in json.dumps(error)  # ids only: no names or addresses in logs


def test_not_found_pages_are_not_logged_as_errors(client, officer, json_log):
    client.force_login(officer)
    assert client.get("/programmes/no-such-programme/").status_code == 404
    assert json_log.getvalue() == ""
