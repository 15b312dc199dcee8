"""Narrative programme updates (issue 11): a programme's managers draft one
from the latest project updates in a period (a heading per workstream and
project, the paragraphs' own numbers dropped), edit, reorder and finalise it;
everyone logged in reads and prints it with the paragraphs numbered 3.1, 3.2, …
through the whole document, as the OIP update of 18 January 2012 is."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import EditConflict
from programmes.models import NarrativeSection, NarrativeUpdate, Programme
from programmes.services import (
    draft_narrative_update,
    reopen_narrative_update,
    update_narrative_update,
    without_paragraph_numbers,
)
from tests import factories

START, END = datetime.date(2010, 4, 22), datetime.date(2010, 6, 6)


def build(programme, *, projects=2, workstreams=1):
    """Workstreams with projects, each with an update in the period whose text
    carries the paragraph numbers an officer typed."""
    built = []
    for w in range(workstreams):
        workstream = factories.make_workstream(programme, name=f"Workstream {w + 1}", position=w + 1)
        for p in range(projects):
            project = factories.make_project(workstream, name=f"Project {w + 1}.{p + 1}", position=p + 1)
            factories.make_project_update(
                project,
                key_progress=f"3.{p + 4} First progress of {project.name}.\n\n3.{p + 5} More progress.",
                next_tasks=f"3.{p + 6} Next for {project.name}.",
            )
            built.append(project)
    return built


def draft(programme, user, **extra):
    return draft_narrative_update(programme=programme, period_start=START, period_end=END, user=user, **extra)


def sections_of(narrative):
    return list(narrative.sections.values_list("level", "heading", "text"))


def page_numbers(html):
    return re.findall(r'<span class="paragraph-number">([\d.]+)</span>', html)


def edit_data(narrative, *, forms=None, extra=None, **header):
    """The edit form's POST: header, then each section as it is (or as in `forms`)."""
    sections = list(narrative.sections.all())
    data = {
        "title": narrative.title,
        "status": narrative.status,
        "version": narrative.version,
        "sections-TOTAL_FORMS": len(sections) + (1 if extra else 0),
        "sections-INITIAL_FORMS": len(sections),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
        **header,
    }
    for i, section in enumerate(sections):
        values = {"id": section.pk, "heading": section.heading, "level": section.level, "text": section.text}
        values["ORDER"] = i + 1
        values.update((forms or {}).get(i, {}))
        data.update({f"sections-{i}-{key}": value for key, value in values.items() if value is not None})
    if extra:
        data.update({f"sections-{len(sections)}-{key}": value for key, value in extra.items()})
    return data


# --- Drafting ----------------------------------------------------------------------------


def test_paragraph_numbers_are_dropped_but_figures_kept():
    assert without_paragraph_numbers("3.14 Phase 3 of it.\n\n3.15 Landscapes calls.") == (
        "Phase 3 of it.\n\nLandscapes calls."
    )
    assert without_paragraph_numbers("1.5 million residents were asked.") == "1.5 million residents were asked."


def test_draft_has_a_heading_per_workstream_and_project_with_the_numbers_dropped(programme, manager):
    build(programme, projects=2)
    narrative = draft(programme, manager)
    assert narrative.title == "Organisational Improvement Programme update"
    assert narrative.created_by == manager
    assert narrative.is_draft
    assert sections_of(narrative) == [
        (1, "Workstream 1", ""),
        (
            2,
            "Project 1.1",
            "First progress of Project 1.1.\n\nMore progress.\n\nNext for Project 1.1.",
        ),
        (
            2,
            "Project 1.2",
            "First progress of Project 1.2.\n\nMore progress.\n\nNext for Project 1.2.",
        ),
    ]


