"""A save checks only the cells the person changed; text enters as a sheet can hold it."""
import re

import pytest
from sqlalchemy import select

from domain.models import ActionRow, ImpactEntry
from webapp.extensions import db

from ..conftest import csrf_token, days_ago, login
from .test_edits import open_form, row_id, save

EVIDENCE_DAY = f"{days_ago(16):%d/%m/%Y}"  # a day of the suite's school year, before it


def set_cells(app, sheet_id, **cells):
    with app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == sheet_id))
        for name, value in cells.items():
            setattr(row, name, value)
        db.session.commit()


def cell(app, sheet_id, name):
    with app.app_context():
        return getattr(db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == sheet_id)), name)


def test_a_due_the_app_does_not_know_is_kept_when_only_impact_changes(synced_app, client):
    set_cells(synced_app, "BR-A003", due="When Jo is back", due_date=None)
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    response = save(client, "BR", rid, open_form(client, "BR", rid), impact_to_date="Two staff trained.")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert cell(synced_app, "BR-A003", "impact_to_date") == "Two staff trained."
    assert cell(synced_app, "BR-A003", "due") == "When Jo is back"


@pytest.mark.parametrize("due", ["TBC", "ongoing", "termly", "end of term", "July 2027", "Summer term 2027",
                                 "Sum 2027", "Autumn 1 2026", "Spring 2 2027", "25 April 2027", "2027-04-25"])
def test_due_takes_what_schools_write(synced_app, client, due):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    assert save(client, "BR", rid, open_form(client, "BR", rid), due=due).status_code == 200


def test_text_past_what_a_cell_holds_is_refused_with_a_message_and_never_cut(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    fields = open_form(client, "BR", rid)
    form_html = client.get(f"/plans/BR/rows/{rid}/edit").get_data(as_text=True)
    assert "maxlength" not in form_html  # a browser would cut pasted text without a word
    response = save(client, "BR", rid, fields, impact_to_date="x" * 50_001)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "This is 50,001 characters; a spreadsheet cell holds 50,000." in html
    assert save(client, "BR", rid, fields, impact_to_date="x" * 50_000).status_code == 200


def test_sheet_text_over_the_limit_that_was_not_touched_does_not_block_a_save(synced_app, client):
    set_cells(synced_app, "BR-A003", impact_to_date="y" * 60_000)
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    response = save(client, "BR", rid, open_form(client, "BR", rid), status="Behind")
    assert response.status_code == 200 and cell(synced_app, "BR-A003", "status") == "Behind"
    assert cell(synced_app, "BR-A003", "impact_to_date") == "y" * 60_000


def test_characters_a_sheet_cannot_hold_are_removed_and_the_editor_is_told(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    response = save(client, "BR", rid, open_form(client, "BR", rid), impact_to_date="Line one\x0bLine two\x00.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Characters a spreadsheet cannot hold were removed" in html
    assert cell(synced_app, "BR-A003", "impact_to_date") == "Line one\nLine two."
    assert "Line two." in html  # the saved value shows


def test_the_impact_log_form_cleans_its_text_too(synced_app, client):
    login(client, "br_staff")
    response = client.post("/plans/BR/impact", data={
        "csrf_token": csrf_token(client, "/plans/BR/impact"), "date": EVIDENCE_DAY, "activity": "CPD", "action": "",
        "summary": "Phonics\x0cCPD", "strengths": "Clear\x0bmodelling", "areas_to_develop": "",
    })
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Characters a spreadsheet cannot hold were removed" in page
    with synced_app.app_context():
        entry = db.session.scalar(select(ImpactEntry).order_by(ImpactEntry.id.desc()))
        assert (entry.summary, entry.strengths) == ("PhonicsCPD", "Clear\nmodelling")
    assert not re.search(r"<textarea[^>]*maxlength", page)
