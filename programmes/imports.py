"""The programme's sheets: workstreams and projects, milestones, the risk log,
benefits and project updates, each imported into a programme and exported
from the list that shows them (core.imports does the reading, preview and
commit; programmes.services saves every row, as the forms do).

Every kind looks rows up among the target programme's own projects: a
project another programme shares into one of its workstreams is changed by
its home programme's managers, so it is neither offered here nor exported
from this programme's lists.
"""

import contextlib
import decimal
import difflib
import re

from django.core.exceptions import ValidationError

from core.imports import (
    CellProblem,
    Column,
    Directory,
    ImportKind,
    choice,
    claim_new,
    date,
    deadline_from_wording,
    display_date,
    integer,
    keep_when_blank,
    money,
    optional_yes_no,
    owner_directory,
    parse_date,
    single_line,
    text,
)
from core.models import RAG
from core.permissions import managed_programme_ids
from programmes import services
from programmes.models import (
    Benefit,
    BenefitType,
    Level,
    Milestone,
    MilestoneStatus,
    Programme,
    Project,
    ProjectStage,
    ProjectUpdate,
    Risk,
    RiskKind,
    RiskStatus,
    Workstream,
    financial_year_label,
)

# --- What the kinds share ------------------------------------------------------


def programme_targets(user, perm):
    """The programmes `user` may import into: those they manage (all, for an administrator)."""
    ids = managed_programme_ids(user, perm)
    programmes = Programme.objects.order_by("name")
    return programmes if ids is None else programmes.filter(pk__in=ids)


def own_projects(programme):
    """The programme's own projects, with what their rows and exports show."""
    return Project.objects.filter(workstream__programme=programme).select_related("workstream", "owner")


def project_directory(projects):
    return Directory(
        projects,
        names=lambda p: [p.ref, p.name],
        noun="project in this programme",
        hint="Give the project's Ref or its name as the programme page lists it.",
    )


def key(value):
    """Text compared as a person reads it: any case, any spacing."""
    return " ".join(str(value or "").split()).casefold()


def owner_name(item):
    return item.owner.name if item.owner_id else ""


def name_of(value):
    return value.name if value is not None else ""


LEVELS = {"l": Level.LOW, "low": Level.LOW, "m": Level.MEDIUM, "medium": Level.MEDIUM, "med": Level.MEDIUM}
LEVELS |= {"h": Level.HIGH, "high": Level.HIGH, "1": Level.LOW, "2": Level.MEDIUM, "3": Level.HIGH}


def level(value, context=None):
    """A probability or impact as the risk log grades it: L, M or H (or Low, Medium, High)."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = LEVELS.get(key(value))
    if found is None:
        raise CellProblem(f"“{str(value).strip()}” is not L, M or H (Low, Medium or High).")
    return int(found)


level.allowed = ["Low", "Medium", "High", "L", "M", "H"]


def show_level(value):
    return Level(value).label if value else ""


def percent(value, context=None):
    """A percentage: 20, 20% or 15.5 %."""
    if value is None or str(value).strip() == "":
        return None
    written = str(value).strip().rstrip("%").strip()
    try:
        number = decimal.Decimal(written)
    except decimal.InvalidOperation:
        raise CellProblem(f"“{str(value).strip()}” is not a percentage, e.g. 20 or 20%.") from None
    return number.quantize(decimal.Decimal("0.01"))


def financial_year(value, context=None):
    """A financial year as the council writes it, “2012/13” (or 2012), held as the year it starts."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", str(value).strip())
    if not match or (match[2] and int(match[2]) % 100 != (int(match[1]) + 1) % 100):
        raise CellProblem(f"“{str(value).strip()}” is not a financial year such as 2012/13.")
    return int(match[1])


def yes_no_of(attr):
    """An export's Yes or No for a true-or-false field (not Excel's TRUE/FALSE)."""
    return lambda item: "Yes" if getattr(item, attr) else "No"


