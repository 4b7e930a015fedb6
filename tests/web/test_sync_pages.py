"""Heads' "Sync now" and admins' sync history."""
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from domain.models import SyncRun, utcnow
from webapp.extensions import db

from ..conftest import csrf_token, login


def press_sync_now(client):
    return client.post("/sync/now", headers={"HX-Request": "true", "HX-Target": "sync-now",
                                             "X-CSRFToken": csrf_token(client, "/")})


def wait_for_background_sync(app):
    app.extensions["sync_future"].result(timeout=30)


def test_heads_see_sync_now_and_staff_and_governors_do_not(client):
    login(client, "br_head")
    assert "Sync now" in client.get("/").get_data(as_text=True)
    for who in ("br_staff", "br_governor"):
        other = client.application.test_client()
        login(other, who)
        assert "Sync now" not in other.get("/").get_data(as_text=True)
        assert other.post("/sync/now", headers={"X-CSRFToken": csrf_token(other, "/")}).status_code == 403


def test_sync_now_shows_it_is_running_then_the_result(synced_app, client, workbook_dir):
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book["Action plan"]["J2"] = "Red"
    book.save(path)
    login(client, "br_head")
    with synced_app.app_context():  # the demo sync ran a moment ago: let it be a while back
        for run in db.session.scalars(select(SyncRun)):
            run.started_at -= timedelta(days=400)
        db.session.commit()
    response = press_sync_now(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in html and "Syncing from the spreadsheets" in html
    wait_for_background_sync(synced_app)
    after = client.get("/sync/status", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "every 2s" not in after  # polling stops once the result is in
    assert "all read" in after and "1 read, 2 unchanged" in after and "1 changed" in after
    with synced_app.app_context():
        run = db.session.scalar(select(SyncRun).where(SyncRun.trigger == "button"))
        assert run.requested_by == "head" and run.ok  # the person's name, never their e-mail


def test_sync_now_at_most_once_a_minute(synced_app, client):
    login(client, "br_head")
    response = press_sync_now(client)  # the fixture's sync started seconds ago
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "You can ask again in" in html and "disabled" in html
    with synced_app.app_context():
        assert db.session.scalar(select(SyncRun).where(SyncRun.trigger == "button")) is None


def test_a_press_in_another_worker_a_moment_before_starts_no_second_sync(synced_app, client):
    from sync import lock
    from webapp.syncing import SYNC_NOW_LOCK

    login(client, "br_head")
    with synced_app.app_context():
        for run in db.session.scalars(select(SyncRun)):
            run.started_at -= timedelta(days=400)
        db.session.commit()
        # Another worker's press took the button's lease, its run not yet recorded.
        assert lock.acquire(db.session, "worker-2", lease=timedelta(seconds=60), lock_id=SYNC_NOW_LOCK)
    response = press_sync_now(client)
    assert response.status_code == 429 and "You can ask again in" in response.get_data(as_text=True)
    with synced_app.app_context():
        assert db.session.scalar(select(SyncRun).where(SyncRun.trigger == "button")) is None


def test_admins_see_the_history_of_runs_with_their_costs(client):
    login(client, "admin")
    html = client.get("/sync/").get_data(as_text=True)
    assert "Sync history" in html and "all read" in html
    assert "3 / 0 / 0" in html  # read / unchanged / failed
    # The partnership workbook's line (how many rows, the day's demo says: an event before 1 September is read,
    # not added, being last year's).
    joint = re.compile(r"<strong>joint</strong>:\s*[1-9]\d* rows read, [1-9]\d* added, 0 changed, 0 archived, 0 problems")
    assert "rows read" not in html  # each workbook's line only when asked for
    run_url = re.search(r'href="(/sync/runs/\d+)"', html).group(1)
    lines = client.get(run_url, headers={"HX-Request": "true", "HX-Target": run_url.replace("/sync/runs/", "run-") + "-results"})
    assert joint.search(lines.get_data(as_text=True)) and "<html" not in lines.get_data(as_text=True)
    own_page = client.get(run_url).get_data(as_text=True)  # without scripts: a page of its own
    assert "<html" in own_page and joint.search(own_page)


def test_the_history_counts_what_a_run_read_and_leaves_out_the_runs_that_found_nothing(synced_app, client):
    with synced_app.app_context():
        for minutes in (10, 5):  # two scheduled runs with every workbook unchanged
            db.session.add(SyncRun(trigger="scheduler", started_at=utcnow() - timedelta(minutes=minutes),
                                   finished_at=utcnow(), ok=True, workbooks_skipped=3))
        db.session.commit()
        rows = db.session.scalar(select(func.count(SyncRun.id)))
    login(client, "admin")
    html = client.get("/sync/").get_data(as_text=True)
    assert rows == 3 and html.count('data-label="Started"') == 1  # the sync that read, alone
    assert "Not listed: 2 scheduled runs that found every workbook unchanged" in html
    assert '<th scope="col">Files read / saved</th>' in html and "Google" not in html  # the .xlsx set-up's words
    # three files read (and the IDs the first read gave written back): never "0 / 0"
    assert re.findall(r'data-label="Reads / writes">(\d+) / (\d+)<', html) == [("3", "3")]


def test_only_admins_see_the_history(client):
    login(client, "br_head")
    assert client.get("/sync/").status_code == 403


def test_admins_see_edits_not_yet_in_the_sheets_with_the_reason(synced_app, client, workbook_dir):
    from .test_edits import open_form, row_id, save, wait_for_outbox

    rid = row_id(synced_app, "BR-A003")
    staff = synced_app.test_client()
    login(staff, "br_staff")
    (workbook_dir / "bank-road.xlsx").rename(workbook_dir / "away.xlsx")
    save(staff, "BR", rid, open_form(staff, "BR", rid), status="Behind")
    wait_for_outbox(synced_app)
    login(client, "admin")
    html = client.get("/schools/").get_data(as_text=True)
    assert "Browser edits not yet in the sheets" in html and "BR-A003" in html
    assert "was not found" in html and "staff" in html
