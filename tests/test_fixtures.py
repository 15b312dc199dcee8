"""The 2010 seed fixtures load completely, faithfully and idempotently, and a
bad fixture is rejected whole with a message that names the offending object."""

import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from actions.models import (
    ActionItem,
    ActionPlan,
    ActionPlanSection,
    ActionUpdate,
    Finding,
    Recommendation,
    Review,
    ReviewArea,
)
from committees.models import AgendaItem, Committee, Meeting, Minute, MinutedAction, ReportAppendix, ReportParagraph
from core.models import RAG, Owner
from programmes.models import (
    Benefit,
    Funder,
    HighlightReport,
    HighlightReportRow,
    Milestone,
    Partner,
    Partnership,
    Programme,
    Project,
    ProjectUpdate,
    Risk,
    SpendProfileEntry,
    Workstream,
)
from tests import factories

SEEDED_MODELS = [
    Owner,
    Committee,
    Meeting,
    AgendaItem,
    Minute,
    Programme,
    Workstream,
    Project,
    ProjectUpdate,
    HighlightReport,
    HighlightReportRow,
    Review,
    ReviewArea,
    Finding,
    Recommendation,
    ActionPlan,
    ActionPlanSection,
    ActionItem,
    MinutedAction,
    ActionUpdate,
]

# The 2010 papers, then the 2012 ones (fixtures 09-13, checked in test_fixtures_2012.py).
EXPECTED_COUNTS = {
    Committee: 1,
    Meeting: 6,  # 4 from 2010, 18 January and 18 April 2012
    AgendaItem: 16,  # 1 June 2010 items 1-13; 3 reports of 2012
    Minute: 9,  # 11 February 2010, minutes 34-42 (fixture 16)
    Programme: 2,  # the OIP, Shared Services
    Workstream: 9,  # 3 of 2010 (closed), 3 of the OIP in 2012, 3 of Shared Services
    Project: 27,  # 6 of 2010 (3 carry on into 2012), 13 more of the OIP in 2012, 8 of Shared Services
    ProjectUpdate: 33,  # 6 of 2010, 18 of 18 January 2012, 9 of 18 April 2012
    HighlightReport: 1,  # 22 Apr - 6 Jun 2010, published
    HighlightReportRow: 6,
    Review: 1,
    ReviewArea: 5,
    Finding: 17,
    Recommendation: 24,
    ActionPlan: 1,
    ActionPlanSection: 6,
    ActionItem: 28,  # 25 action-plan actions + 3 matters arising
    MinutedAction: 3,  # the three matters arising, with their minutes
    ActionUpdate: 3,
}


PID_MODELS = [Partner, Partnership, Milestone, Risk, Funder, SpendProfileEntry, Benefit]
REPORT_MODELS = [ReportParagraph, ReportAppendix]  # fixtures 14-16, checked in test_fixtures_reports.py and _papers.py


def counts():
    return {model: model.objects.count() for model in SEEDED_MODELS}


def load(*paths):
    call_command("load_seed_data", *[str(p) for p in paths])


def write_fixture(tmp_path, objects, name="broken.json"):
    path = tmp_path / name
    path.write_text(json.dumps(objects))
    return path


VALID_OWNER = {"model": "core.owner", "fields": {"name": "OIP Team", "kind": "team"}}
VALID_ACTION = {
    "model": "actions.actionitem",
    "fields": {"ref": "fx-ok", "title": "A valid action", "owner": ["OIP Team"], "due_date": "2010-06-30"},
}


def test_loading_all_fixtures_gives_the_expected_counts(db):
    load()

    for model, expected in EXPECTED_COUNTS.items():
        assert model.objects.count() == expected, model.__name__
    per_section = Counter(ActionItem.objects.filter(section__isnull=False).values_list("section__number", flat=True))
    assert per_section == {1: 7, 2: 3, 3: 5, 4: 2, 5: 3, 6: 5}
    assert MinutedAction.objects.count() == 3
    findings = Counter(Finding.objects.values_list("area__number", flat=True))
    assert findings == {1: 5, 2: 4, 3: 3, 4: 2, 5: 3}
    recommendations = Counter(Recommendation.objects.values_list("area__number", flat=True))
    assert recommendations == {1: 9, 2: 3, 3: 5, 4: 3, 5: 4}
    assert Counter(Recommendation.objects.values_list("kind", flat=True)) == {
        "recommendation": 18,
        "good_practice": 4,
        "information": 2,
    }
    assert ActionItem.objects.filter(owner__name="OIP Team").count() >= 5


