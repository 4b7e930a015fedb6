"""How the Calendar and RSVP tabs' cells are read."""
from datetime import time

import pytest

from domain.event_cells import normalise_reply, normalise_type, parse_times, school_list


@pytest.mark.parametrize("written, expected", [
    ("subject networks", ("Subject network", "network", True)),
    ("Heads network", ("Headteachers network", "network", True)),
    ("DHT network", ("Deputy headteachers network", "network", True)),
    ("SBM network", ("Business managers network", "network", True)),
    ("Year-group teachers network", ("Year group network", "network", True)),
    ("Subject review", ("Subject review visit", "visit", True)),
    ("QA visit (behaviour)", ("Quality assurance visit: behaviour", "visit", True)),
    ("Safeguarding QA", ("Quality assurance visit: safeguarding", "visit", True)),
    ("quality assurance visit - attendance", ("Quality assurance visit: attendance", "visit", True)),
    ("QA visit", ("Quality assurance visit", "visit", True)),  # compared as the table keys it
    ("qa visit", ("Quality assurance visit", "visit", True)),
    ("Q.A. visits", ("Quality assurance visit", "visit", True)),
    ("Network", ("Network", "network", True)),
    ("network meeting", ("Network", "network", True)),
    ("Early Years network", ("Early Years network", "network", False)),  # kept as written
    ("Moderation", ("Moderation", "", False)),
])
def test_known_spellings_take_the_policys_words_and_others_stay_as_written(written, expected):
    assert normalise_type(written) == expected


@pytest.mark.parametrize("written, expected", [
    ("09:00-12:00", (time(9), time(12))),
    ("9am - 12pm", (time(9), time(12))),
    ("1.15pm – 3.30pm", (time(13, 15), time(15, 30))),
    ("1:15-3", (time(13, 15), time(15))),
    ("13:30", (time(13, 30), None)),
    ("AM", (None, None)),
    ("", (None, None)),
    ("25:00", (None, None)),
])
def test_times(written, expected):
    assert parse_times(written) == expected


def test_school_lists():
    assert school_list("br, WL and CH") == ["BR", "WL", "CH"]
    assert school_list("All schools") == ["*"]
    assert school_list("Bank Road Primary; WL") == ["Bank Road Primary", "WL"]


def test_replies():
    assert normalise_reply("Yes") == "Confirmed"
    assert normalise_reply("apologies") == "Declined"
    assert normalise_reply("") == ""
    assert normalise_reply("Maybe") == "Maybe"
