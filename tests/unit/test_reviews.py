"""The termly review's rules: terms, snapshots, comparison, the two steps of signatures."""
from datetime import date

import pytest
from sqlalchemy import select

from domain import reviews
from domain.models import JOINT, ActionRow, OutboxEntry, Review, ReviewSignature, School, User
from domain.plans import find_plan
from domain.status import is_worse
from webapp.extensions import db

TODAY = date(2026, 12, 1)


def test_terms_are_named_as_schools_say_them():
    assert reviews.TERMS == ("Autumn", "Spring", "Summer")
    assert reviews.term_label("Autumn", 2026) == "Autumn term, 2026 to 2027"
    assert reviews.short_label("Summer", 2026) == "Summer 2026-27"
    assert reviews.short_label("Spring", 2099) == "Spring 2099-00"


@pytest.mark.parametrize("day, expected", [
    (date(2026, 12, 1), ("Autumn", 2026)), (date(2026, 9, 1), ("Autumn", 2026)),
    (date(2027, 1, 4), ("Spring", 2026)), (date(2027, 3, 31), ("Spring", 2026)),
    (date(2027, 4, 1), ("Summer", 2026)), (date(2027, 8, 31), ("Summer", 2026)),
])
def test_term_now_follows_the_school_year(day, expected):
    assert reviews.term_now(day) == expected


def test_next_term_crosses_into_the_next_school_year():
    assert reviews.next_term("Summer", 2026) == ("Autumn", 2027)
    assert reviews.next_term("Autumn", 2026) == ("Spring", 2026)


@pytest.mark.parametrize("before, after, worse", [
    ("On track", "At risk", True), ("At risk", "Behind", True), ("Complete", "Behind", True),
    ("Not started", "At risk", True), ("", "Behind", True),
    ("Behind", "At risk", False), ("At risk", "On track", False), ("On track", "Complete", False),
    ("On track", "Paused", False), ("Paused", "Behind", False), ("green", "red", True),
])
def test_is_worse_orders_the_statuses(before, after, worse):
    assert is_worse(before, after) is worse


def _row(sheet_id, **values):
    row = {attr: "" for attr in reviews.ROW_ATTRS}
    row.update(sheet_id=sheet_id, key_objective=f"Objective {sheet_id}", area="Staff", **values)
    return row


def test_compare_finds_each_kind_of_change():
    then = [_row("A1", status="On track"), _row("A2", impact_to_date="little"), _row("A3", due="July 2027"),
            _row("A4")]
    now = [_row("A1", status="Behind"), _row("A2", impact_to_date="more"), _row("A3", due="TBC"), _row("A5")]
    found = reviews.compare(then, now)
    assert [(c.sheet_id, c.before, c.after) for c in found.status_changed] == [("A1", "On track", "Behind")]
    assert found.worse == found.status_changed
    assert [(c.sheet_id, c.after) for c in found.impact_changed] == [("A2", "more")]
    assert [(c.sheet_id, c.before, c.after) for c in found.due_changed] == [("A3", "July 2027", "TBC")]
    assert [r["sheet_id"] for r in found.added] == ["A5"]
    assert [r["sheet_id"] for r in found.gone] == ["A4"]
    assert not found.empty
    assert reviews.compare(then, then).empty


@pytest.fixture
def hub(synced_app):
    with synced_app.app_context():
        session = db.session
        schools = {s.code: s for s in session.scalars(select(School))}
        for code in schools:
            session.add(User(email=f"chair@{code.lower()}.test.school", name=f"Chair {code}", role="governor",
                             chair=True, school=schools[code], password_hash="x"))
        session.commit()
        yield session, {u.email: u for u in session.scalars(select(User))}


def test_the_snapshot_holds_every_row_with_every_registry_column(hub):
    session, _ = hub
    plan = find_plan(session, "BR")
    snapshot = reviews.take_snapshot(session, plan)
    rows = session.scalars(select(ActionRow).where(ActionRow.workbook_id == plan.workbook.id,
                                                   ActionRow.archived_at.is_(None))).all()
    assert snapshot["plan_code"] == "BR" and snapshot["plan_name"] == plan.title
    assert len(snapshot["rows"]) == len(rows) > 0
    for row in snapshot["rows"]:
        assert set(row) == set(reviews.ROW_ATTRS) and {"sheet_id", "status", "impact_to_date"} <= set(row)
        assert all(isinstance(v, str) for v in row.values())
    assert snapshot["rows"] == reviews.current_row_dicts(session, plan)
    for priority in snapshot["priorities"]:
        assert priority["school_code"] == "BR" and priority["share"] == "Yes"
        assert {"theme", "who_else", "school_name", "priority"} <= set(priority)


def test_the_joint_snapshot_holds_every_schools_shared_priorities(hub):
    session, _ = hub
    snapshot = reviews.take_snapshot(session, find_plan(session, JOINT))
    assert {p["school_code"] for p in snapshot["priorities"]} == {"BR", "WL"}
    assert any(p["who_else"] for p in snapshot["priorities"]), "the demo schools share a theme"


