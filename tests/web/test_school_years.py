"""School years in the browser's requests: the coordinator starts the next year, a head
carries rows into it, and everything of the year that is over (rows, evidence, priorities,
replies, forms, reviews, the people audit) stays whole, reachable and read-only."""
import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import inspect, select

from domain import dates, years
from domain.models import (
    ActionRow,
    CalendarEvent,
    EventReply,
    ImpactEntry,
    ImpactForm,
    PersonChange,
    Review,
    ReviewSignature,
    SipPriority,
    Workbook,
)
from webapp.extensions import db
from webapp.syncing import drain_now, sync_now

from ..conftest import SUITE_DAY, board_pack, csrf_token, signed_in
from .test_impact_forms import form_row, post, start
from .test_impact_forms import visit as visit  # noqa: F401 - the fixture, for this file's tests
from .test_summaries import confirm_review

THIS = years.school_year_of(SUITE_DAY)  # the suite's school year, and the next
NEXT = THIS + 1
JUNE = date(NEXT, 6, 21)
KEPT = (ActionRow, ImpactEntry, SipPriority, CalendarEvent, EventReply, ImpactForm, Review, ReviewSignature,
        PersonChange)


def everything(app):
    """Every row of the tables a year keeps, every column (the year's own and the hub's)."""
    with app.app_context():
        db.session.expire_all()
        return {model.__tablename__: sorted(tuple(str(getattr(r, c.key)) for c in inspect(model).column_attrs)
                                            for r in db.session.scalars(select(model))) for model in KEPT}


@pytest.fixture
def a_year_with_work(synced_app, visit):  # noqa: F811
    """The autumn's work: a final impact form, a confirmed review, a person invited; replies are the demo's."""
    host, visitor = signed_in(synced_app, "br_staff"), signed_in(synced_app, "wl_head")
    form_id = start(host, visit)
    fields = dict(strengths="SCR complete\nStaff knew the DSLs\nCalm site", areas="Lanyard poster")
    post(host, form_id, op="confirm", **fields)
    post(visitor, form_id, op="confirm", **fields)
    assert form_row(synced_app, form_id)[0] == "final"
    review_id = confirm_review(synced_app, "BR")
    admin = signed_in(synced_app, "admin")
    admin.post("/people/invite", data={"email": "kim@wl.test.school", "name": "Kim Keen", "role": "staff",
                                       "school": "WL", "csrf_token": csrf_token(admin, "/people/invite")})
    drain_now(synced_app, only_due=False)
    sync_now(synced_app, "test")
    return dict(form=form_id, review=review_id)


