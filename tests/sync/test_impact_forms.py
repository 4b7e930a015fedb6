"""Impact forms: two confirmations from two schools, the ratio never blocks, only final
forms count; and a final form's round trip through the .xlsx workbooks and the Sheets
stand-in (real gspread): the Impact log row and the linked row's Impact to date land,
nothing else is touched."""
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from domain import impact_forms as rules
from domain.leaders import leaders_for
from domain.models import ImpactEntry, OutboxEntry, SipPriority
from sync.outbox import drain

from ..conftest import days_ago
from .conftest import BR, actions
from .impact_form_helpers import EVENT_DAY, fill, make_event, person

PEOPLE = dict(br_head=("Carole Clemens", "head", "BR"), br_staff=("Jo Teacher", "staff", "BR"),
              wl_head=("Sally Beardsley", "head", "WL"), admin=("Pat Coordinator", "admin", None))


class People(dict):
    """The test's people, each made when first asked for (after the sync made the schools)."""

    def __init__(self, session):
        super().__init__()
        self.session = session

    def __missing__(self, key):
        self[key] = person(self.session, *PEOPLE[key])
        return self[key]


@pytest.fixture
def people(session):
    return People(session)


def test_a_visit_is_final_only_after_the_host_and_a_visitor_confirm(session, sync, people):
    sync()
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    assert rules.confirm(session, form, event, people["br_staff"], "Jo Teacher") == rules.AWAITING
    # A second person of the host school is the same side: still one school.
    assert rules.confirm(session, form, event, people["br_head"], "Carole Clemens") == rules.AWAITING
    assert [c.side for c in form.confirmations] == [rules.HOST]
    with pytest.raises(rules.NotAllowed):
        rules.confirm(session, form, event, people["admin"], "Pat Coordinator")  # a coordinator is of no school
    assert session.query(ImpactEntry).filter_by(summary="Safeguarding QA visit by WL.").count() == 0
    assert rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley") == rules.FINAL
    session.commit()
    assert {(c.side, c.school_code) for c in form.confirmations} == {("host", "BR"), ("visitor", "WL")}
    entry = session.get(ImpactEntry, form.impact_entry_id)
    assert entry.summary == "Safeguarding QA visit by WL." and entry.activity == event.type
    with pytest.raises(rules.FormFinal):
        fill(session, form, strengths=("Changed after",))


def test_a_change_after_one_side_confirmed_takes_the_confirmation_back(session, sync, people):
    sync()
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    rules.confirm(session, form, event, people["br_staff"], "Jo Teacher")
    fill(session, form, strengths=("SCR complete", "Staff knew the DSLs", "Calm site", "Visitors signed in"))
    assert form.state == rules.DRAFT and form.confirmations == []
    rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley")
    assert form.state == rules.AWAITING  # the visitor alone: the host confirms what it says now


def test_a_ratio_far_from_three_to_one_is_said_but_does_not_block(session, sync, people):
    sync()
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form, strengths=("Calm site",), areas=("Lanyards", "Poster", "Sign-in book"))
    assert rules.ratio(form.strengths, form.areas).far
    rules.confirm(session, form, event, people["br_staff"], "Jo Teacher")
    assert rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley") == rules.FINAL


def test_a_form_needs_a_strength_and_a_summary_before_it_is_confirmed(session, sync, people):
    sync()
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form, strengths=(), summary="")
    with pytest.raises(rules.NotAllowed, match="at least one strength, a summary"):
        rules.confirm(session, form, event, people["br_staff"], "Jo Teacher")


def test_a_network_is_final_at_its_leaders_confirmation(session, sync, people):
    sync()
    event = make_event(session, type="Subject network", category="network", focus="Writing", host_school="WL",
                       host_code="WL", invited_codes=["*"], lead="Sally Beardsley")
    form = rules.start(session, event, "Sally Beardsley")
    fill(session, form, summary="Writing network at WL.")
    assert rules.side_of(people["br_staff"], event, leaders_for(session, event)) is None
    assert rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley") == rules.FINAL


