"""Events and people for the impact form tests (a plain session, no Flask)."""
from sqlalchemy import select

from domain import impact_forms as rules
from domain.models import CalendarEvent, School, User, Workbook

from ..conftest import days_ago

EVENT_DAY = days_ago(12)  # the visit of make_event: past, in the suite's school year


def person(session, name, role, code):
    """A person of that school (by code), their address made from their name and school."""
    school = session.scalar(select(School).where(School.code == code)) if code else None
    user = User(email=f"{name.lower().replace(' ', '.')}@{(code or 'hub').lower()}.test.school", name=name, role=role,
                school=school, password_hash="x")
    session.add(user)
    session.flush()
    return user


def make_event(session, sheet_id="PS-E901", **kw):
    """An event on the partnership's calendar, as the calendar stores one."""
    joint = session.scalar(select(Workbook).where(Workbook.code == "joint"))
    values = dict(date=EVENT_DAY, type="Quality assurance visit: safeguarding", category="visit",
                  focus="Safeguarding", host_school="BR", host_code="BR", invited_schools="WL",
                  invited_codes=["WL"], lead="Carole Clemens")
    values.update(kw)
    event = CalendarEvent(workbook_id=joint.id, sheet_id=sheet_id, sheet_row=0, **values)
    session.add(event)
    session.flush()
    return event


def fill(session, form, who="Carole Clemens", strengths=("SCR complete", "Staff knew the DSLs", "Calm site"),
         areas=("Update the lanyard poster",), rows=(), note="", summary="Safeguarding QA visit by WL."):
    rules.save(session, form, who, rules.Changes(summary, list(strengths), list(areas), list(rows), note))
    session.flush()
