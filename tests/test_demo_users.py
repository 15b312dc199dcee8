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
    line = next(li for li in capsys.readouterr().out.splitlines() if "demo-officer" in li)
    password = line.split("password:")[1].split()[0]
    assert authenticate(login_request(), username="demo-officer", password=password)


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
