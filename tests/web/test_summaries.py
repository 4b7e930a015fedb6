"""Governors' summaries and board packs: the exceptions first, the chart and its table
agreeing with the plan, only what the reader may see, the PDF read back, and the pack of a
signed review the same however the plan changes after."""
import io
import re
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from domain import dates, reviews
from domain.models import ActionRow, ImpactEntry, Review, School, User, Workbook, utcnow
from domain.plans import find_plan, status_key
from webapp.extensions import db
from webapp.summaries.pdf import STATIC, StaticOnlyFetcher, render_pdf

from ..conftest import board_pack, login

SECTIONS = ["1. Exceptions", "2. Progress by area", "3. What changed since the last signed review",
            "4. Shared priorities", "5. Review record"]


def text_of(html):
    """What a reader sees of a page (tags gone, space collapsed), the SVG's text included."""
    html = html.split('<main id="main"', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def set_row(app, sheet_id, **values):
    with app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == sheet_id))
        for attr, value in values.items():
            setattr(row, attr, value)
        db.session.commit()


def confirm_review(app, code):
    """This term's review of the plan, signed by its head and confirmed by its chair (made for the test)."""
    term, school_year = reviews.term_now(dates.uk_today())
    with app.app_context():
        session = db.session
        school = session.scalar(select(School).where(School.code == code))
        chair = session.scalar(select(User).where(User.email == f"chair@{code.lower()}.test.school"))
        if chair is None:
            chair = User(email=f"chair@{code.lower()}.test.school", name=f"Chair of {code}", role="governor",
                         chair=True, school=school, password_hash="x")
            session.add(chair)
        head = session.scalar(select(User).where(User.role == "head", User.school_id == school.id))
        review = reviews.start(session, find_plan(session, code), head, term=term, school_year=school_year)
        reviews.sign(session, review, head, "Heads agree the plan as it stands")
        reviews.sign(session, review, chair, "Confirmed for the board")
        session.commit()
        return review.id


F1, EHWB_ROW, PP_AUDIT = ("30 hours provision in F1", "Embed the emotional health and wellbeing curriculum",
                           "Audit pupil premium provision with WL")  # BR-A005, BR-A003, BR-A006


def test_a_governors_summary_opens_with_the_exceptions_behind_first(client, demo):
    login(client, "br_governor")
    response = client.get("/summary/BR")
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    positions = [page.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions), "the sections come in the governors' order"
    exceptions = page[positions[0]:positions[1]]
    # BR-A005 is Behind, BR-A003 At risk (Amber in the sheet), BR-A006 was due by the end of the last half-term.
    assert exceptions.index(F1) < exceptions.index(EHWB_ROW) < exceptions.index(PP_AUDIT)
    assert "Behind. " in exceptions and "At risk. " in exceptions  # the status a word in the line
    assert f"Overdue: due {demo.half_term_before()}" in exceptions
    assert "Annual safeguarding audit" not in exceptions and "Raise attainment" not in exceptions  # done; on track
    assert not re.search(r"BR-[AI]\d", page)  # a governor reads the objectives, never the sheet's IDs
    assert "No signed review yet" in page[positions[2]:positions[3]]
    assert "No signed review yet" in page[positions[4]:]
    assert f"as at {dates.uk_today().day} {dates.uk_today():%B %Y}" in page


