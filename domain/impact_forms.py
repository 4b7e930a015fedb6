"""Impact forms after networks and visits (seed 000, the visits policy), without Flask.

After a network its leader completes the network impact form; after a QA visit or a
subject review the host and the visiting staff complete it together, and each side
confirms it before it is final. Strengths and areas to develop are lists; the policy
asks for about three strengths to one area, which the form says when it is far off,
never blocking. A final form is appended to the host school's Impact log tab through
the outbox and may add to the chosen action rows' Impact to date through the
write-back (domain.edits), so conflicts behave as any edit's.

Only final forms count as evidence: the host's summaries (``finished_for_school``) and
the directory of who is strong at what (``strength_directory``, ``who_could_help``).
"""
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from . import dates, kept, scope, years
from .access import IMPACT_FORM_GOVERNOR_REFUSAL, can_write_impact_forms, heads_school, writes_any_impact_form
from .calendar import Schools
from .dates import uk
from .edits import add_impact_entry, edit_action_row, editable_values
from .leaders import leaders_for
from .models import (
    ActionRow,
    CalendarEvent,
    ImpactEntry,
    ImpactForm,
    ImpactFormConfirmation,
    School,
    Workbook,
    utcnow,
)
from .plans import SchoolChoice
from .priorities import group_theme, theme_list
from .themes import main_words, theme_key, why_same

NETWORK, VISIT = "network", "visit"
DRAFT, AWAITING, FINAL = "draft", "awaiting", "final"
STATE_NAMES = {DRAFT: "Draft", AWAITING: "Awaiting confirmation", FINAL: "Final"}
HOST, VISITOR, LEADER = "host", "visitor", "leader"
SIDE_NAMES = {HOST: "the host school", VISITOR: "the visiting school", LEADER: "the network leader"}
BULLET = "• "
# The policy's "approximately 3 areas of strength to approximately 1 area to develop":
# between two and four strengths to each area reads as about three to one.
ABOUT_LOW, ABOUT_HIGH = 2, 4
MAX_ITEMS = 30  # a form's list is a grid of a few points, not a document

_LEADING_MARK = re.compile(r"^\s*(?:[•*\-–·]|\d+[.)])\s*")
_VISIT_WORDS = re.compile(r"\b(visit|review|quality assurance|qa)\b", re.IGNORECASE)


# -- the event, as this module reads it ----------------------------------------------

def event_kind(event):
    """network (the leader completes the form) or visit (host and visitor confirm): the
    calendar's category, else the type's words."""
    category = getattr(event, "category", "") or ""
    if category in (NETWORK, VISIT):
        return category
    return VISIT if _VISIT_WORDS.search(event.type or "") else NETWORK


def host_code(event):
    """The host school's code as the calendar read it ("" if none). The sync resolves the
    Host school cell to one member school's code, by code or by name (sync/reconcile.py
    resolve_hosts); a cell naming no school is kept as written, and is a sheet problem."""
    return (getattr(event, "host_code", "") or "").strip().upper()


ALL_SCHOOLS = "*"  # the calendar's invited_codes for "all schools"


def invited_codes(event):
    """The invited (visiting) schools' codes, the host left out; ["*"] for all schools."""
    host = host_code(event)
    # The sync resolved each to its school's code; a text that could be two schools is kept
    # as written, not in capitals, so that it is no school's code (sync/reconcile.py).
    return [c.strip() for c in dict.fromkeys(getattr(event, "invited_codes", None) or [])
            if c.strip() and c.strip() != host]


def is_invited(code, event):
    """Is this school one of the event's visitors (named, or "all schools")?"""
    codes = invited_codes(event)
    return bool(code) and code != host_code(event) and (code in codes or ALL_SCHOOLS in codes)


# -- who does what --------------------------------------------------------------------

def _school_code(user):
    return user.school.code if getattr(user, "school", None) is not None else ""


def can_complete(user, event, leaders):
    """May this person write the event's impact form? Never governors, and no one once
    the event's school year is over. A network's form: its leader (a person the Lead cell
    was matched to, ``leaders``: domain/leaders.py), the host school's head, a
    coordinator. A visit's: staff and heads of the host and the visiting schools, and
    coordinators."""
    # A year that is over: finishing its form now would put last year's evidence in this year's log.
    return not years.is_over(event) and _writes_for(user, event, leaders)


