"""Starting the next school year, and carrying last year's unfinished rows into it.
Plain rules, no Flask (domain/years.py has the years themselves).

A coordinator starts the next year once the schools have their new plans: for each
school, either a new workbook (schools usually copy last year's file and clear it) or
the same workbook with the year's own tabs ("Action plan 2027-28"), which the hub
adds; the joint plan always takes the year's own tab in the partnership workbook,
whose Schools, Calendar and Themes span the years. In one transaction: last year's
workbooks stop being current (the sync reads them no more, and their pages are
read-only), the new year's are made, and what must reach the sheets goes to the
outbox (the new tabs, and each new workbook's address in the Schools tab).

Then the heads choose which unfinished rows of last year's plan go into the new one:
each is added to the new plan through the outbox with a new ID, and a note of where
it came from ("Carried from BR-A003, 2026-27."), linked both ways in the hub.
"""
from dataclasses import dataclass

from sqlalchemy import func, select, update

from . import dates, years
from .contract import ACTION_PLAN, IMPACT_LOG, SCHOOLS, SIP_PRIORITIES, WorkbookKind
from .edits import add_row
from .models import (
    JOINT,
    ActionRow,
    CalendarEvent,
    ImpactForm,
    Membership,
    OutboxEntry,
    School,
    SchoolYear,
    Workbook,
    utcnow,
)
from .status import normalise_status

YEAR_TAB = "year_tab"  # the outbox entry that adds a year's tab with its header row
SCHOOL_REF = "school_ref"  # the outbox entry that writes a school's new workbook into the Schools tab
TABS = "tabs"  # the same workbook, with the year's own tabs
# The same workbook, this year's plan in the tabs' plain names, last year's already in tabs
# renamed with its year (how the demo's workbooks come; the year's tabs are the school's).
PLAIN = "plain"
# The next year can be started from June: schools write next year's plans in the summer term.
EARLIEST = (6, 1)
SCHOOL_TABLES = (ACTION_PLAN, IMPACT_LOG, SIP_PRIORITIES)


class YearError(Exception):
    """Something that stops the year starting; the message says what, in a coordinator's words."""


@dataclass
class Choice:
    """Where a plan's new year is: ``TABS`` (its workbook, the year's own tabs) or a new
    workbook's address."""

    code: str
    where: str = TABS

    @property
    def tabs(self):
        return self.where == TABS

    @property
    def same_workbook(self):
        return self.where in (TABS, PLAIN)


def next_year(session):
    """The year a coordinator would start now."""
    return years.current_year(session) + 1


def why_not_yet(session, today=None):
    """Why the next year cannot be started today, or None."""
    today = today or dates.uk_today()
    year = next_year(session)
    opens = years.first_day(year).replace(month=EARLIEST[0], day=EARLIEST[1])
    if today < opens:
        return (f"The {years.label(year)} school year can be started from {dates.uk(opens)}, when schools "
                f"have written their new plans; until then {years.label(year - 1)} goes on.")
    return None


SEVERAL = ("This hub holds several partnerships, and a school year starts for all of them together: "
           "the hub's administrator starts it.")


def plans_to_start(session):
    """The current year's workbooks that go on into the next: the joint plan's, then each
    member school's (a school that has left the partnership starts no new year)."""
    current = session.scalars(select(Workbook).where(Workbook.is_current)).all()
    schools = {s.id: s for s in session.scalars(select(School))}
    return sorted((w for w in current
                   if w.code == JOINT or (w.school_id in schools and schools[w.school_id].archived_at is None)),
                  key=lambda w: (w.code != JOINT, schools[w.school_id].name if w.school_id else ""))


def still_open(session):
    """What of the current year is unfinished, for the coordinator to see before starting:
    [(what, how many)], those there are of edits not yet in the sheets and impact forms
    not final (after the turn, last year's forms are kept as they are)."""
    waiting = session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.state.in_(OutboxEntry.PENDING)))
    forms = session.scalar(select(func.count(ImpactForm.id)).join(CalendarEvent).join(Workbook)
                           .where(Workbook.is_current, ImpactForm.state != "final"))
    return [(what, n) for what, n in (("edits not yet in the sheets", waiting), ("impact forms not yet final", forms))
            if n]


def start_year(session, choices, who, today=None):
    """Start the next school year (the caller commits). ``choices``: {plan code: Choice};
    a plan not named keeps its workbook, with the year's own tabs. Returns the year."""
    refusal = why_not_yet(session, today)
    if refusal:
        raise YearError(refusal)
    year = next_year(session)
    old = plans_to_start(session)
    for code, choice in choices.items():
        if code == JOINT and not choice.same_workbook:
            raise YearError("The joint plan's new year is a tab of the partnership workbook: its Schools, "
                            "Calendar and Themes tabs go on from year to year.")
        if not choice.same_workbook and not choice.where.strip():
            raise YearError(f"Give {code}'s new workbook, or keep its workbook with the year's own tabs.")
    session.execute(update(Workbook).where(Workbook.is_current).values(is_current=False)
                    .execution_options(synchronize_session=False))
    session.flush()
    for workbook in old:
        choice = choices.get(workbook.code) or Choice(workbook.code)
        ref = workbook.ref if choice.same_workbook else choice.where.strip()
        new = Workbook(code=workbook.code, school_id=workbook.school_id, school_year=year, is_current=True,
                       partnership_id=workbook.partnership_id, supporter_id=workbook.supporter_id,
                       year_tabs=choice.tabs, ref=ref, identity=workbook.identity if choice.same_workbook else "")
        session.add(new)
        session.flush()
        if choice.tabs:
            for table in (ACTION_PLAN,) if workbook.code == JOINT else SCHOOL_TABLES:
                session.add(_tab_entry(new, table, who))
        elif not choice.same_workbook:
            session.add(_school_ref_entry(session, new, workbook.ref, ref, who))
    session.add(SchoolYear(year=year, started_at=utcnow(), started_by=who[:300]))
    session.flush()
    return year


