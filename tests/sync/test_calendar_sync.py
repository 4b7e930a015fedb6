"""The partnership workbook's Calendar and RSVP tabs sync through the registry."""
from datetime import time

from sqlalchemy import select

from domain.models import CalendarEvent, EventReply, School, SheetProblem

from ..conftest import in_year

CALENDAR_HEADER = ["Date", "Time", "Type", "Focus", "Host school", "Invited schools", "Lead", "Status", "Notes"]


def _replace_tab(title, rows):
    def change(sheet):
        book = sheet.parent
        if title in book.sheetnames:
            del book[title]
        new = book.create_sheet(title)
        for row in rows:
            new.append(row)
    return change


def _events(session):
    session.expire_all()
    return {e.sheet_id: e for e in session.scalars(select(CalendarEvent).where(CalendarEvent.archived_at.is_(None)))}


def test_a_calendar_tab_syncs_into_events_and_gets_ids_written_back(session, sync, partnership):
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [in_year(12, 3), "9:00-12:00", "Maths network", "Fractions", "br", "BR, WL", "A. Lead", "", ""],
        [f"{in_year(1, 14):%d/%m/%Y}", "1.15pm - 3.30pm", "QA visit - safeguarding", "", "WL", "BR", "", "Booked", "Approximate"],
        [f"{in_year(1, 20):%d/%m/%Y}", "", "Heads network", "Budgets", "BR", "All schools", "", "", ""],
        ["", "", "Subject network", "", "", "", "", "", ""],  # no date: a problem, not a row
    ]))
    results, report = sync()
    assert report.ok
    events = sorted(_events(session).values(), key=lambda e: e.date)
    assert [e.sheet_id for e in events] == ["J-E001", "J-E002", "J-E003"]
    first, visit, heads = events
    assert (first.date, first.start_time, first.end_time) == (in_year(12, 3), time(9), time(12))
    assert first.type == "Maths network" and first.category == "network"  # not the policy's words: as written
    assert first.host_code == "BR" and first.invited_codes == ["BR", "WL"]
    assert visit.type == "Quality assurance visit: safeguarding" and visit.is_visit
    assert (visit.start_time, visit.end_time) == (time(13, 15), time(15, 30))
    assert visit.status == "Confirmed"
    assert heads.type == "Headteachers network" and heads.invited_codes == ["*"] and heads.start_time is None

    rows = partnership.rows("Calendar")
    assert rows[0][-1] == "ID"  # the hub added its ID column after the last one
    assert [r[-1] for r in rows[1:]] == ["J-E001", "J-E002", "J-E003", None]
    messages = [p.message for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))]
    assert any("'Date' is empty" in m for m in messages)
    assert any("'Maths network' is not one of the policy's event types" in m for m in messages)

    sync()  # a second read changes nothing and adds nothing
    assert sorted(_events(session)) == ["J-E001", "J-E002", "J-E003"]


def test_an_rsvp_tab_syncs_into_replies(session, sync, partnership):
    partnership.edit("Schools", _replace_tab("RSVP", [
        ["ID", "Event", "School", "Person", "Reply", "Note", "Replied"],
        ["", "J-E003", "br", "Ann Smith <Ann@Bank-Road.example>", "yes", "", "01/12/2026 10:00"],  # the demo's
        ["", "J-E003", "WL", "bob@wl.example", "apologies", "Ofsted", ""],
    ]))
    sync()
    replies = {r.email: r for r in session.scalars(select(EventReply))}
    assert replies["ann@bank-road.example"].reply == "Confirmed"
    assert replies["ann@bank-road.example"].school == "BR"
    assert replies["bob@wl.example"].reply == "Declined" and replies["bob@wl.example"].note == "Ofsted"
    assert [r[0] for r in partnership.rows("RSVP")[1:]] == ["J-R001", "J-R002"]


def test_the_schools_tab_holds_the_visitors_links(session, sync, partnership):
    sync()
    schools = {s.code: s for s in session.scalars(select(School))}
    assert schools["BR"].safeguarding_policy == "https://bankroad.demo.school/policies/safeguarding.pdf"
    assert schools["WL"].safeguarding_policy == schools["WL"].code_of_conduct == ""

    def links(sheet):
        header = [c.value for c in sheet[1]]
        sheet.cell(2, header.index("Safeguarding policy") + 1, "https://bank-road.example/safeguarding.pdf")
        sheet.cell(2, header.index("Code of conduct") + 1).value = None
    partnership.edit("Schools", links)
    sync()
    session.expire_all()
    schools = {s.code: s for s in session.scalars(select(School))}
    assert schools["BR"].safeguarding_policy == "https://bank-road.example/safeguarding.pdf"
    assert schools["BR"].code_of_conduct == ""