def _writes_for(user, event, leaders):
    if not can_write_impact_forms(user):
        return False
    if writes_any_impact_form(user):
        return True
    code = _school_code(user)
    if event_kind(event) == NETWORK:
        return leaders.includes(user) or heads_school(user, host_code(event))
    return bool(code) and (code == host_code(event) or is_invited(code, event))


def why_not_complete(user, event):
    """What to tell someone who may not write this form, in words of their role."""
    if not can_write_impact_forms(user):
        return IMPACT_FORM_GOVERNOR_REFUSAL
    if years.is_over(event):
        return years.over_note(event, "event") + " Its impact form is read, not written."
    if event_kind(event) == NETWORK:
        return "The network's leader, the host school's head or a coordinator completes a network's impact form."
    return "Staff of the host school and of the visiting schools complete a visit's impact form together."


def can_read(user, event, leaders, form=None):
    """A final form is the partnership's evidence, for everyone; a draft is for those who
    may write it, the event's schools (their governors too) and coordinators."""
    if form is not None and form.state == FINAL:
        return True
    code = _school_code(user)
    return (writes_any_impact_form(user) or _writes_for(user, event, leaders)
            or bool(code and (code == host_code(event) or is_invited(code, event))))


def side_of(user, event, leaders):
    """Which side this person confirms for: leader (a network), host or visitor (a visit);
    None when they confirm for no side (a coordinator of a visit has no school there)."""
    if not can_complete(user, event, leaders):
        return None
    if event_kind(event) == NETWORK:
        return LEADER
    code = _school_code(user)
    if code and code == host_code(event):
        return HOST
    if is_invited(code, event):
        return VISITOR
    return None


def sides_needed(event):
    """The sides whose confirmations make the form final."""
    return (LEADER,) if event_kind(event) == NETWORK else (HOST, VISITOR)


# -- lists and the ratio --------------------------------------------------------------

def clean_items(items):
    """A list as people give it: one point an item, bullets and numbering taken off,
    blank ones left out."""
    found = []
    for item in items or ():
        for line in str(item or "").splitlines():
            text = _LEADING_MARK.sub("", line).strip()
            if text:
                found.append(text)
    return found


def items_from_text(text):
    """A textarea's lines (one point a line) as a list."""
    return clean_items((text or "").splitlines())


def bullet_lines(items):
    """The Impact log cell: "• …" one per line."""
    return "\n".join(BULLET + item for item in items)


def _plural(n, one, many):
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Ratio:
    """Strengths to areas to develop, in words, and whether it is far from about 3 to 1."""

    strengths: int
    areas: int

    @property
    def text(self):
        return (f"{_plural(self.strengths, 'strength', 'strengths')} to "
                f"{_plural(self.areas, 'area to develop', 'areas to develop')}")

    @property
    def far(self):
        """Far from about three to one: a note for the writers, never a refusal."""
        if not self.strengths and not self.areas:
            return False
        if not self.areas:
            return True
        return not ABOUT_LOW <= self.strengths / self.areas <= ABOUT_HIGH

    @property
    def advice(self):
        if not self.far:
            return ""
        if not self.areas:
            return "No area to develop yet: the policy asks for about one to every three strengths."
        if self.strengths / self.areas < ABOUT_LOW:
            return ("Fewer strengths than the policy's about three to each area to develop: "
                    "say what went well too.")
        return "Many strengths to each area to develop: the policy asks for about three to one."


def ratio(strengths, areas):
    """The Ratio of two lists as people typed them."""
    return Ratio(len(clean_items(strengths)), len(clean_items(areas)))


# -- the form ---------------------------------------------------------------------------

class FormFinal(Exception):
    """The form is final: it is evidence now and is not changed."""


class FormChanged(Exception):
    """Someone saved the form since this person opened it."""

    def __init__(self, form):
        super().__init__("changed by someone else")
        self.form = form


class NotAllowed(Exception):
    """This person may not do that with this form (the message says why)."""


