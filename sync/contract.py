"""The spreadsheet contract: which tabs and columns the app reads, by what names.

Headers match case-, space- and punctuation-insensitively, ignoring a bracketed
qualifier such as "(July 2017)", and through the synonyms real sheets use.
See docs/workbook-contract.md for the same contract in prose.
"""
import re
from dataclasses import dataclass, field


def header_key(text):
    """How a header is compared: no brackets, case, spaces or punctuation."""
    text = re.sub(r"\(.*?\)", "", str(text or ""))
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Column:
    name: str  # the contract's column name, as exports and new headers spell it
    attr: str  # the model attribute it fills
    synonyms: tuple = ()
    required: bool = False

    @property
    def keys(self):
        return {header_key(self.name), *(header_key(s) for s in self.synonyms)}


@dataclass(frozen=True)
class Table:
    tab: str
    columns: tuple
    id_prefix: str = ""  # "" for tables keyed by a natural key (Schools, Objectives)
    tab_synonyms: tuple = ()
    optional: bool = False  # a missing optional tab is a problem, not a failed workbook
    by_attr: dict = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_attr", {c.attr: c for c in self.columns})

    @property
    def has_ids(self):
        return bool(self.id_prefix)

    @property
    def required(self):
        return [c for c in self.columns if c.required]

    def matches_tab(self, title):
        return header_key(title) in {header_key(self.tab), *(header_key(s) for s in self.tab_synonyms)}

    def column_for(self, header):
        """The contract column a sheet header means, or None if unknown."""
        key = header_key(header)
        if not key:
            return None
        for column in self.columns:
            if key in column.keys:
                return column
        return None


ID = Column("ID", "sheet_id", ("Row ID",))
LEAD = Column("Lead", "lead", ("Leads", "Lead person", "Responsible", "Who"))
STATUS = Column("Status", "status", ("RAG", "RAG rating", "RAG status", "Progress"))

SCHOOLS = Table(
    "Schools",
    (
        Column("Code", "code", ("School code", "Short code"), required=True),
        Column("School", "name", ("School name", "Name"), required=True),
        Column("Workbook", "workbook", ("Workbook URL", "Spreadsheet", "Sheet", "URL", "File")),
        Column("Phase", "phase"),
        Column("Head teacher", "head_teacher", ("Headteacher", "Head", "Principal")),
        Column("Chair of governors", "chair_of_governors", ("Chair", "Chair of governing board", "Chair of GB")),
    ),
    tab_synonyms=("Member schools",),
)

OBJECTIVES = Table(
    "Objectives",
    (
        Column("Ref", "ref", ("Number", "No", "Objective number", "Objective ref"), required=True),
        Column("Objective", "text", ("Objectives", "Description"), required=True),
    ),
    tab_synonyms=("Partnership objectives", "Collaboration objectives"),
)

ACTION_PLAN = Table(
    "Action plan",
    (
        ID,
        Column("Area", "area", ("Focus area", "Aspect", "Strand")),
        Column(
            "Linked objectives",
            "linked_objectives",
            ("Collaboration objective reference", "Links", "Objective links", "Objectives", "Linked objective"),
        ),
        Column(
            "Key objective",
            "key_objective",
            ("Key objective/action", "Key objectives", "Objective/action", "Key action"),
            required=True,
        ),
        Column(
            "Specific actions",
            "specific_actions",
            ("Specific actions to achieve key objectives", "Actions", "Specific action"),
        ),
        Column(
            "Intended outcome",
            "intended_outcome",
            ("The intended outcome/impact", "Intended outcome/impact", "Intended impact", "Outcome"),
        ),
        Column("Impact to date", "impact_to_date", ("Impact top date", "Impact so far", "Impact")),
        LEAD,
        Column("Due", "due", ("Due date", "Deadline", "By when", "Timescale", "When")),
        STATUS,
        Column("Last updated", "last_updated", ("Updated", "Date updated")),
    ),
    id_prefix="A",
    tab_synonyms=("Actionplan", "Action plans", "Collaboration action plan"),
)

IMPACT_LOG = Table(
    "Impact log",
    (
        ID,
        Column("Date", "date", ("Date of activity", "Activity date"), required=True),
        Column("Action", "action", ("Action ID", "Linked action", "Action/area", "Action or area")),
        Column("Activity", "activity", ("Activity type", "Type")),
        Column("Summary", "summary", ("Description", "What happened", "Notes"), required=True),
        Column("Strengths", "strengths", ("Strength", "What went well", "WWW")),
        Column(
            "Areas to develop",
            "areas_to_develop",
            ("Areas for development", "Area to develop", "Areas for improvement", "AFI", "EBI", "Even better if"),
        ),
        Column("Recorded by", "recorded_by", ("By", "Author", "Completed by")),
    ),
    id_prefix="I",
    tab_synonyms=("Impact", "Impact evidence", "Evidence log"),
    optional=True,
)

SIP_PRIORITIES = Table(
    "SIP priorities",
    (
        ID,
        Column("Priority", "priority", ("SIP priority", "Priorities"), required=True),
        Column("Theme", "theme", ("Themes",)),
        Column("Detail", "detail", ("Details", "Description")),
        LEAD,
        STATUS,
        Column("Share with partnership", "share", ("Share", "Shared", "Share with partners", "Shared with partnership")),
    ),
    id_prefix="S",
    tab_synonyms=("SIP", "School improvement plan", "School improvement priorities", "SIP priority"),
    optional=True,
)

class TabSelection:
    """Which tabs of a workbook the sync wants: those that hold its tables."""

    def __init__(self, tables):
        self.tables = tables

    def __call__(self, title):
        return any(table.matches_tab(title) for table in self.tables)

    def complete(self, titles):
        """True if every table has a tab among ``titles`` (else ask for the titles again)."""
        return all(any(table.matches_tab(t) for t in titles) for table in self.tables)


PARTNERSHIP_TABLES = (SCHOOLS, OBJECTIVES, ACTION_PLAN)
SCHOOL_TABLES = (ACTION_PLAN, IMPACT_LOG, SIP_PRIORITIES)

# The columns of an action plan export, in the contract's order (INTERFACES.md).
ACTION_PLAN_EXPORT_COLUMNS = [c.name for c in ACTION_PLAN.columns]
