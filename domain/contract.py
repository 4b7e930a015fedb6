"""The workbook contract as data: every table the hub reads, in one registry.

A table says its tab's name and synonyms, its columns (header synonyms, whether
required, what kind of value, whether the browser may edit it), whether the
hub owns an ID column and the letter of its IDs, and the model its rows fill.
A workbook kind lists its tables. The sync (``sync/``), the outbox and the
pages all read this; adding a table is an entry here, its model and migration,
and the pages that show it. docs/workbook-contract.md says the same in prose.

Headers match case-, space- and punctuation-insensitively, ignoring a bracketed
qualifier such as "(July 2017)", and through the synonyms real sheets use.
"""
import re
from dataclasses import dataclass, field, replace

from . import cells, event_cells
from .models import (
    ActionRow,
    CalendarEvent,
    DevelopmentVisit,
    EventReply,
    ImpactEntry,
    Objective,
    School,
    SipPriority,
    Theme,
)
from .years import short, year_suffixes

_BRACKETS = re.compile(r"\(.*?\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def header_key(text):
    """How a header is compared: no brackets, case, spaces or punctuation."""
    return _NOT_ALNUM.sub("", _BRACKETS.sub("", str(text or "")).lower())


@dataclass(frozen=True)
class Column:
    """A column of a table: its name as exports and new headers spell it, and the
    model attribute it fills."""

    name: str
    attr: str
    synonyms: tuple = ()
    required: bool = False
    kind: str = "text"  # a key of domain.cells.KIND_CLEANERS: how a cell is read, and written back
    editable: bool = False  # people may change it in the browser (written back to the sheet)

    def __post_init__(self):
        if self.kind not in cells.KIND_CLEANERS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def keys(self):
        return {header_key(self.name), *(header_key(s) for s in self.synonyms)}

    @property
    def is_date(self):
        """Written back as a date cell when its value is a date."""
        return self.kind in cells.DATE_KINDS


@dataclass(frozen=True)
class Table:
    """One tab of the contract."""

    tab: str
    columns: tuple
    model: type
    id_letter: str = ""  # the hub owns an ID column whose IDs read BR-A007; "" for natural keys
    key: str = ""  # the natural key's attr when there is no ID column (Schools: code)
    tab_synonyms: tuple = ()
    browser_adds: bool = False  # people add rows from the browser (written to the sheet)
    cleaner: object = None  # rules across columns: cleaner(values, raw, report, known_objectives)
    # A plan's own table, written anew each school year: its tab may carry the year
    # ("Action plan 2027-28"). The partnership's lists (Schools, Calendar...) span the years.
    yearly: bool = False
    by_attr: dict = field(default=None, compare=False, repr=False)
    _by_key: dict = field(default=None, compare=False, repr=False)
    _tab_keys: frozenset = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        # Built once: a sync compares every header cell of every tab with these.
        object.__setattr__(self, "by_attr", {c.attr: c for c in self.columns})
        object.__setattr__(self, "_by_key", {k: c for c in reversed(self.columns) for k in c.keys})
        object.__setattr__(self, "_tab_keys", frozenset(header_key(t) for t in (self.tab, *self.tab_synonyms)))

    @property
    def has_ids(self):
        return bool(self.id_letter)

    @property
    def history_name(self):
        """What a row's history (RowChange.table) calls this table."""
        return self.model.__tablename__

    @property
    def required(self):
        return [c for c in self.columns if c.required]

    @property
    def editable(self):
        """{attr: column name} of the cells people may edit in the browser."""
        return {c.attr: c.name for c in self.columns if c.editable}

    @property
    def names(self):
        """{attr: column name} of every column."""
        return {c.attr: c.name for c in self.columns}

    def matches_tab(self, title):
        return header_key(title) in self._tab_keys

    def matches_tab_of_year(self, title, year):
        """Does the title name this table with the school year at its end ("Action plan
        2027-28", "Action Plan 2027/2028", "action plan 2027 to 2028")?"""
        key = header_key(title)
        return any(key == tab + suffix for tab in self._tab_keys for suffix in year_suffixes(year))

    def column_for(self, header):
        """The contract column a sheet header means, or None if unknown."""
        key = header_key(header)
        return self._by_key.get(key) if key else None


@dataclass(frozen=True)
class Use:
    """A table as a kind of workbook holds it. A missing required tab fails the
    workbook; a missing optional one is a sheet problem, unless it is ``silent``
    (a tab many partnerships do without, such as the coordinator's Themes)."""

    table: Table
    optional: bool = False
    silent: bool = False


@dataclass(frozen=True)
class WorkbookKind:
    """The tables a kind of workbook holds; with a ``year``, as that year's plan holds them:
    with ``year_tabs``, a yearly table in the tab that carries the year ("Action plan
    2027-28") and nowhere else; without, in the tab of its plain name, or else in one that
    carries the year (a school that titles its tabs so from its first year)."""

    name: str
    uses: tuple
    year: int | None = None
    year_tabs: bool = False

    def of(self, workbook):
        """This kind as the workbook's year holds it."""
        return replace(self, year=workbook.school_year, year_tabs=workbook.year_tabs)

    @property
    def tables(self):
        return tuple(use.table for use in self.uses)

    def holds(self, table, title):
        """Is a tab of this title where this kind keeps ``table``?"""
        if table.yearly and self.year is not None:
            if table.matches_tab_of_year(title, self.year):
                return True
            if self.year_tabs:
                return False
        return table.matches_tab(title)

    def tab_name(self, table):
        """The tab's name as this kind wants it: "Action plan 2027-28" in a year's own tabs."""
        return f"{table.tab} {short(self.year)}" if table.yearly and self.year_tabs else table.tab

    def find(self, titles, table):
        """The title of the tab that holds ``table``, or None; a plain name before one that
        carries the year, where both may hold it."""
        found = [title for title in titles if self.holds(table, title)]
        plain = [title for title in found if table.matches_tab(title)]
        return (plain or found or [None])[0]

    def __call__(self, title):
        """Does a tab of this title hold one of the kind's tables? (read only those)"""
        return any(self.holds(table, title) for table in self.tables)

    def complete(self, titles):
        """True if every table has a tab among ``titles`` (else ask for the titles again)."""
        return all(any(self.holds(table, t) for t in titles) for table in self.tables)


ID = Column("ID", "sheet_id", ("Row ID",), kind="id")
LEAD = Column("Lead", "lead", ("Leads", "Lead person", "Responsible", "Who"))
STATUS = Column("Status", "status", ("RAG", "RAG rating", "RAG status", "Progress"), kind="status")

SCHOOLS = Table(
    "Schools",
    (
        Column("Code", "code", ("School code", "Short code"), required=True, kind="code"),
        Column("School", "name", ("School name", "Name"), required=True),
        Column("Workbook", "workbook", ("Workbook URL", "Spreadsheet", "Sheet", "URL", "File")),
        Column("Phase", "phase"),
        Column("Head teacher", "head_teacher", ("Headteacher", "Head", "Principal")),
        Column("Chair of governors", "chair_of_governors", ("Chair", "Chair of governing board", "Chair of GB")),
        Column("Safeguarding policy", "safeguarding_policy", ("Safeguarding", "Safeguarding policy link")),
        Column("Code of conduct", "code_of_conduct", ("Staff code of conduct", "Code of conduct link")),
    ),
    model=School,
    key="code",
    tab_synonyms=("Member schools",),
)

OBJECTIVES = Table(
    "Objectives",
    (
        Column("Ref", "ref", ("Number", "No", "Objective number", "Objective ref"), required=True, kind="number"),
        Column("Objective", "text", ("Objectives", "Description"), required=True),
    ),
    model=Objective,
    key="ref",
    tab_synonyms=("Partnership objectives", "Collaboration objectives"),
)

ACTION_PLAN = Table(
    "Action plan",
    (
        ID,
        Column("Area", "area", ("Focus area", "Aspect", "Strand")),
        Column("Linked objectives", "linked_objectives",
               ("Collaboration objective reference", "Links", "Objective links", "Objectives", "Linked objective")),
        Column("Key objective", "key_objective",
               ("Key objective/action", "Key objectives", "Objective/action", "Key action"), required=True),
        Column("Specific actions", "specific_actions",
               ("Specific actions to achieve key objectives", "Actions", "Specific action")),
        Column("Intended outcome", "intended_outcome",
               ("The intended outcome/impact", "Intended outcome/impact", "Intended impact", "Outcome")),
        Column("Impact to date", "impact_to_date", ("Impact top date", "Impact so far", "Impact"), editable=True),
        replace(LEAD, editable=True),
        Column("Due", "due", ("Due date", "Deadline", "By when", "Timescale", "When"), kind="due", editable=True),
        replace(STATUS, editable=True),
        Column("Last updated", "last_updated", ("Updated", "Date updated"), kind="date_text"),
    ),
    model=ActionRow,
    id_letter="A",
    tab_synonyms=("Actionplan", "Action plans", "Collaboration action plan"),
    cleaner=cells.clean_action_row,
    yearly=True,
)

IMPACT_LOG = Table(
    "Impact log",
    (
        ID,
        Column("Date", "date", ("Date of activity", "Activity date"), required=True, kind="date"),
        Column("Action", "action", ("Action ID", "Linked action", "Action/area", "Action or area")),
        Column("Activity", "activity", ("Activity type", "Type")),
        Column("Summary", "summary", ("Description", "What happened", "Notes"), required=True),
        Column("Strengths", "strengths", ("Strength", "What went well", "WWW")),
        Column("Areas to develop", "areas_to_develop",
               ("Areas for development", "Area to develop", "Areas for improvement", "AFI", "EBI", "Even better if")),
        Column("Recorded by", "recorded_by", ("By", "Author", "Completed by")),
    ),
    model=ImpactEntry,
    id_letter="I",
    tab_synonyms=("Impact", "Impact evidence", "Evidence log"),
    browser_adds=True,
    yearly=True,
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
        Column("Share with partnership", "share",
               ("Share", "Shared", "Share with partners", "Shared with partnership"), kind="yes_no"),
    ),
    model=SipPriority,
    id_letter="S",
    tab_synonyms=("SIP", "School improvement plan", "School improvement priorities", "SIP priority"),
    yearly=True,
)