CANCELLED = "Cancelled"  # the calendar's word (domain.calendar.CANCELLED)


def why_not_yet(event, today=None):
    """Why the event's form cannot be started now (it is completed after the event, and
    a cancelled event has none), or None."""
    if (event.status or "") == CANCELLED:
        return "This event is cancelled: it has no impact form."
    today = today or dates.uk_today()
    if event.date is not None and event.date > today:
        return f"The impact form is completed after the event, from {uk(event.date)}."
    return None


def form_for_event(session, event):
    """The event's form with its confirmations, or None."""
    return session.scalar(select(ImpactForm).where(ImpactForm.event_id == event.id)
                          .options(selectinload(ImpactForm.confirmations)))


def start(session, event, who):
    """The event's form, made now as a draft if it has none (one per event); NotAllowed
    before the event or for a cancelled one."""
    form = form_for_event(session, event)
    if form is None:
        why = why_not_yet(event)
        if why:
            raise NotAllowed(why)
        form = ImpactForm(event_id=event.id, kind=event_kind(event), state=DRAFT, strengths=[], areas=[],
                          action_row_ids=[], created_by=who, updated_by=who)
        session.add(form)
        session.flush()
    return form


@dataclass
class Changes:
    """What a person sent for the form's content."""

    summary: str = ""
    strengths: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    action_row_ids: list = field(default_factory=list)
    impact_note: str = ""

    def normalised(self):
        return Changes(self.summary.strip(), clean_items(self.strengths)[:MAX_ITEMS],
                       clean_items(self.areas)[:MAX_ITEMS], sorted({int(i) for i in self.action_row_ids}),
                       self.impact_note.strip())


def content(form):
    """The form's content as Changes, to compare with what a person sent."""
    return Changes(form.summary or "", list(form.strengths or []), list(form.areas or []),
                   sorted(form.action_row_ids or []), form.impact_note or "")


def save(session, form, who, changes, seen_version=None, allowed_rows=None):
    """Store the form's content (a draft). A change after a side confirmed takes the
    confirmations back: each side confirms what the form says now. Returns True when
    something changed. Raises FormFinal, FormChanged (another save since ``seen_version``)."""
    if form.state == FINAL:
        raise FormFinal()
    new = changes.normalised()
    if allowed_rows is not None:
        new.action_row_ids = [i for i in new.action_row_ids if i in allowed_rows]
    if new == content(form):
        return False
    if seen_version is not None and form.version != seen_version:
        raise FormChanged(form)
    form.summary, form.strengths, form.areas = new.summary, new.strengths, new.areas
    form.action_row_ids, form.impact_note = new.action_row_ids, new.impact_note
    form.updated_by, form.updated_at = who, utcnow()
    form.confirmations.clear()  # delete-orphan: the rows go with the flush
    form.state = DRAFT
    session.flush()
    return True


def missing(session, form, event):
    """What the form still needs before anyone can confirm it (words, in order)."""
    needs = []
    if not form.strengths:
        needs.append("at least one strength")
    if not (form.summary or "").strip():
        needs.append("a summary of what happened")
    if not host_code(event):
        needs.append("a host school (the event's Host school cell)")
    elif host_problem(session, event) and not _host_left(session, event):  # a host that left: host_problem says so
        needs.append("a host school the partnership knows (the event's Host school cell)")
    return needs


def host_problem(session, event):
    """Why the form has no host school's impact log to go to, in words for the page; None
    if it has one (or no host is named yet: ``missing`` asks for one)."""
    if not host_code(event):
        could_be = Schools(session).matches(event.host_school, left=True) if event.host_school else []
        if len(could_be) > 1:  # the sync resolved it to no school rather than guess (sync/reconcile.py)
            return (f"The event's Host school cell says ‘{event.host_school}’, which could be "
                    + " or ".join(f"{s.name} ({s.code})" for s in could_be)
                    + ", so this form has no impact log to go to. A partnership coordinator writes the school's "
                    "code in the Calendar tab.")
        return None
    school = _host_school(session, event, left=True)
    if school is None:
        return (f"The event's Host school cell says ‘{event.host_school or host_code(event)}’, which is neither "
                "the code nor the name of a school in the partnership's Schools tab, so this form has no impact "
                "log to go to. A partnership coordinator puts the school's code (or its name) in the Calendar tab.")
    if school.archived_at is not None:
        return (f"The host school, {school.name} ({school.code}), has left the partnership, so this form has no "
                "impact log to go to.")
    if school.workbook is None:
        return (f"The host school ({host_code(event)}) has no workbook in the Schools tab, so this form has "
                "no impact log to go to.")
    return None