def _svg_bars(html):
    """{area: {status: n}} read from the chart's text: each bar's words under it."""
    svg = html[html.index("<svg class=\"progress-chart\""):html.index("</svg>")]
    bars_part = svg.split('class="chart-legend"')[0]
    texts = [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", bars_part, re.S)]
    bars = {}
    for i, label in enumerate(texts):
        if m := re.fullmatch(r"(.+) \((\d+) rows?\)", label):
            lines = []  # the bar's figures in words, after the numbers on its segments, to the next area
            for text in texts[i + 1:]:
                if re.fullmatch(r"(.+) \((\d+) rows?\)", text):
                    break
                if not text.isdigit():
                    lines.append(text)
            counts = " ".join(lines)
            bars[m.group(1)] = {status: int(n) for n, status in re.findall(r"(\d+) ([A-Za-z ]+?)(?:,|$)", counts)}
            assert sum(bars[m.group(1)].values()) == int(m.group(2))
    return bars, svg


def _table(html):
    table = html[html.index('<table class="progress-table'):html.index("</table>")]
    head = re.findall(r'<th scope="col">(.*?)</th>', table)[1:-1]
    found = {}
    for area, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table):
        numbers = [int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", cells)]
        found[area] = {status: n for status, n in zip(head, numbers[:-1]) if n}
        assert sum(found[area].values()) == numbers[-1]
    return found


def test_the_charts_numbers_are_the_tables_and_the_plans(synced_app, client):
    set_row(synced_app, "BR-A002", status="Behind")  # two statuses in one area would hide a mistake less
    set_row(synced_app, "BR-A001", area="Teaching and Learning")
    login(client, "br_head")
    html = client.get("/summary/BR").get_data(as_text=True)
    with synced_app.app_context():
        plan = find_plan(db.session, "BR")
        rows = db.session.scalars(select(ActionRow).where(ActionRow.workbook_id == plan.workbook.id,
                                                          ActionRow.archived_at.is_(None))).all()
        data = {}
        for row in rows:
            data.setdefault(row.area, Counter())[status_key(row.status)] += 1
    data = {area: dict(counts) for area, counts in data.items()}
    bars, svg = _svg_bars(html)
    table = _table(html)
    totals = table.pop("All areas")
    assert bars == table == data
    assert totals == dict(sum((Counter(c) for c in data.values()), Counter()))
    assert data["Teaching and Learning"] == {"Behind": 1, "Complete": 1}
    # Read by a screen reader as one image with the same figures, its statuses in words.
    assert 'role="img"' in svg and "<title" in svg
    assert "Teaching and Learning: 2 rows, 1 Behind, 1 Complete." in svg
    # Told apart by pattern as well as colour: every status has its own pattern, and a legend.
    assert len(set(re.findall(r'fill="url\(#page-chart-(p-[a-z-]+)\)"', svg))) >= 5
    assert re.search(r">\s*Behind\s*</text>", svg) and re.search(r">\s*Complete\s*</text>", svg)


@pytest.mark.parametrize("who, code, status", [
    ("br_governor", "BR", 200), ("br_governor", "joint", 200), ("br_governor", "WL", 403),
    ("wl_governor", "BR", 403), ("br_staff", "BR", 200), ("br_head", "WL", 403), ("admin", "WL", 200),
    ("admin", "joint", 200),
])
def test_whoever_may_view_the_plan_may_open_its_summary_and_pack(client, who, code, status):
    login(client, who)
    assert client.get(f"/summary/{code}").status_code == status
    assert board_pack(client, f"/summary/{code}.pdf").status_code == status


def test_the_summary_is_for_signed_in_people_and_names_real_plans(client):
    assert client.get("/summary/BR").status_code == 302
    assert board_pack(client, "/summary/BR.pdf").status_code == 302
    login(client, "admin")
    assert client.get("/summary/NOPE").status_code == 404
    assert client.get("/summary/br").status_code == 200  # codes as people type them
    assert board_pack(client, "/summary/BR.pdf?review=99").status_code == 404
    assert board_pack(client, "/summary/BR.pdf?review=x").status_code == 404


def test_a_schools_summary_carries_no_other_schools_rows(synced_app, client):
    with synced_app.app_context():
        wl = db.session.scalar(select(Workbook).where(Workbook.code == "WL"))
        wl_rows = db.session.scalars(select(ActionRow).where(ActionRow.workbook_id == wl.id)).all()
        wl_entries = db.session.scalars(select(ImpactEntry).where(ImpactEntry.workbook_id == wl.id)).all()
        secrets = [r.sheet_id for r in wl_rows] + [r.key_objective for r in wl_rows] + \
            [e.summary for e in wl_entries if e.summary]
    assert len(secrets) > 8
    login(client, "br_governor")
    html = client.get("/summary/BR").get_data(as_text=True)
    pdf = pdf_text(board_pack(client, "/summary/BR.pdf").data)
    for secret in secrets:
        assert secret not in html, secret
        assert secret not in pdf, secret
    assert "William Lilley Infant and Nursery School" in html  # who else shares a priority: shared, so seen


def test_a_governor_is_linked_to_their_summaries_and_a_head_from_the_plan(client):
    login(client, "br_governor")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/summary/BR"' in home and 'href="/summary/joint"' in home
    client.post("/logout", data={"csrf_token": re.search(r'"X-CSRFToken": "([^"]+)"', home).group(1)})
    login(client, "br_head")
    assert 'href="/summary/BR"' in client.get("/plans/BR").get_data(as_text=True)
    assert 'href="/summary/joint"' in client.get("/plans/joint").get_data(as_text=True)


def test_the_board_pack_pdf_is_titled_dated_and_opens_with_the_exceptions(client):
    login(client, "br_governor")
    response = board_pack(client, "/summary/BR.pdf")
    assert response.mimetype == "application/pdf" and "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    term = reviews.term_label(*reviews.term_now(dates.uk_today()))  # "Autumn term, 2026 to 2027" on 1 December 2026
    assert reader.metadata.title == f"Bank Road Infant and Nursery School: board pack, {term}"
    text = re.sub(r"\s+", " ", pdf_text(response.data))
    assert text.startswith(f"Bank Road Infant and Nursery School: board pack, {term}")
    assert f"As at {dates.uk_today().day} {dates.uk_today():%B %Y}" in text
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    first_page = reader.pages[0].extract_text()
    assert "1. Exceptions" in first_page and "2. Progress by area" in first_page  # short sections share a page
    exceptions = text[positions[0]:positions[1]]
    assert exceptions.index(F1) < exceptions.index(EHWB_ROW) < exceptions.index(PP_AUDIT)
    assert not re.search(r"BR-[AI]\d", text)  # the governors' paper: objectives in words, no sheet IDs
    assert "Safeguarding (1 row)" in text[positions[1]:]  # the chart's own words (its SVG text comes late in the PDF)


def test_the_joint_pack_is_the_partnerships(client):
    login(client, "br_governor")
    text = re.sub(r"\s+", " ", pdf_text(board_pack(client, "/summary/joint.pdf").data))
    assert text.startswith("Joint action plan: board pack, ")
    assert "William Lilley Infant and Nursery School" in text and "Bank Road Infant and Nursery School" in text


def test_changes_since_the_last_signed_review_are_listed_and_a_worse_row_is_an_exception(synced_app, client):
    review_id = confirm_review(synced_app, "BR")
    set_row(synced_app, "BR-A002", status="At risk", impact_to_date="Moderation in November: 95% agreed.")
    with synced_app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A001"))
        row.archived_at = utcnow()
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "BR"))
        taken = dates.uk_day(db.session.get(Review, review_id).started_at)  # the day of the review's snapshot
        db.session.add(ImpactEntry(workbook_id=workbook.id, sheet_id="BR-I099", date=taken + timedelta(days=1),
                                   action="BR-A002", activity="Moderation", summary="Writing moderation with WL again."))
        db.session.add(ImpactEntry(workbook_id=workbook.id, sheet_id="BR-I098", date=taken - timedelta(days=330),
                                   action="BR-A002", activity="Moderation", summary="An old entry, before the review."))
        db.session.commit()
    login(client, "br_governor")
    page = text_of(client.get("/summary/BR").get_data(as_text=True))
    positions = [page.index(heading) for heading in SECTIONS]
    exceptions, changes, record = page[positions[0]:positions[1]], page[positions[2]:positions[3]], page[positions[4]:]
    assert "Worse since the last signed review: On track to At risk" in exceptions
    assert "Raise attainment in writing at KS1" in exceptions  # BR-A002
    assert "On track to At risk (worse)" in changes
    assert "impact to date now: Moderation in November: 95% agreed." in changes
    assert "Writing moderation with WL again." in changes and "An old entry" not in changes
    assert "Gone from the plan: Annual safeguarding audit completed with the link governor (Safeguarding)" in changes
    now = reviews.term_now(dates.uk_today())
    assert reviews.term_label(*now) in record and "Confirmed for the board" in record
    assert "Chair of governors" in record and f"Next review due: {reviews.term_label(*reviews.next_term(*now))}" in record
    assert f'href="/summary/BR.pdf?review={review_id}"' in client.get("/summary/BR").get_data(as_text=True)


