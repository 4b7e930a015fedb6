"""The rules of running people, without Flask: on a database of their own."""
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain import people
from domain.access import can_manage_people
from domain.models import Base, PersonChange, School, User, UserSession, utcnow
from domain.users import UserError


@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(School(code="BR", name="Bank Road"))
        session.add_all([User(email=f"{n}@test.school", name=n, role="admin", password_hash="!") for n in ("ann", "bob")])
        session.commit()
        yield session
    engine.dispose()


def admin(session, name):
    return session.scalar(select(User).where(User.name == name))


@pytest.mark.parametrize("role, allowed", [("admin", True), ("head", False), ("staff", False), ("governor", False)])
def test_only_coordinators_manage_people(role, allowed):
    assert can_manage_people(User(role=role)) is allowed


def test_the_last_active_coordinator_can_be_neither_deactivated_nor_demoted(session):
    ann, bob = admin(session, "ann"), admin(session, "bob")
    people.deactivate_person(session, ann, bob)
    with pytest.raises(UserError, match="ann is the last active partnership coordinator"):
        people.deactivate_person(session, bob, ann)  # e.g. a stale page of bob's
    with pytest.raises(UserError, match="last active partnership coordinator"):
        people.change(session, bob, ann, "head", "BR")
    assert ann.active and ann.role == "admin"


def test_a_coordinator_cannot_deactivate_or_demote_themselves(session):
    ann = admin(session, "ann")
    with pytest.raises(UserError, match="You cannot deactivate yourself"):
        people.deactivate_person(session, ann, ann)
    with pytest.raises(UserError, match="your own coordinator role"):
        people.change(session, ann, ann, "staff", "BR")


def test_deactivating_deletes_every_session_row_of_theirs_and_records_who_did_it(session):
    ann, bob = admin(session, "ann"), admin(session, "bob")
    session.add_all([UserSession(token_hash=f"{n:064}", user_id=bob.id) for n in range(2)])
    session.flush()
    version = bob.session_version
    people.deactivate_person(session, ann, bob)
    assert session.scalars(select(UserSession).where(UserSession.user_id == bob.id)).all() == []
    assert bob.session_version == version + 1
    entry = session.scalar(select(PersonChange))
    assert (entry.by, entry.person, entry.what) == ("ann <ann@test.school>", "bob <bob@test.school>",
                                                    "Deactivated; their sessions ended")


def test_a_password_link_works_until_a_password_is_chosen_with_it(session):
    ann = admin(session, "ann")
    person, _ = people.invite(session, ann, "Kim@Test.School", "Kim", "staff", "br")
    payload = people.link_payload(person)
    assert people.user_for_link(session, payload) is person
    people.choose_password(session, person, "long enough password")
    with pytest.raises(people.LinkUsed):
        people.user_for_link(session, payload)



def test_a_newer_link_replaces_older_ones_and_a_link_from_before_the_numbering_works_until_then(session):
    ann = admin(session, "ann")
    person, _ = people.invite(session, ann, "kim@test.school", "Kim", "staff", "br")
    from_before = {k: v for k, v in people.link_payload(person).items() if k != "l"}  # sent before this rule
    assert people.user_for_link(session, from_before) is person
    first = people.new_link_payload(session, person)
    second = people.new_link_payload(session, person)
    for old in (from_before, first):
        with pytest.raises(people.LinkReplaced):
            people.user_for_link(session, old)
    assert people.user_for_link(session, second) is person

def test_audit_entries_older_than_two_years_are_pruned_when_one_is_written(session):
    ann, bob = admin(session, "ann"), admin(session, "bob")
    session.add(PersonChange(at=utcnow() - people.KEEP_CHANGES - timedelta(days=1), by="x", person="y", what="old"))
    session.add(PersonChange(at=utcnow() - people.KEEP_CHANGES + timedelta(days=1), by="x", person="y", what="kept"))
    people.record(session, ann, bob, "new")
    assert sorted(session.scalars(select(PersonChange.what))) == ["kept", "new"]


def test_a_password_link_dies_when_the_person_gets_a_new_role(session):
    ann = admin(session, "ann")
    cat = User(email="cat@test.school", name="cat", role="staff", password_hash="!",
               school=session.scalar(select(School)))
    session.add(cat)
    session.flush()
    payload = people.link_payload(cat)
    assert people.user_for_link(session, payload) is cat
    people.change(session, ann, cat, "admin")
    with pytest.raises(UserError):
        people.user_for_link(session, payload)  # not a way into a coordinator's account


def test_two_coordinators_removing_each_other_at_once_leave_one(tmp_path):
    import threading

    engine = create_engine(f"sqlite:///{tmp_path / 'race.sqlite'}", connect_args={"timeout": 15})
    Base.metadata.create_all(engine)
    with Session(engine) as setup:
        setup.add_all([User(email=f"{n}@test.school", name=n, role="admin", password_hash="!") for n in ("ann", "bob")])
        setup.commit()
    start, outcomes = threading.Barrier(2), []

    def remove(me, other):
        with Session(engine) as session:
            by, person = admin(session, me), admin(session, other)
            start.wait()
            try:
                people.deactivate_person(session, by, person)
                session.commit()
                outcomes.append("done")
            except UserError:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=remove, args=pair) for pair in (("ann", "bob"), ("bob", "ann"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as check:
        assert len(people.active_admins(check)) == 1 and sorted(outcomes) == ["done", "refused"]
    engine.dispose()