def confirm(session, form, event, user, who):
    """This person confirms the form for their side. A network's form is final at its
    leader's confirmation; a visit's when the host and a visiting school have both
    confirmed, two people of two schools. Returns the form's state."""
    if form.state == FINAL:
        raise FormFinal()
    leaders = leaders_for(session, event)
    side = side_of(user, event, leaders)
    if side is None:
        raise NotAllowed(why_not_confirm(user, event, leaders))
    needs = missing(session, form, event)
    if needs:
        raise NotAllowed("Before it is confirmed the form needs " + ", ".join(needs) + ".")
    problem = host_problem(session, event)
    if problem:
        raise NotAllowed(problem)
    mine = next((c for c in form.confirmations if c.side == side), None)
    if mine is None:
        mine = ImpactFormConfirmation(side=side)
        form.confirmations.append(mine)
    mine.user_id, mine.who, mine.school_code, mine.at = user.id, who, _school_code(user), utcnow()
    confirmed = {c.side for c in form.confirmations}
    form.updated_at = utcnow()  # moves the form's version: two confirmations at once meet here
    if confirmed >= set(sides_needed(event)):
        _finish(session, form, event, who, user.id)
    else:
        form.state = AWAITING
    session.flush()
    return form.state


def why_not_confirm(user, event, leaders):
    """What to tell someone who may not confirm this form."""
    if not can_complete(user, event, leaders):
        return why_not_complete(user, event)
    return ("A visit's form is confirmed by someone of the host school and someone of a visiting school; "
            "coordinators can write it but not confirm it for a school.")


def submit(session, form_id, user, who, changes, seen_version=None, confirming=False):
    """Save what a person sent (and, ``confirming``, confirm it for their side) and commit:
    the form as it is now, and whether its content changed. A save or confirmation that
    met another at the same moment (the form's version moved, or the other side's
    confirmation landed first) is tried once more against the form as it is now, so of
    two confirmations at once neither is lost and the second makes the form final.
    Raises FormChanged (someone else changed the content first), FormFinal, NotAllowed."""
    for attempt in (1, 2):
        form = session.get(ImpactForm, form_id)
        event = form.event
        offered = {row.id for row in host_plan_rows(session, event)}
        try:
            changed = save(session, form, who, changes, seen_version, allowed_rows=offered)
            if confirming:
                try:
                    confirm(session, form, event, user, who)
                except NotAllowed:
                    session.commit()  # refused before it changed anything: what they wrote is kept
                    raise
            session.commit()
            return form, changed
        except (StaleDataError, IntegrityError):
            session.rollback()
            session.expire_all()
            if attempt == 2:
                raise FormChanged(session.get(ImpactForm, form_id))
            current = session.get(ImpactForm, form_id)
            if content(current) == changes.normalised():
                seen_version = None  # what they sent is what it holds now: only the confirmation was racing
        except (FormChanged, FormFinal):
            session.rollback()
            raise
    raise AssertionError("unreachable")


def host_plan_rows(session, event):
    """The host school's current action rows, in sheet order."""
    workbook = _host_workbook(session, event)
    if workbook is None:
        return []
    return session.scalars(select(ActionRow).where(ActionRow.workbook_id == workbook.id,
                                                   ActionRow.archived_at.is_(None))
                           .order_by(ActionRow.sheet_row, ActionRow.id)).all()


def _host_school(session, event, left=False):
    """The member school the (resolved) Host school cell names, or None; a school that
    has left the partnership only if ``left`` (its impact log takes no more forms)."""
    code = host_code(event)
    if not code:
        return None
    query = select(School).where(School.code == code)
    return session.scalar(query if left else query.where(School.archived_at.is_(None)))


def _host_left(session, event):
    school = _host_school(session, event, left=True)
    return school is not None and school.archived_at is not None