def _tab_entry(workbook, table, who):
    """The outbox entry that adds the year's tab of ``table`` with its header row."""
    title = WorkbookKind("year", ()).of(workbook).tab_name(table)
    return OutboxEntry(workbook_id=workbook.id, kind=YEAR_TAB, tab=title, sheet_id=f"year-{workbook.school_year}",
                       fields={"title": title, "cells": [[c.name for c in table.columns]]}, created_by=who[:200])


def _school_ref_entry(session, workbook, old_ref, new_ref, who):
    """The outbox entry that writes the school's new workbook into the partnership
    workbook's Schools tab, where the sync finds each school's workbook."""
    # The Schools tab of the partnership the school joined first (whose tab says its workbook).
    first = session.scalar(select(Membership.partnership_id).where(
        Membership.school_id == workbook.school_id, Membership.archived_at.is_(None)).order_by(Membership.id).limit(1))
    joint = session.scalar(select(Workbook).where(Workbook.code == JOINT, Workbook.is_current,
                                                  Workbook.partnership_id == first))
    return OutboxEntry(workbook_id=joint.id, kind=SCHOOL_REF, tab=SCHOOLS.tab, sheet_id=workbook.code,
                       fields={"code": workbook.code, "seen": old_ref, "new": new_ref}, created_by=who[:200])


# --- Carrying rows forward ---------------------------------------------------------------


def last_years_plan(session, code):
    """The plan's workbook of the year before the current one, or None."""
    year = years.current_year(session) - 1
    return session.scalar(select(Workbook).where(Workbook.code == code, Workbook.school_year == year))


def unfinished_rows(session, code):
    """Last year's rows of the plan that are not Complete, in sheet order, each with the
    row it was carried into this year (or None)."""
    previous = last_years_plan(session, code)
    if previous is None:
        return []
    rows = session.scalars(select(ActionRow).where(ActionRow.workbook_id == previous.id,
                                                   ActionRow.archived_at.is_(None))
                           .order_by(ActionRow.sheet_row, ActionRow.id)).all()
    rows = [r for r in rows if normalise_status(r.status)[0] != "Complete"]
    carried = carried_into(session, [r.id for r in rows])
    return [(row, carried.get(row.id)) for row in rows]


def carried_into(session, row_ids):
    """{row id: the row of a later year it was carried into}."""
    if not row_ids:
        return {}
    return {r.carried_from_id: r for r in session.scalars(
        select(ActionRow).where(ActionRow.carried_from_id.in_(row_ids)))}


def carry_note(row, year):
    """"Carried from BR-A003, 2026-27.": where a carried row came from, in its Impact to date."""
    return f"Carried from {row.sheet_id}, {years.short(year)}."


def carry_forward(session, code, row_ids, who, user_id=None):
    """Add these unfinished rows of last year's plan to this year's, each through the outbox
    with a new ID, its Impact to date the note of where it came from, its Due left for the
    head to set (last year's would be overdue at once). A row carried already, Complete, or
    not last year's is left alone. Returns the rows added (the caller commits)."""
    current = session.scalar(select(Workbook).where(Workbook.code == code, Workbook.is_current))
    offered = {row.id: row for row, into in unfinished_rows(session, code) if into is None}
    added = []
    for row_id in row_ids:
        row = offered.pop(row_id, None)
        if row is None or current is None:
            continue
        values = dict(area=row.area, linked_objectives=row.linked_objectives, objective_refs=row.objective_refs,
                      key_objective=row.key_objective, specific_actions=row.specific_actions,
                      intended_outcome=row.intended_outcome, impact_to_date=carry_note(row, current.school_year - 1),
                      lead=row.lead, due="", due_date=None, due_by=None, status=row.status, last_updated="",
                      carried_from_id=row.id)
        record, _ = add_row(session, current, ACTION_PLAN, values, who, user_id,
                            summary=f"carried from {row.sheet_id}")
        added.append(record)
    return added



@dataclass
class CarryLink:
    """A row's link to the row it was carried from, or into, in another year's plan."""

    words: str  # "Carried from" or "Carried into"
    row_id: int
    sheet_id: str
    year: int
    current: bool  # the other row's year is the current one (its link carries no year)


def carry_links(session, rows, past=False):
    """{row id: CarryLink} for these rows: where each was carried from, or (rows of a year
    that is over, ``past``) into. A query only where there can be links: none for this
    year's rows that carry nothing on."""
    ids = [r.id for r in rows]
    if not ids:
        return {}
    found = {}
    into = [] if not past else session.execute(
        select(ActionRow.carried_from_id, ActionRow.id, ActionRow.sheet_id, Workbook.school_year, Workbook.is_current)
        .join(Workbook, Workbook.id == ActionRow.workbook_id).where(ActionRow.carried_from_id.in_(ids))).all()
    for from_id, row_id, sheet_id, year, current in into:
        found[from_id] = CarryLink("Carried into", row_id, sheet_id, year, current)
    sources = [r.carried_from_id for r in rows if r.carried_from_id]
    if sources:
        by_id = {r.carried_from_id: r.id for r in rows if r.carried_from_id}
        for row_id, sheet_id, year, current in session.execute(
                select(ActionRow.id, ActionRow.sheet_id, Workbook.school_year, Workbook.is_current)
                .join(Workbook, Workbook.id == ActionRow.workbook_id).where(ActionRow.id.in_(sources))):
            found[by_id[row_id]] = CarryLink("Carried from", row_id, sheet_id, year, current)
    return found