def test_a_leader_is_a_person_of_the_partnership_matched_by_address_or_a_name_theirs_alone(session, sync, people):
    sync()
    jo, sally = people["br_staff"], people["wl_head"]  # Jo Teacher at BR, Sally Beardsley at WL
    network = make_event(session, type="Subject network", category="network", focus="Writing", host_school="WL",
                         host_code="WL", invited_codes=["*"], lead="jo teacher,  SALLY.BEARDSLEY@wl.test.school")
    found = leaders_for(session, network)
    assert {(p.name, p.school) for p in found.people} == {("Jo Teacher", "BR"), ("Sally Beardsley", "WL")}
    assert rules.can_complete(jo, network, found) and rules.side_of(jo, network, found) == rules.LEADER

    # A person of another school (the host, here) named like the leader: the name is no
    # longer theirs alone, so it names nobody, and neither of them may act as its leader.
    namesake = person(session, "Jo Teacher", "staff", "WL")
    network.lead = "Jo Teacher"
    found = leaders_for(session, network)
    assert found.people == () and found.ambiguous == (("Jo Teacher", 2),)
    assert not rules.can_complete(jo, network, found) and not rules.can_complete(namesake, network, found)
    assert rules.can_complete(sally, network, found)  # the host school's head completes it instead

    # Held at Jo's own school, the same: a name two people answer to is nobody's.
    at_br = make_event(session, "PS-E910", type="Subject network", category="network", host_school="BR",
                       host_code="BR", invited_codes=["*"], lead="Jo Teacher")
    found = leaders_for(session, at_br)
    assert found.people == () and not rules.can_complete(jo, at_br, found)
    assert not rules.can_complete(namesake, at_br, found)

    # Nobody here by that name, a governor, a deactivated person, a school that left: no leader.
    governor = person(session, "Gill Governor", "governor", "WL")
    gone = person(session, "Gone Teacher", "staff", "WL")
    gone.active = False
    session.flush()
    network.lead = "Someone Else, Gill Governor, Gone Teacher"
    found = leaders_for(session, network)
    assert found.people == () and found.unmatched == ("Someone Else", "Gill Governor", "Gone Teacher")
    assert not rules.can_complete(governor, network, found)

    # By address the namesake is told apart: the address is one account's.
    network.lead = f"Jo <{namesake.email.upper()}>"
    found = leaders_for(session, network)
    assert [p.id for p in found.people] == [namesake.id]
    assert rules.can_complete(namesake, network, found) and not rules.can_complete(jo, network, found)

    # A namesake who can no longer lead (deactivated, here) still shares the name: the other
    # does not quietly become the leader by it.
    namesake.active = False
    session.flush()
    network.lead = "Jo Teacher"
    found = leaders_for(session, network)
    assert found.people == () and found.ambiguous == (("Jo Teacher", 2),) and not rules.can_complete(jo, network, found)

    # A name the hub made from an address (no name given: "senco" for senco@…) is no name:
    # a Lead cell that says what the role is names nobody by it.
    senco = person(session, "x", "staff", "WL")
    senco.email, senco.name = "senco@wl.test.school", "senco"
    session.flush()
    network.lead = "SENCo"
    found = leaders_for(session, network)
    assert found.people == () and found.unmatched == ("SENCo",) and not rules.can_complete(senco, network, found)


def test_confirming_as_the_leader_takes_the_match_not_the_name(session, sync, people):
    sync()
    jo = people["br_staff"]
    namesake = person(session, "Jo Teacher", "staff", "WL")
    event = make_event(session, type="Subject network", category="network", focus="Writing", host_school="WL",
                       host_code="WL", invited_codes=["*"], lead="Jo Teacher")
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form, summary="Writing network at WL.")
    for who in (jo, namesake):  # as the form was written to the host's log by a namesake before
        with pytest.raises(rules.NotAllowed, match="network's leader, the host school's head"):
            rules.confirm(session, form, event, who, who.name)
    assert form.state == rules.DRAFT and session.query(OutboxEntry).count() == 0


def test_the_form_offers_the_rows_that_match_the_focus_first(session, sync):
    sync()
    offered = rules.offered_rows(session, make_event(session, focus="Safeguarding"))
    assert offered[0][0].sheet_id == "BR-A001" and offered[0][1] == 3
    assert all(score == 0 for _, score in offered[1:])
    ehwb = rules.offered_rows(session, make_event(session, "PS-E902", focus="Emotional health and wellbeing"))
    assert ehwb[0][0].sheet_id == "BR-A003"  # area EHWB: an acronym of the focus, and the Themes tab's name
    writing = rules.offered_rows(session, make_event(session, "PS-E903", focus="Writing"))
    assert writing[0][0].sheet_id == "BR-A002" and writing[0][1] >= 1  # its key objective names writing