def next_position(lookups, group, start):
    """Positions for new rows after those already in `group` (a workstream, a project)."""
    positions = lookups.setdefault("positions", {})
    positions[group] = positions.get(group, start) + 1
    return positions[group]


def highest(items, attr, group):
    """{group key: the highest `attr` among `items`}."""
    found = {}
    for item in items:
        number = getattr(item, attr) or 0
        found[group(item)] = max(found.get(group(item), 0), number)
    return found


class ProgrammeKind(ImportKind):
    """A sheet imported into one programme, by its managers."""

    target_noun = "programme"
    perm = ""
    programme_lookup = "project__workstream__programme"  # from an exported item to its programme

    def targets(self, user):
        return programme_targets(user, self.perm)

    def export_items(self):
        """Every item of the kind, with what its export columns show."""
        raise NotImplementedError

    def export_queryset(self, target=None):
        items = self.export_items()
        return items.filter(**{self.programme_lookup: target}) if target is not None else items


PROJECT_COLUMN = Column(
    "Project",
    "project",
    lambda v, lookups: lookups["projects"].find(v),
    required=True,
    export=lambda item: item.project.ref,
    show=name_of,
    help="The project's Ref or its name, e.g. “Website upgrade”.",
    width=30,
)
OWNER_HELP = "A person or team as named under People, e.g. “OIP Team” or “Bexley / Bromley”."
RAG_COLUMN = Column("RAG", "rag", choice(RAG), help="Red, Amber, Green, Complete or Not yet rated.", width=14)


# --- Workstreams and projects ------------------------------------------------------


def workstream_or_new(value, lookups):
    """The programme's workstream named (by name or ref), or a new one of that
    name, made when the import is applied: one for every row that names it.
    A name close to an existing workstream's is remembered, for the preview
    to ask whether that one was meant."""
    name = single_line(value)
    if not name:
        return None
    with contextlib.suppress(CellProblem):
        return lookups["workstreams"].find(name)
    new = lookups["new_workstreams"].get(key(name))
    if new is None:
        position = next_position(lookups, "workstreams", lookups["last_workstream_position"])
        new = Workstream(programme=lookups["programme"], name=name, position=position)
        new.near_name = next(iter(difflib.get_close_matches(name, lookups["workstream_names"], n=1, cutoff=0.75)), "")
        try:
            new.clean_fields(exclude=["programme", "owner", "ref"])
        except ValidationError as error:
            raise CellProblem(" ".join(error.messages)) from None
        lookups["new_workstreams"][key(name)] = new
    return new


