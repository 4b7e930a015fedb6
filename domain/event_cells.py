"""The Calendar and RSVP tabs' cells as people type them, turned into what the hub stores.

The event types come from the collaboration's visits policy (seed 000): subject
networks, other networks (attendance, business managers, heads, deputies, year
groups), subject review visits and quality assurance visits (behaviour,
attendance, safeguarding). A known spelling is stored in the policy's words; any
other type is kept as written and said once as a sheet problem. Nothing here
touches a database or a sheet.
"""
import re
from datetime import time

from .themes import theme_key

NETWORK, VISIT = "network", "visit"

# The policy's types, in its order, and what kind of activity each is.
TYPES = {
    "Subject network": NETWORK,
    "Attendance network": NETWORK,
    "Business managers network": NETWORK,
    "Headteachers network": NETWORK,
    "Deputy headteachers network": NETWORK,
    "Year group network": NETWORK,
    "Subject review visit": VISIT,
    "Quality assurance visit: behaviour": VISIT,
    "Quality assurance visit: attendance": VISIT,
    "Quality assurance visit: safeguarding": VISIT,
}
_QA = "Quality assurance visit"

# Other spellings schools use, by the words that are compared (theme_key: case, spaces,
# punctuation and plurals set aside).
_SPELLINGS = {
    "Subject network": ("subject networks", "subject network meeting", "subject leader network",
                        "subject leaders network"),
    "Attendance network": ("attendance networks", "attendance leads network", "attendance officers network"),
    "Business managers network": ("business manager network", "sbm network", "school business managers network",
                                  "bursars network"),
    "Headteachers network": ("heads network", "headteacher network", "head teachers network",
                             "heads meeting", "headteachers meeting", "heads"),
    "Deputy headteachers network": ("deputies network", "deputy heads network", "deputy head network",
                                    "dht network", "deputy headteacher network", "deputies"),
    "Year group network": ("year group networks", "year group teachers network", "year group teacher network",
                           "year groups network"),
    "Subject review visit": ("subject review", "subject reviews", "subject review visits", "subject deep dive"),
    "Quality assurance visit: behaviour": ("qa visit behaviour", "qa behaviour", "behaviour qa",
                                           "quality assurance behaviour", "behaviour qa visit",
                                           "quality assurance visit behaviour"),
    "Quality assurance visit: attendance": ("qa visit attendance", "qa attendance", "attendance qa",
                                            "quality assurance attendance", "attendance qa visit",
                                            "quality assurance visit attendance"),
    "Quality assurance visit: safeguarding": ("qa visit safeguarding", "qa safeguarding", "safeguarding qa",
                                              "quality assurance safeguarding", "safeguarding qa visit",
                                              "quality assurance visit safeguarding"),
}
# The policy's general words, for an event that names no subject or focus: known, so
# not a sheet problem, but not one of the types the calendar form offers.
_GENERAL = {
    "Network": (NETWORK, ("network", "networks", "network meeting", "network meetings", "cluster network")),
    _QA: (VISIT, ("qa", "qa visit", "qa visits", "quality assurance", "quality assurance visits",
                  "quality assurance visit")),
}
_CATEGORIES = {**TYPES, **{name: category for name, (category, _) in _GENERAL.items()}}
# Every spelling keyed as it is compared: theme_key on both sides, never a literal.
_KNOWN = {theme_key(name): name for name in _CATEGORIES}
_KNOWN.update({theme_key(s): name for name, spellings in _SPELLINGS.items() for s in spellings})
_KNOWN.update({theme_key(s): name for name, (_, spellings) in _GENERAL.items() for s in spellings})
_VISIT_WORDS = re.compile(r"\b(visit|review|quality assurance|qa)\b", re.IGNORECASE)
_NETWORK_WORDS = re.compile(r"\bnetworks?\b", re.IGNORECASE)

STATUSES = ("Planned", "Confirmed", "Cancelled", "Postponed")
_STATUS_SPELLINGS = {"canceled": "Cancelled", "off": "Cancelled", "confirmed": "Confirmed", "booked": "Confirmed",
                     "planned": "Planned", "provisional": "Planned", "tbc": "Planned", "postponed": "Postponed",
                     "moved": "Postponed"}


def normalise_type(text):
    """(type, category, known): the policy's words for a known spelling, else as written.

    Category is "network", "visit" or "" (unknown): a visit's page shows the
    visitor checklist; an unknown type ending in "network" is a network."""
    text = " ".join(str(text or "").split())
    name = _KNOWN.get(theme_key(text))
    if name:
        return name, _CATEGORIES[name], True
    if _NETWORK_WORDS.search(text):
        return text, NETWORK, False
    if _VISIT_WORDS.search(text):
        return text, VISIT, False
    return text, "", False


def normalise_event_status(text):
    """Planned, Confirmed, Cancelled or Postponed for their usual spellings; else as written."""
    text = " ".join(str(text or "").split())
    for status in STATUSES:
        if text.lower() == status.lower():
            return status
    return _STATUS_SPELLINGS.get(text.lower(), text)


# -- times: "09:00", "9am", "9.30-12.00", "1:15pm – 3:30pm" -----------------------------

_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(?P<a>[\d:.]+\s*(?:am|pm|a\.m\.|p\.m\.)?)\s*(?:(?:-|–|—|to|until|till)\s*"
                    r"(?P<b>[\d:.]+\s*(?:am|pm|a\.m\.|p\.m\.)?))?\s*$", re.IGNORECASE)