def test_draft_takes_the_latest_update_in_the_period_and_leaves_out_projects_without_one(programme, manager):
    workstream = factories.make_workstream(programme, name="Customer Service Improvement (CCC)")
    workstream.description = "3.13 The Project Officer has been seconded to the CCC."
    workstream.save()
    reported = factories.make_project(workstream, name="Voice Recognition", position=1)
    factories.make_project_update(reported, period_end=datetime.date(2010, 5, 1), key_progress="Older.")
    factories.make_project_update(reported, key_progress="3.14 Phase 3 of the Voice Recognition project.")
    factories.make_project_update(
        reported, period_start=END, period_end=datetime.date(2010, 7, 1), key_progress="Later."
    )
    factories.make_project(workstream, name="Not reported", position=2)
    narrative = draft(programme, manager, title="OIP update")
    assert narrative.title == "OIP update"
    assert sections_of(narrative) == [
        (1, "Customer Service Improvement (CCC)", "The Project Officer has been seconded to the CCC."),
        (2, "Voice Recognition", "Phase 3 of the Voice Recognition project."),
    ]


def test_draft_includes_a_project_shared_in_from_another_programme(programme, manager):
    ours = factories.make_workstream(programme, name="Cross-cutting corporate projects")
    other = factories.make_workstream(factories.make_programme(name="Shared Services"))
    shared = factories.make_project(other, name="Libraries shared service")
    shared.shared_with.add(ours)
    factories.make_project_update(shared, key_progress="Went live on 1 January.")
    narrative = draft(programme, manager)
    assert [heading for _, heading, _ in sections_of(narrative)] == [
        "Cross-cutting corporate projects",
        "Libraries shared service",
    ]
    assert narrative.sections.get(level=2).project == shared


@pytest.mark.parametrize("who", ["officer", "outsider", "clerk", "colleague"])
def test_only_the_programmes_managers_may_draft(request, programme, who):
    build(programme)
    with pytest.raises(PermissionDenied):
        draft(programme, request.getfixturevalue(who))
    assert not NarrativeUpdate.objects.exists()


def test_a_manager_of_another_programme_may_not_draft(programme):
    build(programme)
    other = factories.make_programme()
    stranger = factories.make_user("quentin", "Programme manager")
    other.managers.add(stranger)
    with pytest.raises(PermissionDenied):
        draft(programme, stranger)


def test_nothing_to_draft_from_is_refused_and_saves_nothing(programme, manager):
    factories.make_project(factories.make_workstream(programme))
    with pytest.raises(ValidationError, match="nothing to draft from"):
        draft(programme, manager)
    assert not NarrativeUpdate.objects.exists()


def test_a_section_too_long_to_save_leaves_no_half_drafted_update(programme, manager, monkeypatch):
    build(programme)

    def refuse_the_second_project(section):
        if section.heading == "Project 1.2":
            raise ValidationError({"text": "Too long."})

    monkeypatch.setattr(NarrativeSection, "clean", refuse_the_second_project)
    with pytest.raises(ValidationError, match="The text drafted for"):
        draft(programme, manager)
    assert not NarrativeUpdate.objects.exists()
    assert not NarrativeSection.objects.exists()


# --- Numbering -----------------------------------------------------------------------------


def test_paragraphs_are_numbered_through_the_whole_document(programme, manager):
    build(programme, projects=2)
    narrative = draft(programme, manager)
    numbered = narrative.numbered_sections()
    assert [[p.number for p in paragraphs] for _, paragraphs in numbered] == [
        [],
        ["3.1", "3.2", "3.3"],
        ["3.4", "3.5", "3.6"],
    ]
    assert [p.number for p in narrative.numbered_sections(number_from=4)[1][1]] == ["4.1", "4.2", "4.3"]


def test_bulleted_lines_stay_in_their_paragraph():
    section = NarrativeSection(heading="Shared Services", text="The areas are:\n- Libraries\n- Legal\n\nAfter.")
    narrative = NarrativeUpdate(pk=1)  # unsaved: its sections as if prefetched
    narrative._prefetched_objects_cache = {"sections": [section]}
    [(_, paragraphs)] = narrative.numbered_sections()
    assert paragraphs[0] == ("3.1", "The areas are:", ["Libraries", "Legal"])
    assert paragraphs[1] == ("3.2", "After.", [])


# --- Pages ---------------------------------------------------------------------------------


def test_anyone_logged_in_reads_the_page_with_headings_and_numbered_paragraphs(client, programme, manager, clerk):
    build(programme, projects=2)
    narrative = draft(programme, manager)
    client.force_login(clerk)
    html = client.get(narrative.get_absolute_url()).content.decode()
    assert '<h2 class="narrative-heading">Workstream 1</h2>' in html
    assert '<h3 class="narrative-heading">Project 1.2</h3>' in html
    assert page_numbers(html) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert "First progress of Project 1.1." in html
    assert "3.4 First" not in html
    assert reverse("programmes:narrative_edit", args=[narrative.pk]) not in html


