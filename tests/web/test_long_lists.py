"""Pages whose cost would grow with history: paged, and read in a fixed number of queries."""
import re
from datetime import date, timedelta

from sqlalchemy import select

from domain.models import ImpactEntry, OutboxEntry, School, SyncRun, User, Workbook
from webapp.extensions import db

from ..conftest import Statements, login


def add_runs(app, count):
    with app.app_context():
        for n in range(count):
            db.session.add(SyncRun(trigger="scheduler", ok=True, note=f"run {n}",
                                   results=[{"code": "BR", "ok": True, "skipped": True}] * 50))
        db.session.commit()


def add_entries(app, count, activity="CPD"):
    with app.app_context():
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "BR"))
        for n in range(count):
            db.session.add(ImpactEntry(workbook_id=workbook.id, sheet_id=f"BR-T{n:03}", date=date(2026, 1, 1) + timedelta(days=n),
                                       activity=activity, summary=f"Entry number {n}", action="BR-A003" if n % 2 else ""))
        db.session.commit()


def test_the_sync_history_shows_twenty_runs_a_page_with_older_and_newer_links(synced_app, client):
    add_runs(synced_app, 30)  # and the fixture's own run: 31
    login(client, "admin")
    first = client.get("/sync/").get_data(as_text=True)
    assert first.count('data-label="Started"') == 20 and "Page 1 of 2" in first
    assert 'href="/sync/?page=2"' in first and "Older" in first and "Newer" not in first
    second = client.get("/sync/?page=2").get_data(as_text=True)
    assert second.count('data-label="Started"') == 11 and 'href="/sync/"' in second and "Newer" in second
    assert "Browser edits not yet in the sheets" not in second  # shown once, on the first page


def test_the_sync_history_does_not_draw_every_workbook_line_of_every_run(synced_app, client):
    add_runs(synced_app, 20)
    login(client, "admin")
    html = client.get("/sync/").get_data(as_text=True)
    assert "unchanged, not read" not in html and len(html) < 60_000


def test_the_schools_page_reads_as_much_for_many_waiting_edits_as_for_few(synced_app, client):
    def add_entries_and_read(first):
        with synced_app.app_context():
            workbooks = db.session.scalars(select(Workbook)).all()
            for n in range(first, first + 12):
                db.session.add(OutboxEntry(workbook_id=workbooks[n % len(workbooks)].id, kind="edit",
                                           tab="Action plan", sheet_id=f"X-{n}", fields={}, state="waiting"))
            db.session.commit()
        with Statements(synced_app) as statements:
            html = client.get("/schools/").get_data(as_text=True)
        assert html.count(">X-") == first + 12
        return statements

    login(client, "admin")
    few, many = add_entries_and_read(0), add_entries_and_read(12)
    assert len(many.sql) == len(few.sql)
    assert len(many.reading("workbook")) <= 3  # the partnership's, the schools', the entries' in one go


def test_the_impact_log_is_paged_newest_first(synced_app, client):
    add_entries(synced_app, 25)
    login(client, "br_staff")
    html = client.get("/plans/BR/impact").get_data(as_text=True)
    assert html.count('class="impact-entry') == 20 and "Page 1 of 2" in html
    assert html.index("Entry number 24") < html.index("Entry number 23")
    older = client.get("/plans/BR/impact?page=2").get_data(as_text=True)
    assert "Entry number 0<" in older and "Entry number 24" not in older


def test_the_impact_log_filters_are_a_real_get_form_and_work_with_htmx(synced_app, client):
    add_entries(synced_app, 6, activity="CPD")
    login(client, "br_staff")
    page = client.get("/plans/BR/impact").get_data(as_text=True)
    assert re.search(r'<form id="impact-filters"[^>]*method="get"', page)
    plain = client.get("/plans/BR/impact?activity=CPD&action=BR-A003").get_data(as_text=True)
    assert plain.lstrip().startswith("<!doctype html>")
    assert "Entry number 5" in plain and "Entry number 4" not in plain  # odd ones link BR-A003
    swapped = client.get("/plans/BR/impact?activity=CPD&action=BR-A003&since=&until=",
                         headers={"HX-Request": "true", "HX-Target": "impact-entries"})
    assert "<html" not in swapped.get_data(as_text=True) and "Entry number 5" in swapped.get_data(as_text=True)
    assert swapped.headers["HX-Push-Url"] == "/plans/BR/impact?activity=CPD&action=BR-A003"
    ranged = client.get("/plans/BR/impact?activity=CPD&since=03/01/2026&until=04/01/2026").get_data(as_text=True)
    assert "Entry number 2" in ranged and "Entry number 3" in ranged and "Entry number 4" not in ranged
    assert "Entry number 1<" not in ranged


def test_the_plan_page_reads_its_rows_once(synced_app, client):
    login(client, "br_staff")
    with Statements(synced_app) as statements:
        assert client.get("/plans/BR?status=Behind").status_code == 200
    assert len(statements.reading("action_row")) == 1


