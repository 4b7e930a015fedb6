"""The status vocabulary of the contract, and the spellings people really type."""
import re

NOT_STARTED = "Not started"
ON_TRACK = "On track"
AT_RISK = "At risk"
BEHIND = "Behind"
COMPLETE = "Complete"

STATUSES = (NOT_STARTED, ON_TRACK, AT_RISK, BEHIND, COMPLETE)

_SPELLINGS = {
    "notstarted": NOT_STARTED,
    "notyetstarted": NOT_STARTED,
    "ontrack": ON_TRACK,
    "green": ON_TRACK,
    "g": ON_TRACK,
    "atrisk": AT_RISK,
    "amber": AT_RISK,
    "a": AT_RISK,
    "behind": BEHIND,
    "red": BEHIND,
    "r": BEHIND,
    "complete": COMPLETE,
    "completed": COMPLETE,
    "done": COMPLETE,
}

# The chip each status wears on a page; RAG colours plus words, never colour alone.
CHIPS = {
    NOT_STARTED: "not-started",
    ON_TRACK: "green",
    AT_RISK: "amber",
    BEHIND: "red",
    COMPLETE: "complete",
}


def normalise_status(text):
    """Return ``(status, known)``: the vocabulary word, or the text as written.

    Blank is Not started's absence, not a problem: it stays blank and known.
    """
    cleaned = (text or "").strip()
    if not cleaned:
        return "", True
    key = re.sub(r"[^a-z]", "", cleaned.lower())
    if key in _SPELLINGS:
        return _SPELLINGS[key], True
    return cleaned, False


def chip(status):
    """CSS modifier for a status chip; unknown statuses get their own look."""
    if not status:
        return "none"
    return CHIPS.get(status, "unknown")


# How bad a status is, for "did this row get worse since the last review?". Complete and
# On track say nothing is wrong; so do Not started and a blank status (no one has said
# otherwise), so a row moving from them to At risk or Behind got worse. A status as
# written that is none of the vocabulary ("Paused") has no rank: a move to or from it
# is shown as a change, never counted as worse, since the hub cannot tell.
_BADNESS = {COMPLETE: 0, ON_TRACK: 0, NOT_STARTED: 0, "": 0, AT_RISK: 1, BEHIND: 2}


def is_worse(before, after):
    """Did a row's status get worse from ``before`` to ``after``? (Behind is worse than
    At risk, which is worse than On track, Complete, Not started or blank.)"""
    was, now = _BADNESS.get(normalise_status(before)[0]), _BADNESS.get(normalise_status(after)[0])
    return was is not None and now is not None and now > was