def test_page_renumbers_from_another_section_and_ignores_nonsense(client, programme, manager, officer):
    build(programme, projects=1)
    narrative = draft(programme, manager)
    client.force_login(officer)
    url = narrative.get_absolute_url()
    assert page_numbers(client.get(url, {"number_from": 5}).content.decode())[0] == "5.1"
    assert page_numbers(client.get(url, {"number_from": "x"}).content.decode())[0] == "3.1"
    print_html = client.get(reverse("programmes:narrative_print", args=[narrative.pk]), {"number_from": 5})
    assert page_numbers(print_html.content.decode())[0] == "5.1"


def test_print_view_is_a4_portrait_and_says_draft_in_words(client, programme, manager, officer):
    build(programme)
    narrative = draft(programme, manager)
    client.force_login(officer)
    html = client.get(reverse("programmes:narrative_print", args=[narrative.pk])).content.decode()
    assert "css/narrative-print.css" in html
    assert "<strong>DRAFT</strong>" in html
    with open("static/css/narrative-print.css", encoding="utf-8") as css:
        assert "size: A4 portrait" in css.read()
    with open("static/css/narrative.css", encoding="utf-8") as css:
        assert "break-after: avoid" in css.read()


def test_list_shows_the_programmes_narrative_updates_and_the_draft_button_to_managers(
    client, programme, manager, officer
):
    build(programme)
    narrative = draft(programme, manager)
    url = reverse("programmes:narratives", args=[programme.ref])
    client.force_login(officer)
    html = client.get(url).content.decode()
    assert f'data-narrative="{narrative.pk}"' in html
    assert "Draft" in html
    assert "Draft a narrative update" not in html
    client.force_login(manager)
    assert "Draft a narrative update" in client.get(url).content.decode()
    assert (
        reverse("programmes:narratives", args=[programme.ref])
        in client.get(programme.get_absolute_url()).content.decode()
    )


def test_draft_form_proposes_the_period_after_the_last_one(client, programme, manager):
    build(programme)
    draft(programme, manager)
    client.force_login(manager)
    response = client.get(reverse("programmes:narrative_create", args=[programme.ref]))
    assert response.context["form"].initial["period_start"] == END + datetime.timedelta(days=1)


def test_manager_drafts_through_the_form_and_lands_on_the_edit_page(client, programme, manager):
    build(programme)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:narrative_create", args=[programme.ref]),
        {"period_start": START.isoformat(), "period_end": END.isoformat(), "title": ""},
    )
    narrative = NarrativeUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:narrative_edit", args=[narrative.pk])
    assert narrative.sections.count() == 3


def test_draft_form_explains_a_period_with_no_updates(client, programme, manager):
    build(programme)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:narrative_create", args=[programme.ref]),
        {"period_start": "2011-01-01", "period_end": "2011-02-01"},
    )
    assert response.status_code == 200
    assert "nothing to draft from" in response.content.decode()
    assert not NarrativeUpdate.objects.exists()


def test_draft_form_refuses_a_period_ending_before_it_starts(client, programme, manager):
    build(programme)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:narrative_create", args=[programme.ref]),
        {"period_start": END.isoformat(), "period_end": START.isoformat()},
    )
    assert "The period cannot end before it starts." in response.content.decode()
    assert not NarrativeUpdate.objects.exists()


# --- Editing -------------------------------------------------------------------------------