def test_a_reply_typed_with_the_events_id_in_lower_case_counts_for_that_event(session, sync, partnership):
    from domain import calendar as cal
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER, [in_year(12, 3), "9:00-12:00", "Subject network", "Fractions", "BR", "BR, WL", "", "", ""],
    ]))
    sync()
    partnership.edit("Schools", _replace_tab("RSVP", [
        ["ID", "Event", "School", "Person", "Reply", "Note", "Replied"],
        ["J-R050", "j-e001", "BR", "Ann Smith <ann@bank-road.example>", "yes", "", ""],
    ]))
    sync()
    [event] = _events(session).values()
    # Not counted, Ann's next click would add a second row of hers to the RSVP tab.
    assert cal.replies_of(session, event)["ann@bank-road.example"].reply == "Confirmed"
    assert [e.sheet_id for e in cal.events_for_person(session, _Person("ann@bank-road.example"))] == ["J-E001"]


class _Person:
    role, school = "staff", None

    def __init__(self, email):
        self.email = email


def test_a_host_school_cell_is_resolved_to_its_school_and_one_no_school_answers_to_is_a_problem(
        session, sync, partnership):
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [in_year(12, 3), "", "Subject network", "Writing", "William  Lilley Infant and Nursery school", "BR",
         "", "", ""],
        [in_year(12, 4), "", "Subject network", "Maths", "wl", "BR", "", "", ""],
        [in_year(12, 5), "", "Subject network", "Phonics", "Bank Rd Juniors", "WL", "", "", ""],
    ]))
    sync()
    hosts = {e.focus: e.host_code for e in _events(session).values()}
    assert hosts == {"Writing": "WL", "Maths": "WL", "Phonics": "Bank Rd Juniors"}  # unknown: kept as written
    [problem] = [p for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))
                 if "Host school" in p.column]
    assert (problem.row, problem.column) == (4, "E (Host school)")
    assert "'Bank Rd Juniors' is not a school of the partnership" in problem.message
    sync()  # read again: the same, not another problem
    assert len([p for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))
                if "Host school" in p.column]) == 1


def test_a_place_under_a_venue_header_is_no_problem_and_a_school_there_is_still_its_host(session, sync, partnership):
    header = ["Venue" if h == "Host school" else h for h in CALENDAR_HEADER]
    partnership.edit("Schools", _replace_tab("Calendar", [
        header,
        [in_year(12, 3), "", "Subject network", "Writing", "Village hall", "BR", "", "", ""],
        [in_year(12, 4), "", "Subject network", "Maths", "William Lilley Infant and Nursery School", "BR",
         "", "", ""],
    ]))
    sync()
    hosts = {e.focus: e.host_code for e in _events(session).values()}
    assert hosts == {"Writing": "Village hall", "Maths": "WL"}
    assert [p.message for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))] == []


def _calendar_problems(session):
    return {p.row: p.message for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))
            if "Host school" in p.column}


def test_two_schools_whose_names_are_a_plural_apart_are_two_hosts(session, sync, partnership):
    partnership.edit("Schools", lambda sheet: setattr(sheet.cell(3, 2), "value", "Bank Road Infant and Nursery Schools"))
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [in_year(12, 3), "", "Subject network", "Writing", "Bank Road Infant and Nursery School", "WL", "", "", ""],
        [in_year(12, 4), "", "Subject network", "Maths", "bank road infant & nursery schools", "BR", "", "", ""],
    ]))
    sync()
    assert {e.focus: e.host_code for e in _events(session).values()} == {"Writing": "BR", "Maths": "WL"}
    assert _calendar_problems(session) == {}


def _add_schools(*rows):
    def change(sheet):
        for code, name in rows:
            sheet.append([code, name])  # no workbook: a problem of the Schools tab, not the Calendar's
    return change


