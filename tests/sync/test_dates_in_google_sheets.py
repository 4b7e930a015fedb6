"""Dates the hub writes to a Google sheet show in the sheet's own form (its locale's),
land as date values, are read back as the same dates, and cost one read of the
locale per spreadsheet a day at most, and none while nothing is written."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from domain import dates
from domain.edits import add_impact_entry, edit_action_row, editable_values
from domain.models import ImpactEntry, Workbook, utcnow
from sheets_emulator.store import user_entered
from sync.backends.google import make_client
from sync.outbox import drain

from .conftest import BR, JOINT, actions

DUE, HELD = date(2027, 4, 25), date(2026, 12, 1)  # a day past 12, and one a month-first misreading would move


def serial(day):
    return (day - date(1899, 12, 30)).days


@pytest.fixture
def backend(google_backend):
    return google_backend


def edit_due_and_log_an_entry(session, due_text):
    row = actions(session, "BR")["BR-A001"]
    edit_action_row(session, row, "Jo Teacher", {"due": due_text}, editable_values(row), row.version)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": HELD, "summary": "Writing network"})
    session.commit()


def cells_of(emulator, tab, sheet_id, render):
    """The row with that ID as real gspread reads it from the stand-in: {header: value}."""
    client, _ = make_client(emulator_host=emulator.host)
    rows = client.open_by_key(BR).worksheet(tab).get_values(value_render_option=render)
    header = rows[0]
    return next(dict(zip(header, r)) for r in rows[1:] if r and r[0] == sheet_id)


def locale_reads(emulator):
    """spreadsheets.get calls of the stand-in's log (a metadata read, the locale's included)."""
    return sum(1 for method, path, _ in emulator.log if method == "GET" and path.startswith("/v4/spreadsheets/")
               and "/values" not in path)


@pytest.mark.parametrize("locale, due_shown, held_shown", [
    ("en_GB", "25/04/2027", "01/12/2026"),  # day first, as the school's own dates
    ("en_US", "04/25/2027", "12/01/2026"),
    ("de_DE", "2027-04-25", "2026-12-01"),  # a locale whose form the hub does not know: ISO, still a date
])
def test_a_written_date_shows_in_the_sheets_own_form_and_is_that_date(session, backend, gsync, emulator,
                                                                      locale, due_shown, held_shown):
    emulator.store.spreadsheets[BR].locale = locale
    gsync()
    edit_due_and_log_an_entry(session, "25/04/2027")
    assert {r.state for r in drain(session, backend)} == {"done"}

    shown = cells_of(emulator, "Action plan", "BR-A001", "FORMATTED_VALUE")
    stored = cells_of(emulator, "Action plan", "BR-A001", "UNFORMATTED_VALUE")
    assert shown["Due"] == due_shown and stored["Due"] == serial(DUE)
    assert stored["Last updated"] == serial(dates.uk_today())
    shown = cells_of(emulator, "Impact log", "BR-I005", "FORMATTED_VALUE")
    stored = cells_of(emulator, "Impact log", "BR-I005", "UNFORMATTED_VALUE")
    assert shown["Date"] == held_shown and stored["Date"] == serial(HELD)

    results, _ = gsync()  # the next sync reads them back as the same dates
    assert results["BR"].ok
    assert actions(session, "BR")["BR-A001"].due_date == DUE
    session.expire_all()
    assert session.scalar(select(ImpactEntry).where(ImpactEntry.sheet_id == "BR-I005")).date == HELD


def test_the_locale_is_asked_for_once_and_remembered(session, backend, gsync, emulator):
    gsync()
    emulator.reset_counts()
    edit_due_and_log_an_entry(session, "25/04/2027")
    drain(session, backend)
    assert locale_reads(emulator) == 1  # the first write of a date asks
    assert session.scalar(select(Workbook).where(Workbook.code == "BR")).locale == "en_GB"

    gsync()  # a sync in between forgets nothing
    emulator.reset_counts()
    row = actions(session, "BR")["BR-A002"]
    edit_action_row(session, row, "Jo Teacher", {"due": "26/04/2027"}, editable_values(row), row.version)
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done" and locale_reads(emulator) == 0
    assert cells_of(emulator, "Action plan", "BR-A002", "FORMATTED_VALUE")["Due"] == "26/04/2027"


def test_a_locale_a_day_old_is_asked_for_again_so_a_changed_one_is_followed(session, backend, gsync, emulator):
    gsync()
    edit_due_and_log_an_entry(session, "25/04/2027")
    drain(session, backend)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    assert workbook.locale == "en_GB"
    # A day later the coordinator has switched the sheet to en_US (File > Settings).
    workbook.locale_read_at -= timedelta(days=1, minutes=1)
    session.commit()
    emulator.store.spreadsheets[BR].locale = "en_US"
    gsync()
    emulator.reset_counts()
    row = actions(session, "BR")["BR-A002"]
    edit_action_row(session, row, "Jo Teacher", {"due": "05/04/2027"}, editable_values(row), row.version)
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done" and locale_reads(emulator) == 1  # asked again, once
    assert workbook.locale == "en_US"
    assert cells_of(emulator, "Action plan", "BR-A002", "FORMATTED_VALUE")["Due"] == "04/05/2027"  # 5 April, US form
    assert cells_of(emulator, "Action plan", "BR-A002", "UNFORMATTED_VALUE")["Due"] == serial(date(2027, 4, 5))


def test_a_locale_that_came_with_the_tab_titles_costs_no_read_of_its_own(session, backend, gsync, emulator):
    book = emulator.store.spreadsheets[BR]
    book.sheets = [s for s in book.sheets if s.title != "SIP priorities"]  # so the sync looks the titles up
    book.touch()
    emulator.reset_counts()
    gsync()
    assert locale_reads(emulator) == 1  # the titles' read, which brings the locale with it
    emulator.reset_counts()
    edit_due_and_log_an_entry(session, "25/04/2027")
    assert {r.state for r in drain(session, backend)} == {"done"}
    assert locale_reads(emulator) == 0
    assert cells_of(emulator, "Action plan", "BR-A001", "FORMATTED_VALUE")["Due"] == "25/04/2027"


def test_a_locale_that_came_free_starts_its_day_again(session, backend, gsync, emulator):
    gsync()
    edit_due_and_log_an_entry(session, "25/04/2027")
    drain(session, backend)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    workbook.locale_read_at -= timedelta(hours=23)  # an hour of its day left
    session.commit()
    book = emulator.store.spreadsheets[BR]
    book.sheets = [s for s in book.sheets if s.title != "SIP priorities"]  # so the sync looks the titles up
    book.touch()
    gsync()  # the titles' read brings the locale: it is as fresh as if it had been asked for
    session.expire_all()
    assert utcnow() - session.get(Workbook, workbook.id).locale_read_at < timedelta(minutes=5)


def test_a_write_without_a_date_does_not_ask_for_the_locale(backend, emulator):
    snapshot = backend.read(f"https://docs.google.com/spreadsheets/d/{BR}/edit")
    snapshot.locale = None  # not known (this read looked up the tab titles, and learnt it with them)
    emulator.reset_counts()
    backend.append_rows(snapshot, "Impact log", [["BR-I009", "", "", "CPD", "No date given"]])
    assert locale_reads(emulator) == 0 and snapshot.locale is None


def test_a_new_address_forgets_the_locale(session, backend, gsync, emulator):
    gsync()
    edit_due_and_log_an_entry(session, "25/04/2027")
    drain(session, backend)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    assert workbook.locale == "en_GB"
    schools = emulator.store.spreadsheets[JOINT].sheet("Schools")
    cell = next(c for c in schools.cells.values() if isinstance(c.value, str) and BR in c.value)
    cell.value += "#gid=0"  # the coordinator pastes the address anew: perhaps another spreadsheet
    emulator.store.spreadsheets[JOINT].touch()
    gsync()
    session.refresh(workbook)
    assert workbook.ref.endswith("#gid=0") and workbook.locale is None


@pytest.mark.parametrize("typed, locale, day, shown", [
    ("25/04/2027", "en_GB", DUE, "25/04/2027"),
    ("04/05/2027", "en_GB", date(2027, 5, 4), "04/05/2027"),  # day first
    ("04/05/2027", "en_US", date(2027, 4, 5), "04/05/2027"),  # month first
    ("4/5/2027", "en_US", date(2027, 4, 5), "4/5/2027"),  # shown as typed
    ("2027-04-25", "en_US", DUE, "2027-04-25"),
])
def test_the_stand_in_reads_a_typed_date_as_the_locale_does_and_keeps_its_form(typed, locale, day, shown):
    from sheets_emulator.store import _format_date

    cell = user_entered(typed, locale)
    assert cell.is_date and cell.value == serial(day) and _format_date(cell, locale) == shown


def test_the_stand_in_keeps_a_day_first_date_as_text_in_en_us():
    cell = user_entered("25/04/2027", "en_US")  # no 25th month: Sheets keeps the text
    assert not cell.is_date and cell.value == "25/04/2027"


def test_a_locale_switched_within_the_day_never_moves_a_date(session, backend, gsync, emulator):
    """The hub still trusts en_GB when the coordinator switches the sheet to en_US: its
    05/04/2027 would be 4 May there. The write's answer shows it, and the cell is written
    again as an ISO date (5 April in every locale); an appended impact entry alike."""
    gsync()
    edit_due_and_log_an_entry(session, "25/04/2027")
    drain(session, backend)
    emulator.store.spreadsheets[BR].locale = "en_US"  # within the day the hub trusts en_GB
    emulator.store.spreadsheets[BR].touch()
    gsync()
    row = actions(session, "BR")["BR-A002"]
    edit_action_row(session, row, "Jo Teacher", {"due": "05/04/2027"}, editable_values(row), row.version)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 12, 3), "summary": "Maths network"})
    session.commit()
    results = drain(session, backend)
    assert {r.state for r in results} == {"done"}
    assert cells_of(emulator, "Action plan", "BR-A002", "UNFORMATTED_VALUE")["Due"] == serial(date(2027, 4, 5))
    entry = session.scalar(select(ImpactEntry).where(ImpactEntry.summary == "Maths network"))
    assert cells_of(emulator, "Impact log", entry.sheet_id, "UNFORMATTED_VALUE")["Date"] == serial(date(2026, 12, 3))
    assert workbook.locale == "en_US"  # asked again: the next date goes in its form
    gsync()
    session.expire_all()
    assert actions(session, "BR")["BR-A002"].due_by == date(2027, 4, 5)
