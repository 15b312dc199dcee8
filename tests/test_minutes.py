"""The minutes of a meeting (issue 11): numbered on from the committee's last
minute, RESOLVED lines, and actions recorded under a minute that become the
next meeting's matters arising."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actions.models import ActionItem
from committees.models import Committee, Meeting, Minute, MinutedAction
from committees.services import record_minuted_action
from tests import factories

DEC, FEB, JUNE = datetime.date(2009, 12, 17), datetime.date(2010, 2, 11), datetime.date(2010, 6, 1)


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")


@pytest.fixture
def meetings(committee):
    return [Meeting.objects.create(committee=committee, date=d) for d in (DEC, FEB, JUNE)]


@pytest.fixture
def lec(meetings):
    """Minute 42 of 11 February 2010, as the 1 June 2010 pack prints it."""
    return Minute.objects.create(
        meeting=meetings[1],
        number=42,
        title="London Efficiency Challenge feedback",
        text="The Sub-Committee received a report updating Members on the findings of the London Efficiency Challenge.",
        resolved="the recommendations made by the London Efficiency Challenge team be noted.",
    )


@pytest.fixture
def team(db):
    return factories.make_owner("IE&E Team")


def minutes_url(meeting):
    return reverse("committees:minutes", args=[meeting.pk])


def action_data(team, **overrides):
    return {
        "title": "Capital Ambition presentation",
        "description": "A representative of Capital Ambition to provide a presentation",
        "owner": team.pk,
        "due_date": "2010-06-30",
        "due_wording": "June 2010",
        **overrides,
    }


def test_new_minute_number_continues_from_the_committees_last_meeting(client, clerk, meetings, lec):
    client.force_login(clerk)
    html = client.get(reverse("committees:minute_create", args=[meetings[2].pk])).content.decode()
    assert 'name="number" value="43"' in html
    other = factories.make_meeting()
    assert Minute.objects.next_number(other.committee_id) == 1


def test_clerk_records_a_minute_and_it_prints_with_its_resolution(client, clerk, meetings):
    client.force_login(clerk)
    response = client.post(
        reverse("committees:minute_create", args=[meetings[1].pk]),
        {
            "number": 40,
            "title": "Voice recognition project",
            "text": "Members discussed the benefits.",
            "resolved": "the research findings be noted;\nthe implementation be supported.",
        },
    )
    minute = Minute.objects.get(meeting=meetings[1], number=40)
    assert response.status_code == 302
    assert response["Location"] == f"{minutes_url(meetings[1])}#minute-40"
    html = client.get(minutes_url(meetings[1])).content.decode()
    assert "Minute 40 Voice recognition project recorded." in html
    assert '<span class="minute-number">40</span> Voice recognition project' in html
    assert "<p>RESOLVED that</p>" in html
    assert "<li>the implementation be supported.</li>" in html
    assert minute.resolution_lines == ["the research findings be noted;", "the implementation be supported."]


def test_single_resolution_prints_on_one_line_on_a4_portrait(client, clerk, lec):
    client.force_login(clerk)
    html = client.get(minutes_url(lec.meeting)).content.decode()
    assert "css/minutes-print.css" in html
    assert "RESOLVED that the recommendations made by the London Efficiency Challenge team be noted." in html


def test_a_minute_number_used_at_another_meeting_of_the_committee_is_refused(client, clerk, meetings, lec):
    client.force_login(clerk)
    response = client.post(
        reverse("committees:minute_create", args=[meetings[2].pk]), {"number": 42, "title": "Planted"}
    )
    assert response.status_code == 200
    assert "This committee already has a minute 42 (at its meeting of 11 February 2010)" in response.content.decode()
    assert not Minute.objects.filter(title="Planted").exists()
    # Another committee may use the same number.
    Minute(meeting=factories.make_meeting(), number=42, title="Elsewhere").full_clean()


def test_clerk_edits_and_removes_a_minute(client, clerk, meetings, lec):
    client.force_login(clerk)
    url = reverse("committees:minute_edit", args=[lec.meeting_id, 42])
    client.post(url, {"number": 42, "title": "LEC feedback", "version": lec.version})
    lec.refresh_from_db()
    assert lec.title == "LEC feedback"
    response = client.post(reverse("committees:minute_remove", args=[lec.meeting_id, 42]), follow=True)
    assert "Minute 42 LEC feedback removed." in response.content.decode()
    assert not Minute.objects.exists()


def test_renumbering_a_minute_relabels_the_matters_arising_under_it(client, clerk, lec, team):
    arising = record_minuted_action(minute=lec, user=clerk, title="Presentation", owner=team, due_date=JUNE)
    client.force_login(clerk)
    url = reverse("committees:minute_edit", args=[lec.meeting_id, 42])
    client.post(url, {"number": 41, "title": "LEC", "version": lec.version})
    arising.refresh_from_db()
    assert arising.minute_label == "Minute 41 LEC"


def test_two_clerks_editing_one_minute_never_overwrite_each_other(client, clerk, lec):
    client.force_login(clerk)
    url = reverse("committees:minute_edit", args=[lec.meeting_id, 42])
    opened = lec.version
    client.post(url, {"number": 42, "title": "First clerk's title", "version": opened})
    response = client.post(url, {"number": 42, "title": "Second clerk's title", "version": opened})
    assert "saved this while you were editing it" in response.content.decode()
    lec.refresh_from_db()
    assert lec.title == "First clerk's title"
    assert lec.history.first().history_user == clerk


def test_a_minute_with_actions_under_it_cannot_be_removed(client, clerk, lec, team):
    record_minuted_action(minute=lec, user=clerk, title="Presentation", owner=team, due_date=JUNE)
    client.force_login(clerk)
    response = client.post(reverse("committees:minute_remove", args=[lec.meeting_id, 42]), follow=True)
    assert "Minute 42 has actions recorded under it" in response.content.decode()
    assert Minute.objects.filter(pk=lec.pk).exists()


def test_clerk_records_an_action_under_a_minute_and_it_is_the_next_meetings_matter_arising(
    client, clerk, meetings, lec, team
):
    _dec, feb, june = meetings
    client.force_login(clerk)
    response = client.post(reverse("committees:minute_action_create", args=[feb.pk, 42]), action_data(team))
    assert response.status_code == 302
    arising = MinutedAction.objects.get()
    assert (arising.meeting, arising.minute, arising.minute_number, arising.minute_title) == (
        feb,
        lec,
        "42",
        "London Efficiency Challenge feedback",
    )
    action = arising.action
    assert (action.owner, action.due_date, action.due_wording) == (team, datetime.date(2010, 6, 30), "June 2010")
    assert action.history.get().history_user == clerk

    html = client.get(minutes_url(feb)).content.decode()
    assert "Action recorded under minute 42: it will be a matter arising." in html
    assert f'data-action="{action.ref}"' in html
    assert "IE&amp;E Team" in html
    assert "June 2010" in html

    assert list(MinutedAction.objects.matters_arising_for(june, june.previous())) == [arising]
    assert not MinutedAction.objects.matters_arising_for(feb, feb.previous()).exists()
    html = client.get(reverse("committees:matters_arising", args=[june.pk])).content.decode()
    assert "42 London Efficiency Challenge feedback" in html
    assert "A representative of Capital Ambition to provide a presentation" in html


def test_an_action_needs_someone_and_a_date_and_saves_nothing_otherwise(client, clerk, lec, team):
    client.force_login(clerk)
    response = client.post(
        reverse("committees:minute_action_create", args=[lec.meeting_id, 42]), action_data(team, owner="", due_date="")
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        record_minuted_action(minute=lec, user=clerk, title="Presentation", owner=None, due_date=None)
    assert refused.value.message_dict["owner"] == ["Say who the action is by."]
    assert not ActionItem.objects.exists()
    assert not MinutedAction.objects.exists()


def test_action_is_all_or_nothing(clerk, lec, team):
    with pytest.raises(ValidationError):
        record_minuted_action(minute=lec, user=clerk, title="x" * 301, owner=team, due_date=JUNE)
    assert not ActionItem.objects.exists()
    assert not MinutedAction.objects.exists()


def test_only_clerks_record_minutes_in_the_service(manager, lec, team):
    with pytest.raises(PermissionDenied):
        record_minuted_action(minute=lec, user=manager, title="Presentation", owner=team, due_date=JUNE)
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("who", ["manager", "officer", "outsider"])
def test_only_clerks_write_minutes(request, client, who, meetings, lec, team):
    user = request.getfixturevalue(who)
    client.force_login(user)
    feb = meetings[1]
    before = list(Minute.objects.values()), ActionItem.objects.count()
    attempts = [
        (reverse("committees:minute_create", args=[feb.pk]), {"number": 43, "title": "Planted"}),
        (reverse("committees:minute_edit", args=[feb.pk, 42]), {"number": 42, "title": "Renamed"}),
        (reverse("committees:minute_remove", args=[feb.pk, 42]), {}),
        (reverse("committees:minute_action_create", args=[feb.pk, 42]), action_data(team)),
    ]
    for url, data in attempts:
        assert client.get(url).status_code in (403, 405)
        assert client.post(url, data).status_code == 403
    assert (list(Minute.objects.values()), ActionItem.objects.count()) == before
    # They read the minutes, without the clerk's links.
    html = client.get(minutes_url(feb)).content.decode()
    assert "London Efficiency Challenge feedback" in html
    assert "Add a minute" not in html
    assert "Add an action" not in html


def test_anonymous_users_are_sent_to_log_in(client, lec):
    for url in [minutes_url(lec.meeting), reverse("committees:minute_create", args=[lec.meeting_id])]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_meeting_page_links_to_its_minutes(client, officer, lec):
    client.force_login(officer)
    html = client.get(lec.meeting.get_absolute_url()).content.decode()
    assert f'href="{minutes_url(lec.meeting)}"' in html


@pytest.mark.parametrize("size", [2, 12])
def test_minutes_page_runs_constant_queries(client, clerk, meetings, team, size, django_assert_num_queries):
    feb = meetings[1]
    item = feb.agenda_items.create(number=5, title="Minutes", report_number="CEO1053")
    for number in range(1, size + 1):
        minute = Minute.objects.create(meeting=feb, number=number, title=f"Minute {number}", agenda_item=item)
        for _ in range(2):
            record_minuted_action(minute=minute, user=clerk, title="Act", owner=team, due_date=JUNE)
    client.force_login(clerk)
    with django_assert_num_queries(8):
        response = client.get(minutes_url(feb))
    assert response.content.decode().count("data-minute=") == size