def test_loading_prints_a_one_line_summary(db, capsys):
    load()

    # Rows a later fixture names again to add to them: 08 the 1 June 2010 meeting (its papers); 09 two owners;
    # 10 the three 2010 workstreams and five 2010 projects (closed, moved or carried on); 11 Regulatory
    # Services (shared); 12 the Website upgrade (its PID); 13 the committee (its second programme); 14 the
    # three 2012 reports' agenda items (their cover sheets); 15 five 1 June 2010 agenda items (their covers);
    # 16 the matter arising of minute 42 (linked to the minute itself).
    restated = 1 + 2 + 8 + 1 + 1 + 1 + 3 + 5 + 1
    extra = sum(model.objects.count() for model in PID_MODELS + REPORT_MODELS)
    total = sum(counts().values()) + extra + restated
    assert capsys.readouterr().out.strip() == f"Loaded {total} objects from 16 fixtures."


def test_seeded_texts_match_the_2010_documents(seed_data):
    oip = Programme.objects.get(ref="oip")
    assert oip.management_summary.startswith("Both COE and the I&E Sub Committee have approved the creation")
    assert (oip.rag, oip.stage, oip.start_wording, oip.due_date) == (RAG.AMBER, "definition", "Oct 09", None)
    assert [c.ref for c in oip.committees.all()] == ["ie-sub-committee"]
    assert [w.name for w in oip.workstreams.order_by("position")][:3] == [
        "Office Accommodation",
        "Self-service and ICT",
        "Customer and Service Led Improvement",
    ]

    voice = Project.objects.get(ref="oip-voice-recognition")
    assert voice.rag == RAG.NOT_RATED  # its latest update, of 18 January 2012, is not rated
    assert voice.due_date.isoformat() == "2010-06-14"
    assert voice.due_wording == "Anticipated go live date:- 14th June 2010"
    update = voice.updates.get(period_end="2010-06-06")
    assert update.rag == RAG.GREEN
    assert "- Anticipated go live date:- 14th June 2010" in update.next_tasks.splitlines()
    assert update.risks_issues.startswith("Issues\n- Grammar loaded into VR software")
    assert Project.objects.get(ref="oip-website-upgrade").owner.name == "Richard Hills"
    assert {row.project_name: row.rag for row in HighlightReportRow.objects.all()} == {
        "Business case and implementation planning for office accommodation project": RAG.AMBER,
        "Website upgrade": RAG.AMBER,
        "SharePoint Review and Strategy": RAG.AMBER,
        "CCC Service Migrations": RAG.GREEN,
        "Customer insight analysis": RAG.GREEN,
        "Voice Recognition": RAG.GREEN,
    }

    website = Recommendation.objects.get(
        text__startswith="A transactional website is required as a priority to enable migration to lower cost channels"
    )
    assert website.area.number == 3
    assert website.kind == Recommendation.Kind.RECOMMENDATION
    assert website.actions.exists()
    assert Recommendation.objects.get(text__startswith="Capital Ambition is considering").kind == "information"
    assert Recommendation.objects.get(text__contains="Richmond Works").kind == "good_practice"

    review = Review.objects.get(ref="lec-2010")
    assert review.review_team.splitlines()[0] == "Jan Willis - Director of Finance, London Borough of Barnet"
    assert review.summary.startswith("1.1. The London Efficiency Challenge is a collaborative enquiry")
    assert review.summary.rstrip().endswith("champion and promote efficiency and VfM.")

    first = ActionItem.objects.get(ref="lec-2010-ap-1-1")
    assert (first.owner.name, first.due_wording, first.due_date.isoformat()) == ("OIP Team", "mid-April", "2010-04-15")
    assert ActionItem.objects.get(ref="lec-2010-ap-2-1").due_wording.startswith(
        "COE to make decision by end of June 2010, post-elections"
    )

    june = Meeting.objects.get(committee__ref="ie-sub-committee", date="2010-06-01")
    assert (june.time.isoformat(), june.venue) == ("19:30:00", "Bromley Civic Centre")
    assert {i.number: i.report_number for i in june.agenda_items.exclude(report_number="")} == {
        6: "LDCS10081",
        7: "CEO1057",
        8: "CEO1058",
        10: "CEO1059",
        11: "CEX1060",
    }
    assert list(june.agenda_items.filter(exempt=True).values_list("number", flat=True)) == [13]

    matter = ActionItem.objects.get(arising__meeting__date="2009-12-17")
    assert (matter.minute.minute_number, matter.owner.name, matter.status) == ("30", "Lorna Blackwood", "in_progress")
    assert matter.updates.get().note == "An update to be provided to Improvement and Efficiency Sub Committee."


