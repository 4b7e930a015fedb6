"""SQL statements and server time of the main pages as the partnership grows.

A partnership of N schools (each 50 action rows, 300 impact-log entries and 10
SIP priorities, 8 of them shared, themes spelled a few ways) is written straight
into a SQLite database; then each page is asked for 20 times through the Flask
test client, signed in as the role it is for. A page whose statement count grows
with N has an N+1.

An authority's hub (--authority 40 25: 40 partnerships of 25 schools, 1,000 schools) is
measured beside them: a person of one partnership should not pay for the other 39.

    .venv/bin/python -m bench.page_queries [--schools 20 200] [--authority 40 25]
"""
import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert, select

from config import TestConfig
from domain import dates, scope
from domain.models import ActionRow, CalendarEvent, ImpactEntry, Partnership, School, SipPriority, User, Workbook
from domain.passwords import hash_password
from domain.years import school_year_of
from webapp import background, create_app
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
    ("home: admin, page 2", "admin", "/?page=2"),
    ("every school", "staff", "/partnership/schools"),
    ("sync history", "admin", "/sync/"),
    ("governors' summary", "governor", "/summary/S001"),
    ("joint summary", "governor", "/summary/joint"),
    ("board pack (PDF)", "governor", "/summary/S001.pdf"),
    ("for you: admin", "admin", "/for-you/count"),
    ("for you: head", "head", "/for-you/count"),
    ("people", "admin", "/people"),
    ("people, searched", "admin", "/people?q=head"),
    ("calendar list", "staff", "/calendar"),
    ("calendar, page 2", "staff", "/calendar?page=2"),
    ("strengths", "head", "/strengths"),
    ("strengths of a school", "head", "/strengths?school=S001"),
]


def build(url, schools, partnerships=1):
    """The hub, written in bulk (no sync: the pages read only the database): ``partnerships``
    partnerships of ``schools`` schools each, the bench's people in the first."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        db.create_all()
        session = db.session
        for p in range(1, partnerships + 1):
            partnership = Partnership(slug="our-partnership" if p == 1 else f"partnership-{p:02d}",
                                      name="Our partnership" if p == 1 else f"Partnership {p:02d}",
                                      workbook_ref="partnership.xlsx" if p == 1 else f"partnership-{p:02d}.xlsx")
            session.add(partnership)
            session.flush()
            with scope.entered(session, partnership.id):
                _partnership(session, partnership, range((p - 1) * schools + 1, p * schools + 1))
                if p == 1:
                    first = session.scalar(select(School).order_by(School.id))
                    for role in ("admin", "head", "staff", "governor"):
                        session.add(User(email=f"{role}@bench.school", role=role, name=role,
                                         password_hash=hash_password(PASSWORD),
                                         school=None if role == "admin" else first))
                session.commit()
    return app


def _partnership(session, partnership, numbers):
    """One partnership's joint plan, its schools' plans, and its calendar."""
    session.execute(insert(Workbook), [{"code": "joint", "ref": partnership.workbook_ref, "school_year": YEAR,
                                         "is_current": True, "partnership_id": partnership.id}])
    joint_id = session.scalar(select(Workbook.id).where(Workbook.code == "joint"))
    today = dates.uk_today()
    first_code = f"S{numbers[0]:03d}"
    for n in numbers:
        code = f"S{n:03d}"
        school = School(code=code, name=f"School {n}")  # a member of the partnership (domain/scope.py)
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
             "invited_schools": first_code, "invited_codes": [first_code], "lead": "", "extra": {}}])


def measure(app, role, path, tries=20):
    """(statements per request, p50 ms, bytes) for one page. A page whose work is done in the
    background (a board pack, 202 while it is prepared) is measured as served once done."""
    client = app.test_client()
    client.post("/login", data={"email": f"{role}@bench.school", "password": PASSWORD})
    if path.endswith(".pdf") and client.get(path).status_code == 202:
        background.work_off(app)
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
    parser.add_argument("--authority", type=int, nargs=2, default=[40, 25], metavar=("PARTNERSHIPS", "SCHOOLS"),
                        help="also an authority's hub: this many partnerships of this many schools (0 0: none)")
    args = parser.parse_args(argv)
    sizes = [(f"{n} schools", n, 1) for n in args.schools]
    if args.authority[0]:
        count, each = args.authority
        sizes.append((f"{count}x{each} schools", each, count))
    results, healthz = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for label, n, count in sizes:
            started = time.perf_counter()
            app = build(f"sqlite:///{Path(folder) / f'hub-{n}-{count}.sqlite'}", n, count)
            print(f"{label} written in {time.perf_counter() - started:.1f} s")
            results[label] = {what: measure(app, role, path) for what, role, path in PAGES}
            healthz[label] = measure(app, "admin", "/healthz")[1]
            with app.app_context():
                db.engine.dispose()
    labels = [label for label, _, _ in sizes]
    header = f"{'page':<22}" + "".join(f"{f'{label}: SQL  ms  x/healthz  KB':>40}" for label in labels)
    print(header)
    for what, _, _ in PAGES:
        cells = "".join(f"{results[x][what][0]:>20} {results[x][what][1]:>6.1f} "
                        f"{results[x][what][1] / healthz[x]:>9.1f} {results[x][what][2] / 1024:>4.0f}" for x in labels)
        print(f"{what:<22}{cells}")
    print(f"{'/healthz':<22}" + "".join(f"{'':>20} {healthz[x]:>6.1f} {1:>9.1f} {'':>4}" for x in labels))
    grew = [what for what, _, _ in PAGES if len({results[x][what][0] for x in labels}) > 1]
    print("statements per page the same at every size" if not grew else f"statements grew with schools: {grew}")
    return results


if __name__ == "__main__":
    main()

