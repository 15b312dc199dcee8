"""Moving committees into their own app loses nothing.

Builds a database as it was before the move (committees, meetings and agenda
items in `programmes`, the minute an action arose from on the action, the
committee a programme reports to on the programme), fills it, migrates
forward and finds every row, link, history record and permission where the
new models expect it.
"""

import datetime

import pytest
from django.utils import timezone

BEFORE = [
    ("programmes", "0005_bounded_dates_and_text"),
    ("actions", "0003_bounded_dates_and_text"),
]
AFTER = [
    ("committees", "0002_own_tables_minuted_actions_and_programmes"),
    ("actions", "0005_arising_from_moves_to_committees"),
    ("programmes", "0007_reports_to_moves_to_committees"),
]


@pytest.fixture
def migrator(migrator_factory):
    migrator = migrator_factory()
    yield migrator
    migrator.reset()


def fill_old_database(apps):
    """One of everything the move touches, as the old models held it."""
    Owner = apps.get_model("core", "Owner")
    Committee = apps.get_model("programmes", "Committee")
    Meeting = apps.get_model("programmes", "Meeting")
    AgendaItem = apps.get_model("programmes", "AgendaItem")
    Programme = apps.get_model("programmes", "Programme")
    Workstream = apps.get_model("programmes", "Workstream")
    Project = apps.get_model("programmes", "Project")
    HighlightReport = apps.get_model("programmes", "HighlightReport")
    ActionItem = apps.get_model("actions", "ActionItem")
    HistoricalActionItem = apps.get_model("actions", "HistoricalActionItem")
    HistoricalProgramme = apps.get_model("programmes", "HistoricalProgramme")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    owner = Owner.objects.create(name="Lorna Blackwood")
    committee = Committee.objects.create(name="Improvement and Efficiency Sub-Committee", short_name="I&E", ref="ie")
    december = Meeting.objects.create(committee=committee, date=datetime.date(2009, 12, 17), venue="Civic Centre")
    june = Meeting.objects.create(committee=committee, date=datetime.date(2010, 6, 1), time=datetime.time(19, 30))
    cover = AgendaItem.objects.create(meeting=june, number=8, title="OIP update", report_number="CEO1058")
    june.pack_item = cover
    june.save()
    programme = Programme.objects.create(name="Organisational Improvement Programme", ref="oip", reports_to=committee)
    HistoricalProgramme.objects.create(
        id=programme.pk,
        name=programme.name,
        ref="oip",
        rag="amber",
        version=1,
        stage="delivery",
        reports_to=committee,
        history_date=timezone.now(),
        history_type="+",
    )
    workstream = Workstream.objects.create(programme=programme, name="Customer access", ref="customer-access")
    Project.objects.create(workstream=workstream, name="Voice recognition", ref="voice")
    report = HighlightReport.objects.create(
        programme=programme,
        period_start=datetime.date(2010, 4, 22),
        period_end=datetime.date(2010, 6, 6),
        title="OIP Management Highlight Report",
        programme_name=programme.name,
        status="published",
    )
    june.reports.add(report)
    matter = ActionItem.objects.create(
        ref="matter-30",
        title="Report back on the customer access review",
        owner=owner,
        arising_from=december,
        minute_number="30",
        minute_title="Customer access",
    )
    ActionItem.objects.create(ref="plan-1", title="An action-plan action, not minuted")
    HistoricalActionItem.objects.create(
        id=matter.pk,
        ref=matter.ref,
        title=matter.title,
        rag="not_rated",
        version=1,
        status="not_started",
        created_at=timezone.now(),
        arising_from=december,
        minute_number="30",
        history_date=timezone.now(),
        history_type="+",
    )
    meeting_type = ContentType.objects.get_or_create(app_label="programmes", model="meeting")[0]
    change_meeting = Permission.objects.get_or_create(
        content_type=meeting_type, codename="change_meeting", defaults={"name": "Can change meeting"}
    )[0]
    Group.objects.create(name="Committee clerk").permissions.add(change_meeting)
    return {"committee": committee.pk, "december": december.pk, "june": june.pk, "cover": cover.pk, "matter": matter.pk}


