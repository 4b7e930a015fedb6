"""A busier partnership for the load bench: people, a calendar, finished impact forms and
sync runs, added to what bench.page_queries.build wrote (its schools, plans and priorities).

Issue 26's figures came from a run at 200 schools that also held 1,000 people, 400
events over two terms and 182 finished impact forms: the people, calendar and strengths
pages only show what they cost at that size. Written in bulk, like build: no sync, no
mail, no outbox.

    app = build(url, 200)
    crowd.seed(app)  # 1,000 people, 400 events, 182 finished forms, 600 sync runs
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

from domain import dates
from domain.calendar import next_term, term_of
from domain.models import (
    ActionRow,
    CalendarEvent,
    ImpactForm,
    ImpactFormConfirmation,
    Partnership,
    School,
    SyncRun,
    User,
    Workbook,
    utcnow,
)
from domain.passwords import hash_password
from domain.text import person_key
from webapp.extensions import db

from .page_queries import THEMES

FIRST = ["Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jack", "Kiran", "Lily",
         "Mo", "Nia", "Oscar", "Priya", "Quinn", "Ruby", "Sam", "Tom"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
        "Khan", "Evans", "Thomas", "Roberts", "Walker", "Hughes", "Green", "Lewis", "Hall", "Clarke"]
SEARCHED = "smith"  # a person in twenty has it in their name: the people page's search, on the server
ROLES = ["staff", "staff", "staff", "head", "governor"]  # five to a school: three staff, a head, a governor
KINDS = [("Subject network", "network"), ("Subject review visit", "visit")]


@dataclass
class Seeded:
    people: int
    events: int
    finished_forms: int
    sync_runs: int

    def __str__(self):
        return (f"{self.people:,} people, {self.events:,} events over this term and next, "
                f"{self.finished_forms} finished impact forms, {self.sync_runs} sync runs")


def seed(app, people=1000, events=400, finished_forms=182, sync_runs=600):
    """Add to the first partnership: ``people`` users across its schools and roles (a few
    coordinators among them), ``events`` calendar events from about three months ago to
    the end of next term (the first ``finished_forms`` of them past, each with a final
    impact form), and ``sync_runs`` runs of the scheduler's, one in five having read
    something. Returns what it wrote (Seeded)."""
    with app.app_context():
        session = db.session
        partnership = session.scalar(select(Partnership).order_by(Partnership.id))
        schools = session.execute(select(School.id, School.code).order_by(School.code)).all()
        joint = session.scalar(select(Workbook.id).where(Workbook.code == "joint",
                                                         Workbook.partnership_id == partnership.id))
        # Core inserts: no ORM events, so the partnership and the name's key are given here.
        password = hash_password("bench crowd: never signs in")
        session.execute(insert(User), [_person(n, schools, partnership.id, password) for n in range(people)])
        rows = _rows_by_school(session)
        today = dates.uk_today()
        event_rows = [_event(n, events, finished_forms, schools, joint, today) for n in range(events)]
        session.execute(insert(CalendarEvent), event_rows)
        ids = dict(session.execute(select(CalendarEvent.sheet_id, CalendarEvent.id)
                                   .where(CalendarEvent.sheet_id.like("J-B%"))).all())
        finished = [e for e in event_rows if e["date"] < today][:finished_forms]
        forms = [_form(e, ids[e["sheet_id"]], rows.get(e["host_code"], [])) for e in finished]
        session.execute(insert(ImpactForm), forms)
        form_ids = dict(session.execute(select(ImpactForm.event_id, ImpactForm.id)).all())
        session.execute(insert(ImpactFormConfirmation), [
            {"form_id": form_ids[f["event_id"]], "side": side, "who": f"{side.title()} of {code}",
             "school_code": code, "at": f["finished_at"]}
            for f, e in zip(forms, finished, strict=True) for side, code in _sides(e)])
        session.execute(insert(SyncRun), [_sync_run(n, len(schools)) for n in range(sync_runs)])
        session.commit()
        db.engine.dispose()
    return Seeded(people, events, len(forms), sync_runs)


def _person(n, schools, partnership_id, password):
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"
    if n % 250 == 249:  # a coordinator in every 250
        role, school_id, where = "admin", None, "coordinators"
    else:
        school_id, code = schools[(n // len(ROLES)) % len(schools)]
        role, where = ROLES[n % len(ROLES)], code.lower()
    return {"email": f"person{n:04d}@{where}.bench.school", "name": name, "name_key": person_key(name)[:300],
            "role": role, "partnership_id": partnership_id, "school_id": school_id, "password_hash": password,
            "active": n % 40 != 39, "chair": False, "session_version": 1, "link_version": 0}


def _event(n, count, past, schools, joint, today):
    """The first ``past`` events a day or so apart up to yesterday, the rest spread from
    today to the end of next term: about what two terms of a partnership's calendar hold."""
    end = next_term(term_of(today)).end
    if n < past:
        day = today - timedelta(days=max(1, (past - n) * 98 // past))
    else:
        day = today + timedelta(days=(n - past) * (end - today).days // max(1, count - past))
    kind, category = KINDS[n % 2]
    host = schools[(n * 7) % len(schools)][1]
    visitor = schools[(n * 7 + 1) % len(schools)][1]
    return {"workbook_id": joint, "sheet_id": f"J-B{n:04d}", "sheet_row": 5000 + n, "date": day,
            "time": "09:00-12:00", "start_time": time(9), "end_time": time(12), "type": kind, "category": category,
            "focus": THEMES[n % len(THEMES)], "host_school": host, "host_code": host,
            "invited_schools": "All schools" if category == "network" else visitor,
            "invited_codes": ["*"] if category == "network" else [visitor], "lead": f"Leader {n % 40}",
            "status": "", "notes": "", "extra": {}}


def _rows_by_school(session):
    found = {}
    for row_id, sheet_id in session.execute(select(ActionRow.id, ActionRow.sheet_id).order_by(ActionRow.id)):
        found.setdefault(sheet_id.split("-")[0], []).append(row_id)
    return found


def _form(event, event_id, rows):
    at = datetime.combine(event["date"], time(15))
    return {"event_id": event_id, "kind": event["category"], "state": "final",
            "summary": f"What the {event['type'].lower()} on {event['focus']} found.",
            "strengths": [f"{event['focus']}: strength {i} seen at {event['host_code']}" for i in range(3)],
            "areas": [f"{event['focus']}: to develop next"], "action_row_ids": rows[:2], "impact_note": "",
            "created_by": "bench", "created_at": at, "updated_by": "bench", "updated_at": at, "finished_at": at,
            "version": 3}


def _sides(event):
    if event["category"] == "network":
        return [("leader", event["host_code"])]
    return [("host", event["host_code"]), ("visitor", event["invited_codes"][0])]


def _sync_run(n, workbooks):
    """Every ten minutes back from now; one in five read a workbook that had changed."""
    started = utcnow() - timedelta(minutes=10 * n)
    busy = n % 5 == 0
    return {"started_at": started, "finished_at": started + timedelta(seconds=20 if busy else 3),
            "trigger": "scheduler", "requested_by": "", "ok": True, "note": "", "results": [],
            "workbooks_read": 1 if busy else 0, "workbooks_skipped": workbooks - (1 if busy else 0),
            "workbooks_failed": 0, "sheets_reads": 3 if busy else 0, "sheets_writes": 0,
            "drive_calls": 1, "rows_added": 0, "rows_changed": 2 if busy else 0, "rows_archived": 0,
            "problems": 0}