def test_the_pack_of_a_signed_review_stays_the_same_when_the_plan_changes(synced_app, client):
    review_id = confirm_review(synced_app, "BR")
    login(client, "br_governor")
    signed = pdf_text(board_pack(client, f"/summary/BR.pdf?review={review_id}").data)
    live_before = pdf_text(board_pack(client, "/summary/BR.pdf").data)
    assert "Heads agree the plan as it stands" in " ".join(signed.split()) and "the plan as signed" in signed
    set_row(synced_app, "BR-A002", status="Behind", key_objective="Raise attainment in writing and spelling")
    with synced_app.app_context():
        db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A005")).archived_at = utcnow()
        db.session.commit()
    signed_again = pdf_text(board_pack(client, f"/summary/BR.pdf?review={review_id}").data)
    live_after = pdf_text(board_pack(client, "/summary/BR.pdf").data)
    assert signed_again == signed
    assert live_after != live_before
    assert "Raise attainment in writing and spelling" in live_after and "and spelling" not in signed_again
    html = client.get(f"/summary/BR?review={review_id}").get_data(as_text=True)
    assert "and spelling" not in html and "This pack is of the review" in text_of(html)
    assert f'href="/summary/BR.pdf?review={review_id}"' in html  # its download is the signed pack


def test_only_a_confirmed_review_of_that_plan_has_a_pack(synced_app, client):
    review_id = confirm_review(synced_app, "BR")
    with synced_app.app_context():
        head = db.session.scalar(select(User).where(User.email == "head@wl.test.school"))
        open_review = reviews.start(db.session, find_plan(db.session, "WL"), head)  # this term's
        db.session.commit()
        open_id = open_review.id
    login(client, "admin")
    assert board_pack(client, f"/summary/WL.pdf?review={review_id}").status_code == 404  # BR's review, WL's URL
    assert board_pack(client, f"/summary/WL.pdf?review={open_id}").status_code == 404  # still being signed
    assert board_pack(client, f"/summary/BR.pdf?review={review_id}").status_code == 200


