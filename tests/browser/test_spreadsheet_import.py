"""The demo manager brings part of the LEC action plan in from Excel: downloads
the action-plan template, fills it in (openpyxl, as Excel would save it),
uploads it, sees the preview refuse one mistyped owner with its row and
column, fixes the cell, uploads again, applies the import and finds the new
actions on the LEC review page under the recommendations they answer. Every
page axe-clean."""

import openpyxl
from playwright.sync_api import expect

from actions.models import ActionItem
from exchange.models import ImportRun
from tests.browser.conftest import assert_no_axe_violations, follow, log_in

PROGRAMME = "Organisational Improvement Programme"
REVIEW = "London Efficiency Challenge: London Borough of Bromley"

# Three actions as the council's action plan words them; the second has the
# owner mistyped ("OIP Teem"), the kind of slip the preview must catch.
ROWS = [
    {
        "Action": "Publish the list of key OIP projects and timescales on the intranet",
        "Description": "So that staff can see what the programme is doing and when.",
        "Section": "1",
        "Recommendations": "1.1",
        "Owner": "OIP Team",
        "Deadline": "end of June 2010",
        "Status": "In progress",
        "RAG": "Amber",
    },
    {
        "Action": "Set up a Member reference group for the OIP",
        "Section": "1",
        "Recommendations": "1.3",
        "Owner": "OIP Teem",
        "Deadline": "post-elections",
        "Status": "Not started",
        "RAG": "Not yet rated",
    },
    {
        "Action": "Agree the channel shift strategy with the Customer Focus Group",
        "Section": "3",
        "Recommendations": "3.2",
        "Owner": "CFG",
        "Deadline": "31/07/2010",
        "Status": "Not started",
        "RAG": "Not yet rated",
    },
]
MISTYPED_ROW = 3  # the sheet's row 1 is the headings


def fill_template(template, target, rows):
    """The template with its example rows replaced by `rows` (by heading)."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook["Actions"]
    headings = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append([row.get(heading) for heading in headings])
    workbook.save(target)
    return headings


def upload(page, path):
    page.get_by_label("Programme").select_option(label=PROGRAMME)
    page.get_by_label("Spreadsheet").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()


def test_manager_imports_lec_actions_from_the_template(seeded, page, tmp_path):
    actions_before = ActionItem.objects.count()
    log_in(page, "demo-manager")

    follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes"))
    follow(page.get_by_role("link", name=PROGRAMME, exact=True))
    follow(page.get_by_role("link", name="Import from a spreadsheet"))
    expect(page.get_by_role("heading", name="Spreadsheet imports", level=1)).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the action-plan items template (.xlsx)").click()
    assert download.value.suggested_filename == "actions-template.xlsx"
    template = tmp_path / "actions-template.xlsx"
    download.value.save_as(template)
    headings = fill_template(template, tmp_path / "lec-actions.xlsx", ROWS)
    assert headings[:3] == ["Ref", "Action", "Description"]
    assert {"Owner", "Deadline", "Recommendations", "Section", "RAG"} <= set(headings)

    follow(page.get_by_role("link", name="Import action-plan items"))
    expect(page.get_by_role("heading", name="Import action-plan items")).to_be_visible()
    assert_no_axe_violations(page)
    upload(page, tmp_path / "lec-actions.xlsx")

    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text(
        f"Row {MISTYPED_ROW}, Owner: No owner called “OIP Teem” — did you mean “OIP Team”?"
    )
    expect(page.get_by_role("heading", name="Problems: nothing will be imported until they are fixed")).to_be_visible()
    expect(page.get_by_role("button", name="Apply this import")).to_have_count(0)
    assert ActionItem.objects.count() == actions_before
    assert_no_axe_violations(page)

    # Fix the cell in the same workbook, as the manager would in Excel.
    workbook = openpyxl.load_workbook(tmp_path / "lec-actions.xlsx")
    sheet = workbook["Actions"]
    owner = sheet.cell(row=MISTYPED_ROW, column=headings.index("Owner") + 1)
    assert owner.value == "OIP Teem"
    owner.value = "OIP Team"
    workbook.save(tmp_path / "lec-actions.xlsx")

    follow(page.get_by_role("link", name="Upload the corrected file"))
    upload(page, tmp_path / "lec-actions.xlsx")
    expect(page.get_by_test_id("import-counts")).to_contain_text("Would be: 3 created, 0 updated, 0 unchanged")
    expect(page.get_by_test_id("import-problems")).to_have_count(0)
    for row in ROWS:
        expect(page.get_by_role("row").filter(has_text=row["Action"])).to_contain_text("Create")
    assert ActionItem.objects.count() == actions_before
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Apply this import").click()
    expect(page.get_by_text("Imported lec-actions.xlsx: 3 created, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_test_id("import-status")).to_contain_text("Applied")
    touched = page.get_by_test_id("import-touched")
    for row in ROWS:
        expect(touched.get_by_role("link", name=row["Action"])).to_be_visible()
    assert_no_axe_violations(page)

    run = ImportRun.objects.get(status=ImportRun.Status.APPLIED)
    assert (run.created, run.updated, run.programme.name) == (3, 0, PROGRAMME)
    assert ActionItem.objects.count() == actions_before + 3
    member_group = ActionItem.objects.get(title=ROWS[1]["Action"])
    assert member_group.owner.name == "OIP Team"
    assert member_group.due_wording == "post-elections"
    assert member_group.due_date is None
    assert [str(r.ref) for r in member_group.recommendations.all()] == ["lec-2010-rec-1-3"]
    channel_shift = ActionItem.objects.get(title=ROWS[2]["Action"])
    assert channel_shift.due_date.isoformat() == "2010-07-31"
    assert channel_shift.history.get().history_change_reason == run.history_reason

    follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews & action plans"))
    follow(page.get_by_role("link", name=REVIEW))
    expect(page.get_by_role("heading", name=REVIEW, level=1)).to_be_visible()
    for row in ROWS:
        recommendation = page.locator(f"#rec-lec-2010-rec-{row['Recommendations'].replace('.', '-')}")
        action = recommendation.get_by_role("row").filter(has=page.get_by_role("link", name=row["Action"]))
        expect(action).to_contain_text("OIP Team" if row["Owner"] != "CFG" else "CFG")
        expect(action).to_contain_text(row["Status"])
    assert_no_axe_violations(page)