def start_the_year(app, monkeypatch, **where):
    monkeypatch.setattr(dates, "uk_today", lambda: JUNE)
    admin = signed_in(app, "admin")
    page = admin.get("/years").get_data(as_text=True)
    assert f"Start {years.label(NEXT)}" in page
    form = {"csrf_token": csrf_token(admin, "/years")}
    for code, ref in where.items():
        form.update({f"where-{code}": "new", f"ref-{code}": ref})
    response = admin.post("/years/start", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    drain_now(app, only_due=False)
    sync_now(app, "test")
    return admin


def test_the_year_turns_and_last_year_stays_whole_reachable_and_read_only(synced_app, a_year_with_work, monkeypatch):
    before = everything(synced_app)
    with synced_app.app_context():
        old_rows = {r.sheet_id: r.id for r in db.session.scalars(select(ActionRow).join(Workbook).where(
            Workbook.code == "BR"))}
        entries = list(db.session.scalars(select(ImpactEntry.sheet_id).join(Workbook).where(Workbook.code == "BR")))
        priorities = list(db.session.scalars(select(SipPriority.priority).join(Workbook).where(Workbook.code == "BR")))
    admin = start_the_year(synced_app, monkeypatch)
    assert f"The {years.label(NEXT)} school year has started" in admin.get("/years").get_data(as_text=True)
    assert everything(synced_app) == before  # every row, reply, form, review and audit entry, unchanged

    head = signed_in(synced_app, "br_head")
    this_year = head.get("/plans/BR").get_data(as_text=True)
    assert years.label(NEXT) in this_year and not any(f"row-{i}\"" in this_year for i in old_rows.values())
    assert f'href="/plans/BR?year={THIS}"' in this_year  # the switcher
    assert "Carry last year's unfinished rows into this plan" in this_year
    last_year = head.get(f"/plans/BR?year={THIS}").get_data(as_text=True)
    assert "which is over" in last_year and all(f'id="row-{i}"' in last_year for i in old_rows.values())
    assert "/edit" not in last_year  # nothing to change there
    assert all(e in head.get(f"/plans/BR/impact?year={THIS}").get_data(as_text=True) for e in entries)
    assert not any(e in head.get("/plans/BR/impact").get_data(as_text=True) for e in entries)  # this year's log
    assert all(unescape(p).split("\n")[0] in unescape(head.get(f"/plans/BR/priorities?year={THIS}").get_data(as_text=True))
               for p in priorities)
    assert head.get(f"/reviews/{a_year_with_work['review']}").status_code == 200
    assert head.get(f"/impact-forms/{a_year_with_work['form']}").status_code == 200
    assert head.get(f"/summary/BR?year={THIS}").status_code == 200
    assert board_pack(head, f"/summary/BR.pdf?review={a_year_with_work['review']}").status_code == 200
    assert head.get(f"/priorities?year={THIS}").status_code == 200
    assert "SCR complete" in head.get(f"/plans/BR/impact?year={THIS}").get_data(as_text=True)  # the final form
    export = head.get(f"/plans/BR/export/csv?year={THIS}")
    assert export.headers["Content-Disposition"] == f'attachment; filename="action-plan-BR-{years.short(THIS)}.csv"'
    assert all(sheet_id in export.get_data(as_text=True) for sheet_id in old_rows)
    for path, name in ((f"/plans/BR/priorities/export/xlsx?year={THIS}", f"priorities-BR-{years.short(THIS)}.xlsx"),
                       (f"/priorities/export/csv?year={THIS}", f"shared-priorities-{years.short(THIS)}.csv"),
                       ("/priorities/export/csv", f"shared-priorities-{years.short(NEXT)}.csv")):
        assert head.get(path).headers["Content-Disposition"] == f'attachment; filename="{name}"', path
    # Read-only: a row of last year cannot be edited, through this year's plan or any other way.
    some_row = next(iter(old_rows.values()))
    assert head.get(f"/plans/BR/rows/{some_row}/edit").status_code == 404
    assert head.get("/plans/BR?year=2019").status_code == 404  # a year the hub does not hold
    # Today's counts look at this year alone: the home of a head has no overdue row of last year.
    home = head.get("/").get_data(as_text=True)
    assert not any(sheet_id in home for sheet_id in old_rows)


def test_a_head_carries_two_rows_and_they_link_both_ways(synced_app, monkeypatch):
    start_the_year(synced_app, monkeypatch)
    head = signed_in(synced_app, "br_head")
    page = head.get("/plans/BR/carry-forward").get_data(as_text=True)
    with synced_app.app_context():
        offered = {r.sheet_id: r.id for r in db.session.scalars(select(ActionRow).join(Workbook).where(
            Workbook.code == "BR", Workbook.school_year == THIS, ActionRow.status != "Complete"))}
        complete = db.session.scalar(select(ActionRow.id).join(Workbook).where(
            Workbook.code == "BR", ActionRow.status == "Complete"))
    assert all(f'value="{i}"' in page for i in offered.values()) and f'value="{complete}"' not in page
    chosen = sorted(offered)[:2]
    response = head.post("/plans/BR/carry-forward", data={"csrf_token": csrf_token(head, "/plans/BR/carry-forward"),
                                                          "rows": [offered[c] for c in chosen]}, follow_redirects=True)
    said = unescape(response.get_data(as_text=True))
    assert re.search(r"2 rows carried into this year's plan \(BR-A\d{3}, BR-A\d{3}\)", said)
    drain_now(synced_app, only_due=False)
    sync_now(synced_app, "test")
    this_year = unescape(head.get("/plans/BR").get_data(as_text=True))
    for sheet_id in chosen:
        assert f"Carried from {sheet_id}, {years.short(THIS)}." in this_year  # the row's note, in the sheet and here
        assert f'Carried from <a href="/plans/BR/rows/{offered[sheet_id]}?year={THIS}">{sheet_id}</a>' in this_year
    last_year = unescape(head.get(f"/plans/BR?year={THIS}").get_data(as_text=True))
    into = rf'Carried into <a href="/plans/BR/rows/\d+">BR-A\d{{3}}</a>, {years.label(NEXT)}'
    assert len(re.findall(into, last_year)) == 2
    again = head.get("/plans/BR/carry-forward").get_data(as_text=True)
    assert all(f'value="{offered[c]}"' not in again for c in chosen) and "carried already" in again
    staff = signed_in(synced_app, "br_staff")
    assert staff.get("/plans/BR/carry-forward").status_code == 403  # the head's choice, not staff's


def test_starting_a_year_is_the_coordinators_and_waits_for_june(synced_app, monkeypatch):
    monkeypatch.setattr(dates, "uk_today", lambda: date(THIS, 11, 16))  # a day before June, whatever the suite's
    head = signed_in(synced_app, "br_head")
    assert head.get("/years").status_code == 403
    admin = signed_in(synced_app, "admin")
    page = admin.get("/years").get_data(as_text=True)
    assert f"can be started from 1 Jun {NEXT}" in page and "<form" not in page.split("start-heading")[1]
    response = admin.post("/years/start", data={"csrf_token": csrf_token(admin, "/years")})
    assert response.status_code == 422 and f"can be started from 1 Jun {NEXT}" in response.get_data(as_text=True)


def test_the_cli_starts_the_year_and_carries_rows(synced_app, runner, monkeypatch):
    monkeypatch.setattr(dates, "uk_today", lambda: JUNE)
    result = runner.invoke(args=["year", "start", "--workbook", "XX=nowhere.xlsx"])
    assert result.exit_code == 1 and "No school of the partnership has the code XX" in result.output
    result = runner.invoke(args=["year", "start"])
    assert result.exit_code == 0 and f"Started {years.label(NEXT)}" in result.output
    drain_now(synced_app, only_due=False)
    sync_now(synced_app, "test")
    shown = runner.invoke(args=["year", "show"]).output
    assert f"Current school year: {years.label(NEXT)}" in shown and years.label(THIS) in shown
    result = runner.invoke(args=["year", "carry", "BR", "BR-A001"])
    assert result.exit_code == 1 and "Not unfinished rows" in result.output  # Complete
    result = runner.invoke(args=["year", "carry", "BR", "br-a002"])
    assert result.exit_code == 0 and re.search(r"Carried: BR-A002 as BR-A\d{3}", result.output)
    exported = runner.invoke(args=["export", "action-plan", "BR", "--year", str(THIS)]).output
    assert "BR-A001" in exported and "BR-A002" in exported
    this_year = runner.invoke(args=["export", "action-plan", "BR"]).output
    assert f"Carried from BR-A002, {years.short(THIS)}." in this_year
    assert not any(line.startswith(("BR-A001,", "BR-A002,")) for line in this_year.splitlines())


def test_last_years_forms_and_strengths_are_read_and_its_drafts_kept_as_they_stood(synced_app, a_year_with_work,
                                                                                  monkeypatch):
    with synced_app.app_context():
        event = db.session.get(ImpactForm, a_year_with_work["form"]).event
        second = CalendarEvent(workbook_id=event.workbook_id, sheet_id="PS-E902", date=event.date, type=event.type,
                               category="visit", focus="Safeguarding", host_school="BR", host_code="BR",
                               invited_schools="WL", invited_codes=["WL"])
        db.session.add(second)
        db.session.commit()
        second_id = second.id
    host = signed_in(synced_app, "br_staff")
    draft = start(host, second_id)
    post(host, draft, strengths="Clear signage")
    start_the_year(synced_app, monkeypatch)

    head = signed_in(synced_app, "br_head")
    assert "SCR complete" in head.get(f"/strengths?year={THIS}").get_data(as_text=True)
    assert "SCR complete" not in head.get("/strengths").get_data(as_text=True)  # this year's directory starts afresh
    assert f"/impact-forms/{a_year_with_work['form']}\"" in head.get(f"/impact-forms?year={THIS}").get_data(as_text=True)
    assert f"/impact-forms/{a_year_with_work['form']}\"" not in head.get("/impact-forms").get_data(as_text=True)
    # The draft is read as it stood: its writer can open it, and nobody can change it now.
    page = unescape(host.get(f"/impact-forms/{draft}").get_data(as_text=True))
    assert "Clear signage" in page and f"in the {years.label(THIS)} school year, which is over" in page
    assert post(host, draft, strengths="Changed later").status_code == 403
    assert form_row(synced_app, draft)[1] == ["Clear signage"]


def test_last_years_events_take_no_replies_or_invitations_and_no_event_is_added_to_it(synced_app, visit,
                                                                                     monkeypatch):
    start_the_year(synced_app, monkeypatch)
    over = f"This event was in the {years.label(THIS)} school year, which is over"
    guest, host = signed_in(synced_app, "wl_staff"), signed_in(synced_app, "br_head")
    page = unescape(guest.get(f"/calendar/events/{visit}").get_data(as_text=True))
    assert over in page and "I'm coming" not in page
    reply = guest.post(f"/calendar/events/{visit}/reply", data={
        "answer": "Confirmed", "csrf_token": csrf_token(guest, f"/calendar/events/{visit}")})
    assert reply.status_code == 403 and over in unescape(reply.get_data(as_text=True))
    page = host.get(f"/calendar/events/{visit}").get_data(as_text=True)
    assert "Who is coming" in page and "Invite more" not in page  # the answers, read
    token = csrf_token(host, f"/calendar/events/{visit}")
    assert host.post(f"/calendar/events/{visit}/invite", data={"schools": ["WL"], "csrf_token": token}).status_code == 403
    assert host.post(f"/calendar/events/{visit}/remind", data={"csrf_token": token}).status_code == 403
    added = host.post("/calendar/new", data={
        "date": f"{JUNE:%d/%m/%Y}", "type": "Subject network", "focus": "Science", "host": "BR",
        "csrf_token": csrf_token(host, "/calendar/new")})
    said = unescape(added.get_data(as_text=True))
    assert added.status_code == 422 and f"is in the {years.label(THIS)} school year, which is over" in said
    with synced_app.app_context():
        assert db.session.scalar(select(CalendarEvent).where(CalendarEvent.focus == "Science")) is None
