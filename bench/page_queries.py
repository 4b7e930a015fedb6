"""SQL statements and server time of the main pages as the partnership grows.

A partnership of N schools (each 50 action rows, 300 impact-log entries and 10
SIP priorities, 8 of them shared, themes spelled a few ways) is written straight
into a SQLite database; then each page is asked for 20 times through the Flask
test client, signed in as the role it is for. A page whose statement count grows
with N has an N+1.

    .venv/bin/python -m bench.page_queries [--schools 20 200]
"""
import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert, select

from config import TestConfig
from domain import dates
from domain.models import ActionRow, CalendarEvent, ImpactEntry, School, SipPriority, User, Workbook
from domain.passwords import hash_password
from domain.years import school_year_of
from webapp import create_app
from webapp.extensions import db

PASSWORD = "benchmark password"
YEAR = school_year_of(dates.uk_today())  # the plans are this year's
THEMES = ["EHWB", "Emotional health and wellbeing", "Writing", "writing (KS1)", "Middle leaders", "Attendance",
          "Reading", "Maths mastery", "SEND", "Oracy"]
STATUSES = ["On track", "At risk", "Behind", "Complete", "Not started"]
AREAS = ["Safeguarding", "Teaching and Learning", "CPD", "Moderation", "Pupil Premium", "Parents", "Governors"]
PAGES = [  # (what, role, path)
    ("school plan", "head", "/plans/S001"),
    ("plan filtered", "staff", "/plans/S001?status=Behind"),
    ("impact log", "staff", "/plans/S001/impact"),
    ("combined priorities", "head", "/priorities"),
    ("school's priorities", "head", "/plans/S001/priorities"),
    ("home: staff", "staff", "/"),
    ("home: head", "head", "/"),
    ("home: governor", "governor", "/"),
    ("home: admin", "admin", "/"),
    ("sync history", "admin", "/sync/"),
    ("governors' summary", "governor", "/summary/S001"),
    ("joint summary", "governor", "/summary/joint"),
    ("board pack (PDF)", "governor", "/summary/S001.pdf"),
    ("for you: admin", "admin", "/for-you/count"),
    ("for you: head", "head", "/for-you/count"),
]


def build(url, schools):
    """The partnership, written in bulk (no sync: the pages read only the database)."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        session = db.session
        session.execute(insert(Workbook), [{"code": "joint", "ref": "partnership.xlsx", "school_year": YEAR,
                                             "is_current": True}])
        joint_id = session.scalar(select(Workbook.id).where(Workbook.code == "joint"))
        today = dates.uk_today()
        for n in range(1, schools + 1):
            code = f"S{n:03d}"
            school = School(code=code, name=f"School {n}")
            session.add(school)
            session.flush()
            workbook = Workbook(code=code, school_id=school.id, ref=f"{code}.xlsx", identity=f"{code}.xlsx",
                                school_year=YEAR)
            session.add(workbook)
            session.flush()
            w = workbook.id
            session.execute(insert(ActionRow), [
                {"workbook_id": w, "sheet_id": f"{code}-A{i:03d}", "sheet_row": i + 1, "area": AREAS[i % 7],
                 "key_objective": f"Objective {i} of {code}", "status": STATUSES[i % 5], "lead": "Lead",
                 "due": "Summer 2027", "due_by": date(2027, 7, 31) if i % 3 else date(2026, 10, 31),
                 "extra": {}, "objective_refs": [1, 2]}
                for i in range(50)])
            session.execute(insert(ImpactEntry), [
                {"workbook_id": w, "sheet_id": f"{code}-I{i:03d}", "sheet_row": i + 1,
                 "date": date(2026, 9, 1) + timedelta(days=i % 90), "action": f"{code}-A{i % 50:03d}",
                 "activity": "CPD", "summary": f"Evidence {i}", "extra": {}}
                for i in range(300)])
            session.execute(insert(SipPriority), [
                {"workbook_id": w, "sheet_id": f"{code}-S{i:03d}", "sheet_row": i + 1, "priority": f"Priority {i}",
                 "theme": THEMES[(i + n) % 10], "status": STATUSES[i % 5], "share": i < 8, "extra": {}}
                for i in range(10)])
            # Each school hosts a network next week, every school invited, and had a visit from
            # the first school a week ago: For you reads them all for the coordinator and heads.
            session.execute(insert(CalendarEvent), [
                {"workbook_id": joint_id, "sheet_id": f"J-E{n:03d}", "sheet_row": n + 1,
                 "date": today + timedelta(days=7),
                 "type": "Subject network", "category": "network", "host_school": code, "host_code": code,
                 "invited_schools": "All schools", "invited_codes": ["*"], "lead": "", "extra": {}},
                {"workbook_id": joint_id, "sheet_id": f"J-V{n:03d}", "sheet_row": 1000 + n,
                 "date": today - timedelta(days=7),
                 "type": "Subject review visit", "category": "visit", "host_school": code, "host_code": code,
                 "invited_schools": "S001", "invited_codes": ["S001"], "lead": "", "extra": {}}])
        first = session.get(School, 1)
        for role in ("admin", "head", "staff", "governor"):
            session.add(User(email=f"{role}@bench.school", role=role, name=role, password_hash=hash_password(PASSWORD),
                             school=None if role == "admin" else first))
        session.commit()
    return app


def measure(app, role, path, tries=20):
    """(statements per request, p50 ms, bytes) for one page."""
    client = app.test_client()
    client.post("/login", data={"email": f"{role}@bench.school", "password": PASSWORD})
    with app.app_context():
        engine = db.engine
    count = []
    listener = lambda *args: count.append(1)  # noqa: E731
    times, size = [], 0
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(tries):
            count.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            size = len(response.data)
            assert response.status_code == 200, (path, response.status_code)
        statements = len(count)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements, statistics.median(times), size


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[20, 200])
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in args.schools:
            started = time.perf_counter()
            app = build(f"sqlite:///{Path(folder) / f'hub-{n}.sqlite'}", n)
            print(f"{n} schools written in {time.perf_counter() - started:.1f} s")
            results[n] = {what: measure(app, role, path) for what, role, path in PAGES}
            with app.app_context():
                db.engine.dispose()
    sizes = args.schools
    header = f"{'page':<22}" + "".join(f"{f'{n} schools: SQL  ms  KB':>28}" for n in sizes)
    print(header)
    for what, _, _ in PAGES:
        cells = "".join(f"{results[n][what][0]:>17} {results[n][what][1]:>5.1f} {results[n][what][2] / 1024:>4.0f}"
                        for n in sizes)
        print(f"{what:<22}{cells}")
    grew = [what for what, _, _ in PAGES if len({results[n][what][0] for n in sizes}) > 1]
    print("statements per page the same at every size" if not grew else f"statements grew with schools: {grew}")
    return results


if __name__ == "__main__":
    main()