def test_loading_twice_does_not_duplicate(db):
    load()
    first = counts()

    load()

    assert counts() == first


def test_reloading_keeps_logins_linked_to_owners(seed_data):
    user = factories.make_user("demo-officer")
    team = Owner.objects.get(name="OIP Team")
    team.members.add(user)

    load()

    assert list(Owner.objects.get(name="OIP Team").members.all()) == [user]


def test_a_missing_owner_rolls_back_everything_and_names_the_object(db, tmp_path):
    broken = write_fixture(
        tmp_path,
        [
            VALID_OWNER,
            VALID_ACTION,
            {
                "model": "actions.actionitem",
                "fields": {"ref": "lec-2010-ap-3-2", "title": "Orphan", "owner": ["Nobody"]},
            },
        ],
    )

    with pytest.raises(CommandError) as excinfo:
        load(broken)

    message = str(excinfo.value)
    assert "broken.json" in message
    assert 'actions.actionitem "lec-2010-ap-3-2"' in message
    assert 'Owner matching "Nobody" does not exist' in message
    assert all(n == 0 for n in counts().values()), counts()


def test_a_bad_object_in_a_later_fixture_rolls_back_the_earlier_fixtures(db, tmp_path):
    good = write_fixture(tmp_path, [VALID_OWNER, VALID_ACTION], name="01_good.json")
    bad = write_fixture(
        tmp_path,
        [{"model": "actions.actionitem", "fields": {"ref": "fx-bad", "title": "Bad", "owner": ["Nobody"]}}],
        name="02_bad.json",
    )

    with pytest.raises(CommandError, match=r'02_bad\.json: actions\.actionitem "fx-bad"'):
        load(good, bad)

    assert all(n == 0 for n in counts().values()), counts()


def test_an_invalid_date_is_rejected_with_the_field_and_object_named(db, tmp_path):
    broken = write_fixture(
        tmp_path,
        [
            VALID_OWNER,
            VALID_ACTION,
            {
                "model": "actions.actionitem",
                "fields": {"ref": "fx-bad-date", "title": "Bad date", "owner": ["OIP Team"], "due_date": "2010-13-45"},
            },
        ],
    )

    with pytest.raises(CommandError) as excinfo:
        load(broken)

    message = str(excinfo.value)
    assert 'actions.actionitem "fx-bad-date"' in message
    assert "due_date" in message
    assert "2010-13-45" in message
    assert all(n == 0 for n in counts().values()), counts()


def test_a_value_the_database_would_accept_but_the_model_forbids_is_rejected(db, tmp_path):
    broken = write_fixture(
        tmp_path,
        [
            VALID_OWNER,
            {
                "model": "actions.actionitem",
                "fields": {"ref": "fx-done", "title": "Done without a date", "status": "complete"},
            },
        ],
    )

    with pytest.raises(CommandError, match=r'actions\.actionitem "fx-done": .*completed_on'):
        load(broken)

    assert Owner.objects.count() == 0


def test_an_unreadable_fixture_is_reported_by_file(db, tmp_path):
    broken = tmp_path / "not-json.json"
    broken.write_text("[{")

    with pytest.raises(CommandError, match=r"not-json\.json: not valid JSON"):
        load(broken)


def test_the_2010_report_is_attached_to_the_1_june_meeting_with_its_cover_sheet(seed_data):
    from committees.models import Meeting

    meeting = Meeting.objects.get(date="2010-06-01")
    assert [str(r.period_label) for r in meeting.reports.all()] == ["22 Apr 2010 to 6 Jun 2010"]
    assert meeting.pack_item.report_number == "CEO1058"
    assert meeting.pack_item.decision_type == "Non-Urgent Non-Executive Non-Key"
    assert meeting.pack_item.ward == "Borough wide"


def test_reloading_does_not_undo_a_correction_of_the_2010_report(seed_data):
    from programmes.models import HighlightReport
    from programmes.services import correct_highlight_report, publish_highlight_report

    original = HighlightReport.objects.get()
    correction = correct_highlight_report(report=original, user=None, reason="A row was out of date.")
    publish_highlight_report(report=correction, user=None)
    call_command("load_seed_data", verbosity=0)
    original.refresh_from_db()
    assert original.status == HighlightReport.Status.SUPERSEDED
    assert HighlightReport.objects.published().get().version_number == 2
