"""Terms and who may do what on the calendar."""
from datetime import date
from types import SimpleNamespace

from domain.access import can_add_events, can_manage_event, can_reply_to_events
from domain.calendar import next_term, term_named, term_of


def test_terms():
    today = term_of(date(2026, 12, 1))
    assert (today.name, today.start, today.end) == ("Autumn 2026", date(2026, 9, 1), date(2026, 12, 31))
    assert next_term(today).name == "Spring 2027" and next_term(next_term(today)).name == "Summer 2027"
    assert term_named("spring-2027") == next_term(today)
    assert term_named("winter-2027") is None and term_named("nonsense") is None


def _user(role, school_id=None):
    return SimpleNamespace(role=role, school_id=school_id)


def test_who_may_add_manage_and_reply():
    host = SimpleNamespace(id=1)
    assert can_add_events(_user("admin")) and can_add_events(_user("head", 1))
    assert not can_add_events(_user("staff", 1)) and not can_add_events(_user("governor", 1))
    assert can_manage_event(_user("head", 1), host) and can_manage_event(_user("admin"), host)
    assert not can_manage_event(_user("head", 2), host) and not can_manage_event(_user("staff", 1), host)
    assert not can_manage_event(_user("head", 1), None)
    assert can_reply_to_events(_user("staff", 1)) and not can_reply_to_events(_user("governor", 1))


def test_a_schools_name_is_compared_without_case_spacing_or_punctuation_but_with_its_plurals():
    from domain.calendar import school_key
    assert school_key("St Mary & St John's C of E") == school_key("st. mary and st johns  c of e")
    assert school_key("Ash Grove Primary") == school_key("Ashgrove primary")
    assert school_key("Oak Primary School") != school_key("Oaks Primary School")
    assert school_key("Highfields Academy") != school_key("Highfield Academy")