class ProjectKind(ProgrammeKind):
    slug = "workstreams-projects"
    position = 5
    programme_lookup = "workstream__programme"
    title = "Workstreams and projects"
    noun = "project"
    sheet_name = "Projects"
    perm = "programmes.add_project"
    description = (
        "The programme's projects, one row each, under their workstreams. A workstream not yet in the "
        "programme is added when the import is applied; the preview names it beside each of its projects."
    )
    matching = (
        "Rows are matched by Ref; a row without one is matched by its Project name within the programme "
        "(and its workstream, where two projects share a name)."
    )
    columns = [
        Column("Ref", export=lambda p: p.ref, help="Leave blank for a new project: one is made for it.", width=30),
        Column(
            "Programme",
            export=lambda p: p.workstream.programme.name,
            help="Shown in exports; the rows go into the programme you choose when you upload.",
            width=30,
        ),
        Column(
            "Workstream",
            "workstream",
            workstream_or_new,
            required=True,
            export=lambda p: p.workstream.name,
            show=name_of,
            help="The workstream's name, e.g. “Office Accommodation”; a new name adds a workstream.",
            width=30,
        ),
        Column("Project", "name", single_line, required=True, width=40),
        Column("Description", "description", text, width=50),
        Column("Owner", "owner", lambda v, lookups: lookups["owners"].find(v), export=owner_name, help=OWNER_HELP),
        Column(
            "Stage",
            "stage",
            choice(ProjectStage),
            help="Blank: Implementation for a new project. To close a project use “Close, hold or resume” "
            "on its page, which asks for the closing date and the lessons learned.",
        ),
        Column(
            "On hold",
            "on_hold",
            optional_yes_no,
            export=yes_no_of("on_hold"),
            help="Yes or No; blank leaves it as it is.",
            width=10,
        ),
        RAG_COLUMN,
        Column(
            "Deadline",
            "due_wording",
            text,
            help="In the programme's own words, e.g. “December 2011”, or a date.",
            width=24,
        ),
        Column("Due date", "due_date", date, help="The real date used to tell it is overdue (optional)."),
        Column("Start", "start_wording", single_line, help="As written, e.g. “June 2010”, or a date."),
        Column("Start date", "start_date", date),
        Column(
            "Last update",
            export=lambda p: display_date(getattr(p, "last_update_on", None)),
            help="Shown in exports only; record progress with the Project updates sheet.",
        ),
    ]
    examples = [
        {
            "Workstream": "Office Accommodation",
            "Project": "Business case and implementation planning for office accommodation project",
            "Owner": "OIP Team",
            "Stage": "Business case",
            "RAG": "Amber",
            "Deadline": "post-elections",
        },
        {
            "Workstream": "Self-service and ICT",
            "Project": "Website upgrade",
            "Description": "A joint web platform with LB Bexley: fully transactional online services.",
            "Owner": "Bexley / Bromley",
            "Stage": "Implementation",
            "RAG": "Amber",
            "Deadline": "December 2011",
            "Due date": "31/12/2011",
            "Start": "June 2010",
            "Start date": "01/06/2010",
        },
        {
            "Workstream": "Customer and Service Led Improvement",
            "Project": "CCC Service Migrations",
            "Owner": "OIP Team",
            "RAG": "Green",
            "Deadline": "June 2010",
        },
    ]

    def lookups(self, programme):
        projects = list(own_projects(programme))
        workstreams = list(Workstream.objects.filter(programme=programme))
        by_name = {}
        for project in projects:
            by_name.setdefault(key(project.name), []).append(project)
        return {
            "programme": programme,
            "by_ref": {p.ref: p for p in projects},
            "by_name": by_name,
            "owners": owner_directory(),
            "workstreams": Directory(workstreams, names=lambda w: [w.ref, w.name], noun="workstream"),
            "workstream_names": [w.name for w in workstreams],
            "new_workstreams": {},
            "last_workstream_position": max((w.position for w in workstreams), default=0),
            "last_positions": highest(projects, "position", lambda p: p.workstream_id),
        }

    def label(self, project):
        workstream = project.workstream  # the row's, or joined by lookups
        if workstream.pk is None:
            near = f" — did you mean “{workstream.near_name}”?" if workstream.near_name else ""
            return f"{project.name} (new workstream “{workstream.name}”{near})"
        return project.name

    def derive(self, values):
        keep_when_blank(values, "Stage", "On hold", "RAG")
        deadline_from_wording(values, "Deadline", "Due date")
        if values.get("Start date") is None and values.get("Start"):
            with contextlib.suppress(ValueError):
                values["Start date"] = parse_date(values["Start"])

    def find(self, values, lookups, programme):
        ref = values.get("Ref")
        if ref:
            found = lookups["by_ref"].get(ref)
            if found is None:
                claim_new(lookups, ("ref", ref), self.noun)
            return found
        workstream = values["Workstream"]
        candidates = lookups["by_name"].get(key(values["Project"]), [])
        if len(candidates) > 1:
            candidates = [p for p in candidates if workstream.pk and p.workstream_id == workstream.pk]
            if len(candidates) != 1:
                raise CellProblem(
                    f"This programme has several projects called “{values['Project']}”: give the Ref of the one "
                    "this row is for."
                )
        if candidates:
            values["Project"] = candidates[0].name  # matched ignoring case and spacing: not a rename
            return candidates[0]
        claim_new(lookups, ("name", id(workstream), key(values["Project"])), self.noun)
        return None

    def new(self, values, lookups, programme):
        workstream = values["Workstream"]
        group = workstream.pk or id(workstream)
        position = next_position(lookups, group, lookups["last_positions"].get(workstream.pk, 0))
        return Project(workstream=workstream, position=position)

    def save(self, project, m2m, *, user, expected_version):
        workstream = project.workstream
        if workstream.pk is None:
            workstream._change_reason = getattr(project, "_change_reason", None)
            try:
                services.create_workstream(user=user, workstream=workstream)
            except ValidationError as error:
                raise ValidationError({"workstream": error.messages}) from error
        project.workstream = workstream  # its id, now that it has one
        if project._state.adding:
            return services.create_project(user=user, project=project)
        return services.update_project(project=project, user=user, expected_version=expected_version)

    def export_items(self):
        return Project.objects.select_related("owner", "workstream__programme").with_last_update()


