"""Downloads from the pages: what the page shows under its filters, for those who may see it."""
import csv
import io
import re
from datetime import date, datetime
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from domain.models import ActionRow, ImpactEntry
from webapp.extensions import db

from ..conftest import PEOPLE, login

BR_READERS = ("admin", "br_head", "br_staff", "br_governor")
WL_PEOPLE = ("wl_head", "wl_staff", "wl_governor")


def signed_in(app, who):
    client = app.test_client()
    login(client, who)
    return client


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def xlsx_sheet(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.get_data())).active


def titles_on(html):
    """The row titles a plan page shows, in order."""
    return [unescape(t) for t in re.findall(r'<h3 class="row-title">(.*?)</h3>', html, re.S)]


def titles_in(records):
    return [(r["Key objective"].splitlines() or [""])[0] for r in records]


@pytest.mark.parametrize("who", BR_READERS)
def test_a_plan_download_holds_the_rows_its_filtered_page_shows(synced_app, who):
    client = signed_in(synced_app, who)
    for query in ("", "?status=Complete", "?area=Other", "?overdue=1"):
        shown = titles_on(client.get(f"/plans/BR{query}").get_data(as_text=True))
        assert titles_in(csv_rows(client.get(f"/plans/BR/export/csv{query}"))) == shown, query
        sheet = xlsx_sheet(client.get(f"/plans/BR/export/xlsx{query}"))
        header = [c.value for c in sheet[1]]
        records = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert titles_in(records) == shown, query
    assert shown != titles_on(client.get("/plans/BR").get_data(as_text=True))  # the filter did narrow


def test_the_plan_page_links_its_downloads_with_its_filters(synced_app):
    html = signed_in(synced_app, "br_staff").get("/plans/BR?status=Complete").get_data(as_text=True)
    assert 'href="/plans/BR/export/csv?status=Complete"' in html
    assert 'href="/plans/BR/export/xlsx?status=Complete"' in html


@pytest.mark.parametrize("who", WL_PEOPLE)
def test_another_schools_plan_log_priorities_and_problems_cannot_be_downloaded(synced_app, who):
    client = signed_in(synced_app, who)
    for path in ("/plans/BR/export/csv", "/plans/BR/export/xlsx", "/plans/BR/impact/export/csv",
                 "/plans/BR/priorities/export/xlsx", "/plans/BR/problems/export/csv"):
        assert client.get(path).status_code == 403, path


def test_every_role_downloads_the_joint_plan_as_the_page_shows_it(synced_app):
    for who in PEOPLE:
        client = signed_in(synced_app, who)
        shown = titles_on(client.get("/plans/joint").get_data(as_text=True))
        assert len(shown) == 10
        assert titles_in(csv_rows(client.get("/plans/joint/export/csv"))) == shown, who


def test_the_impact_log_download_holds_every_entry_the_filters_pick_not_one_page(synced_app):
    with synced_app.app_context():
        workbook_id = db.session.scalar(select(ActionRow.workbook_id).where(ActionRow.sheet_id == "BR-A001"))
        for n in range(25):
            db.session.add(ImpactEntry(workbook_id=workbook_id, sheet_id=f"BR-I9{n:02d}", date=date(2026, 11, 2),
                                       activity="Learning walk", summary=f"Walk {n}"))
        db.session.commit()
    client = signed_in(synced_app, "br_head")
    page = client.get("/plans/BR/impact?activity=Learning+walk").get_data(as_text=True)
    total = int(re.search(r"(\d+) entries matching the filters", page).group(1))
    assert 'href="/plans/BR/impact/export/csv?activity=Learning+walk"' in page
    rows = csv_rows(client.get("/plans/BR/impact/export/csv?activity=Learning+walk"))
    assert len(rows) == total >= 25 and {r["Activity"] for r in rows} == {"Learning walk"}
    assert rows[0]["Date"] == "02/11/2026"
    sheet = xlsx_sheet(client.get("/plans/BR/impact/export/xlsx?activity=Learning+walk"))
    dated = sheet.cell(row=2, column=2)
    assert dated.is_date and dated.value == datetime(2026, 11, 2) and dated.number_format == "DD/MM/YYYY"


@pytest.mark.parametrize("who", list(PEOPLE))
def test_the_combined_priorities_download_never_carries_an_unshared_priority(synced_app, who):
    client = signed_in(synced_app, who)
    rows = csv_rows(client.get("/priorities/export/csv"))
    page = client.get("/priorities").get_data(as_text=True)
    assert len(rows) == int(re.search(r"(\d+) shared priorities in", page).group(1))
    assert "BR-S005" not in {r["ID"] for r in rows} and {r["Shared"] for r in rows} == {"True"}
    wl = csv_rows(client.get("/priorities/export/csv?school=WL"))
    assert wl and {r["School"] for r in wl} == {"WL"}


def test_a_schools_own_priorities_download_carries_its_unshared_ones(synced_app):
    for who in ("admin", "br_head", "br_governor"):
        rows = csv_rows(signed_in(synced_app, who).get("/plans/BR/priorities/export/csv"))
        assert "BR-S005" in {r["ID"] for r in rows} and {r["School"] for r in rows} == {"BR"}, who


def test_the_sheet_problems_download_lists_what_the_page_lists(synced_app):
    for who in ("admin", "wl_head"):
        client = signed_in(synced_app, who)
        page = unescape(client.get("/plans/WL/problems").get_data(as_text=True))
        rows = csv_rows(client.get("/plans/WL/problems/export/csv"))
        assert len(rows) == 2 and all(r["What is wrong"] in page for r in rows)


def test_downloads_never_hand_a_spreadsheet_a_formula(synced_app, demo):
    risky = '=HYPERLINK("https://evil.example","Click")'
    with synced_app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A001"))
        row.key_objective, row.lead, row.impact_to_date = risky, "@SUM(1+1)", "\tTabbed"
        db.session.commit()
    client = signed_in(synced_app, "br_staff")
    first = csv_rows(client.get("/plans/BR/export/csv"))[0]
    assert first["Key objective"] == "'" + risky and first["Lead"] == "'@SUM(1+1)"
    assert first["Impact to date"] == "'\tTabbed" and first["ID"] == "BR-A001"
    sheet = xlsx_sheet(client.get("/plans/BR/export/xlsx"))
    header = [c.value for c in sheet[1]]
    cells = {name: sheet.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    assert cells["Key objective"].data_type == "s" and cells["Key objective"].value == risky
    due = datetime.strptime(demo.school("BR")["actions"][0][8], "%d/%m/%Y")
    assert cells["Due"].is_date and cells["Due"].value == due
    assert cells["Due"].number_format == "DD/MM/YYYY"
    assert cells["ID"].data_type == "s" and cells["Status"].value == "Complete"