def _host_workbook(session, event):
    school = _host_school(session, event)
    return school.workbook if school is not None else None


def _finish(session, form, event, who, user_id):
    """Final: the Impact log row and the rows' Impact to date go to the sheet, in the
    same transaction as the form's state (the outbox writes them later, once)."""
    workbook = _host_workbook(session, event)
    if workbook is None:
        raise NotAllowed("The host school has no workbook to write the impact log to.")
    rows = [r for r in host_plan_rows(session, event) if r.id in set(form.action_row_ids or [])]
    rows.sort(key=lambda r: (form.action_row_ids or []).index(r.id))
    summary = (form.summary or "").strip()
    if len(rows) > 1:
        summary += "\nAlso linked: " + ", ".join(r.sheet_id for r in rows[1:])
    confirmed_by = ", ".join(f"{c.who} ({c.school_code})" if c.school_code else c.who
                             for c in sorted(form.confirmations, key=lambda c: c.at))
    entry, _ = add_impact_entry(session, workbook, confirmed_by or who, {
        "date": event.date, "action": rows[0].sheet_id if rows else "", "activity": event.type or "",
        "summary": summary, "strengths": bullet_lines(form.strengths), "areas_to_develop": bullet_lines(form.areas),
    }, user_id)
    note = (form.impact_note or "").strip()
    if note:
        day = event.date.strftime("%d/%m/%Y") if event.date else ""
        line = f"{BULLET}{note} ({event.type}{', ' + day if day else ''})"
        for row in rows:
            seen = editable_values(row)
            now = seen["impact_to_date"]
            edit_action_row(session, row, who, {"impact_to_date": f"{now}\n{line}" if now else line}, seen,
                            row.version, user_id)
    form.impact_entry_id = entry.id
    form.state, form.finished_at = FINAL, utcnow()


# -- the action rows a form offers ------------------------------------------------------

def row_score(themes, row, focus_names):
    """How well a row fits the event's focus: 3 its area is the focus's theme, 2 its
    area is probably the same theme (an acronym, a close spelling, the same main words),
    1 its key objective names the focus; 0 no match."""
    best = 0
    area_key = theme_key(themes.theme_for(row.area)) if row.area else ""
    objective_words = main_words(row.key_objective)
    for name in focus_names:
        key = theme_key(themes.theme_for(name))
        if area_key and area_key == key:
            return 3
        if row.area and (why_same(row.area, name) or why_same(themes.theme_for(row.area), themes.theme_for(name))):
            best = max(best, 2)
        words = main_words(name)
        if words and words <= objective_words:
            best = max(best, 1)
    return best


def _focus_names(session, themes, event):
    """The focus as written and as its theme, and the themes of the host's SIP priorities
    grouped under it (a row linked to such a priority by its area matches too)."""
    focus = (event.focus or "").strip()
    if not focus:
        return []
    names = {focus, themes.theme_for(focus)} | set(themes.names_of(themes.theme_for(focus)))
    return [n for n in names if n]


def offered_rows(session, event):
    """The host's rows for the form to link, best matches first: [(row, score)];
    rows that do not match come last with score 0, in sheet order."""
    themes = theme_list(session)
    names = _focus_names(session, themes, event)
    rows = host_plan_rows(session, event)
    scored = [(row, row_score(themes, row, names) if names else 0) for row in rows]
    return sorted(scored, key=lambda pair: -pair[1])  # stable: sheet order within a score


# -- reading final forms ---------------------------------------------------------------

def _hosted_by(school_code):
    """The events a school hosts, as host_code reads the cell, asked of the database."""
    return func.upper(func.trim(func.coalesce(CalendarEvent.host_code, ""))) == school_code.strip().upper()


def _final(query, school_code=None, since=None, year=None):
    """``query`` (of final forms joined to their events) narrowed to one school as host,
    since a day, and a school year (the current one unless given), newest first."""
    query = (query.join(CalendarEvent, CalendarEvent.id == ImpactForm.event_id)
             .join(Workbook, Workbook.id == CalendarEvent.workbook_id)
             .where(ImpactForm.state == FINAL,
                    Workbook.school_year == year if year is not None else Workbook.is_current)
             .order_by(CalendarEvent.date.desc(), ImpactForm.id.desc()))
    if since is not None:
        query = query.where(CalendarEvent.date >= since)
    if school_code:
        query = query.where(_hosted_by(school_code))
    return query


