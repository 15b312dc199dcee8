"""Committee views: meetings and agendas (clerks), matters arising, action
plan progress and changes since the last meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem, Progress, Status
from committees.changes import changes_between, window_for
from committees.models import AgendaItem, Committee, Meeting, MinutedAction
from core.models import RAG
from tests import factories


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")


@pytest.fixture
def meetings(committee):
    dates = [datetime.date(2009, 12, 17), datetime.date(2010, 2, 11), datetime.date(2010, 6, 1)]
    return [Meeting.objects.create(committee=committee, date=d) for d in dates]


def matter(meeting, minute, **extra):
    return factories.make_action(
        arising_from=meeting, minute_number=minute, minute_title=f"Minute {minute}", description="Decision", **extra
    )


def test_seeded_matters_arising_table_matches_the_1_june_2010_pack(seed_data, client, clerk):
    meeting = Meeting.objects.get(date=datetime.date(2010, 6, 1))
    client.force_login(clerk)
    html = client.get(reverse("committees:matters_arising", args=[meeting.pk])).content.decode()
    for text in [
        "Minute Number/Title",
        "Decision/ Agreement",
        "5 Matters Arising from Previous Meetings: Report LDCS09074",
        "from the minutes of I&amp;E sub-committee on 21st October 2009",
        "A Member requested that a future discussion be held on the Aligning Policy and Finance Workstream.",
        "A representative of Capital Ambition to provide a presentation",
        "Lorna Blackwood",
        "IE&amp;E Team",
        "June 2010",
    ]:
        assert text in html
    assert html.count('data-action="ma-') == 3


def test_matters_arising_lists_open_items_and_those_closed_since_the_last_meeting(client, clerk, meetings):
    dec, feb, june = meetings
    still_open = matter(dec, "30")
    closed_recently = matter(
        feb, "42", status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=datetime.date(2010, 3, 1)
    )
    closed_long_ago = matter(
        dec, "31", status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=datetime.date(2010, 1, 5)
    )
    from_this_meeting = matter(june, "50")
    rows = [row.action for row in MinutedAction.objects.matters_arising_for(june, june.previous())]
    assert rows == [still_open, closed_recently]
    client.force_login(clerk)
    html = client.get(reverse("committees:matters_arising", args=[june.pk])).content.decode()
    assert "<strong>Complete</strong> 1 March 2010" in html
    assert closed_long_ago.ref not in html
    assert from_this_meeting.ref not in html


@pytest.mark.parametrize("rows", [2, 20])
def test_matters_arising_runs_constant_queries(client, clerk, meetings, rows, django_assert_num_queries):
    for i in range(rows):
        factories.make_action_update(matter(meetings[0], str(i)))
    client.force_login(clerk)
    with django_assert_num_queries(7):
        response = client.get(reverse("committees:matters_arising", args=[meetings[2].pk]))
    assert response.content.count(b'data-action="') == rows


def test_progress_counts_per_area(client, clerk):
    area = factories.make_area(title="Customer access")
    rec = factories.make_recommendation(area)
    today = timezone.localdate()
    factories.make_action([rec], status=Status.COMPLETE, rag=RAG.COMPLETE, completed_on=today)
    factories.make_action([rec], due_date=today - datetime.timedelta(days=1))  # overdue
    factories.make_action([rec], rag=RAG.RED, due_date=today + datetime.timedelta(days=30))  # at risk
    factories.make_action([rec], rag=RAG.GREEN, due_date=today + datetime.timedelta(days=30))  # on track
    client.force_login(clerk)
    response = client.get(reverse("actions:progress", args=[area.review.ref]))
    html = response.content.decode()
    for category, count in [("complete", 1), ("overdue", 1), ("at_risk", 1), ("on_track", 1), ("superseded", 0)]:
        assert f'<td data-category="{category}">{count}</td>' in html
    assert Progress.OVERDUE.label in html


@pytest.mark.parametrize("size", [1, 5])
def test_progress_page_runs_constant_queries(client, clerk, size, django_assert_num_queries):
    review = factories.make_review()
    for a in range(size):
        area = factories.make_area(review, number=a + 1)
        section = factories.make_section(area=area)
        for _ in range(size):
            action = factories.make_action([factories.make_recommendation(area)], section=section)
            factories.make_action_update(action)
    client.force_login(clerk)
    with django_assert_num_queries(12):
        response = client.get(reverse("actions:progress", args=[review.ref]))
    assert response.content.count(b'data-action="') == size * size


def test_changes_since_last_meeting_come_from_the_history(client, clerk, administrator, committee):
    previous = Meeting.objects.create(committee=committee, date=timezone.localdate() - datetime.timedelta(days=30))
    meeting = Meeting.objects.create(committee=committee, date=timezone.localdate() + datetime.timedelta(days=7))
    # Before the window: created and rated long ago.
    improving = factories.make_action(title="Improving action", rag=RAG.RED)
    worsening = factories.make_action(title="Worsening action", rag=RAG.GREEN)
    finishing = factories.make_action(title="Finishing action", rag=RAG.AMBER)
    slipping = factories.make_action(
        title="Slipping action", due_date=timezone.localdate() + datetime.timedelta(days=60)
    )
    old_records = ActionItem.history.model.objects.all()
    old_records.update(history_date=timezone.now() - datetime.timedelta(days=60))
    factories.make_action(title="Newly late action", due_date=timezone.localdate() - datetime.timedelta(days=2))
    # Inside the window, through the update form.
    client.force_login(administrator)
    for action, changes in [
        (improving, {"rag": RAG.GREEN}),
        (worsening, {"rag": RAG.RED}),
        (finishing, {"status": Status.COMPLETE}),
        (slipping, {"due_date": "2030-01-31", "due_change_reason": "Waiting for Members"}),
    ]:
        action.refresh_from_db()
        data = {
            "version": action.version,
            "update_date": timezone.localdate().isoformat(),
            "note": "Moved on",
            "rag": action.rag,
            "status": action.status,
            "due_date": action.due_date.isoformat() if action.due_date else "",
            **changes,
        }
        response = client.post(reverse("actions:update", args=[action.ref]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
    changes = changes_between(*window_for(meeting, previous))
    assert [c.label for c in changes.improved] == ["Improving action"]
    assert [c.label for c in changes.worse] == ["Worsening action"]
    assert [c.label for c in changes.completed] == ["Finishing action"]
    assert [c.label for c in changes.due_dates_revised] == ["Slipping action"]
    assert "Newly late action" in [c.label for c in changes.newly_overdue]
    assert [c.label for c in changes.new_actions] == ["Newly late action"]

    client.force_login(clerk)
    html = client.get(reverse("committees:changes", args=[meeting.pk])).content.decode()
    assert "RAG improved (1)" in html
    assert "Red → Green" in html
    assert "Green → Red" in html
    assert "Waiting for Members" in html
    assert "Ada Admin" in html


@pytest.mark.parametrize("size", [2, 12])
def test_changes_page_runs_constant_queries(client, clerk, committee, manager, size, django_assert_num_queries):
    previous = Meeting.objects.create(committee=committee, date=timezone.localdate() - datetime.timedelta(days=30))
    meeting = Meeting.objects.create(committee=committee, date=timezone.localdate())
    for _ in range(size):
        action = factories.make_action(rag=RAG.RED)
        action.rag = RAG.GREEN
        action._history_user = manager
        action.save()
        factories.make_project(rag=RAG.AMBER)
    client.force_login(clerk)
    # Each tracked kind's history and its newly overdue items: milestones' are two.
    with django_assert_num_queries(13):
        response = client.get(reverse("committees:changes", args=[meeting.pk]))
    assert f"RAG improved ({size})" in response.content.decode()
    assert previous


# --- Meetings are the clerk's ---------------------------------------------------------


def test_anonymous_cannot_add_a_meeting(client, committee):
    response = client.post(reverse("committees:meeting_create", args=[committee.ref]), {"date": "2010-09-14"})
    assert "/login/" in response["Location"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["officer", "manager", "outsider"])
def test_only_clerks_add_meetings_and_agenda_items(client, committee, meetings, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("committees:meeting_create", args=[committee.ref]), {"date": "2010-09-14"})
    assert response.status_code == 403
    response = client.post(
        reverse("committees:agenda_item_create", args=[meetings[0].pk]), {"number": 1, "title": "Minutes"}
    )
    assert response.status_code == 403
    assert Meeting.objects.count() == 3
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "administrator"])
def test_clerk_adds_meeting_and_agenda_item(client, committee, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("committees:meeting_create", args=[committee.ref]),
        {"date": "2010-09-14", "time": "19:30", "venue": "Bromley Civic Centre"},
        follow=True,
    )
    meeting = Meeting.objects.get(date=datetime.date(2010, 9, 14))
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    response = client.post(
        reverse("committees:agenda_item_create", args=[meeting.pk]),
        {"number": 8, "title": "Organisational Improvement Programme", "report_number": "CEO1058"},
        follow=True,
    )
    assert "CEO1058" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda_items.get().title == "Organisational Improvement Programme"


def test_duplicate_meeting_date_is_a_form_error(client, clerk, committee, meetings):
    client.force_login(clerk)
    response = client.post(reverse("committees:meeting_create", args=[committee.ref]), {"date": "2010-06-01"})
    assert "already has a meeting on that date" in response.content.decode()
    assert Meeting.objects.count() == 3


@pytest.mark.parametrize("items", [1, 12])
def test_meeting_page_runs_constant_queries(client, clerk, meetings, items, django_assert_num_queries):
    for i in range(items):
        AgendaItem.objects.create(meeting=meetings[2], number=i + 1, title=f"Item {i}")
    client.force_login(clerk)
    with django_assert_num_queries(10):  # 10th: the latest issued packs
        response = client.get(meetings[2].get_absolute_url())
    assert response.content.count(b'<tr id="agenda-') == items
