"""Committee tables as spreadsheets, under the headings the papers print."""

from core.imports import display_date

MATTERS_ARISING_HEADINGS = [
    "Ref",
    "Minute Number/Title",
    "Meeting",
    "Action",
    "Decision/ Agreement",
    "Update",
    "Action by",
    "Deadline",
    "Due date",
    "Status",
    "RAG",
    "Completion Date",
]


def matters_arising_sheet(rows):
    """The matters-arising table, one row per minuted action, with its ref."""

    def cells(row):
        action = row.action
        update = action.latest_update
        return [
            action.ref,
            f"{row.minute_number} {row.minute_title}".strip(),
            f"{row.meeting.committee.short_name or row.meeting.committee.name}, {display_date(row.meeting.date)}",
            action.title,
            action.description,
            update.note if update else "",
            action.owner.name if action.owner else "",
            action.due_wording_as_shown,
            action.due_date,
            action.get_status_display(),
            action.get_rag_display(),
            action.completed_on,
        ]

    widths = [14, 30, 28, 40, 50, 50, 18, 20, 12, 14, 14, 14]
    return ("Matters arising", MATTERS_ARISING_HEADINGS, (cells(row) for row in rows), widths)