def _final_forms(session, school_code=None, since=None, year=None):
    """Final forms and their events, newest first: of one school as host (chosen by the
    database, not among the whole partnership's), since a day, of a school year (the
    current one unless given)."""
    return session.execute(_final(select(ImpactForm, CalendarEvent), school_code, since, year)
                           .options(selectinload(ImpactForm.confirmations))).all()


def _areas_of_rows(session, forms):
    ids = {i for form in forms for i in (form.action_row_ids or [])}
    if not ids:
        return {}
    # Only what is shown of each: its area and its ID.
    return {r.id: r for r in session.execute(select(ActionRow.id, ActionRow.area, ActionRow.sheet_id)
                                             .where(scope.among(session, ActionRow.id, ids)))}


def _entry_ids(session, forms):
    ids = {f.impact_entry_id for f in forms if f.impact_entry_id}
    if not ids:
        return {}
    return {e.id: e.sheet_id for e in session.scalars(select(ImpactEntry).where(ImpactEntry.id.in_(ids)))}


def finished_for_school(session, school_code, since=None, year=None):
    """The host school's final impact forms, newest event first, as plain data for the
    summaries for heads and governors: [{form_id, event_id, date, type, focus, kind,
    strengths, areas, ratio, ratio_far, confirmed_by, impact_log_id, linked_actions,
    finished_at}]. ``since``: events on or after that date."""
    found = _final_forms(session, school_code, since, year)
    rows = _areas_of_rows(session, [f for f, _ in found])
    entries = _entry_ids(session, [f for f, _ in found])
    result = []
    for form, event in found:
        r = ratio(form.strengths, form.areas)
        result.append(dict(
            form_id=form.id, event_id=event.id, date=event.date, type=event.type or "", focus=event.focus or "",
            kind=form.kind, summary=form.summary or "", strengths=list(form.strengths or []),
            areas=list(form.areas or []), ratio=r.text, ratio_far=r.far,
            confirmed_by=[dict(who=c.who, school=c.school_code, side=c.side, at=c.at)
                          for c in sorted(form.confirmations, key=lambda c: c.at)],
            impact_log_id=entries.get(form.impact_entry_id, ""),
            linked_actions=[rows[i].sheet_id for i in form.action_row_ids or [] if i in rows],
            finished_at=form.finished_at,
        ))
    return result


@dataclass
class Strength:
    """One strength a school showed, with its evidence (the form and its event)."""

    text: str
    school: SchoolChoice  # plain: the directory is kept (domain/kept.py)
    date: date | None
    event_type: str
    focus: str
    areas: list
    form_id: int


@dataclass
class StrengthTheme:
    theme: str
    key: str
    strengths: list = field(default_factory=list)

    @property
    def schools(self):
        return list({s.school.code: s.school for s in self.strengths}.values())


def _strengths(session, year=None, school=None):
    """Every strength on a final form of a school year (the current one unless given), of
    one host school if given (chosen by the database), under the theme of its event's
    focus (or type). Only what a strength shows is read: no confirmation, no summary.
    Plain data, kept under the partnership's versions (forms, events, rows, themes and
    schools all move them): (ThemeList, {theme key: StrengthTheme})."""
    return kept.for_partnership(session, ("strengths", year, school), lambda: _strengths_read(session, year, school))


def _strengths_read(session, year, school):
    themes = theme_list(session)
    found = session.execute(_final(select(
        ImpactForm.id, ImpactForm.strengths, ImpactForm.action_row_ids, CalendarEvent.date, CalendarEvent.type,
        CalendarEvent.focus, CalendarEvent.host_code).select_from(ImpactForm), school, year=year)).all()
    rows = _areas_of_rows(session, found)
    query = select(School).where(School.archived_at.is_(None))
    schools = {s.code: SchoolChoice(s.code, s.name) for s in session.scalars(
        query.where(School.code == school.strip().upper()) if school else query)}
    groups = {}
    for form in found:
        school_of = schools.get(host_code(form))
        if school_of is None:
            continue
        name = themes.theme_for(form.focus or form.type or "")
        group = groups.setdefault(theme_key(name), StrengthTheme(name, theme_key(name)))
        areas = list(dict.fromkeys(rows[i].area for i in form.action_row_ids or [] if i in rows and rows[i].area))
        for text in form.strengths or []:
            group.strengths.append(Strength(text, school_of, form.date, form.type or "", form.focus or "",
                                            areas, form.id))
    return themes, groups