def _clock(text, after=None):
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half.startswith("p") and hour < 12:
        hour += 12
    elif half.startswith("a") and hour == 12:
        hour = 0
    elif not half and after is None and hour < 7:
        hour += 12  # "1-3" in a school day is the afternoon
    if after is not None and not half and hour < after.hour and hour + 12 < 24:
        hour += 12  # "1:15-3" : the end is after the start
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_times(text):
    """(start, end) from a Time cell, either None; (None, None) for no time or words
    ("AM", "all day"): the event is then a whole-day one."""
    match = _RANGE.match(str(text or ""))
    if not match or not re.search(r"\d", match.group("a")):
        return None, None
    start = _clock(match.group("a"))
    if start is None:
        return None, None
    end = _clock(match.group("b"), after=start) if match.group("b") else None
    if end is not None and end <= start:
        end = None
    return start, end


# -- school lists: "BR, CH and HT", "All schools" ----------------------------------------

ALL_SCHOOLS = "*"
_SPLIT = re.compile(r"\s*(?:,|;|/|\n|&|\band\b|\+)\s*", re.IGNORECASE)
_CODE_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}")
_ALL = {"all", "all schools", "everyone", "all partner schools", "all members", "all member schools"}


def school_code(text):
    """A school as a cell names it: a code-like word in capitals, else the name as written."""
    text = " ".join(str(text or "").split())
    return text.upper() if _CODE_LIKE.fullmatch(text) and len(text) <= 8 else text


_HARD_SPLIT = re.compile(r"\s*(?:,|;|/|\n)\s*")  # never inside a school's name


def school_parts(text):
    """The schools a cell lists, each as written, in groups split at commas, semicolons,
    slashes and lines; each group as [the whole, its parts at '&', 'and' or '+']:
    'BR & WL, Bank Road Infant and Nursery School' -> [['BR & WL', 'BR', 'WL'],
    ['Bank Road Infant and Nursery School', 'Bank Road Infant', 'Nursery School']]. A name
    with 'and' in it is a whole; a list joined with 'and' is its parts (the caller knows
    which, from the schools). [['*']] for 'All schools'."""
    text = " ".join(str(text or "").replace("\n", ", ").split(" "))
    if text.strip().lower() in _ALL:
        return [[ALL_SCHOOLS]]
    groups = []
    for group in _HARD_SPLIT.split(text):
        whole = " ".join(group.split())
        if whole:
            parts = [" ".join(p.split()) for p in _SPLIT.split(whole) if p.strip()]
            groups.append([whole] + (parts if len(parts) > 1 else []))
    return groups


def school_list(text):
    """['BR', 'CH'] from 'BR, CH'; ['*'] for 'All schools'; names kept as written."""
    text = " ".join(str(text or "").replace("\n", ", ").split(" "))
    if text.strip().lower() in _ALL:
        return [ALL_SCHOOLS]
    codes = []
    for part in _SPLIT.split(text):
        code = school_code(part)
        if code and code not in codes:
            codes.append(code)
    return codes


def clean_event_row(values, raw, report, known_objectives):
    """A Calendar row: its type in the policy's words, its times and schools parsed."""
    written = values.get("type", "")
    values["type"], values["category"], known = normalise_type(written)
    if written and not known:
        report.problem("type", f"'{written}' is not one of the policy's event types; it is shown as written.",
                       "Use one of: " + ", ".join(TYPES) + ".")
    values["status"] = normalise_event_status(values.get("status", ""))
    values["start_time"], values["end_time"] = parse_times(values.get("time", ""))
    values["host_code"] = school_code(values.get("host_school", ""))
    values["invited_codes"] = school_list(values.get("invited_schools", ""))


# -- replies ------------------------------------------------------------------------------

CONFIRMED, DECLINED = "Confirmed", "Declined"
_REPLIES = {
    CONFIRMED: ("confirmed", "confirm", "yes", "y", "coming", "attending", "accepted", "accept", "going"),
    DECLINED: ("declined", "decline", "no", "n", "not coming", "not attending", "apologies", "can't come",
               "cannot come", "sorry"),
}
_REPLY_KEYS = {theme_key(s): reply for reply, spellings in _REPLIES.items() for s in spellings}
_EMAIL = re.compile(r"[^\s<>(),;]+@[^\s<>(),;]+\.[^\s<>(),;]+")


def normalise_reply(text):
    """'Confirmed', 'Declined', '' (not answered yet) or the words as written."""
    text = " ".join(str(text or "").split())
    return _REPLY_KEYS.get(theme_key(text), text) if text else ""


def person_cell(name, email):
    """What the RSVP tab's Person cell holds: 'Ann Smith <ann@school.org>'."""
    return f"{name} <{email}>" if name else email


def email_in(text):
    """The e-mail address in a Person cell, lower case; "" if it has none."""
    match = _EMAIL.search(str(text or ""))
    return match.group(0).lower() if match else ""


def clean_reply_row(values, raw, report, known_objectives):
    """An RSVP row: its reply in two words, the person's e-mail, the school's code."""
    written = values.get("reply", "")
    values["reply"] = normalise_reply(written)
    if values["reply"] not in ("", CONFIRMED, DECLINED):
        report.problem("reply", f"'{written}' is neither Confirmed nor Declined; it is shown as written.",
                       "Type Confirmed or Declined (or leave it blank: not answered yet).")
    values["event_ref"] = " ".join(values.get("event_ref", "").split()).upper()  # j-e004 typed is J-E004
    values["email"] = email_in(values.get("person", ""))
    values["school"] = school_code(values.get("school", ""))
