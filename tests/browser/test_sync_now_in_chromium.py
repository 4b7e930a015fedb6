"""A head presses Sync now: it shows that it is running, then the result."""
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import SyncRun
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE
from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_sync_now_runs_in_the_background_and_reports_back(page, synced_app, workbook_dir):
    with synced_app.app_context():  # the fixture's sync ran a minute ago, not just now
        for run in db.session.scalars(select(SyncRun)):
            run.started_at -= timedelta(days=400)
        db.session.commit()
    path = workbook_dir / "william-lilley.xlsx"
    book = load_workbook(path)
    book["Action plan"]["J4"] = "Green"
    book.save(path)

    sign_in(page, PEOPLE["wl_head"][0], PASSWORD)
    panel = page.locator("#sync-now")
    panel.get_by_role("button", name="Sync now").click()
    expect(panel).to_contain_text("all read", timeout=15_000)
    expect(panel).to_contain_text("1 read, 2 unchanged")
    expect(panel.get_by_role("button", name="Sync now")).to_be_disabled()  # once a minute
    expect(panel).to_contain_text("Available again in")
    assert page.errors == []
