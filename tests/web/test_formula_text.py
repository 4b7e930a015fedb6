"""Formula-like text typed in the browser stays text: in the sheet the outbox writes
(a string cell, not a formula) and in every download the URL map offers (CSV cells
made plain with a leading apostrophe, .xlsx cells typed as strings).

Already covered elsewhere, so not repeated: the plan's own downloads with a formula set
in the database (test_exports.py), `export csv` on the command line (test_cli.py), and the
Google path writing RAW through the stand-in (test_outbox_google.py)."""
import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from domain.models import SipPriority
from webapp.extensions import db

from ..conftest import csrf_token, days_ago, login
from .test_edits import open_form, row_id, save, wait_for_outbox

EVIDENCE_DAY = f"{days_ago(16):%d/%m/%Y}"  # a day of the suite's school year, before it

HYPERLINK = '=HYPERLINK("https://evil.example","Click")'
TYPED = {HYPERLINK, "+1", "-1", "@SUM(1+1)"}
RISKY = ("=", "+", "-", "@", "\t", "\r")


def _sheet_cells(path, tab):
    book = load_workbook(path)
    cells = [c for row in book[tab].iter_rows() for c in row if isinstance(c.value, str)]
    return {c.value: c.data_type for c in cells}


def test_formula_like_input_stays_text_in_the_sheet_and_in_every_download(synced_app, client, workbook_dir):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_head")
    response = save(client, "BR", rid, open_form(client, "BR", rid), lead=HYPERLINK, impact_to_date="+1")
    assert response.status_code == 200
    wait_for_outbox(synced_app)
    response = client.post("/plans/BR/impact", data={
        "csrf_token": csrf_token(client, "/plans/BR/impact"), "date": EVIDENCE_DAY, "action": "BR-A003",
        "activity": "CPD", "summary": HYPERLINK, "strengths": "@SUM(1+1)", "areas_to_develop": "-1"})
    assert response.status_code == 303
    wait_for_outbox(synced_app)
    plan = _sheet_cells(workbook_dir / "bank-road.xlsx", "Action plan")
    log = _sheet_cells(workbook_dir / "bank-road.xlsx", "Impact log")
    assert plan[HYPERLINK] == "s" and plan["+1"] == "s"  # a string cell: no spreadsheet runs it
    assert log[HYPERLINK] == "s" and log["@SUM(1+1)"] == "s" and log["-1"] == "s"
    with synced_app.app_context():  # priorities are edited in the sheet only: a formula-like one, for their downloads
        for priority in db.session.scalars(select(SipPriority)):
            priority.lead = "=1+1"
        db.session.commit()

    downloads = [rule for rule in synced_app.url_map.iter_rules() if "fmt" in rule.arguments]
    assert len(downloads) >= 5
    seen = set()
    for rule in downloads:
        for code in ("BR", "joint") if "code" in rule.arguments else (None,):
            args = {"code": code} if code else {}
            csv_url = rule.build({**args, "fmt": "csv"}, append_unknown=False)[1]
            response = client.get(csv_url)
            if response.status_code == 404:  # the joint plan has no impact log or priorities
                continue
            assert response.status_code == 200, csv_url
            for row in csv.reader(io.StringIO(response.get_data(as_text=True))):
                for cell in row:
                    assert not cell.startswith(RISKY), (csv_url, cell)
                    seen.add(cell.lstrip("'"))
            xlsx_url = rule.build({**args, "fmt": "xlsx"}, append_unknown=False)[1]
            sheet = load_workbook(io.BytesIO(client.get(xlsx_url).data)).active
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(RISKY):
                        assert cell.data_type == "s", (xlsx_url, cell.coordinate, cell.value)
                        seen.add(cell.value)
    assert TYPED | {"=1+1"} <= seen  # each download carried what was typed, as text


# A spreadsheet program reads past spaces and line breaks to a formula, and takes the
# full-width signs (as an IME types them) for the signs themselves.
HIDDEN_FORMULAS = {" =1+1", "\n=2+2", "＝3+3", " \t@SUM(4)", "\t\n＋5", "\u00a0-6+6"}


def test_a_formula_behind_spaces_or_a_line_break_or_in_full_width_is_escaped_in_every_download(synced_app, client):
    from domain.models import ActionRow, ImpactEntry, SheetProblem, Workbook

    hidden = sorted(HIDDEN_FORMULAS)
    with synced_app.app_context():  # as stored before (or past) every check where text enters
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A003"))
        row.lead, row.impact_to_date, row.key_objective = hidden[0], hidden[1], hidden[2]
        db.session.scalar(select(ImpactEntry).where(ImpactEntry.sheet_id == "BR-I001")).summary = hidden[3]
        for priority in db.session.scalars(select(SipPriority)):
            priority.lead = hidden[4]
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "BR"))
        db.session.add(SheetProblem(workbook_id=workbook.id, tab="Action plan", row=4, column="H", message=hidden[5]))
        db.session.commit()
    login(client, "admin")
    escaped, as_text = set(), set()
    for rule in (r for r in synced_app.url_map.iter_rules() if "fmt" in r.arguments):
        for code in ("BR", "joint") if "code" in rule.arguments else (None,):
            args = {"code": code} if code else {}
            response = client.get(rule.build({**args, "fmt": "csv"}, append_unknown=False)[1])
            if response.status_code == 404:  # the joint plan has no impact log or priorities
                continue
            for cell in (c for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in row):
                assert cell.startswith("'") or not cell.lstrip().startswith(RISKY + ("＝", "＋", "－", "＠")), cell
                if cell.startswith("'") and cell[1:] in HIDDEN_FORMULAS:
                    escaped.add(cell[1:])
            sheet = load_workbook(io.BytesIO(client.get(rule.build({**args, "fmt": "xlsx"},
                                                                   append_unknown=False)[1]).data)).active
            for cell in (c for row in sheet.iter_rows() for c in row if c.value in HIDDEN_FORMULAS):
                assert cell.data_type == "s", (cell.coordinate, cell.value)  # a text cell, never a formula
                as_text.add(cell.value)
    assert escaped == as_text == HIDDEN_FORMULAS  # every one reached a download, and was made safe there