def test_a_cell_that_could_be_two_schools_is_a_problem_and_no_schools_host(session, sync, partnership):
    from domain.calendar import Schools
    partnership.edit("Schools", _add_schools(("ASH", "Ashgrove Primary"), ("AS2", "Ash"), ("OAK", "Oak Primary"),
                                             ("OK2", "Oak Primary.")))
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [in_year(12, 3), "", "Subject network", "Writing", "Ash", "Ash, WL", "", "", ""],  # ASH's code, AS2's name
        [in_year(12, 4), "", "Subject network", "Maths", "AS2", "BR", "", "", ""],
        [in_year(12, 5), "", "Subject network", "Phonics", "Ashgrove primary", "BR", "", "", ""],
        [in_year(12, 7), "", "Subject network", "Science", "Oak Primary", "BR", "", "", ""],  # two schools' names
    ]))
    sync()
    events = {e.focus: e for e in _events(session).values()}
    assert {f: e.host_code for f, e in events.items()} == {"Writing": "", "Maths": "AS2", "Phonics": "ASH",
                                                           "Science": ""}
    assert _calendar_problems(session) == {
        2: "Host school 'Ash' could be Ashgrove Primary (ASH) or Ash (AS2): write the code.",
        5: "Host school 'Oak Primary' could be Oak Primary (OAK) or Oak Primary. (OK2): write the code."}
    schools = Schools(session)
    assert schools.find("Ash") is None and schools.host(events["Writing"]) is None  # no guess
    assert [s.code for s in schools.invited(events["Writing"])[0]] == ["WL"]  # Ash: as a name no school answers to


def test_a_past_event_hosted_by_a_school_that_left_keeps_its_host_and_is_no_problem(session, sync, partnership):
    from domain.calendar import Schools
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [in_year(10, 3), "", "Subject network", "Writing", "WL", "WL, BR", "", "", ""],
        [in_year(10, 4), "", "Subject network", "Maths", "William Lilley Infant and Nursery School", "BR",
         "", "", ""],
    ]))
    sync()
    partnership.edit("Schools", lambda s: s.delete_rows(3))  # William Lilley leaves the partnership
    sync()
    events = {e.focus: e for e in _events(session).values()}
    assert {f: e.host_code for f, e in events.items()} == {"Writing": "WL", "Maths": "WL"}
    assert _calendar_problems(session) == {}
    schools = Schools(session)
    assert schools.host(events["Maths"]).code == "WL" and schools.host(events["Maths"]).archived_at is not None
    # Still not a current school: not listed, not invited, not found by the calendar's school filter.
    assert [s.code for s in schools.all] == ["BR"] and schools.find("WL") is None
    assert [s.code for s in schools.invited(events["Writing"])[0]] == ["BR"]


def test_invited_schools_are_resolved_as_the_host_is_and_an_ambiguous_one_invites_nobody(session, sync, partnership):
    from domain.impact_forms import is_invited

    partnership.edit("Schools", _add_schools(("ASH", "Ashgrove Primary"), ("AS2", "Ash")))
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [in_year(12, 3), "", "Subject network", "Writing", "BR",
         "Ash, William Lilley Infant and Nursery School", "", "", ""],
        [in_year(12, 4), "", "Subject network", "Maths", "AS2", "BR and WL", "", "", ""],
    ]))
    sync()
    events = {e.focus: e for e in _events(session).values()}
    event = events["Writing"]
    assert event.invited_codes == ["Ash", "WL"]  # WL by its name, "and" and all; "Ash" as written, no code
    assert events["Maths"].invited_codes == ["BR", "WL"]  # a list joined with "and"
    assert is_invited("WL", event) and not is_invited("ASH", event) and not is_invited("AS2", event)
    [problem] = [p for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))
                 if "Invited" in p.column]
    assert problem.message == "Invited school 'Ash' could be Ashgrove Primary (ASH) or Ash (AS2): write the code."


HOSTILE_IDS = ["J-E030\"; filename*=UTF-8''evil.html; x=\"", "J-E031\nX-Injected: 1", "<b>J-E032</b>", "J-E033;",
               "../../J-E034", "J" * 41]


def test_an_id_no_row_could_have_is_a_problem_where_it_enters_and_its_row_is_not_stored(session, sync, partnership):
    partnership.edit("Schools", _replace_tab("Calendar", [
        ["ID", *CALENDAR_HEADER],
        *[[typed, in_year(2, 1 + n), "", "Maths network", "", "BR", "WL", "", "", ""] for n, typed in enumerate(HOSTILE_IDS)],
        ["SG 1.2 (a)", in_year(2, 20), "", "Maths network", "", "BR", "WL", "", "", ""],  # as people type IDs
    ]))
    results, report = sync()
    assert results["joint"].ok
    assert sorted(_events(session)) == ["SG 1.2 (a)"]  # a person's ID is kept as it is
    problems = [p for p in session.scalars(select(SheetProblem).where(SheetProblem.tab == "Calendar"))]
    refused = [p for p in problems if "Clear the ID cell" in p.fix]
    assert sorted(p.row for p in refused) == [2, 3, 4, 5, 6, 7]  # each hostile row, by its row in the sheet
    assert all("not a usable ID" in p.message or "longer than 40" in p.message for p in refused)
    assert [r[0] for r in partnership.rows("Calendar")[1:]] == [*HOSTILE_IDS, "SG 1.2 (a)"]  # nothing overwritten
