"""The impact form's rules without a database: lists, the ratio, who writes and confirms."""
from types import SimpleNamespace as NS

from domain import impact_forms as rules


def event(**kw):
    values = dict(type="Quality assurance visit: safeguarding", category="visit", host_code="BR",
                  host_school="BR", invited_codes=["WL"], lead="Carole Clemens", focus="Safeguarding")
    values.update(kw)
    return NS(**values)


def person(role, code=None, name="Someone", email="someone@x.school"):
    return NS(role=role, school=NS(code=code) if code else None, name=name, email=email, id=1)


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
    assert rules.can_complete(person("staff", "BR", name="Jo  teacher"), network)  # the Lead, by name
    assert rules.can_complete(person("staff", "WL", name="Pat", email="english.lead@wl.school"), network)  # by e-mail
    assert rules.can_complete(person("head", "WL"), network)
    assert not rules.can_complete(person("head", "BR"), network)  # an invited head is not its leader
    assert not rules.can_complete(person("staff", "WL"), network)
    assert rules.can_complete(person("admin"), network)
    assert not rules.can_complete(person("governor", "WL", name="Jo Teacher"), network)
    assert rules.side_of(person("admin"), network) == rules.LEADER
    assert rules.sides_needed(network) == (rules.LEADER,)


def test_a_visit_is_confirmed_by_the_host_and_a_visiting_school():
    visit = event()
    assert rules.side_of(person("staff", "BR"), visit) == rules.HOST
    assert rules.side_of(person("head", "WL"), visit) == rules.VISITOR
    assert rules.side_of(person("head", "XY"), visit) is None and not rules.can_complete(person("head", "XY"), visit)
    assert rules.side_of(person("admin"), visit) is None  # writes it, confirms for no school
    assert rules.can_complete(person("admin"), visit)
    assert rules.sides_needed(visit) == (rules.HOST, rules.VISITOR)
    everyone = event(invited_codes=["*"])
    assert rules.side_of(person("staff", "XY"), everyone) == rules.VISITOR
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