# --- Milestones ------------------------------------------------------------------


class MilestoneKind(ProgrammeKind):
    slug = "milestones"
    position = 6
    title = "Milestones"
    noun = "milestone"
    sheet_name = "Milestones"
    perm = "programmes.add_milestone"
    description = (
        "Key milestones of the programme's projects by stage or phase (PID 4.6): the target date in the "
        "plan's words, the responsible officer, status and RAG."
    )
    matching = "Rows are matched by Ref; a row without one is matched by its Milestone text within its project."
    columns = [
        Column("Ref", export=lambda m: m.ref, help="Leave blank for a new milestone: one is made for it.", width=30),
        PROJECT_COLUMN,
        Column("No.", "number", single_line, help="As numbered in the plan, e.g. “1.1”.", width=8),
        Column("Stage or phase", "stage", single_line, help="e.g. “Governance”, “Implementation”."),
        Column("Milestone", "name", single_line, required=True, width=50),
        Column(
            "Target date",
            "due_wording",
            text,
            help="In the plan's own words, e.g. “June/July 2010”, “Autumn 2010”, or a date.",
            width=20,
        ),
        Column("Due date", "due_date", date, help="The real date used to tell it is overdue (optional)."),
        Column(
            "Responsible officer",
            "owner",
            lambda v, lookups: lookups["owners"].find(v),
            export=owner_name,
            help=OWNER_HELP,
            width=22,
        ),
        Column(
            "Status",
            "status",
            choice(MilestoneStatus),
            help="Blank: Not started for a new milestone. An achieved milestone needs its Achieved on date "
            "and is rated Complete.",
        ),
        Column("Achieved on", "achieved_on", date),
        Column("RAG", "rag", choice(RAG), help="Blank leaves it as it is (Not yet rated for a new milestone)."),
        Column(
            "Key milestone",
            "key",
            optional_yes_no,
            export=yes_no_of("key"),
            help="Yes to offer it to the highlight report's key milestones (blank: Yes for a new one).",
            width=12,
        ),
    ]
    examples = [
        {
            "Project": "Website upgrade",
            "No.": "1.1",
            "Stage or phase": "Governance",
            "Milestone": "Establish governance arrangements for the project.",
            "Target date": "June/July 2010",
            "Due date": "31/07/2010",
            "Responsible officer": "Bexley / Bromley",
            "Status": "Not started",
            "Key milestone": "Yes",
        },
        {
            "Project": "Website upgrade",
            "No.": "2.2",
            "Stage or phase": "Planning",
            "Milestone": "Start the tender process",
            "Target date": "Autumn 2010",
            "Responsible officer": "Bexley / Bromley",
            "Status": "Not started",
            "Key milestone": "No",
        },
    ]

    def lookups(self, programme):
        projects = list(own_projects(programme))
        milestones = list(Milestone.objects.filter(project__in=projects).select_related("owner", "project"))
        return {
            "projects": project_directory(projects),
            "owners": owner_directory(),
            "by_ref": {m.ref: m for m in milestones},
            "by_name": {(m.project_id, key(m.name)): m for m in milestones},
            "last_positions": highest(milestones, "position", lambda m: m.project_id),
        }

    def label(self, milestone):
        return str(milestone)

    def derive(self, values):
        keep_when_blank(values, "Status", "RAG", "Key milestone")
        deadline_from_wording(values, "Target date", "Due date")
        if values.get("Status") == MilestoneStatus.ACHIEVED:
            values["RAG"] = RAG.COMPLETE  # as programmes.services._rate_achieved rates it

    def find(self, values, lookups, programme):
        project, ref = values["Project"], values.get("Ref")
        claim = ("ref", ref) if ref else (project.pk, key(values["Milestone"]))
        found = lookups["by_ref" if ref else "by_name"].get(claim[1] if ref else claim)
        if found is not None and not ref:
            values["Milestone"] = found.name  # matched ignoring case and spacing: not a rename
        status = values.get("Status", found.status if found else MilestoneStatus.PLANNED)
        if values.get("RAG") == RAG.COMPLETE and status != MilestoneStatus.ACHIEVED:
            raise CellProblem(
                "Only an achieved milestone is rated Complete: mark it Achieved, with its date, or choose a RAG."
            )
        if found is None:
            claim_new(lookups, claim, self.noun)
        return found

    def new(self, values, lookups, programme):
        project = values["Project"]
        position = next_position(lookups, project.pk, lookups["last_positions"].get(project.pk, 0))
        return Milestone(project=project, position=position)

    def export_items(self):
        return Milestone.objects.select_related("owner", "project")