def test_the_pdf_fetches_nothing_from_the_network():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        html = (f'<html><head><link rel="stylesheet" href="{base}/x.css"></head><body><p>Hello</p>'
                f'<img src="{base}/logo.png"><img src="file:///etc/hostname"></body></html>')
        data = render_pdf(html)
    finally:
        server.shutdown()
    assert hits == []
    assert "Hello" in pdf_text(data)
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch((STATIC / ".." / "__init__.py").resolve().as_uri())
    assert fetcher.fetch((STATIC / "favicon.svg").as_uri()).read().startswith(b"<svg")


def test_the_summary_uses_no_time_but_the_days_it_names(synced_app):
    """The signed pack's date is its snapshot's day in the UK (a BST evening is the next UTC day)."""
    from domain.summaries import uk_day

    assert uk_day(datetime(2026, 6, 30, 23, 30)) == date(2026, 7, 1)
    assert uk_day("2026-12-01T23:30:00") == date(2026, 12, 1)


def test_the_summary_and_pack_are_as_at_the_uk_day_at_midnight_in_summer_time(client, monkeypatch):
    # 23:30 UTC on 31 March 2027 is 00:30 on 1 April in the UK (BST): the Summer term has begun.
    monkeypatch.setattr(dates, "uk_today", lambda: dates.uk_day(datetime(2027, 3, 31, 23, 30)))
    login(client, "br_governor")
    assert "Summer term, 2026 to 2027, as at 1 April 2027" in text_of(client.get("/summary/BR").get_data(as_text=True))
    response = board_pack(client, "/summary/BR.pdf")
    assert 'filename="board-pack-BR-2027-04-01.pdf"' in response.headers["Content-Disposition"]
    assert "As at 1 April 2027" in re.sub(r"\s+", " ", pdf_text(response.data))


def test_the_packs_link_to_the_signed_pack_leads_to_the_hub_not_a_file(synced_app, client):
    review_id = confirm_review(synced_app, "BR")
    login(client, "br_governor")
    data = board_pack(client, "/summary/BR.pdf").data
    links = [a.get_object()["/A"]["/URI"] for page in PdfReader(io.BytesIO(data)).pages
             for a in page.get("/Annots") or [] if "/URI" in a.get_object().get("/A", {})]
    assert set(links) == {f"http://localhost/summary/BR.pdf?review={review_id}"}
    assert f"(http://localhost/summary/BR.pdf?review={review_id})" in "".join(pdf_text(data).split())