def test_manager_edits_a_paragraph_reorders_adds_and_removes_headings(client, programme, manager):
    build(programme, projects=2)
    narrative = draft(programme, manager)
    client.force_login(manager)
    data = edit_data(
        narrative,
        title="OIP update, January",
        forms={
            1: {"text": "Rewritten.\n\nA second paragraph.", "ORDER": 3},
            2: {"ORDER": 2},
        },
        extra={"heading": "Market Testing", "level": 2, "text": "Outsourcing is being tested.", "ORDER": 4},
    )
    data["sections-0-DELETE"] = "on"
    response = client.post(reverse("programmes:narrative_edit", args=[narrative.pk]), data)
    assert response.status_code == 302
    narrative.refresh_from_db()
    assert narrative.title == "OIP update, January"
    assert narrative.version == 2
    assert [(s.position, s.heading) for s in narrative.sections.all()] == [
        (1, "Project 1.2"),
        (2, "Project 1.1"),
        (3, "Market Testing"),
    ]
    html = client.get(narrative.get_absolute_url()).content.decode()
    assert page_numbers(html) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert re.search(r'paragraph-number">3\.4</span>\s*<div class="paragraph-text">\s*<p>Rewritten\.', html)


def test_edit_after_someone_elses_save_is_refused_with_what_they_changed(client, programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    stale = edit_data(narrative, forms={1: {"text": "Mine."}})
    update_narrative_update(
        narrative=NarrativeUpdate.objects.get(pk=narrative.pk),
        user=manager,
        expected_version=1,
        sections=list(narrative.sections.all()),
        title="Theirs",
    )
    client.force_login(manager)
    response = client.post(reverse("programmes:narrative_edit", args=[narrative.pk]), stale)
    assert response.status_code == 200
    assert "saved this while you were editing it" in response.content.decode()
    assert "Mine." not in NarrativeSection.objects.values_list("text", flat=True)
    assert NarrativeUpdate.objects.get().title == "Theirs"


def test_service_refuses_a_stale_version(programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    with pytest.raises(EditConflict):
        update_narrative_update(
            narrative=narrative, user=manager, expected_version=0, sections=list(narrative.sections.all())
        )


def test_a_blank_heading_is_refused_and_saves_nothing(client, programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    client.force_login(manager)
    response = client.post(
        reverse("programmes:narrative_edit", args=[narrative.pk]), edit_data(narrative, forms={1: {"heading": ""}})
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert NarrativeUpdate.objects.get().version == 1


def test_another_narratives_section_cannot_be_posted(client, programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    other = draft(programme, manager)
    data = edit_data(narrative, forms={1: {"id": other.sections.last().pk, "text": "Hijacked"}})
    client.force_login(manager)
    response = client.post(reverse("programmes:narrative_edit", args=[narrative.pk]), data)
    assert "own sections" in response.content.decode()
    assert not NarrativeSection.objects.filter(text="Hijacked").exists()


def test_a_final_narrative_is_read_only_until_set_back_to_draft(client, programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    client.force_login(manager)
    url = reverse("programmes:narrative_edit", args=[narrative.pk])
    assert client.post(url, edit_data(narrative, status="final")).status_code == 302
    narrative.refresh_from_db()
    assert narrative.status == "final"
    response = client.post(url, edit_data(narrative, title="Changed after"), follow=True)
    assert "This narrative update is final" in response.content.decode()
    assert NarrativeUpdate.objects.get().title != "Changed after"
    with pytest.raises(ValidationError, match="final"):
        update_narrative_update(
            narrative=narrative, user=manager, expected_version=narrative.version, sections=[], title="X"
        )
    page = client.get(narrative.get_absolute_url()).content.decode()
    assert "Set back to draft" in page
    assert "Final: read-only" in page
    client.post(reverse("programmes:narrative_reopen", args=[narrative.pk]), {"version": narrative.version})
    assert NarrativeUpdate.objects.get().is_draft


def test_reopening_a_draft_is_refused(programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    with pytest.raises(ValidationError, match="already a draft"):
        reopen_narrative_update(narrative=narrative, user=manager, expected_version=1)


# --- Permissions on the pages ----------------------------------------------------------------


def write_urls(narrative, programme):
    return [
        (reverse("programmes:narrative_create", args=[programme.ref]), {"period_start": "2010-04-22"}),
        (reverse("programmes:narrative_edit", args=[narrative.pk]), edit_data(narrative, title="Planted")),
        (reverse("programmes:narrative_reopen", args=[narrative.pk]), {"version": narrative.version}),
    ]


@pytest.mark.parametrize("who", ["officer", "outsider", "clerk"])
def test_only_managers_write_narrative_updates(request, client, programme, manager, who):
    build(programme)
    narrative = draft(programme, manager)
    client.force_login(request.getfixturevalue(who))
    for url, data in write_urls(narrative, programme):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, data).status_code == 403, url
    assert NarrativeUpdate.objects.get().title == narrative.title
    assert NarrativeUpdate.objects.count() == 1


@pytest.mark.parametrize("who", ["officer", "outsider", "clerk"])
def test_anyone_logged_in_reads_narrative_updates(request, client, programme, manager, who):
    build(programme)
    narrative = draft(programme, manager)
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("programmes:narratives", args=[programme.ref]),
        narrative.get_absolute_url(),
        reverse("programmes:narrative_print", args=[narrative.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert narrative.title in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, programme, manager):
    build(programme)
    narrative = draft(programme, manager)
    for url in (narrative.get_absolute_url(), reverse("programmes:narrative_edit", args=[narrative.pk])):
        assert "/login/" in client.get(url)["Location"]


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_pages_run_constant_queries(client, programme, manager, size, django_assert_num_queries):
    build(programme, projects=size, workstreams=2)
    narrative = draft(programme, manager)
    for _ in range(size // 2):
        draft(programme, manager)
    client.force_login(manager)
    pages = [
        (reverse("programmes:narratives", args=[programme.ref]), 12),
        (narrative.get_absolute_url(), 9),
        (reverse("programmes:narrative_print", args=[narrative.pk]), 9),
        (reverse("programmes:narrative_edit", args=[narrative.pk]), 10),
    ]
    for url, queries in pages:
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200


# --- The OIP update of 18 January 2012 -----------------------------------------------------------


@pytest.fixture
def seeded(seed_data):
    """The 2010 seeds, restored rather than loaded (tests/seed_cache.py)."""


# The headings of "3. COMMENTARY" in the OIP update of 18 January 2012
# (../shared/seeds/oip-update-2012-01-18.txt), in its order. Copied here so the
# suite needs nothing outside the repository.
SEED_HEADINGS = [
    "Joint commissioning (New department)",
    "Public Health",
    "Customer Service Improvement (CCC)",
    "Voice recognition",
    "Service migrations",
    "New Technology Working Group recommendations",
    "Stopford appointment booking system",
    "Blue Badge improvement scheme",
    "Tell Us Once",
    "Other customer service workstreams",
    "Shared Services",
    "Regulatory Services",
    "Civic centre accommodation",
    "Organisational Design",
    "Centralisation/Rationalisation of Support Services",
    "Market Testing",
    "Invest to Save for Special Educational Needs Provision",
]


def seed_headings():
    return SEED_HEADINGS


def test_drafting_the_january_2012_oip_update_reproduces_the_seeds_headings(seeded, client):
    oip = Programme.objects.get(ref="oip")
    manager = factories.make_user("pat", "Programme manager")
    oip.managers.add(manager)
    narrative = draft_narrative_update(
        programme=oip, period_start=datetime.date(2011, 10, 1), period_end=datetime.date(2012, 1, 18), user=manager
    )
    headings = [section.heading.lower() for section in narrative.sections.filter(level=2)]
    in_seed = [heading.lower() for heading in seed_headings()]
    assert len(headings) == 16
    # The seed's headings the projects are named by, in the seed's order (it
    # heads "CCC Service Migrations" as "Service migrations").
    assert [heading for heading in in_seed if heading in headings] == [h for h in headings if h in in_seed]
    assert len([heading for heading in headings if heading in in_seed]) >= 14
    assert "customer service improvement (ccc)" in [s.heading.lower() for s in narrative.sections.filter(level=1)]
    client.force_login(manager)
    html = client.get(narrative.get_absolute_url()).content.decode()
    assert '<h3 class="narrative-heading">Voice Recognition</h3>' in html
    assert "Phase 3 of the Voice Recognition project" in html
    assert "3.14 Phase 3" not in html
    assert not any(re.match(r"\d+\.\d+ ", paragraph) for s in narrative.sections.all() for paragraph in s.paragraphs)
    numbers = page_numbers(html)
    assert numbers == [f"3.{i}" for i in range(1, len(numbers) + 1)]
    assert "<li>Libraries back-office and managerial savings" in html