def test_a_school_review_is_signed_by_its_head_then_confirmed_by_its_chair(hub):
    session, people = hub
    plan = find_plan(session, "BR")
    review = reviews.start(session, plan, people["head@br.test.school"], today=TODAY)
    assert (review.term, review.school_year, review.state) == ("Autumn", 2026, "open")
    with pytest.raises(reviews.ChairsWait, match="once every head teacher has signed"):
        reviews.sign(session, review, people["chair@br.test.school"])
    with pytest.raises(reviews.NotAllowed, match="another school"):
        reviews.sign(session, review, people["head@wl.test.school"])
    with pytest.raises(reviews.NotAllowed, match="Staff can read reviews but not sign"):
        reviews.sign(session, review, people["staff@br.test.school"])
    with pytest.raises(reviews.NotAllowed, match="only the chair of governors"):
        reviews.sign(session, review, people["governor@br.test.school"])
    signature = reviews.sign(session, review, people["head@br.test.school"], "All on track")
    assert review.state == "heads_signed" and review.heads_signed_at
    assert signature.role_label.startswith("Head teacher, ") and signature.school_code == "BR"
    with pytest.raises(reviews.AlreadySigned, match="You have signed this review already"):
        reviews.sign(session, review, people["head@br.test.school"])
    reviews.sign(session, review, people["chair@br.test.school"], "Agreed")
    assert review.state == "confirmed" and review.tab_title == "Review Autumn 2026-27 (signed " + \
        reviews.uk_day(review.confirmed_at).strftime("%d-%m-%Y") + ")"
    with pytest.raises(reviews.ReviewClosed, match="takes no more signatures"):
        reviews.sign(session, review, people["chair@br.test.school"])
    entry = session.scalar(select(OutboxEntry).where(OutboxEntry.kind == reviews.TAB_KIND))
    assert entry.fields["title"] == review.tab_title and entry.workbook_id == plan.workbook.id
    assert entry.fields["cells"][0][0] == "ID" and len(entry.fields["cells"]) > len(review.snapshot["rows"]) + 2
    assert reviews.last_confirmed(session, "BR") is review
    assert reviews.next_due(session, "BR", TODAY) == ("Spring", 2026)
    assert reviews.next_due(session, "WL", TODAY) == ("Autumn", 2026)


def test_the_joint_plan_needs_every_member_schools_head_then_chair(hub):
    session, people = hub
    plan = find_plan(session, JOINT)
    with pytest.raises(reviews.NotAllowed, match="Staff can read reviews but not start"):
        reviews.start(session, plan, people["staff@br.test.school"], today=TODAY)
    review = reviews.start(session, plan, people["admin@test.school"], today=TODAY)
    with pytest.raises(reviews.AlreadyStarted, match="started already"):
        reviews.start(session, plan, people["head@wl.test.school"], today=TODAY)
    with pytest.raises(reviews.NotAllowed, match="do not sign"):
        reviews.sign(session, review, people["admin@test.school"])
    needed = reviews.signers_needed(session, review)
    assert [p.school.code for p in needed.heads] == [p.school.code for p in needed.chairs] and len(needed.heads) == 2
    reviews.sign(session, review, people["head@br.test.school"])
    assert review.state == "open"
    reviews.sign(session, review, people["head@wl.test.school"])
    assert review.state == "heads_signed"
    reviews.sign(session, review, people["chair@wl.test.school"])
    assert review.state == "heads_signed"
    reviews.sign(session, review, people["chair@br.test.school"])
    assert review.state == "confirmed"
    assert session.scalar(select(ReviewSignature).where(ReviewSignature.review_id == review.id,
                                                        ReviewSignature.step == "chair",
                                                        ReviewSignature.school_code == "BR")).name == "Chair BR"


def test_a_second_head_of_the_same_school_cannot_sign_its_place_again(hub):
    session, people = hub
    br = people["head@br.test.school"].school
    other = User(email="cohead@br.test.school", name="Co head", role="head", school=br, password_hash="x")
    session.add(other)
    session.flush()
    review = reviews.start(session, find_plan(session, JOINT), people["head@br.test.school"], today=TODAY)
    reviews.sign(session, review, people["head@br.test.school"])
    with pytest.raises(reviews.AlreadySigned, match=f"for {br.name} already"):
        reviews.sign(session, review, other)


def test_a_head_cannot_start_another_schools_review(hub):
    session, people = hub
    with pytest.raises(reviews.NotAllowed, match="head teacher"):
        reviews.start(session, find_plan(session, "WL"), people["head@br.test.school"], today=TODAY)
    with pytest.raises(reviews.NotAllowed, match="Governors read and confirm"):
        reviews.start(session, find_plan(session, "WL"), people["chair@wl.test.school"], today=TODAY)
    assert session.scalar(select(Review)) is None


def test_nothing_can_change_a_snapshot_once_taken(hub):
    session, people = hub
    review = reviews.start(session, find_plan(session, "BR"), people["head@br.test.school"], today=TODAY)
    session.commit()
    review.snapshot = {**review.snapshot, "rows": []}
    with pytest.raises(reviews.SnapshotKept):
        session.flush()
    session.rollback()
    assert session.get(Review, review.id).snapshot["rows"]