def add_people(app, count, start=0):
    with app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for n in range(start, start + count):
            db.session.add(User(email=f"person{n:03}@{'br' if n % 2 else 'wl'}.test.school", name=f"Person {n:03}",
                                role="staff", school=schools["BR" if n % 2 else "WL"], password_hash="!"))
        db.session.commit()


def test_people_are_50_a_page_searched_by_part_of_a_name_school_or_role_the_search_in_the_address(
        synced_app, client):
    add_people(synced_app, 120)
    with synced_app.app_context():
        wl = db.session.scalar(select(School).where(School.code == "WL"))
        db.session.add(User(email="zq@wl.test.school", name="Zebedee Quill", role="governor", school=wl,
                            password_hash="!"))
        db.session.commit()
    login(client, "admin")
    first = client.get("/people").get_data(as_text=True)
    assert first.count('<tr id="person-') == 50 and "Page 1 of 3" in first and "128 people: 1 to 50 shown." in first
    assert 'href="/people?page=2" rel="next"' in first
    past = client.get("/people?page=9").get_data(as_text=True)  # a bookmark past the end: the last page
    assert "Page 3 of 3" in past and "128 people: 101 to 128 shown." in past and past.count('<tr id="person-') == 28
    found = client.get("/people?q=ebede").get_data(as_text=True)  # a part of a name
    assert "Zebedee Quill" in found and found.count('<tr id="person-') == 1
    assert "1 person matches these filters." in found
    by_school = client.get("/people?q=william+lilley").get_data(as_text=True)  # a school's name
    assert "64 people match these filters: 1 to 50 shown." in by_school and "@br.test.school" not in by_school
    by_role = client.get("/people?q=governor").get_data(as_text=True)  # a role, as the page names it
    assert by_role.count('<tr id="person-') == 3 and "Zebedee Quill" in by_role
    second = client.get("/people?q=person&page=2").get_data(as_text=True)  # without scripts: a whole page
    assert "<h1>People</h1>" in second and "Person 050" in second and "Person 049" not in second
    assert 'href="/people?q=person&amp;page=3" rel="next"' in second and 'href="/people?q=person" rel="prev"' in second
    response = client.get("/people?q=person&school=&role=&page=3",
                          headers={"HX-Request": "true", "HX-Target": "people-list"})
    body = response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == "/people?q=person&page=3"
    assert body.lstrip().startswith('<div id="people-list"') and "<h1>" not in body
    assert "Person 119" in body and body.count('<tr id="person-') == 20 and 'hx-swap-oob' in body


def test_a_page_of_people_reads_as_much_for_many_people_as_for_few(synced_app, client):
    login(client, "admin")

    def statements_for_a_page():
        with Statements(synced_app) as statements:
            assert client.get("/people?page=2").status_code == 200
            assert client.get("/people?page=2", headers={"HX-Request": "true",
                                                         "HX-Target": "people-list"}).status_code == 200
        return len(statements.sql)

    add_people(synced_app, 60)
    few = statements_for_a_page()
    add_people(synced_app, 200, start=60)
    assert statements_for_a_page() == few


def test_the_calendar_list_is_25_a_page_what_is_to_come_first_then_what_has_gone_by(synced_app, client):
    from domain.calendar import term_of
    from domain.models import CalendarEvent

    from ..conftest import SUITE_DAY, add_event

    with synced_app.app_context():  # the demo's events out of the way: the test's own are counted
        db.session.execute(CalendarEvent.__table__.delete())
        db.session.commit()
    for n in range(30):
        add_event(synced_app, f"T-E6{n:02}", n + 1, focus=f"Coming {n:02}")
    gone = [n for n in (1, 2) if SUITE_DAY - timedelta(days=n) >= term_of(SUITE_DAY).start]  # this term's
    for n in gone:
        add_event(synced_app, f"T-E59{n}", -n, focus=f"Gone {n}")
    login(client, "br_staff")
    first = client.get("/calendar").get_data(as_text=True)
    shown = re.findall(r"Subject network</strong>: (\w+ \d+)", first)
    assert shown == [f"Coming {n:02}" for n in range(25)] and "Page 1 of 2" in first
    assert 'href="/calendar?page=2" rel="next"' in first
    assert f"{30 + len(gone)} events in" in first and "30 to come, soonest first" in first
    second = client.get("/calendar?page=2").get_data(as_text=True)
    assert re.findall(r"Subject network</strong>: (\w+ \d+)", second) == (
        [f"Coming {n:02}" for n in range(25, 30)] + [f"Gone {n}" for n in gone])  # the latest gone by first
    assert ("Gone by" in second) == bool(gone)
    response = client.get("/calendar?type=network&page=2",
                          headers={"HX-Request": "true", "HX-Target": "calendar-results"})
    assert response.headers["HX-Push-Url"] == "/calendar?type=network&page=2"
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="calendar-results"') and "Coming 29" in body and "<h1>" not in body