# --- The risk log ------------------------------------------------------------------


class RiskKindSheet(ProgrammeKind):
    slug = "risks"
    position = 7
    title = "Risks and issues"
    noun = "risk or issue"
    sheet_name = "Risks"
    perm = "programmes.add_risk"
    description = (
        "The risk and issue log of the programme's projects (PID 4.5): each risk graded by probability and "
        "impact (L/M/H), its mitigating actions and responsible officer."
    )
    matching = "Rows are matched by Ref; a row without one is matched by its Risk no. within its project."
    columns = [
        Column("Ref", export=lambda r: r.ref, help="Leave blank for a new risk: one is made for it.", width=30),
        PROJECT_COLUMN,
        Column(
            "Risk no.",
            "number",
            integer,
            help="Its number in the project's log; blank numbers a new risk after the project's highest.",
            width=9,
        ),
        Column("Risk or issue", "kind", choice(RiskKind), help="Risk or Issue; blank: Risk for a new row."),
        Column("Description", "description", text, required=True, width=50),
        Column("Probability", "probability", level, required=True, show=show_level, help="L, M or H.", width=12),
        Column("Impact", "impact", level, required=True, show=show_level, help="L, M or H.", width=12),
        Column(
            "Grade",
            export=lambda r: r.grading,
            help="Shown in exports only: probability × impact, e.g. “M/H, score 6 (High)”.",
        ),
        Column("Mitigating actions", "mitigation", text, width=50),
        Column(
            "Responsible officer",
            "owner",
            lambda v, lookups: lookups["owners"].find(v),
            export=owner_name,
            help=OWNER_HELP,
            width=22,
        ),
        Column("Status", "status", choice(RiskStatus), help="Open or Closed; blank: Open for a new row."),
        Column("Raised on", "raised_on", date),
        Column("Closed on", "closed_on", date, help="Only for a closed risk."),
        Column(
            "Escalated",
            "escalated",
            optional_yes_no,
            export=yes_no_of("escalated"),
            help="Yes to escalate it to the programme (offered to the highlight report).",
            width=10,
        ),
    ]
    examples = [
        {
            "Project": "Website upgrade",
            "Risk no.": 1,
            "Risk or issue": "Risk",
            "Description": "The savings resulting from the online services are dependent on customer uptake "
            "which may not materialise.",
            "Probability": "L",
            "Impact": "H",
            "Mitigating actions": "Actions to encourage take up will be implemented.",
            "Responsible officer": "Bexley / Bromley",
            "Status": "Open",
            "Raised on": "19/05/2010",
            "Escalated": "No",
        },
        {
            "Project": "Website upgrade",
            "Risk no.": 2,
            "Risk or issue": "Risk",
            "Description": "The partnership cannot agree on governance arrangements and key decisions.",
            "Probability": "M",
            "Impact": "H",
            "Mitigating actions": "Early discussion between the partners to agree governance arrangements.",
            "Responsible officer": "Bexley / Bromley",
            "Status": "Open",
            "Raised on": "19/05/2010",
            "Escalated": "Yes",
        },
    ]

    def lookups(self, programme):
        projects = list(own_projects(programme))
        risks = list(Risk.objects.filter(project__in=projects).select_related("owner", "project"))
        return {
            "projects": project_directory(projects),
            "owners": owner_directory(),
            "by_ref": {r.ref: r for r in risks},
            "by_number": {(r.project_id, r.number): r for r in risks},
            "last_numbers": highest(risks, "number", lambda r: r.project_id),
        }

    def label(self, risk):
        return f"{risk.get_kind_display()} {risk.number}: {' '.join(risk.description.split())[:80]}"

    def derive(self, values):
        keep_when_blank(values, "Risk or issue", "Status", "Escalated")

    def find(self, values, lookups, programme):
        project, ref, number = values["Project"], values.get("Ref"), values.get("Risk no.")
        if ref and ref in lookups["by_ref"]:
            return lookups["by_ref"][ref]
        if not ref and number is not None and (project.pk, number) in lookups["by_number"]:
            return lookups["by_number"][(project.pk, number)]
        if number is not None and (project.pk, number) in lookups["by_number"]:
            raise CellProblem(
                f"{project.name} already has a risk {number} with another Ref: give that Ref, or another Risk no."
            )
        # A new risk: numbered as create_risk would, after the project's
        # highest number and those earlier rows of this file give it.
        numbers = lookups.setdefault("numbers", {})
        highest_so_far = numbers.get(project.pk, lookups["last_numbers"].get(project.pk, 0))
        if number is None:
            number = values["Risk no."] = highest_so_far + 1
        numbers[project.pk] = max(highest_so_far, number)
        claim_new(lookups, (project.pk, number), f"{self.noun} {number} to {project.name}")
        if ref:
            claim_new(lookups, ("ref", ref), self.noun)
        return None

    def new(self, values, lookups, programme):
        return Risk(project=values["Project"])

    def export_items(self):
        return Risk.objects.select_related("owner", "project")