def test_only_final_forms_are_in_the_directory_and_the_summaries(session, sync, people):
    sync()
    draft_event = make_event(session, "PS-E904", focus="Safeguarding", date=days_ago(16))
    fill(session, rules.start(session, draft_event, "Jo Teacher"), strengths=("Draft strength",))
    awaiting_event = make_event(session, "PS-E905", date=days_ago(15))
    awaiting = rules.start(session, awaiting_event, "Jo Teacher")
    fill(session, awaiting, strengths=("Awaiting strength",))
    rules.confirm(session, awaiting, awaiting_event, people["br_staff"], "Jo Teacher")
    final_event = make_event(session, "PS-E906", date=EVENT_DAY)
    final = rules.start(session, final_event, "Jo Teacher")
    fill(session, final, strengths=("SCR complete", "Staff knew the DSLs", "Calm site"),
         rows=[actions(session, "BR")["BR-A001"].id])
    rules.confirm(session, final, final_event, people["br_staff"], "Jo Teacher")
    rules.confirm(session, final, final_event, people["wl_head"], "Sally Beardsley")
    session.commit()
    shown, _ = rules.strength_directory(session)
    texts = [s.text for g in shown for s in g.strengths]
    assert texts == ["SCR complete", "Staff knew the DSLs", "Calm site"]
    assert shown[0].theme == "Safeguarding" and shown[0].strengths[0].areas == ["Safeguarding"]
    assert rules.strength_directory(session, area="EYFS")[0] == []
    [summary] = rules.finished_for_school(session, "BR")
    assert summary["strengths"] == texts and summary["ratio"] == "3 strengths to 1 area to develop"
    assert summary["linked_actions"] == ["BR-A001"] and summary["confirmed_by"][1]["school"] == "WL"
    assert rules.finished_for_school(session, "WL") == []
    assert rules.finished_for_school(session, "BR", since=EVENT_DAY + timedelta(days=1)) == []
    # Who could help: WL looking for support with safeguarding finds BR; BR's own priority does not find itself.
    wl_priority = SipPriority(workbook_id=actions(session, "WL")["WL-A001"].workbook_id, sheet_id="WL-S099",
                              priority="Safer recruitment", theme="Safeguarding", share=True)
    session.add(wl_priority)
    session.flush()
    [(school, strengths)] = rules.who_could_help(session, wl_priority)
    assert school.code == "BR" and [s.text for s in strengths] == texts
    wl_priority.workbook_id = actions(session, "BR")["BR-A001"].workbook_id
    session.flush()
    session.expire(wl_priority, ["workbook"])
    assert rules.who_could_help(session, wl_priority) == []


def _finish_a_visit(session, people, note="Peer review confirmed the SCR."):
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    row = actions(session, "BR")["BR-A001"]
    fill(session, form, rows=[row.id], note=note)
    rules.confirm(session, form, event, people["br_staff"], "Jo Teacher")
    rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley")
    session.commit()
    return form


EXPECTED_LOG = ["BR-I005", f"{EVENT_DAY:%d/%m/%Y}", "BR-A001", "Quality assurance visit: safeguarding",
                "Safeguarding QA visit by WL.", "• SCR complete\n• Staff knew the DSLs\n• Calm site",
                "• Update the lanyard poster", "Jo Teacher (BR), Sally Beardsley (WL)"]


def impact_now(demo):
    """BR-A001's Impact to date after the form: the demo's, and the form's line below it."""
    return (demo.school("BR")["actions"][0][6] + "\n"
            f"• Peer review confirmed the SCR. (Quality assurance visit: safeguarding, {EVENT_DAY:%d/%m/%Y})")


def _cells(rows):
    return [["" if v is None else (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else str(v)) for v in row]
            for row in rows]


def test_a_final_form_lands_in_the_xlsx_workbook_and_nothing_else_changes(session, sync, backend, people,
                                                                         bank_road, demo):
    sync()
    before = {tab: _cells(bank_road.rows(tab)) for tab in ("Action plan", "Impact log", "SIP priorities")}
    _finish_a_visit(session, people)
    results = drain(session, backend)
    assert sorted(r.state for r in results) == ["done", "done"]
    after = {tab: _cells(bank_road.rows(tab)) for tab in before}
    assert after["SIP priorities"] == before["SIP priorities"]
    assert after["Impact log"][:-1] == before["Impact log"] and after["Impact log"][-1] == EXPECTED_LOG
    header = after["Action plan"][0]
    impact, updated = header.index("Impact to date"), header.index("Last updated")
    changed = [(r, c) for r, (old, new) in enumerate(zip(before["Action plan"], after["Action plan"]))
               for c, (a, b) in enumerate(zip(old, new)) if a != b]
    row = next(i for i, r in enumerate(after["Action plan"]) if r[0] == "BR-A001")
    assert set(changed) == {(row, impact), (row, updated)}
    assert after["Action plan"][row][impact] == impact_now(demo)
    book = load_workbook(bank_road.path)
    assert book["Impact log"].cell(len(after["Impact log"]), 2).is_date  # the Date lands as a date cell
    results, _ = sync()
    assert results["BR"].ok and actions(session, "BR")["BR-A001"].impact_to_date == impact_now(demo)
    assert session.query(ImpactEntry).filter_by(sheet_id="BR-I005").one().archived_at is None


