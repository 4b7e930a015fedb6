"""Messages that fit the person and the page they opened."""
import re

from domain.models import ActionRow, OutboxEntry, SyncRun
from webapp.extensions import db

from ..conftest import csrf_token, days_ago, login
from .test_edits import row_id

EVIDENCE_DAY = f"{days_ago(16):%d/%m/%Y}"  # a day of the suite's school year, before it


def test_a_governor_opening_an_edit_page_is_told_what_their_role_cannot_do(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    with synced_app.app_context():
        row = db.session.get(ActionRow, rid)
        entry = OutboxEntry(workbook_id=row.workbook_id, kind="edit", tab="Action plan", sheet_id=row.sheet_id,
                            row_id=rid, fields={}, state="conflict")
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
    login(client, "br_governor")
    token = csrf_token(client, "/")
    for response in (client.get(f"/plans/BR/rows/{rid}/edit"), client.get(f"/plans/BR/rows/{rid}/evidence"),
                     client.post(f"/plans/BR/rows/{rid}", data={"csrf_token": token}),
                     client.post("/plans/BR/impact", data={"csrf_token": token}),
                     client.post(f"/outbox/{entry_id}/keep", data={"csrf_token": token})):
        html = response.get_data(as_text=True)
        assert response.status_code == 403
        assert "Governors can read the plans but not change them" in html and "another school" not in html


def test_a_head_opening_the_sync_history_is_told_only_coordinators_see_it(client):
    login(client, "br_head")
    response = client.get("/sync/")
    assert response.status_code == 403
    assert "Only partnership coordinators see the sync history" in response.get_data(as_text=True)


def test_other_403s_keep_the_general_message(synced_app, client):
    login(client, "br_staff")
    assert "It belongs to another school" in client.get("/plans/WL").get_data(as_text=True)


def test_a_rows_history_and_add_evidence_opened_in_a_tab_of_their_own_are_whole_pages(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    for path, says in ((f"/plans/BR/rows/{rid}/history", "History of"), (f"/plans/BR/rows/{rid}/evidence", "Add evidence")):
        whole = client.get(path).get_data(as_text=True)
        assert whole.lstrip().startswith("<!doctype html>") and says in whole, path
        slot = "history" if path.endswith("history") else "evidence"
        piece = client.get(path, headers={"HX-Request": "true", "HX-Target": f"{slot}-{rid}"}).get_data(as_text=True)
        assert "<html" not in piece, path


def test_add_evidence_without_javascript_goes_back_to_the_row_with_a_message(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    response = client.post(f"/plans/BR/impact?row={rid}", data={
        "csrf_token": csrf_token(client, f"/plans/BR/rows/{rid}/evidence"), "date": EVIDENCE_DAY,
        "activity": "CPD", "action": "BR-A003", "summary": "Staff meeting on attachment.",
    })
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/plans/BR#row-{rid}")
    assert "Added to the impact log as" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_sync_now_without_javascript_redirects_to_a_page_showing_the_result(synced_app, client):
    login(client, "br_head")
    response = client.post("/sync/now", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/#sync-now")
    home = client.get("/").get_data(as_text=True)
    assert "A sync started less than a minute ago" in home  # the fixture's sync ran a moment ago
    assert 'id="sync-now"' in home


def test_the_wait_for_sync_now_is_never_a_stale_count_of_seconds(synced_app, client):
    login(client, "br_head")
    html = client.get("/").get_data(as_text=True)
    assert "Available again in about a minute." in html or "Available again in under half a minute." in html
    assert re.search(r'data-countdown="\d+"', html)  # app.js counts it down


def test_heads_of_other_schools_see_who_asked_for_a_sync_by_name(synced_app, client):
    with synced_app.app_context():
        db.session.add(SyncRun(trigger="button", requested_by="head"))  # as Sync now stores it
        db.session.commit()
    login(client, "wl_head")
    html = client.get("/").get_data(as_text=True)
    assert "asked for by head" in html and "head@br.test.school" not in html


def test_the_impact_log_names_the_linked_action_by_its_title_with_its_id(synced_app, client):
    login(client, "br_staff")
    client.post("/plans/BR/impact", data={
        "csrf_token": csrf_token(client, "/plans/BR/impact"), "date": EVIDENCE_DAY, "activity": "CPD",
        "action": "BR-A003", "summary": "Attachment training.",
    })
    html = client.get("/plans/BR/impact").get_data(as_text=True)
    assert re.search(r"Embed the emotional health[^<]*<span class=\"muted\">\(BR-A003\)</span>", html)


def test_school_users_never_read_the_sync_jargon(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    for who in ("br_head", "br_staff", "br_governor"):
        login(client, who)
        for path in ("/", "/plans/BR", "/plans/joint", "/plans/BR/problems", "/plans/BR/impact",
                     f"/plans/BR/rows/{rid}", f"/plans/BR/rows/{rid}/history", "/plans/WL/problems", "/sync/"):
            html = client.get(path).get_data(as_text=True).lower()
            for word in ("contract", "drive calls", "sheets reads"):
                assert word not in html, (who, path, word)


def test_a_row_number_past_the_databases_integers_is_404_not_500(synced_app, client):
    login(client, "br_staff")
    response = client.post("/plans/BR/impact?row=99999999999999999999", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 404
    assert client.post("/plans/BR/impact?row=abc", data={"csrf_token": csrf_token(client, "/")}).status_code == 404
