"""Pages whose cost would grow with history: paged, and read in a fixed number of queries."""
import re
from datetime import date, timedelta

from sqlalchemy import select

from domain.models import ImpactEntry, OutboxEntry, SyncRun, Workbook
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