def strength_directory(session, theme=None, area=None, school=None, year=None):
    """Who is strong at what, from final forms only: (themes shown, every theme of the forms
    read), each a StrengthTheme, in order of its name; filtered by theme key, area and school
    code, the school by the database (so ``every`` is then that school's alone: the choices
    of the whole directory are directory_choices'); of a school year (the current one unless
    given)."""
    _, groups = _strengths(session, year, school)
    every = sorted(groups.values(), key=lambda g: g.theme.lower())
    shown = []
    for group in every:
        if theme and group.key != theme:
            continue
        picked = [s for s in group.strengths if not area or area in s.areas]
        if picked:
            shown.append(StrengthTheme(group.theme, group.key, picked))
    return shown, every


@dataclass
class DirectoryChoices:
    """What the directory's filters offer: its themes (StrengthTheme, without strengths),
    the plan areas and the host schools of its strengths."""

    themes: list
    areas: list
    schools: list


def directory_choices(session, year=None):
    """The directory's filters' choices for a school year (the current one unless given),
    as strength_directory's ``every`` would give them unfiltered, read from the final
    forms' events and linked rows without reading the forms whole."""
    themes = theme_list(session)
    found = session.execute(_final(select(
        ImpactForm.strengths, ImpactForm.action_row_ids, CalendarEvent.type, CalendarEvent.focus,
        CalendarEvent.host_code).select_from(ImpactForm), year=year)).all()
    codes = {host_code(f) for f in found}
    schools = {s.code: s for s in session.scalars(select(School).where(School.archived_at.is_(None),
                                                                       School.code.in_(codes)))} if codes else {}
    found = [f for f in found if host_code(f) in schools]
    names = {}
    for form in found:
        name = themes.theme_for(form.focus or form.type or "")
        names.setdefault(theme_key(name), name)
    shown = [f for f in found if f.strengths]
    rows = _areas_of_rows(session, shown)
    areas = {rows[i].area for f in shown for i in f.action_row_ids or [] if i in rows and rows[i].area}
    return DirectoryChoices(
        themes=sorted((StrengthTheme(name, key) for key, name in names.items()), key=lambda g: g.theme.lower()),
        areas=sorted(areas, key=str.lower),
        schools=sorted({schools[host_code(f)] for f in shown}, key=lambda s: s.name))


def directory_areas(groups):
    """The plan areas the directory's strengths fall under, for its filter."""
    return sorted({a for g in groups for s in g.strengths for a in s.areas}, key=str.lower)


def who_could_help(session, priority):
    """Partner schools that showed strength in a priority's theme on final forms:
    [(School, [Strength])], newest first, the priority's own school left out. A strength
    is in the theme when its event's focus is (as domain.priorities groups themes, or
    probably the same: an acronym, the same main words) or a row it is linked to has
    the theme as its area."""
    themes, groups = _strengths(session)
    wanted = group_theme(themes, priority)
    key = theme_key(wanted)
    own = priority.workbook.school.code if priority.workbook and priority.workbook.school else ""
    picked = []
    for group in groups.values():
        theme_matches = group.key == key or bool(why_same(group.theme, wanted))
        # A strength counts under its event's focus, and under the areas of the rows it is linked to.
        picked += [s for s in group.strengths if s.school.code != own and (
            theme_matches or any(theme_key(themes.theme_for(area)) == key for area in s.areas))]
    by_school = {}
    for strength in sorted(picked, key=lambda s: (s.date or date.min), reverse=True):
        by_school.setdefault(strength.school.code, (strength.school, []))[1].append(strength)
    return list(by_school.values())
