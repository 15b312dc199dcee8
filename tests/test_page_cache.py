"""Cached page parts (core/page_cache.py, core/datastamp.py): the list pages
render their content once, and any write anywhere shows on the next request.

What a user must never see is an old page: every test here changes data in a
different way (a form, QuerySet.update(), a delete, raw SQL, a rolled-back
transaction) and checks what the next request shows."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionItem, Status
from core import datastamp
from core.models import RAG
from tests import factories


@pytest.fixture
def plan_section(db):
    area = factories.make_area(factories.make_review(title="London Efficiency Challenge"), title="Customer Access")
    return factories.make_section(area=area)


@pytest.fixture
def action(officer_team, plan_section):
    rec = factories.make_recommendation(plan_section.area, text="A transactional website is required")
    return factories.make_action(
        [rec], title="Write up the e-forms investment proposal", ref="eforms", owner=officer_team,
        section=plan_section, rag=RAG.GREEN, due_date=datetime.date(2030, 7, 31),
    )  # fmt: skip


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def pages(action):
    programme = factories.make_programme(name="Organisational Improvement Programme")
    factories.make_project(factories.make_workstream(programme), name="Customer Services Review")
    return [
        reverse("home"),
        reverse("actions:list"),
        reverse("programmes:projects"),
        programme.get_absolute_url(),
        action.section.area.review.get_absolute_url(),
    ]


def test_a_page_seen_again_comes_from_the_cache_and_is_the_same(client, officer, action):
    urls = pages(action)
    client.force_login(officer)
    for url in urls:
        first, first_queries = get(client, url)
        again, again_queries = get(client, url)
        assert again == first.replace(csrf_of(first), csrf_of(again)), url
        assert again_queries < first_queries, url
        assert again_queries <= 4, url  # session, user, the page's own check, the data stamp


def csrf_of(html):
    start = html.index('name="csrfmiddlewaretoken" value="') + len('name="csrfmiddlewaretoken" value="')
    return html[start : html.index('"', start)]


def test_an_officers_update_shows_at_once_on_every_list(client, officer, action):
    client.force_login(officer)
    for url in (reverse("home"), reverse("actions:list")):
        assert ">Green<" in row_of(get(client, url)[0], "Write up the e-forms")
    data = {"version": action.version, "update_date": datetime.date.today().strftime("%d/%m/%Y"),
            "note": "Proposal drafted and with COE.", "rag": RAG.RED, "status": Status.IN_PROGRESS,
            "due_date": "31/07/2030"}  # fmt: skip
    response = client.post(reverse("actions:update", args=[action.ref]), data)
    assert response.status_code == 302, response.content.decode()
    for url in (reverse("home"), reverse("actions:list")):
        row = row_of(get(client, url)[0], "Write up the e-forms")
        assert ">Red<" in row, url
        assert ">Green<" not in row, url


def row_of(html, text):
    at = html.rindex(text)  # the row, not the "Update saved for …" message
    return html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]


@pytest.mark.parametrize(
    "change",
    [
        lambda action: ActionItem.objects.filter(pk=action.pk).update(title="Renamed by an update()"),
        lambda action: ActionItem.objects.bulk_create(
            [ActionItem(title="Renamed by an update() bulk", ref="bulk-1", section=action.section)]
        ),
        lambda action: connection.cursor().execute(
            "UPDATE actions_actionitem SET title = %s WHERE id = %s", ["Renamed by an update() in SQL", action.pk]
        ),
    ],
    ids=["queryset-update", "bulk-create", "raw-sql"],
)
def test_writes_that_send_no_signal_still_show(client, officer, action, change):
    client.force_login(officer)
    assert "Renamed by an update()" not in get(client, reverse("actions:list"))[0]
    change(action)
    assert "Renamed by an update()" in get(client, reverse("actions:list"))[0]


def test_a_deleted_action_leaves_the_list(client, officer, action):
    client.force_login(officer)
    assert "Write up the e-forms" in get(client, reverse("actions:list"))[0]
    ActionItem.objects.filter(pk=action.pk).delete()
    assert "Write up the e-forms" not in get(client, reverse("actions:list"))[0]


def test_each_user_gets_their_own_page(client, officer, manager, action):
    client.force_login(manager)
    assert "New action" in get(client, reverse("actions:list"))[0]
    client.force_login(officer)
    html, queries = get(client, reverse("actions:list"))
    assert "New action" not in html
    assert queries > 4  # rendered for the officer, not served from the manager's copy


def test_filters_and_pages_are_cached_apart(client, officer, action, plan_section):
    factories.make_action(title="Agree the channel shift targets", section=plan_section)
    client.force_login(officer)
    assert "channel shift" in get(client, reverse("actions:list"))[0]
    html = get(client, reverse("actions:list") + "?q=e-forms")[0]
    assert "e-forms" in html
    assert "channel shift" not in html


def test_tomorrow_the_page_is_drawn_again(client, officer, action, monkeypatch):
    client.force_login(officer)
    get(client, reverse("actions:list"))
    assert get(client, reverse("actions:list"))[1] <= 4
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: tomorrow)
    assert get(client, reverse("actions:list"))[1] > 4


def test_no_caching_when_turned_off(client, officer, action, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(officer)
    first = get(client, reverse("actions:list"))[1]
    assert get(client, reverse("actions:list"))[1] == first
    assert not caches["pages"]._cache


@pytest.mark.django_db(transaction=True)
def test_the_stamp_changes_at_commit_and_not_on_rollback(officer_team):
    before = datastamp.current()
    with transaction.atomic():
        factories.make_owner(name="Customer Services")
        transaction.set_rollback(True)
    assert datastamp.current() == before
    with transaction.atomic():
        factories.make_owner(name="Customer Services")
        factories.make_owner(name="Revenues and Benefits")
    after = datastamp.current()
    assert after != before
    factories.make_owner(name="Legal Services")  # autocommit
    assert datastamp.current() != after


def test_a_write_after_reading_the_stamp_changes_it_again(db):
    with transaction.atomic():
        factories.make_owner(name="Customer Services")
        first = datastamp.current()
        factories.make_owner(name="Revenues and Benefits")
        assert datastamp.current() != first


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('INSERT INTO "actions_actionitem" ("title") VALUES (%s)', True),
        ('UPDATE "actions_actionitem" SET "title" = %s', True),
        ('DELETE FROM "actions_actionitem" WHERE "id" = %s', True),
        ('SELECT "id" FROM "actions_actionitem" WHERE "id" = 1 FOR UPDATE', True),
        ('TRUNCATE "actions_actionitem", "core_owner" RESTART IDENTITY', True),
        ('ALTER TABLE "actions_actionitem" ADD COLUMN "x" integer', False),
        ('CREATE DATABASE "test_postgres"', False),
        ('SELECT "title" FROM "actions_actionitem"', False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ("INSERT INTO core_datastamp (id, token) VALUES (1, %s)", False),
        # The task worker's poll, and its claim: no cached page shows the queue.
        ('SELECT "id" FROM "django_tasks_db_dbtaskresult" WHERE "status" = %s FOR UPDATE SKIP LOCKED', False),
        ('UPDATE "django_tasks_db_dbtaskresult" SET "status" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
    ],
)
def test_which_statements_change_data(sql, changes):
    assert datastamp.changes_data(sql) is changes


def test_a_part_with_a_form_is_kept_without_its_token_and_each_viewer_gets_their_own(rf, officer):
    from django.middleware.csrf import _get_new_csrf_string, _unmask_cipher_token
    from django.template import engines

    template = engines["django"].from_string(
        '{% load page_cache %}{% cached_part "with-form" %}'
        '<form method="post">{% csrf_token %}</form>{% endcached_part %}'
    )
    tokens = []
    for _ in range(2):  # two browsers of the same officer, each with its own CSRF secret
        request = rf.get("/somewhere/")
        request.user = officer
        request.META["CSRF_COOKIE"] = secret = _get_new_csrf_string()
        html = template.render({}, request)
        token = html.split('value="')[1].split('"')[0]
        assert _unmask_cipher_token(token) == secret
        tokens.append(token)
    assert len(caches["pages"]._cache) == 1  # the second came from the cache
    assert not any(token in str(caches["pages"]._cache) for token in tokens)


def test_the_committee_pack_is_kept_and_redrawn_after_a_change(client, clerk):
    from committees.models import Committee, Meeting

    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    meeting = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1))
    meeting.agenda_items.create(number=8, title="Organisational Improvement Programme")
    url = reverse("committees:pack", args=[meeting.pk])
    client.force_login(clerk)
    first, first_queries = get(client, url)
    again, again_queries = get(client, url)
    assert again == first
    assert again_queries < first_queries
    # (The pack reads the agenda as at its papers' date, from history: judge by the work done.)
    meeting.agenda_items.filter(number=8).update(title="Organisational Improvement Programme update")
    assert get(client, url)[1] == first_queries


def test_a_manager_publishes_from_a_report_page_served_from_the_cache(manager, programme):
    from django.test import Client

    from programmes.models import HighlightReport
    from programmes.services import draft_highlight_report

    factories.make_project(factories.make_workstream(programme), name="Customer Services Review")
    report = draft_highlight_report(
        programme=programme, user=manager, period_start=datetime.date(2010, 4, 22), period_end=datetime.date(2010, 6, 6)
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)
    get(browser, report.get_absolute_url())
    html, queries = get(browser, report.get_absolute_url())
    assert queries <= 4  # from the cache, publish form and all
    form = html[html.index('action="' + reverse("programmes:report_publish", args=[report.pk])) :]
    response = browser.post(
        reverse("programmes:report_publish", args=[report.pk]), {"csrfmiddlewaretoken": csrf_of(form), "confirm": "on"}
    )
    assert response.status_code == 302
    assert HighlightReport.objects.get(pk=report.pk).status == "published"
    assert "Draft: not yet published" not in get(browser, report.get_absolute_url())[0]
