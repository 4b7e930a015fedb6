"""Board packs made in the background and kept (webapp/summaries/packs.py): nobody waits on
WeasyPrint; a kept pack is served only while the plan is as it was made from, and a
confirmed review's pack is made when it is confirmed and kept for good."""
import io
import re
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from domain.models import ActionRow, BoardPack, Job, utcnow
from webapp.background import work_off
from webapp.extensions import db

from ..conftest import board_pack, login
from .test_summaries import confirm_review


def pdf_text(data):
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def change_row(app, sheet_id, **values):
    """A change to a row as the sync or a save makes it (an ORM change in a transaction)."""
    with app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == sheet_id))
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def pack_jobs(app):
    with app.app_context():
        return db.session.scalars(select(Job).where(Job.kind == "board-pack").order_by(Job.id)).all()


def test_the_first_ask_is_told_the_pack_is_being_prepared_then_it_is_kept_for_the_next(synced_app, client):
    login(client, "br_governor")
    first = client.get("/summary/BR.pdf")
    assert first.status_code == 202 and first.mimetype == "text/html"
    page = first.get_data(as_text=True)
    assert "The board pack is being prepared" in page
    assert 'hx-get="/summary/BR/pack"' in page  # followed with htmx ...
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page  # ... and without JavaScript
    status = client.get("/summary/BR/pack").get_data(as_text=True)
    assert "Making the PDF of the plan as it is now" in status and 'hx-trigger="load delay:1s"' in status

    assert work_off(synced_app) == 1
    status = client.get("/summary/BR/pack").get_data(as_text=True)
    assert "The board pack is ready." in status and 'href="/summary/BR.pdf"' in status
    assert "hx-get" not in status  # nothing more to follow
    kept = client.get("/summary/BR.pdf")
    assert kept.status_code == 200 and kept.mimetype == "application/pdf"
    assert pdf_text(kept.data).startswith("Bank Road Infant and Nursery School: board pack")
    assert client.get("/summary/BR.pdf").data == kept.data  # the same pack, not made again
    assert len(pack_jobs(synced_app)) == 1


def test_a_pack_made_before_the_plan_changed_is_never_served_as_current(synced_app, client):
    login(client, "br_governor")
    before = pdf_text(board_pack(client, "/summary/BR.pdf").data)
    assert "Reading buddies for every class" not in before
    change_row(synced_app, "BR-A005", key_objective="Reading buddies for every class", status="Behind")
    answer = client.get("/summary/BR.pdf")
    assert answer.status_code == 202  # not the old pack
    work_off(synced_app)
    assert "Reading buddies for every class" in pdf_text(client.get("/summary/BR.pdf").data)


def test_a_kept_pack_is_made_again_a_quiet_minute_after_its_plan_changes(synced_app, client):
    login(client, "br_governor")
    board_pack(client, "/summary/BR.pdf")
    change_row(synced_app, "BR-A005", status="Complete")
    [_, again] = pack_jobs(synced_app)
    assert again.state == "queued" and timedelta(seconds=50) < again.run_at - utcnow() <= timedelta(minutes=1)
    change_row(synced_app, "BR-A003", status="Complete")  # another change within the minute: the same job
    [_, still] = pack_jobs(synced_app)
    assert still.id == again.id and still.run_at >= again.run_at
    change_row(synced_app, "WL-A001", status="Complete")  # a plan nobody asked a pack of: no job
    assert len(pack_jobs(synced_app)) == 2
    assert work_off(synced_app) == 0  # not due yet


def test_a_confirmed_review_has_its_pack_made_when_confirmed_and_kept_for_good(synced_app, client):
    review_id = confirm_review(synced_app, "BR")
    [job] = pack_jobs(synced_app)
    assert job.key.endswith(f":{review_id}") and job.state == "queued"
    work_off(synced_app)
    login(client, "br_governor")
    signed = client.get(f"/summary/BR.pdf?review={review_id}")
    assert signed.status_code == 200 and signed.mimetype == "application/pdf"  # ready when first asked for
    change_row(synced_app, "BR-A005", key_objective="Reading buddies for every class")
    again = client.get(f"/summary/BR.pdf?review={review_id}")
    assert again.status_code == 200 and again.data == signed.data  # the plan as signed, whatever changes after
    assert "Reading buddies" not in pdf_text(again.data)


def test_a_pack_that_cannot_be_made_says_so_and_can_be_asked_for_again(synced_app, client, monkeypatch):
    from webapp.summaries import packs

    def broken(html):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(packs, "render_pdf", broken)
    login(client, "br_governor")
    client.get("/summary/BR.pdf")
    with synced_app.app_context():
        db.session.execute(Job.__table__.update().values(max_attempts=1))
        db.session.commit()
    work_off(synced_app)
    status = client.get("/summary/BR/pack").get_data(as_text=True)
    assert "The board pack could not be made." in status and "fonts" not in status  # no mechanism named
    monkeypatch.undo()
    assert client.get("/summary/BR.pdf").status_code == 202  # asked for again
    work_off(synced_app)
    assert client.get("/summary/BR.pdf").mimetype == "application/pdf"
    with synced_app.app_context():
        assert db.session.scalar(select(BoardPack.as_at)) is not None