THEMES = Table(
    "Themes",
    (
        Column("Theme", "name", ("Themes", "Theme name", "SIP theme"), required=True),
        Column("Also called", "also_called", ("Other names", "Also known as", "Aliases", "Synonyms")),
    ),
    model=Theme,
    key="key",  # the name as themes are compared, set by the cleaner
    tab_synonyms=("SIP themes", "Priority themes"),
    cleaner=cells.clean_theme_row,
)

# -- networks and visits (issue 17): the partnership's calendar and the replies to it --

CALENDAR = Table(
    "Calendar",
    (
        ID,
        Column("Date", "date", ("Event date", "Day", "When"), required=True, kind="date"),
        Column("Time", "time", ("Times", "Start time", "Start", "From")),
        Column("Type", "type", ("Event type", "Activity", "Activity type", "Network/visit", "What"), required=True),
        Column("Focus", "focus", ("Subject", "Theme", "Topic", "Area")),
        Column("Host school", "host_school", ("Host", "Hosted by", "Venue", "Where", "Location")),
        Column("Invited schools", "invited_schools", ("Invited", "Invitees", "Schools", "Schools invited", "For")),
        replace(LEAD, synonyms=LEAD.synonyms + ("Network leader", "Leader", "Led by")),
        Column("Status", "status", ("Event status", "Confirmed?")),
        Column("Notes", "notes", ("Note", "Details", "Schedule", "Agenda", "Comments")),
    ),
    model=CalendarEvent,
    id_letter="E",
    tab_synonyms=("Events", "Calendar of events", "Networks and visits", "Diary", "Event calendar"),
    browser_adds=True,
    cleaner=event_cells.clean_event_row,
)