def test_a_final_form_lands_in_the_stand_in_through_gspread_and_nothing_else_changes(session, gsync,
                                                                                    google_backend, emulator,
                                                                                    people, demo):
    gsync()
    before = {tab: emulator.store.rows(BR, tab) for tab in ("Action plan", "Impact log", "SIP priorities")}
    _finish_a_visit(session, people)
    results = drain(session, google_backend)
    assert sorted(r.state for r in results) == ["done", "done"]
    after = {tab: emulator.store.rows(BR, tab) for tab in before}
    assert after["SIP priorities"] == before["SIP priorities"]
    # Google shows a date in the form it was typed in: the en_GB sheet's own, dd/mm/yyyy.
    landed = [EXPECTED_LOG[0], f"{EVENT_DAY:%d/%m/%Y}", *EXPECTED_LOG[2:]]
    assert after["Impact log"][:-1] == before["Impact log"] and after["Impact log"][-1] == landed
    header = after["Action plan"][0]
    impact, updated = header.index("Impact to date"), header.index("Last updated")
    changed = {(r, c) for r, (old, new) in enumerate(zip(before["Action plan"], after["Action plan"]))
               for c in range(max(len(old), len(new)))
               if (old[c] if c < len(old) else "") != (new[c] if c < len(new) else "")}
    row = next(i for i, r in enumerate(after["Action plan"]) if r[0] == "BR-A001")
    assert changed == {(row, impact), (row, updated)}
    assert after["Action plan"][row][impact] == impact_now(demo)


def test_a_linked_row_changed_in_the_sheet_meanwhile_is_a_conflict_as_any_edit(session, gsync, google_backend,
                                                                               emulator, people):
    gsync()
    _finish_a_visit(session, people)
    rows = emulator.store.rows(BR, "Action plan")
    col = rows[0].index("Impact to date")
    emulator.store.edit(BR, "Action plan", 2, col + 1, "Typed in the sheet meanwhile")
    results = {r.sheet_id: r.state for r in drain(session, google_backend)}
    assert results == {"BR-I005": "done", "BR-A001": "conflict"}
    assert session.query(OutboxEntry).filter_by(sheet_id="BR-A001").one().sheet_values["impact_to_date"] == \
        "Typed in the sheet meanwhile"


def test_two_confirmations_at_the_same_moment_make_the_form_final(session, sync, people):
    from sqlalchemy.orm import Session

    sync()
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    host, visitor = people["br_staff"], people["wl_head"]
    session.commit()
    changes = rules.content(form)
    with Session(session.get_bind()) as other:
        seen_by_visitor = other.get(type(form), form.id)  # the visitor's page, read before the host confirms
        assert seen_by_visitor.state == rules.DRAFT
        rules.submit(session, form.id, host, "Jo Teacher", changes, form.version, confirming=True)
        visitor_there = other.get(type(visitor), visitor.id)
        form_now, _ = rules.submit(other, form.id, visitor_there, "Sally Beardsley", changes,
                                   seen_by_visitor.version, confirming=True)
        assert form_now.state == rules.FINAL
    session.expire_all()
    assert {c.side for c in session.get(type(form), form.id).confirmations} == {rules.HOST, rules.VISITOR}
    assert session.query(ImpactEntry).filter_by(summary="Safeguarding QA visit by WL.").count() == 1


def test_a_refused_confirmation_keeps_what_was_written(session, sync, people):
    sync()
    event = make_event(session)
    form = rules.start(session, event, "Jo Teacher")
    session.commit()
    with pytest.raises(rules.NotAllowed, match="a summary"):
        rules.submit(session, form.id, people["br_staff"], "Jo Teacher",
                     rules.Changes("", ["Calm site"], [], [], ""), form.version, confirming=True)
    session.expire_all()
    assert session.get(type(form), form.id).strengths == ["Calm site"] and form.confirmations == []


