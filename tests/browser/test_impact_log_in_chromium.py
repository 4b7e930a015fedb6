"""The impact log's filters in a real browser: the entries change in place and the URL
can be bookmarked; Older/Newer links page through."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import ImpactEntry, Workbook
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser


def test_filtering_the_impact_log_swaps_the_entries_and_pushes_a_bookmarkable_url(page, synced_app):
    with synced_app.app_context():
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "BR"))
        for n in range(23):
            db.session.add(ImpactEntry(workbook_id=workbook.id, sheet_id=f"BR-T{n:03}", date=date(2026, 1, 1) + timedelta(days=n),
                                       activity="Moderation" if n < 3 else "Network", summary=f"Filler entry {n}"))
        db.session.commit()
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR/impact")
    entries = page.locator("#impact-entries article.impact-entry")
    expect(entries).to_have_count(20)
    page.get_by_role("link", name="Older →").click()
    expect(page).to_have_url(re.compile(r"/plans/BR/impact\?page=2$"))
    settled(page)
    page.locator("#impact-filters").get_by_label("Activity").select_option("Moderation")
    expect(page).to_have_url(re.compile(r"/plans/BR/impact\?activity=Moderation$"))
    fillers = entries.filter(has_text="Filler entry")
    expect(fillers).to_have_count(3)
    expect(entries.filter(has_text="Filler entry 10")).to_have_count(0)
    page.reload()  # the URL is the filtered log
    expect(fillers).to_have_count(3)
    expect(page.locator("#impact-filters").get_by_label("Activity")).to_have_value("Moderation")
    assert page.errors == []
