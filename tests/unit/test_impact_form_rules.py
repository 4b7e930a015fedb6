"""The impact form's rules without a database: lists, the ratio, who writes and confirms."""
from types import SimpleNamespace as NS

from domain import impact_forms as rules
from domain.leaders import NOBODY, Leaders, Named, Person, named_in
from domain.text import person_key


def event(**kw):
    values = dict(type="Quality assurance visit: safeguarding", category="visit", host_code="BR",
                  host_school="BR", invited_codes=["WL"], lead="Carole Clemens", focus="Safeguarding",
                  workbook=NS(is_current=True, school_year=2026))  # of the current year, unless a test says
    values.update(kw)
    return NS(**values)


def person(role, code=None, name="Someone", email="someone@x.school", id=1):
    return NS(role=role, school=NS(code=code) if code else None, name=name, email=email, id=id)


def test_points_lose_their_bullets_and_blank_lines():
    assert rules.items_from_text("• Strong phonics\n\n- Calm corridors\n3) Clear\n   ") == [
        "Strong phonics", "Calm corridors", "Clear"]
    assert rules.bullet_lines(["Strong phonics", "Calm corridors"]) == "• Strong phonics\n• Calm corridors"


def test_the_ratio_in_words_and_when_it_is_far_from_three_to_one():
    assert rules.ratio(["a", "b", "c"], ["d"]).text == "3 strengths to 1 area to develop"
    assert rules.ratio(["a"], ["d", "e"]).text == "1 strength to 2 areas to develop"
    assert not rules.ratio(["a", "b", "c"], ["d"]).far
    assert not rules.ratio(["a", "b", "c", "d", "e", "f"], ["x", "y"]).far  # 3 to 1 as 6 to 2
    assert not rules.ratio([], []).far  # nothing written yet: nothing to say
    one_to_one = rules.ratio(["a"], ["d"])
    assert one_to_one.far and "Fewer strengths" in one_to_one.advice
    no_area = rules.ratio(["a", "b", "c"], [])
    assert no_area.far and "No area to develop" in no_area.advice
    assert rules.ratio(list("abcdef"), ["x"]).far  # 6 to 1


def test_a_network_is_completed_by_its_leader_the_host_head_or_a_coordinator():
    network = event(type="Subject network", category="network", focus="Writing", host_code="WL",
                    invited_codes=["*"], lead="Jo Teacher, English.Lead@wl.school")
    leaders = Leaders(people=(Person(7, "Jo Teacher", "BR"), Person(8, "Pat", "WL")))  # as domain/leaders matched them
    assert rules.can_complete(person("staff", "BR", name="Jo Teacher", id=7), network, leaders)
    assert rules.can_complete(person("staff", "WL", name="Pat", id=8), network, leaders)
    # Named like the leader, but another account: a name decides nothing.
    assert not rules.can_complete(person("staff", "WL", name="Jo Teacher", id=9), network, leaders)
    assert rules.can_complete(person("head", "WL"), network, leaders)
    assert rules.can_complete(person("head", "WL"), network, NOBODY)  # no leader matched: the host's head
    assert not rules.can_complete(person("head", "BR"), network, leaders)  # an invited head is not its leader
    assert not rules.can_complete(person("staff", "WL"), network, leaders)
    assert rules.can_complete(person("admin"), network, NOBODY)
    assert not rules.can_complete(person("governor", "WL", name="Jo Teacher", id=7), network, leaders)
    assert rules.side_of(person("admin"), network, NOBODY) == rules.LEADER
    assert rules.sides_needed(network) == (rules.LEADER,)


def test_no_one_writes_the_form_of_an_event_of_a_year_that_is_over_and_its_writers_still_read_it():
    network = event(type="Subject network", category="network", host_code="WL", invited_codes=["*"],
                    workbook=NS(is_current=False, school_year=2026))
    leaders = Leaders(people=(Person(7, "Jo Teacher", "BR"),))
    leader, coordinator = person("staff", "BR", name="Jo Teacher", id=7), person("admin")
    assert not rules.can_complete(leader, network, leaders) and not rules.can_complete(coordinator, network, NOBODY)
    assert rules.can_read(leader, network, leaders)  # the draft they wrote, as it stood
    assert rules.side_of(coordinator, network, NOBODY) is None
    assert rules.why_not_complete(leader, network).startswith(
        "This event was in the 2026 to 2027 school year, which is over")


def test_a_lead_cell_gives_names_and_addresses_compared_past_case_spaces_and_width():
    assert named_in("Jo  Teacher, English.Lead@wl.school; Sam <sam@br.school> and Ann / Bo & Cy\nDee") == [
        Named("Jo Teacher", False), Named("English.Lead@wl.school", True), Named("sam@br.school", True),
        Named("Ann", False), Named("Bo", False), Named("Cy", False), Named("Dee", False)]
    assert named_in("") == named_in(None) == [] and named_in(" , ;") == []
    assert person_key("  JO   Teacher ") == person_key("jo teacher") == person_key("ＪＯ Teacher")  # full-width letters
    assert person_key("STRASSE") == person_key("straße")  # case folded, not only lowered


def test_a_visit_is_confirmed_by_the_host_and_a_visiting_school():
    visit = event()
    assert rules.side_of(person("staff", "BR"), visit, NOBODY) == rules.HOST
    assert rules.side_of(person("head", "WL"), visit, NOBODY) == rules.VISITOR
    assert rules.side_of(person("head", "XY"), visit, NOBODY) is None
    assert not rules.can_complete(person("head", "XY"), visit, NOBODY)
    assert rules.side_of(person("admin"), visit, NOBODY) is None  # writes it, confirms for no school
    assert rules.can_complete(person("admin"), visit, NOBODY)
    assert rules.sides_needed(visit) == (rules.HOST, rules.VISITOR)
    everyone = event(invited_codes=["*"])
    assert rules.side_of(person("staff", "XY"), everyone, NOBODY) == rules.VISITOR
    assert "Governors" in rules.why_not_complete(person("governor", "BR"), visit)


def test_the_kind_comes_from_the_calendar_or_the_words_of_the_type():
    assert rules.event_kind(event(category="network")) == rules.NETWORK
    assert rules.event_kind(event(category="", type="Subject review")) == rules.VISIT
    assert rules.event_kind(event(category="", type="Attendance network")) == rules.NETWORK


def test_a_form_is_for_after_the_event_and_not_for_a_cancelled_one():
    from datetime import date

    on = event(date=date(2026, 12, 3), status="Confirmed")
    assert "from 3 Dec 2026" in rules.why_not_yet(on, today=date(2026, 12, 2))
    assert rules.why_not_yet(on, today=date(2026, 12, 3)) is None  # on the day itself
    assert "cancelled" in rules.why_not_yet(event(date=date(2026, 11, 1), status="Cancelled"), today=date(2026, 12, 2))