@pytest.mark.parametrize("host", ["BR", "Bank Road Infant and Nursery School", "  bank road infant AND nursery school.",
                                  "Bank Road Infant & Nursery School"])
def test_a_host_given_by_name_gets_its_form_confirmed_as_one_given_by_code(session, sync, partnership, people, host):
    from sqlalchemy import select

    from domain.models import CalendarEvent

    from .test_calendar_sync import CALENDAR_HEADER, _replace_tab

    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [EVENT_DAY, "9:00-12:00", "QA visit - safeguarding", "Safeguarding", host, "WL", "", "", ""],
    ]))
    sync()
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.archived_at.is_(None)))
    assert rules.host_code(event) == "BR" and rules.host_problem(session, event) is None
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    assert rules.confirm(session, form, event, people["br_staff"], "Jo Teacher") == rules.AWAITING
    assert rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley") == rules.FINAL
    assert session.get(ImpactEntry, form.impact_entry_id).workbook.code == "BR"


def test_a_host_no_school_answers_to_is_said_on_confirming_not_a_missing_workbook(session, sync, people):
    sync()
    event = make_event(session, host_school="Bank Rd Juniors", host_code="Bank Rd Juniors")
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    assert "‘Bank Rd Juniors’, which is neither the code nor the name" in rules.host_problem(session, event)
    with pytest.raises(rules.NotAllowed, match="a host school the partnership knows"):
        rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley")
    assert form.state == rules.DRAFT and session.query(ImpactEntry).filter_by(
        summary="Safeguarding QA visit by WL.").count() == 0


def test_a_host_named_one_plural_apart_from_another_school_gets_its_own_impact_log(session, sync, partnership,
                                                                                    people):
    from sqlalchemy import select

    from domain.models import CalendarEvent

    from .test_calendar_sync import CALENDAR_HEADER, _replace_tab

    partnership.edit("Schools", lambda sheet: setattr(sheet.cell(3, 2), "value", "Bank Road Infant and Nursery Schools"))
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [EVENT_DAY, "9:00-12:00", "QA visit - safeguarding", "Safeguarding",
         "Bank Road Infant and Nursery School", "WL", "", "", ""],
    ]))
    sync()
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.archived_at.is_(None)))
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    assert rules.confirm(session, form, event, people["br_staff"], "Jo Teacher") == rules.AWAITING
    assert rules.confirm(session, form, event, people["wl_head"], "Sally Beardsley") == rules.FINAL
    assert session.get(ImpactEntry, form.impact_entry_id).workbook.code == "BR"


def test_a_form_whose_host_has_left_the_partnership_says_so_and_is_not_confirmed(session, sync, partnership, people):
    sync()
    event = make_event(session, host_school="William Lilley Infant and Nursery School", host_code="WL",
                       invited_schools="BR", invited_codes=["BR"])
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    session.commit()
    partnership.edit("Schools", lambda s: s.delete_rows(3))
    sync()
    session.expire_all()
    assert rules.host_problem(session, event) == ("The host school, William Lilley Infant and Nursery School (WL), "
                                                  "has left the partnership, so this form has no impact log to go to.")
    with pytest.raises(rules.NotAllowed, match="has left the partnership"):
        rules.confirm(session, form, event, people["br_staff"], "Jo Teacher")
    assert form.state == rules.DRAFT


def test_a_host_cell_that_could_be_two_schools_sends_the_form_to_neither(session, sync, partnership, people):
    from sqlalchemy import select

    from domain.models import CalendarEvent

    from .test_calendar_sync import CALENDAR_HEADER, _replace_tab

    partnership.edit("Schools", lambda sheet: setattr(sheet.cell(3, 2), "value", "BR"))  # WL named as BR's code
    partnership.edit("Schools", _replace_tab("Calendar", [
        CALENDAR_HEADER,
        [EVENT_DAY, "9:00-12:00", "QA visit - safeguarding", "Safeguarding", "br", "WL", "", "", ""],
    ]))
    sync()
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.archived_at.is_(None)))
    assert "could be Bank Road Infant and Nursery School (BR) or BR (WL)" in rules.host_problem(session, event)
    form = rules.start(session, event, "Jo Teacher")
    fill(session, form)
    with pytest.raises(rules.NotAllowed):  # Bank Road is not the host by default
        rules.confirm(session, form, event, people["br_staff"], "Jo Teacher")
    assert form.confirmations == [] and session.query(ImpactEntry).filter_by(
        summary="Safeguarding QA visit by WL.").count() == 0