RSVP = Table(
    "RSVP",
    (
        ID,
        Column("Event", "event_ref", ("Event ID", "Event ref"), required=True),
        Column("School", "school", ("School code",)),
        Column("Person", "person", ("Name", "Who", "Invitee", "Email", "E-mail"), required=True),
        Column("Reply", "reply", ("Response", "Answer", "RSVP", "Attending"), editable=True),
        Column("Note", "note", ("Notes", "Comment", "Comments", "Message"), editable=True),
        Column("Replied", "replied", ("Replied at", "Reply date", "Date replied", "Answered"), editable=True),
    ),
    model=EventReply,
    id_letter="R",
    tab_synonyms=("Replies", "RSVPs", "Invitations", "Event replies"),
    browser_adds=True,
    cleaner=event_cells.clean_reply_row,
)

# -- the supporter's own workbook (issue 25): its officers' development visits --------

DEVELOPMENT_VISITS = Table(
    "Development visits",
    (
        ID,
        Column("Date", "date", ("Visit date", "Date of visit", "When"), required=True, kind="date"),
        Column("Partnership", "partnership", ("Partnership visited", "Cluster", "Collaboration"), required=True),
        Column("Present", "present", ("Who was there", "Attendees", "Attending", "Present at the visit")),
        Column("Vision and intended outcomes", "vision",
               ("Vision", "Intended outcomes", "Vision and outcomes", "Outcomes discussed")),
        Column("Successes", "successes", ("Main successes", "Success", "What went well")),
        Column("Challenges", "challenges", ("Key challenges", "Challenge", "Barriers")),
        Column("Lessons", "lessons", ("Lessons learned", "Key lessons", "Lessons learnt")),
        Column("Next steps", "next_steps", ("Next step", "Actions", "Next actions")),
        Column("Recorded by", "recorded_by", ("By", "Officer", "Visited by")),
    ),
    model=DevelopmentVisit,
    id_letter="V",
    tab_synonyms=("Visits", "Development visit", "Partnership visits"),
    browser_adds=True,
)
SUPPORTER = WorkbookKind("supporter", (Use(DEVELOPMENT_VISITS),))

# The partnership workbook lists the schools (and the objectives their plans link to)
# before its joint plan: each table is read in this order.
PARTNERSHIP = WorkbookKind("partnership", (Use(SCHOOLS), Use(OBJECTIVES), Use(ACTION_PLAN, optional=True),
                                           Use(THEMES, optional=True, silent=True),
                                           Use(CALENDAR, optional=True), Use(RSVP, optional=True)))
SCHOOL = WorkbookKind("school", (Use(ACTION_PLAN), Use(IMPACT_LOG, optional=True), Use(SIP_PRIORITIES, optional=True)))
KINDS = {kind.name: kind for kind in (PARTNERSHIP, SCHOOL, SUPPORTER)}

TABLES = (SCHOOLS, OBJECTIVES, ACTION_PLAN, IMPACT_LOG, SIP_PRIORITIES, THEMES, CALENDAR, RSVP, DEVELOPMENT_VISITS)
_BY_TAB = {table.tab: table for table in TABLES}


def table_named(tab):
    """The table whose contract tab name is ``tab`` (as an outbox entry records it)."""
    return _BY_TAB[tab]