# --- Benefits and savings ------------------------------------------------------------


class BenefitKind(ProgrammeKind):
    slug = "benefits"
    position = 8
    title = "Benefits and savings"
    noun = "benefit"
    sheet_name = "Benefits"
    perm = "programmes.add_benefit"
    description = (
        "The benefits and savings the programme's projects are to deliver (PID 1.8 and 2.6): a target in "
        "pounds, or a percentage (or range) of a stated base, and the financial year."
    )
    matching = (
        "Rows are matched by Id (as exported); a row without one is matched by its Description within its project."
    )
    columns = [
        Column(
            "Id",
            parse=integer,
            export=lambda b: b.pk,
            help="Leave blank for a new benefit; exports fill it in.",
            width=8,
        ),
        PROJECT_COLUMN,
        Column("Type", "type", choice(BenefitType), required=True, width=24),
        Column("Description", "description", text, required=True, width=60),
        Column("Target (£)", "target_amount", money, help="In pounds, e.g. 360000 or £360,000.", width=14),
        Column(
            "At least",
            "at_least",
            optional_yes_no,
            export=yes_no_of("at_least"),
            help="Yes for “at least” or “a minimum of”.",
            width=10,
        ),
        Column("Target (%)", "target_percent_low", percent, help="e.g. 20, or 15 for 15–20%.", width=12),
        Column("Up to (%)", "target_percent_high", percent, help="The top of a range (20 for 15–20%).", width=12),
        Column("Percentage of", "percent_of", single_line, help="The base, e.g. “combined management cost”."),
        Column("Target as written", "target_wording", single_line, width=40),
        Column(
            "Financial year",
            "financial_year",
            financial_year,
            export=lambda b: b.financial_year_label,
            show=financial_year_label,
            help="e.g. 2012/13.",
            width=14,
        ),
        Column(
            "Realised so far",
            export=lambda b: getattr(b, "realised", None),
            help="Shown in exports only; record amounts realised on the project's page.",
            width=14,
        ),
    ]
    examples = [
        {
            "Project": "Website upgrade",
            "Type": "Cash savings",
            "Description": "Channel shift to web self-service: 10% of Bromley's 800,000 calls a year moved online.",
            "Target (£)": 360000,
            "Target as written": "efficiencies totalling approximately £360,000",
            "Financial year": "2011/12",
        },
        {
            "Project": "Website upgrade",
            "Type": "Efficiency gains",
            "Description": "Sharing the initial capital investment costs with LB Bexley.",
            "At least": "Yes",
            "Target (%)": 10,
            "Up to (%)": 15,
            "Percentage of": "calls moved to online self-service",
        },
    ]

    def lookups(self, programme):
        projects = list(own_projects(programme))
        benefits = list(Benefit.objects.filter(project__in=projects).select_related("project"))
        return {
            "projects": project_directory(projects),
            "by_id": {b.pk: b for b in benefits},
            "by_description": {(b.project_id, key(b.description)): b for b in benefits},
            "last_positions": highest(benefits, "position", lambda b: b.project_id),
        }

    def label(self, benefit):
        return f"{benefit.get_type_display()}: {' '.join(benefit.description.split())[:80]}"

    def derive(self, values):
        keep_when_blank(values, "At least")

    def find(self, values, lookups, programme):
        pk = values.get("Id")
        if pk is not None:
            if pk not in lookups["by_id"]:
                raise CellProblem(f"No benefit with Id {pk} in this programme: leave the Id blank for a new one.")
            return lookups["by_id"][pk]
        project = values["Project"]
        found = lookups["by_description"].get((project.pk, key(values["Description"])))
        if found is None:
            claim_new(lookups, (project.pk, key(values["Description"])), self.noun)
        else:
            values["Description"] = found.description  # matched ignoring case and spacing
        return found

    def new(self, values, lookups, programme):
        project = values["Project"]
        position = next_position(lookups, project.pk, lookups["last_positions"].get(project.pk, 0))
        return Benefit(project=project, position=position)

    def export_items(self):
        return Benefit.objects.with_realised().select_related("project")


