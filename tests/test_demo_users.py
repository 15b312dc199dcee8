import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from core import roles
from core.models import Owner
from tests import factories


def login_request():
    # Logins are throttled per username and address, so authenticating needs the request.
    return RequestFactory().post("/login/")


@pytest.fixture(autouse=True)
def password_file(settings, tmp_path):
    # Never the real .demo-password at the repository root.
    settings.DEMO_PASSWORD_FILE = tmp_path / ".demo-password"
    return settings.DEMO_PASSWORD_FILE


def printed_password(out, username="demo-officer"):
    line = next(li for li in out.splitlines() if username in li)
    return line.split("password:")[1].split()[0]


@pytest.fixture
def fixture_owners(db):
    factories.make_owner("OIP Team")
    factories.make_owner("AD OIP")
    factories.make_owner("Kerry Nicholls", kind=Owner.Kind.PERSON)
    return factories.make_programme(ref="oip")


def test_demo_users_are_created_per_role_and_linked_to_owners(fixture_owners, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2010")
    call_command("create_demo_users")
    out = capsys.readouterr().out
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    for username, role in [
        ("demo-officer", roles.OFFICER),
        ("demo-manager", roles.PROGRAMME_MANAGER),
        ("demo-clerk", roles.COMMITTEE_CLERK),
        ("demo-admin", roles.ADMINISTRATOR),
    ]:
        assert [g.name for g in users[username].groups.all()] == [role]
        assert users[username].email == f"{username}@example.org"
        assert "(demo)" in users[username].last_name
        assert f"{username:<14} password: demo-pass-2010" in out
        assert authenticate(login_request(), username=username, password="demo-pass-2010")
    assert users["demo-officer"] in Owner.objects.get(name="OIP Team").members.all()
    assert Owner.objects.get(name="Kerry Nicholls").user == users["demo-clerk"]
    assert fixture_owners.managers.filter(username="demo-manager").exists()
    assert users["demo-admin"].is_staff


def test_demo_users_can_be_created_twice(fixture_owners, capsys):
    call_command("create_demo_users")
    call_command("create_demo_users")
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 4
    assert Owner.objects.get(name="OIP Team").members.count() == 1


def test_generated_password_is_printed_and_works(fixture_owners, monkeypatch, capsys):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("create_demo_users")
    password = printed_password(capsys.readouterr().out)
    assert authenticate(login_request(), username="demo-officer", password=password)


def test_generated_password_is_kept_and_reused_on_later_runs(fixture_owners, monkeypatch, capsys, password_file):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("create_demo_users")
    first = capsys.readouterr().out
    password = printed_password(first)
    assert f"password kept in {password_file}" in first
    assert password_file.read_text().strip() == password
    assert password_file.stat().st_mode & 0o777 == 0o600

    call_command("create_demo_users")
    assert printed_password(capsys.readouterr().out) == password
    assert authenticate(login_request(), username="demo-manager", password=password)


def test_demo_password_overrides_the_kept_one_without_replacing_it(fixture_owners, monkeypatch, capsys, password_file):
    password_file.write_text("kept-demo-pass-2010\n")
    monkeypatch.setenv("DEMO_PASSWORD", "chosen-demo-pass-2010")
    call_command("create_demo_users")
    out = capsys.readouterr().out
    assert printed_password(out) == "chosen-demo-pass-2010"
    assert "password from DEMO_PASSWORD" in out
    assert authenticate(login_request(), username="demo-clerk", password="chosen-demo-pass-2010")
    assert password_file.read_text() == "kept-demo-pass-2010\n"

    monkeypatch.delenv("DEMO_PASSWORD")
    call_command("create_demo_users")
    assert printed_password(capsys.readouterr().out) == "kept-demo-pass-2010"
    assert authenticate(login_request(), username="demo-clerk", password="kept-demo-pass-2010")


def test_empty_kept_password_file_gets_a_new_password(fixture_owners, monkeypatch, capsys, password_file):
    password_file.write_text("\n")
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("create_demo_users")
    password = printed_password(capsys.readouterr().out)
    assert len(password) >= 12
    assert password_file.read_text().strip() == password


def test_weak_kept_password_is_refused_and_says_how_to_fix_it(fixture_owners, monkeypatch, password_file):
    password_file.write_text("password\n")
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match=r"password in .*\.demo-password is too weak.*Delete the file"):
        call_command("create_demo_users")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
    assert password_file.read_text() == "password\n"


def test_demo_users_refused_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("create_demo_users")
    assert not get_user_model().objects.exists()


def test_weak_demo_password_is_refused_and_creates_nobody(fixture_owners, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "12345678")
    with pytest.raises(CommandError, match=r"DEMO_PASSWORD is too weak.*too common"):
        call_command("create_demo_users")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
