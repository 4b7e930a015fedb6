"""Is a workbook ready for the sync? And setting up a new spreadsheet (Google).

Used by `flask --app wsgi sheets check` and `sheets init`; nothing here is Flask.
"""
from dataclasses import dataclass, field

from domain.contract import KINDS, SCHOOLS

from .errors import WorkbookUnavailable
from .parse import TableUnreadable, find_tab, parse_table


@dataclass
class CheckResult:
    code: str
    ref: str
    reachable: bool = True
    findings: list = field(default_factory=list)  # what is missing, in words

    @property
    def ok(self):
        return self.reachable and not self.findings

    def line(self):
        head = f"{self.code:<8} {self.ref}"
        if not self.reachable:
            return f"{head}: NOT REACHABLE - {'; '.join(self.findings)}"
        if not self.findings:
            return f"{head}: reachable; every tab and required column is there"
        return f"{head}: reachable; " + "; ".join(self.findings)


def check_workbook(backend, code, ref, kind):
    """Read the workbook once and say which tabs and columns it misses (``kind`` bound to
    the plan's year, WorkbookKind.of, where the hub knows the plan)."""
    result = CheckResult(code, ref)
    try:
        snapshot = backend.read(ref, None, kind)  # the tabs the sync reads, within its limits
    except WorkbookUnavailable as error:
        result.reachable = False
        result.findings.append(f"{error.message} {error.fix}".strip())
        return result, None
    for use in kind.uses:
        table = use.table
        title = kind.find(snapshot.tabs, table)
        if title is None:
            result.findings.append(f"missing {'optional tab' if use.optional else 'tab'} '{kind.tab_name(table)}'")
            continue
        try:
            parse_table(table, title, snapshot.tabs[title])
        except TableUnreadable as error:
            result.findings.append(f"'{title}': {error.problem.message}")
    return result, snapshot


def check_partnership(backend, ref, kinds=None):
    """What `sheets check` reports: the partnership workbook, then each school's workbook
    its Schools tab lists, each read once. ``kinds``: {plan code: its kind as the current
    year holds it}, for the plans the hub knows. [CheckResult]"""
    kinds = kinds or {}
    result, snapshot = check_workbook(backend, "joint", ref, kinds.get("joint", KINDS["partnership"]))
    results = [result]
    for code, school_ref in school_refs(snapshot):
        if school_ref:
            results.append(check_workbook(backend, code, school_ref, kinds.get(code, KINDS["school"]))[0])
        else:
            results.append(CheckResult(code, "-", False, ["no workbook is given in the Schools tab"]))
    return results


def year_kinds(session):
    """{plan code: its workbook's kind as the current year holds it}, for check_partnership;
    nothing before the database has its tables (the sheets can be checked first)."""
    from sqlalchemy import inspect, select

    from domain.models import JOINT, Workbook

    if not inspect(session.get_bind()).has_table(Workbook.__tablename__):
        return {}
    return {w.code: KINDS["partnership" if w.code == JOINT else "school"].of(w)
            for w in session.scalars(select(Workbook).where(Workbook.is_current))}


def school_refs(snapshot):
    """[(code, workbook ref)] from a partnership workbook's Schools tab."""
    title = find_tab(snapshot.tabs, SCHOOLS) if snapshot else None
    if title is None:
        return []
    try:
        parsed = parse_table(SCHOOLS, title, snapshot.tabs[title])
    except TableUnreadable:
        return []
    return [(row.values["code"], row.values.get("workbook", "")) for row in parsed.rows if row.valid]


def missing_headers(snapshot, kind):
    """What `sheets init` would add: {tab: header row} for tabs absent or empty."""
    to_add, to_fill = {}, {}
    for table in KINDS[kind].tables:
        title = find_tab(snapshot.tabs, table)
        header = [c.name for c in table.columns]
        if title is None:
            to_add[table.tab] = header
        elif not any(any(str(v or "").strip() for v in row) for row in snapshot.tabs[title]):
            to_fill[title] = header
    return to_add, to_fill
