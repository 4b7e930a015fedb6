"""What is kept between requests (domain/kept.py: the priorities' grouping, the governors'
summaries, For you's calendar lines; webapp/summaries/packs.py: the board packs) is never served stale: after every
kind of change (a sync, a save, a theme answer, a review, a reply) each page is exactly
what it is when made afresh, and it shows the change."""
import re

import pytest
from openpyxl import load_workbook

from domain import kept
from webapp.syncing import sync_now

from ..conftest import csrf_token, login, without_csrf_tokens
from .test_edits import open_form, row_id, save
from .test_summaries import confirm_review

PAGES = {  # who reads it, and where
    "combined priorities": ("br_head", "/priorities"),  # with its school filter (plans.school_choices)
    "priorities of one theme": ("br_head", "/priorities?theme=writing"),
    "combined priorities as a coordinator": ("admin", "/priorities"),  # drawn for those who open every plan
    "a head's home": ("br_head", "/"),
    "a member of staff's home": ("br_staff", "/"),  # For you's calendar lines, kept per person and day
    "a coordinator's home": ("admin", "/"),  # the partnership at a glance (plans.at_a_glance): problems counted
    "another head's home": ("wl_head", "/"),  # their school's sheet problems among the kept counts
    "a governor's home": ("br_governor", "/"),
    "the calendar": ("br_staff", "/calendar"),  # its results drawn once a day (webapp/calendar/routes.py)
    "a month of the calendar": ("wl_head", "/calendar/month"),
    "a school's summary": ("br_governor", "/summary/BR"),
    "the joint summary": ("br_governor", "/summary/joint"),
    "a priority's partners": ("br_head", "/plans/BR/priorities"),
    "strengths": ("br_head", "/strengths"),
    "a school's plan": ("br_head", "/plans/BR"),  # its rows drawn once and kept (webapp/plans/rows.py)
    "a school's plan, filtered": ("br_staff", "/plans/BR?status=Complete"),
    "people": ("admin", "/people"),  # drawn once for the count, its people's sign-ins and the versions
    "people of a school": ("admin", "/people?school=WL"),
}


def read_all(app):
    """Every page, as its reader sees it now: {page: html}."""
    found = {}
    for name, (who, path) in PAGES.items():
        client = app.test_client()
        login(client, who)
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        # less the Sync now button's countdown, which moves with the clock, and the time of day of
        # each last sign-in (each reading signs its readers in again, and a minute may turn)
        html = re.sub(r'data-countdown="\d+"', "", without_csrf_tokens(response.get_data(as_text=True)))
        found[name] = re.sub(r'(data-label="Last sign-in">[^<,]*), [^<]*', r"\1", html)
    return found


def change_by_sync(app, workbook_dir, client):
    path = workbook_dir / "william-lilley.xlsx"
    book = load_workbook(path)
    sheet = book["SIP priorities"]
    status = [c.column for c in sheet[1] if c.value == "Status"][0]
    sheet.cell(row=2, column=status).value = "Behind"
    sheet.append(["WL-S090", "Phonics catch-up for Year 2", "Reading", "", "", "At risk", "Yes"])
    book.save(path)
    assert sync_now(app, "test").ok


def change_by_save(app, workbook_dir, client):
    login(client, "br_head")
    rid = row_id(app, "BR-A005")
    response = save(client, "BR", rid, open_form(client, "BR", rid), status="Complete",
                    impact_to_date="Every F1 child has their 30 hours")
    assert response.status_code == 200


def change_by_theme_answer(app, workbook_dir, client):
    login(client, "br_head")
    response = client.post("/priorities/same-theme", data={
        "csrf_token": csrf_token(client, "/priorities"), "name": "EHWB", "same_as": "Emotional health and wellbeing",
        "answer": "yes"})
    assert response.status_code == 303


def change_by_review(app, workbook_dir, client):
    confirm_review(app, "BR")


def change_by_reply(app, workbook_dir, client):
    from .test_calendar import _event

    login(client, "br_staff")
    event_id = _event(app, "J-E003")
    response = client.post(f"/calendar/events/{event_id}/reply", data={
        "answer": "Confirmed", "note": "Bringing Y2", "csrf_token": csrf_token(client, f"/calendar/events/{event_id}")})
    assert response.status_code in (200, 303)


def change_by_mending_a_sheet(app, workbook_dir, client):
    """A sheet problem mended in the sheet (William Lilley's impact log's "next week")."""
    path = workbook_dir / "william-lilley.xlsx"
    book = load_workbook(path)
    cell = next(c for row in book["Impact log"].iter_rows() for c in row if c.value == "next week")
    cell.value = "12/01/2027"
    book.save(path)
    assert sync_now(app, "test").ok


def change_by_event_in_the_sheet(app, workbook_dir, client):
    """An event's focus changed in the partnership workbook's Calendar tab."""
    path = workbook_dir / "partnership.xlsx"
    book = load_workbook(path)
    sheet = book["Calendar"]
    focus = [c.column for c in sheet[1] if c.value == "Focus"][0]
    for row in range(2, sheet.max_row + 1):  # every event: whichever the calendar's first page shows
        sheet.cell(row=row, column=focus).value = f"Phonics moderation {row}"
    book.save(path)
    assert sync_now(app, "test").ok


def change_by_signing_in(app, workbook_dir, client):
    """William Lilley's governor signs in for the first time: a sign-in moves no version."""
    login(client, "wl_governor")


CHANGES = [change_by_signing_in, change_by_sync, change_by_event_in_the_sheet, change_by_save, change_by_theme_answer, change_by_review, change_by_reply,
           change_by_mending_a_sheet]
SHOWN = {  # what each change shows on some page, so that a kept page that ignored it would differ
    change_by_signing_in: ("people of a school", None),  # their Last sign-in: Never no more
    change_by_sync: ("combined priorities", "Phonics catch-up for Year 2"),
    change_by_event_in_the_sheet: ("the calendar", "Phonics moderation"),
    change_by_save: ("a school's plan", "Every F1 child has their 30 hours"),
    change_by_theme_answer: ("combined priorities", None),
    change_by_review: ("a school's summary", "Confirmed for the board"),
    change_by_reply: ("a member of staff's home", None),  # the invitation they answered is gone
    change_by_mending_a_sheet: ("a coordinator's home", "<strong>1</strong> sheet problem to fix"),
}


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_after_each_kind_of_change_every_kept_page_is_what_it_is_made_afresh(synced_app, workbook_dir, change):
    before = read_all(synced_app)  # made, and kept
    assert read_all(synced_app) == before  # kept: the same again
    change(synced_app, workbook_dir, synced_app.test_client())
    after = read_all(synced_app)
    with kept.made_afresh():
        afresh = read_all(synced_app)
    for name in PAGES:
        assert after[name] == afresh[name], f"{name} was served as kept before the {change.__name__}"
    page, words = SHOWN[change]
    if words:
        assert words not in before[page] and words in after[page]
    else:
        assert after[page] != before[page]