def test_moving_committees_keeps_every_row_link_and_history_record(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    ids = fill_old_database(old.apps)

    new = migrator.apply_tested_migration(AFTER)
    Committee = new.apps.get_model("committees", "Committee")
    Meeting = new.apps.get_model("committees", "Meeting")
    AgendaItem = new.apps.get_model("committees", "AgendaItem")
    MinutedAction = new.apps.get_model("committees", "MinutedAction")
    ActionItem = new.apps.get_model("actions", "ActionItem")
    HistoricalActionItem = new.apps.get_model("actions", "HistoricalActionItem")
    HistoricalProgramme = new.apps.get_model("programmes", "HistoricalProgramme")
    Permission = new.apps.get_model("auth", "Permission")

    # Rows keep their ids and fields in the renamed tables.
    committee = Committee.objects.get()
    assert (committee.pk, committee.short_name, committee.ref) == (ids["committee"], "I&E", "ie")
    june = Meeting.objects.get(pk=ids["june"])
    assert (june.committee_id, june.date, june.time) == (
        ids["committee"],
        datetime.date(2010, 6, 1),
        datetime.time(19, 30),
    )
    assert Meeting.objects.get(pk=ids["december"]).venue == "Civic Centre"
    assert june.pack_item_id == ids["cover"]
    assert AgendaItem.objects.get(pk=ids["cover"]).meeting_id == june.pk
    assert [r.title for r in june.reports.all()] == ["OIP Management Highlight Report"]

    # The two upward links are turned around.
    link = MinutedAction.objects.get()
    assert (link.action_id, link.meeting_id, link.minute_number, link.minute_title) == (
        ids["matter"],
        ids["december"],
        "30",
        "Customer access",
    )
    assert ActionItem.objects.count() == 2
    assert [p.ref for p in committee.programmes.all()] == ["oip"]

    # History records are still there, for the same items.
    assert HistoricalActionItem.objects.filter(
        id=ids["matter"], title="Report back on the customer access review"
    ).exists()
    assert HistoricalProgramme.objects.filter(ref="oip").count() == 1

    # Clerks keep the permissions they were given: the content type moved.
    change_meeting = Permission.objects.get(codename="change_meeting")
    assert change_meeting.content_type.app_label == "committees"
    assert [g.name for g in change_meeting.group_set.all()] == ["Committee clerk"]


def test_the_move_can_be_reversed(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    ids = fill_old_database(old.apps)
    migrator.apply_tested_migration(AFTER)

    back = migrator.apply_tested_migration(BEFORE)
    ActionItem = back.apps.get_model("actions", "ActionItem")
    Programme = back.apps.get_model("programmes", "Programme")
    matter = ActionItem.objects.get(pk=ids["matter"])
    assert (matter.arising_from_id, matter.minute_number) == (ids["december"], "30")
    assert Programme.objects.get(ref="oip").reports_to_id == ids["committee"]


def test_moving_reminder_digests_keeps_their_rows(migrator):
    old = migrator.apply_initial_migration([("core", "0003_reminder_digests")])
    User = old.apps.get_model("auth", "User")
    alice = User.objects.create(username="alice")
    old.apps.get_model("core", "ReminderDigest").objects.create(
        user=alice, sent_on=datetime.date(2010, 6, 1), item_count=3
    )
    old.apps.get_model("contenttypes", "ContentType").objects.get_or_create(app_label="core", model="reminderdigest")

    new = migrator.apply_tested_migration([("workspace", "0002_reminder_digest_table")])
    digest = new.apps.get_model("workspace", "ReminderDigest").objects.get()
    assert (digest.user_id, digest.sent_on, digest.item_count) == (alice.pk, datetime.date(2010, 6, 1), 3)
    content_type = new.apps.get_model("contenttypes", "ContentType").objects.get(model="reminderdigest")
    assert content_type.app_label == "workspace"