# --- Project updates --------------------------------------------------------------------


class ProjectUpdateKind(ProgrammeKind):
    """Updates are append-only: a row the project already has (the same period
    end and key progress) is left unchanged, whatever else it says; any other
    row is recorded as a new update through record_project_update, which also
    sets the project's RAG."""

    slug = "project-updates"
    position = 9
    title = "Project updates"
    noun = "project update"
    sheet_name = "Project updates"
    perm = "programmes.add_projectupdate"
    description = (
        "Progress updates on the programme's projects, one row per reporting period, as the highlight "
        "report prints them: key progress, risks and issues, tasks planned and the RAG status. Each new row "
        "is added to the project's updates and sets its RAG; updates already recorded are never rewritten."
    )
    matching = (
        "A row with the same project, Covers to date and Key progress as an update already recorded is left "
        "unchanged; every other row adds an update."
    )
    columns = [
        PROJECT_COLUMN,
        Column("Covers from", "period_start", date, help="The first day of the reporting period (optional)."),
        Column("Covers to", "period_end", date, required=True, help="The date the update is correct to."),
        Column("Key progress during the period", "key_progress", text, required=True, width=60),
        Column("Risks and issues", "risks_issues", text, help="To be raised for information or escalated.", width=50),
        Column("Tasks planned for next period", "next_tasks", text, width=50),
        Column("RAG status", "rag", choice(RAG), required=True, width=14),
        Column(
            "Written by",
            "author_name",
            single_line,
            help="Who wrote it, if not you: it shows as “entered by you for them”.",
            width=22,
        ),
    ]
    examples = [
        {
            "Project": "Website upgrade",
            "Covers from": "22/04/2010",
            "Covers to": "06/06/2010",
            "Key progress during the period": "Joint bid for web development drawn up and consulted on with Head of "
            "ICT, Director of Resources, Director of Customer Services.",
            "Risks and issues": "Investment from Capital Ambition refused: a business case for investment will need "
            "to be made.",
            "Tasks planned for next period": "If the Capital Ambition bid is successful, work with LB Bexley on the "
            "project deliverables, governance and an implementation plan.",
            "RAG status": "Amber",
        },
        {
            "Project": "CCC Service Migrations",
            "Covers from": "22/04/2010",
            "Covers to": "06/06/2010",
            "Key progress during the period": "Technical development of CRM to integrate with the Confirm system "
            "completed.",
            "Tasks planned for next period": "Go live (15th June) of Street Services calls within the Contact Centre.",
            "RAG status": "Green",
        },
    ]

    def lookups(self, programme):
        projects = list(own_projects(programme))
        updates = ProjectUpdate.objects.filter(project__in=projects).only(
            "pk", "project_id", "period_end", "key_progress"
        )
        return {
            "projects": project_directory(projects),
            "recorded": {(u.project_id, u.period_end, key(u.key_progress)): u for u in updates},
        }

    def label(self, update):
        return f"{update.project.name}, to {display_date(update.period_end)}"

    def find(self, values, lookups, programme):
        claim = (values["Project"].pk, values["Covers to"], key(values["Key progress during the period"]))
        recorded = lookups["recorded"].get(claim)
        if recorded is None:
            claim_new(lookups, claim, self.noun)
            return None
        recorded.project = values["Project"]
        recorded.row_values = values  # compared with itself: a recorded update is never rewritten
        return recorded

    def new(self, values, lookups, programme):
        return ProjectUpdate(project=values["Project"])

    def current(self, update, column):
        if update.pk is not None:
            return update.row_values.get(column.heading)
        return super().current(update, column)

    def fingerprint(self, update):
        """A recorded update never changes; a new one is refused if someone
        has saved its project (its RAG, say) since the preview."""
        return update.pk if update.pk is not None else update.project.version

    def save(self, update, m2m, *, user, expected_version):
        project = update.project
        project._change_reason = getattr(update, "_change_reason", None)
        # Two rows for one project in a file: the second follows the version
        # the first left (the commit has already compared both with the preview).
        saved = services.record_project_update(
            project=project,
            user=user,
            expected_version=project.version,
            rag=update.rag,
            period_start=update.period_start,
            period_end=update.period_end,
            key_progress=update.key_progress,
            risks_issues=update.risks_issues,
            next_tasks=update.next_tasks,
            author_name=update.author_name,
        )
        update.pk, update.ref = saved.pk, saved.ref
        return saved

    def export_items(self):
        return ProjectUpdate.objects.select_related("project")


PROJECTS = ProjectKind()
MILESTONES = MilestoneKind()
RISKS = RiskKindSheet()
BENEFITS = BenefitKind()
PROJECT_UPDATES = ProjectUpdateKind()
KINDS = [PROJECTS, MILESTONES, RISKS, BENEFITS, PROJECT_UPDATES]
