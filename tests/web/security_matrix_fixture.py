"""Real ids for every kind of URL argument, in three scopes: the BR people's own school,
another school (WL), and the joint plan; shared by the security matrix tests."""
from datetime import timedelta

from sqlalchemy import select

from domain import impact_forms, reviews
from domain.edits import edit_action_row, editable_values
from domain.models import ActionRow, School, SipPriority, SyncRun, User, Workbook
from domain.plans import find_plan
from webapp.extensions import db

from ..conftest import _HASH, SUITE_DAY, login
from ..sync.impact_form_helpers import make_event

# The roles of the matrix, in the order of each row of the table; all BR people.
ROLES = ("anonymous", "admin", "head", "staff", "governor", "chair")
SIGN_INS = {"admin": "admin@test.school", "head": "head@br.test.school", "staff": "staff@br.test.school",
            "governor": "governor@br.test.school", "chair": "chair@br.test.school"}
SCOPES = ("own", "other", "joint")
CODES = {"own": "BR", "other": "WL", "joint": "joint"}


def make_ids(app):
    """{scope: {url argument: value}} from rows, events, forms, reviews and people made here."""
    with app.app_context():
        s = db.session
        schools = {x.code: x for x in s.scalars(select(School))}
        s.add(User(email="chair@br.test.school", role="governor", chair=True, school=schools["BR"],
                   name="Chair BR", password_hash=_HASH))
        head = s.scalar(select(User).where(User.email == "admin@test.school"))
        ids = {}
        for scope, code in CODES.items():
            workbook = s.scalar(select(Workbook).where(Workbook.code == code))
            row = s.scalar(select(ActionRow).where(ActionRow.workbook_id == workbook.id).order_by(ActionRow.id))
            entry = edit_action_row(s, row, head.name, {"lead": "Jo"}, editable_values(row), row.version, head.id)
            entry.state = "conflict"
            priority = s.scalar(select(SipPriority).where(SipPriority.workbook_id == workbook.id))
            if priority is not None:  # unshared: only its school and the coordinators see it
                priority.share = False
            host = None if scope == "joint" else code
            event = make_event(s, sheet_id=f"PS-E9{len(ids)}", host_school=host or "", host_code=host,
                               invited_schools="", invited_codes=[])
            form = impact_forms.start(s, event, head.name)
            event_without_form = make_event(s, sheet_id=f"PS-E8{len(ids)}", host_school=host or "",
                                            host_code=host, invited_schools="", invited_codes=[])
            # Invitations, reminders and replies are for an event still to come (one gone by takes none).
            coming = make_event(s, sheet_id=f"PS-E7{len(ids)}", date=SUITE_DAY + timedelta(days=14),
                                host_school=host or "", host_code=host, invited_schools="", invited_codes=[])
            review = reviews.start(s, find_plan(s, code), head)
            person = None
            if scope != "joint":  # someone for a coordinator to change, not one of the signed-in people
                person = User(email=f"target@{code.lower()}.test.school", role="staff", school=schools[code],
                              name=f"Target {code}", password_hash=_HASH)
                s.add(person)
            s.flush()
            ids[scope] = {
                "code": code, "row_id": row.id, "entry_id": entry.id, "choice": "keep",
                "priority_id": priority.id if priority else 0, "event_id": event.id,
                "start_event_id": event_without_form.id, "coming_event_id": coming.id, "form_id": form.id,
                "review_id": review.id,
                "person_id": person.id if person else 0,
            }
        common = {"run_id": s.scalar(select(SyncRun.id).limit(1)), "fmt": "csv", "year": 2026, "month": 11,
                  "secret": "no-such-feed", "token": "no-such-token", "filename": "app.css",
                  "slug": "our-partnership", "visit_id": 1, "report_id": 1,
                  "key": "google", "link_id": 1}
        s.commit()
    for scope in ids:
        ids[scope].update(common)
    ids["any"] = {**ids["own"]}
    return ids


def clients(app):
    """A test client per role, signed in (the anonymous one not)."""
    out = {"anonymous": app.test_client()}
    for role, email in SIGN_INS.items():
        out[role] = app.test_client()
        assert login(out[role], email).status_code == 302, role
    return out
