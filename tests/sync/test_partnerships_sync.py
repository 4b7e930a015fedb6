"""One sync for every partnership of the hub: one Drive listing for all their files, no
Sheets read while nothing changed, a school in two partnerships read once, and a school
of one partnership never claimed by another's Schools tab with another workbook."""
from datetime import date

from sqlalchemy import select

from domain import partnerships, scope, supporters
from domain.contract import DEVELOPMENT_VISITS
from domain.edits import add_row
from domain.models import Membership, Partnership, School, SheetProblem, Workbook
from sheets_emulator.workbooks import load_partnership, load_xlsx, sheet_url
from sync.demo import OtherSchool
from sync.outbox import drain

from ..partnership_helpers import (
    MARK,
    OAKFIELD,
    OTHER_FILE,
    WILLIAM_LILLEY,
    write_other_partnership,
    write_supporter_workbook,
)
from .conftest import actions


def _other(session, ref):
    """The Oakfield Cluster beside the first partnership (made by a first sync)."""
    other = Partnership(slug="oakfield-cluster", name="Oakfield Cluster", workbook_ref=ref)
    session.add(other)
    session.commit()
    return other.id


def test_one_listing_covers_every_partnership_and_nothing_changed_costs_no_read(session, gsync, emulator,
                                                                                 workbook_dir):
    write_other_partnership(workbook_dir)
    other_url = load_partnership(emulator.store, workbook_dir, OTHER_FILE)
    partnerships.ensure_first(session, emulator.partnership_url)
    other = _other(session, other_url)
    results, report = gsync()
    assert report.ok, [r.line() for r in report.results]
    assert [(r.code, r.partnership) for r in report.results if r.code == "joint"] == [
        ("joint", "our-partnership"), ("joint", "oakfield-cluster")]
    assert report.calls["drive"] >= 1 and report.calls["sheets.read"] == 5  # two partnerships, three schools
    gsync()  # the IDs the first sync wrote moved those files on: read once more
    results, report = gsync()
    assert dict(emulator.calls) == {"drive": 1}  # one listing for both partnerships' five workbooks
    assert len(report.results) == 5 and all(r.skipped for r in report.results)
    with scope.entered(session, other):
        assert all(MARK in row.key_objective or not row.key_objective for row in actions(session, "joint").values())
        assert {s.code for s in session.scalars(select(School))} == {"OK"}
    first = partnerships.first(session).id
    with scope.entered(session, first):
        assert {s.code for s in session.scalars(select(School))} == {"BR", "WL"}
        assert not any(MARK in row.key_objective for row in actions(session, "joint").values())


def test_a_school_in_two_partnerships_is_one_school_with_one_plan_read_once(session, sync, backend, workbook_dir):
    write_other_partnership(workbook_dir, schools=(OAKFIELD, WILLIAM_LILLEY))
    sync()
    other = _other(session, OTHER_FILE)
    results, report = sync()
    assert report.ok, [r.line() for r in report.results]
    assert [r.code for r in report.results].count("WL") == 1  # read once, for both
    wl = session.scalar(select(School).where(School.code == "WL"))
    assert {m.partnership_id for m in session.scalars(select(Membership).where(Membership.school_id == wl.id))} \
        == {partnerships.first(session).id, other}
    assert session.scalar(select(Workbook.id).where(Workbook.code == "WL")) is not None
    with scope.entered(session, other):
        assert {s.code for s in session.scalars(select(School))} == {"OK", "WL"}
        assert len(actions(session, "WL")) == 5  # the one plan, shown here too


def test_one_statement_run_in_each_partnership_in_turn_finds_each_ones_own(session, sync, workbook_dir):
    """A statement is compiled once for every partnership, and each partnership's criteria
    keyed once (domain/scope.py): run again and again, in one partnership and the other in
    turn, it is given each one's ids every time."""
    write_other_partnership(workbook_dir)
    sync()
    other, ours = _other(session, OTHER_FILE), partnerships.first(session).id
    sync()
    statement = select(School.code).join(Workbook, Workbook.school_id == School.id).order_by(School.code)
    for _ in range(3):
        for pid, codes in ((ours, ["BR", "WL"]), (other, ["OK"])):
            with scope.entered(session, pid):
                assert session.scalars(statement).all() == codes
                assert session.scalars(select(Workbook.code).where(Workbook.code == "OK")).all() == \
                    (["OK"] if pid == other else [])
                session.rollback()  # the ids are read again a transaction


def test_another_partnerships_school_is_not_claimed_with_another_workbook(session, sync, workbook_dir):
    br_elsewhere = OtherSchool("BR", "Bank Road (claimed)", "oakfield.xlsx", "Someone Else", "", "BR")
    write_other_partnership(workbook_dir, schools=(br_elsewhere,))
    sync()
    other = _other(session, OTHER_FILE)
    sync()
    with scope.entered(session, other):
        assert session.scalar(select(School).where(School.code == "BR")) is None
        problems = [p.message for p in session.scalars(select(SheetProblem))]
    assert any("BR is already in another partnership, with another workbook" in p for p in problems)
    br = session.scalar(select(School).where(School.code == "BR"))
    assert br.name == "Bank Road Infant and Nursery School"  # its details stay its first partnership's
    with scope.entered(session, partnerships.first(session).id):
        assert len(actions(session, "BR")) == 6


def test_a_development_visit_goes_to_the_supporters_sheet_and_back_through_google(session, gsync, emulator,
                                                                                   google_backend, workbook_dir):
    """The county's workbook in the stand-in: a visit typed there is read; one recorded in
    the browser is appended by the outbox, given its ID, and read back as the same visit."""
    typed = ["", "03/11/2026", "Our partnership", "Both heads", "A shared vision", "Stronger collaborative working",
             "Releasing staff", "", "", "Olwen Officer"]
    write_supporter_workbook(workbook_dir, [typed])
    county_url = sheet_url(load_xlsx(emulator.store, workbook_dir / "county.xlsx", key="demo-county-0000000000"))
    partnerships.ensure_first(session, emulator.partnership_url)
    county = supporters.add(session, "County Council", county_url)
    session.commit()
    results, report = gsync()
    assert report.ok, [r.line() for r in report.results]
    [visit] = supporters.visits(session, county)
    assert visit.sheet_id == "D-V001" and visit.partnership == "Our partnership"
    assert emulator.store.rows("demo-county-0000000000", "Development visits")[1][0] == "D-V001"  # its ID, written
    workbook = supporters.visits_workbook(session, county)
    with scope.whole_hub(session):
        added, _ = add_row(session, workbook, DEVELOPMENT_VISITS, {
            "date": date(2026, 11, 20), "partnership": "Our partnership", "successes": "Shared expertise",
            "recorded_by": "Olwen Officer"}, "Olwen Officer")
    session.commit()
    assert added.sheet_id == "D-V002"
    [result] = drain(session, google_backend)
    assert result.state == "done", result.line()
    rows = emulator.store.rows("demo-county-0000000000", "Development visits")
    assert [row[0] for row in rows[1:]] == ["D-V001", "D-V002"] and rows[2][5] == "Shared expertise"
    gsync()
    assert [v.sheet_id for v in supporters.visits(session, county)] == ["D-V002", "D-V001"]  # the same two
    assert calls_when_nothing_changed(gsync, emulator) == {"drive": 1}


def calls_when_nothing_changed(gsync, emulator):
    gsync()
    return dict(emulator.calls)
