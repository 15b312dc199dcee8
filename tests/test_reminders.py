import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Status
from core.models import RAG, Owner
from tests import factories
from workspace.models import ReminderDigest
from workspace.reminders import send_reminders

TODAY = datetime.date(2010, 6, 15)
SITE = "https://oip.bromley.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def days(n):
    return TODAY + datetime.timedelta(days=n)


def sent_to(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_officer_gets_one_digest_of_overdue_and_due_this_week_items_with_links(officer, officer_team, mailoutbox):
    late = factories.make_action(
        title="Publish the improvement plan",
        owner=officer_team,
        due_date=days(-5),
        due_wording="by end of June 2010",
        rag=RAG.RED,
    )
    soon = factories.make_action(title="Brief the I&E sub-committee", owner=officer_team, due_date=days(3))
    factories.make_action(title="Review the staff survey", owner=officer_team, due_date=days(30))

    assert send_reminders(today=TODAY) == 1

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "OIP Tracker: 1 overdue, 1 due this week"
    body = message.body
    assert "Publish the improvement plan" in body
    assert "Overdue since 10 Jun 2010" in body
    assert "“by end of June 2010”" in body
    assert "RAG: Red" in body
    assert f"{SITE}/" in body
    assert "Brief the I&E sub-committee" in body  # Plain text is not HTML-escaped.
    assert "Due 18 Jun 2010" in body
    assert "Review the staff survey" not in body
    for action in (late, soon):
        link = next(line for line in body.splitlines() if "Update it:" in line and action.ref in line)
        assert link.strip().startswith(f"Update it: {SITE}/")

    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{SITE}' in html
    assert "Brief the I&amp;E sub-committee" in html
    assert "Review the staff survey" not in html


def test_links_go_to_each_items_update_form_or_its_page(officer, officer_team, mailoutbox):
    action = factories.make_action(owner=officer_team, due_date=days(-1))
    project = factories.make_project(owner=officer_team, due_date=days(-1), rag=RAG.AMBER)

    send_reminders(today=TODAY)

    body = mailoutbox[0].body
    assert f"{SITE}/" in body
    assert action.ref in body
    assert project.ref in body
    links = [line.split("Update it: ", 1)[1] for line in body.splitlines() if "Update it: " in line]
    assert len(links) == 2
    assert all(link.startswith(f"{SITE}/") for link in links)


def test_complete_and_superseded_actions_are_not_listed(officer, officer_team, mailoutbox):
    factories.make_action(title="Still to do", owner=officer_team, due_date=days(-2))
    factories.make_action(
        title="Done already", owner=officer_team, due_date=days(-2), status=Status.COMPLETE, completed_on=days(-3)
    )
    factories.make_action(title="Overtaken by events", owner=officer_team, due_date=days(-2), status=Status.SUPERSEDED)
    factories.make_action(title="Rated complete", owner=officer_team, due_date=days(2), rag=RAG.COMPLETE)

    send_reminders(today=TODAY)

    body = mailoutbox[0].body
    assert "Still to do" in body
    assert "Done already" not in body
    assert "Overtaken by events" not in body
    assert "Rated complete" not in body
    assert mailoutbox[0].subject == "OIP Tracker: 1 overdue"


def test_user_owning_nothing_gets_nothing(officer, officer_team, outsider, mailoutbox):
    factories.make_action(owner=officer_team, due_date=days(-1))

    send_reminders(today=TODAY)

    assert sent_to(mailoutbox) == ["alice@example.org"]
    assert not ReminderDigest.objects.filter(user=outsider).exists()


def test_nothing_is_sent_when_nothing_is_due(officer, officer_team, mailoutbox):
    factories.make_action(owner=officer_team, due_date=days(8))

    assert send_reminders(today=TODAY) == 0
    assert mailoutbox == []


def test_running_twice_on_the_same_day_sends_nothing_the_second_time(officer, officer_team, mailoutbox):
    factories.make_action(owner=officer_team, due_date=days(-1))

    assert send_reminders(today=TODAY) == 1
    assert send_reminders(today=TODAY) == 0

    assert len(mailoutbox) == 1
    digest = ReminderDigest.objects.get()
    assert (digest.user, digest.sent_on, digest.item_count) == (officer, TODAY, 1)


def test_running_the_next_day_sends_again(officer, officer_team, mailoutbox):
    factories.make_action(owner=officer_team, due_date=days(-1))

    send_reminders(today=TODAY)
    assert send_reminders(today=days(1)) == 1

    assert len(mailoutbox) == 2
    assert list(ReminderDigest.objects.filter(user=officer).values_list("sent_on", flat=True)) == [days(1), TODAY]


def test_person_owner_and_team_member_each_get_their_own_digest(officer, officer_team, colleague, mailoutbox):
    lorna = Owner.objects.create(name="Bob Colleague", kind=Owner.Kind.PERSON, user=colleague)
    factories.make_action(title="Team's action", owner=officer_team, due_date=days(-1))
    factories.make_action(title="Bob's own action", owner=lorna, due_date=days(2))

    assert send_reminders(today=TODAY) == 2

    by_address = {message.to[0]: message.body for message in mailoutbox}
    assert set(by_address) == {"alice@example.org", "bob@example.org"}
    assert "Team's action" in by_address["alice@example.org"]
    assert "Bob's own action" not in by_address["alice@example.org"]
    assert "Bob's own action" in by_address["bob@example.org"]
    assert "Team's action" not in by_address["bob@example.org"]


def test_person_who_owns_items_directly_and_through_a_team_gets_one_digest(officer, officer_team, mailoutbox):
    mine = Owner.objects.create(name="Alice Officer", kind=Owner.Kind.PERSON, user=officer)
    factories.make_action(title="Team's action", owner=officer_team, due_date=days(-1))
    factories.make_action(title="Alice's own action", owner=mine, due_date=days(2))

    assert send_reminders(today=TODAY) == 1

    assert len(mailoutbox) == 1
    assert "Team's action" in mailoutbox[0].body
    assert "Alice's own action" in mailoutbox[0].body
    assert ReminderDigest.objects.get().item_count == 2


def test_users_without_an_email_or_inactive_are_skipped(officer, officer_team, mailoutbox):
    no_email = factories.make_user("dan")
    no_email.email = ""
    no_email.save()
    departed = factories.make_user("erin", is_active=False)
    officer_team.members.add(no_email, departed)
    factories.make_action(owner=officer_team, due_date=days(-1))

    assert send_reminders(today=TODAY) == 1

    assert sent_to(mailoutbox) == ["alice@example.org"]
    assert list(ReminderDigest.objects.values_list("user__username", flat=True)) == ["alice"]


def test_overdue_projects_are_included(officer, officer_team, mailoutbox):
    factories.make_project(name="Contact centre consolidation", owner=officer_team, due_date=days(-20), rag=RAG.AMBER)
    factories.make_project(name="Finished project", owner=officer_team, due_date=days(-20), rag=RAG.COMPLETE)

    send_reminders(today=TODAY)

    body = mailoutbox[0].body
    assert "Project: Contact centre consolidation" in body
    assert "Overdue since 26 May 2010" in body
    assert "RAG: Amber" in body
    assert "Finished project" not in body


def test_a_failed_send_records_nothing_so_the_next_run_retries(officer, officer_team, mailoutbox):
    class BrokenConnection:
        def send_messages(self, messages):
            raise ConnectionRefusedError("SMTP server down")

    factories.make_action(owner=officer_team, due_date=days(-1))

    assert send_reminders(today=TODAY, connection=BrokenConnection()) == 0
    assert not ReminderDigest.objects.exists()

    assert send_reminders(today=TODAY) == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("per_kind", [1, 12])
def test_queries_do_not_grow_with_the_number_of_items(
    officer, officer_team, colleague, colleague_team, mailoutbox, django_assert_num_queries, per_kind
):
    bob = Owner.objects.create(name="Bob Colleague", kind=Owner.Kind.PERSON, user=colleague)
    workstream = factories.make_workstream()
    for owner in (officer_team, colleague_team, bob):
        for i in range(per_kind):
            factories.make_action(owner=owner, due_date=days(-i))
            factories.make_project(workstream=workstream, owner=owner, due_date=days(i % 7), rag=RAG.RED)

    # 4 to find the items (actions, projects, milestones) and the people, 1 for
    # today's digests already sent, then 3 per person emailed (savepoint, the
    # digest row, release).
    with django_assert_num_queries(11):
        assert send_reminders(today=TODAY) == 2

    counts = dict(ReminderDigest.objects.values_list("user__username", "item_count"))
    assert counts == {"alice": 2 * per_kind, "bob": 4 * per_kind}


def test_command_sends_todays_digests_and_prints_a_summary(officer, officer_team, mailoutbox):
    factories.make_action(owner=officer_team, due_date=timezone.localdate() - datetime.timedelta(days=1))
    out = StringIO()

    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)

    assert out.getvalue().splitlines() == ["Sent 1 reminder digest.", "Sent 0 reminder digests."]
    assert len(mailoutbox) == 1
