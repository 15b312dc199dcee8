"""Every page needs a login; roles exist from the migrations."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from core import roles

PUBLIC = {"login", "logout", "admin:login", "admin:logout", "healthz"}
# The papers committees publish online (tests/test_public_papers.py proves what they refuse).
PUBLIC |= {"public:index", "public:committee", "public:pack_pdf", "public:report"}
# The open-data feeds: open to all for programmes published as open data
# (tests/test_open_data.py proves that the public reads nothing else there).
PUBLIC |= {f"exchange:{name}" for name in ("open_data", "programmes_feed", "projects_feed", "reports_feed")}
PUBLIC |= {"exchange:programme_projects_feed", "exchange:programme_reports_feed"}


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}"


def example_path(route):
    """Turn a route ('programmes/<slug:ref>/', '^admin/(?P<app_label>..)/$') into a concrete path."""
    path = re.sub(r"<int:\w+>|<path:\w+>|<slug:\w+>|<str:\w+>|<\w+>", "1", route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


def all_routes():
    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), [r for r in all_routes() if r[1] not in PUBLIC])
def test_anonymous_user_is_sent_to_login(client, route, name):
    path = example_path(route)
    response = client.get(path)
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert "/login/" in response["Location"], f"{name} ({path}) redirected to {response['Location']}"


def test_the_route_walk_covers_the_pages():
    names = {name for _, name in all_routes()}
    assert {"home", "programmes:detail", "actions:review", "actions:detail", "admin:index"} <= names


@pytest.mark.django_db
def test_role_groups_are_created_by_migrations():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions__content_type")}
    assert set(roles.ROLES) <= set(groups)
    officer_perms = {f"{p.content_type.app_label}.{p.codename}" for p in groups[roles.OFFICER].permissions.all()}
    assert "actions.add_actionupdate" in officer_perms
    assert "actions.view_recommendation" in officer_perms
    assert "programmes.add_programme" not in officer_perms
    clerk_perms = {p.codename for p in groups[roles.COMMITTEE_CLERK].permissions.all()}
    assert "change_project" not in clerk_perms
    assert "add_meeting" in clerk_perms


@pytest.mark.django_db
def test_login_page_is_public(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Log in to OIP Tracker" in response.content.decode()


@pytest.mark.django_db
def test_officer_can_log_in_and_lands_on_home(client, officer):
    response = client.post("/login/", {"username": "alice", "password": "correct horse battery staple"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Logged in as" in response.content.decode()
