"""Combined SIP priorities: who shares which theme, and how each is going.

Read from the database only, in a bounded number of queries however many
schools there are. A priority not marked "Share with partnership" is seen only
by its own school and admins: it is in none of the combined views or counts.
"""
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from . import kept, scope
from .contract import THEMES
from .models import JOINT, ActionRow, ImpactEntry, OutboxEntry, School, SipPriority, Theme, ThemeAnswer, Workbook
from .paging import Page, clamp
from .themes import Suggestion, ThemeList, main_words, pair_key, split_names, suggestions, theme_key

LATEST_EVIDENCE = 3  # impact-log entries shown under each theme
PER_PAGE = 50  # priorities a page of the combined view shows: 200 schools share about 1,600
NO_STATUS = "No status"


@dataclass(frozen=True)
class SchoolRef:
    """A school as the grouping knows it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Shared:
    """A shared priority as the grouping knows it: what it is grouped, filtered and
    counted by. The rows a page shows are loaded whole (``_whole``)."""

    id: int
    workbook_id: int
    theme: str
    priority: str
    status: str


@dataclass
class ThemeGroup:
    """One theme and the shared priorities grouped under it."""

    theme: str
    key: str
    priorities: list = field(default_factory=list)  # [(Shared, SchoolRef)]; a page's parts: whole rows
    evidence: list = field(default_factory=list)  # [(ImpactEntry, School)], newest first
    joint_rows: list = field(default_factory=list)  # [ActionRow] of the joint plan

    @property
    def schools(self):
        seen = OrderedDict((school.code, school) for _, school in self.priorities)
        return list(seen.values())

    def by_status(self, statuses):
        """How many of the group's priorities have each status, in the order given, then
        any other text the sheets hold and "No status", in alphabetical order: [(status, count)]."""
        counts = {}
        for priority, _ in self.priorities:
            counts[priority.status or NO_STATUS] = counts.get(priority.status or NO_STATUS, 0) + 1
        order = [s for s in statuses if s in counts] + sorted(s for s in counts if s not in statuses)
        return [(s, counts[s]) for s in order]


@dataclass
class GroupPart:
    """The part of a theme group one page shows: a theme may run over several pages."""

    group: ThemeGroup
    priorities: list  # [(SipPriority, School)]
    first: bool  # the group starts on this page
    last: bool  # and ends on it


def theme_list(session):
    """The coordinator's Themes tab, with every "Same theme?" answered Yes (kept here at
    once; the sheet gets it through the outbox)."""
    entries = [(t.name, split_names(t.also_called))
               for t in session.scalars(select(Theme).where(Theme.archived_at.is_(None)).order_by(Theme.id))]
    yes = session.execute(select(ThemeAnswer.name, ThemeAnswer.theme).where(ThemeAnswer.same.is_(True))
                          .order_by(ThemeAnswer.id)).all()
    return ThemeList(entries, same=yes)


def _current_priorities(session, shared_only=True, school_id=None, year=None):
    return session.execute(_current_query((SipPriority, School), shared_only, school_id, year)).all()


def _of_year(year):
    """The workbooks of a school year: the current one's unless ``year`` is given."""
    return Workbook.is_current if year is None else Workbook.school_year == year


def _current_query(columns, shared_only=True, school_id=None, year=None):
    """The current priorities of current schools (of a year that is over: of the schools
    that were members then), in the order pages list them."""
    query = (
        select(*columns)
        .join(Workbook, Workbook.id == SipPriority.workbook_id)
        .join(School, School.id == Workbook.school_id)
        .where(_of_year(year), SipPriority.archived_at.is_(None))
        .order_by(School.name, SipPriority.sheet_row, SipPriority.id)
    )
    if year is None:
        query = query.where(School.archived_at.is_(None))
    if shared_only:
        query = query.where(SipPriority.share.is_(True))
    if school_id is not None:
        query = query.where(School.id == school_id)
    return query


def group_theme(themes, priority):
    """The theme a priority is grouped under: its Theme cell, else its Priority text
    (``priority``: a SipPriority, or a row of those two columns)."""
    return themes.theme_for(priority.theme or priority.priority)


def combined(session, theme=None, status=None, school=None, year=None, whole=False):
    """The shared priorities grouped by theme (in order of the theme's name), filtered
    by theme key, status and school code, of the current school year or ``year``: (the
    groups shown, every group). With ``whole``, the groups shown hold whole rows (a
    download); else what the grouping knows of each (Shared, SchoolRef)."""
    shown, every = _combined(grouping(session, year)[1], theme, status, school)
    if whole:
        for group in shown:
            group.priorities = _whole(session, group.priorities)
    return shown, every


def grouping(session, year=None):
    """The partnership's shared priorities grouped by theme, in order of the theme's name:
    (the Themes tab as answered, ((theme, key, ((Shared, SchoolRef), ...)), ...)).

    Every priorities page, summary and home groups the same 1,600 priorities at 200
    schools: it is done once, read as plain columns, and kept under the partnership's
    versions (domain/kept.py), which a sync, a save or a theme answer moves on."""
    def make():
        themes = theme_list(session)
        groups = {}
        for row in session.execute(_current_query(
                (SipPriority.id, SipPriority.workbook_id, SipPriority.theme, SipPriority.priority, SipPriority.status,
                 School.id.label("school_id"), School.code, School.name), year=year)):
            name = group_theme(themes, row)
            key = theme_key(name)
            group = groups.setdefault(key, (name, key, []))
            group[2].append((Shared(row.id, row.workbook_id, row.theme or "", row.priority or "", row.status or ""),
                             SchoolRef(row.school_id, row.code, row.name)))
        ordered = sorted(groups.values(), key=lambda g: g[0].lower())
        return themes, tuple((name, key, tuple(pairs)) for name, key, pairs in ordered)
    return kept.for_partnership(session, ("priority-grouping", year), make)


def _combined(grouped, theme=None, status=None, school=None):
    """(the groups shown under the filters, every group): fresh ThemeGroups over the kept
    grouping, so that a page may fill them without touching what is kept."""
    every = [ThemeGroup(name, key, list(pairs)) for name, key, pairs in grouped]
    shown = []
    for group in every:
        if theme and group.key != theme:
            continue
        if status or school:
            group = ThemeGroup(group.theme, group.key, [(p, s) for p, s in group.priorities if (
                not status or p.status == status) and (not school or s.code == school)])
        if group.priorities:
            shown.append(group)
    return shown, every


def _whole(session, pairs):
    """The whole rows of grouped priorities, in the same order: [(SipPriority, School)]."""
    ids = [p.id for p, _ in pairs]
    if not ids:
        return []
    loaded = {p.id: (p, s) for p, s in session.execute(
        select(SipPriority, School).join(Workbook, Workbook.id == SipPriority.workbook_id)
        .join(School, School.id == Workbook.school_id).where(scope.among(session, SipPriority.id, ids))
        .options(load_only(SipPriority.id, SipPriority.workbook_id, SipPriority.priority, SipPriority.theme,  # as drawn
                           SipPriority.status, SipPriority.lead, SipPriority.detail, SipPriority.sheet_row),
                 load_only(School.id, School.code, School.name))).all()}
    return [loaded[i] for i in ids if i in loaded]


def combined_page(session, number=1, per_page=PER_PAGE, **filters):
    """combined() a page at a time: (page ``number`` of the groups shown, the groups shown,
    every group), from one reading of the Themes tab."""
    year = filters.pop("year", None)
    themes, grouped = grouping(session, year)
    shown, every = _combined(grouped, **filters)
    return _page_of(session, themes, shown, number, per_page, year), shown, every


def _page_of(session, themes, groups, number, per_page, year=None):
    """Page ``number`` of the groups' priorities, in order: a Page of GroupParts. Each
    theme that starts on the page carries the latest impact-log evidence that bears on
    it and the joint plan rows that name it (read for that page's themes only)."""
    flat = [(group, pair) for group in groups for pair in group.priorities]
    number = clamp(number, len(flat), per_page)
    start = (number - 1) * per_page
    parts = []
    for group, pair in flat[start:start + per_page]:
        if not parts or parts[-1].group is not group:
            first = group.priorities[0] is pair
            parts.append(GroupPart(group, [], first=first, last=False))
        parts[-1].priorities.append(pair)
    for part in parts:
        part.last = part.group.priorities[-1] is part.priorities[-1]
    # The page's own priorities, whole (about 50, in one statement): the rest stay as grouped.
    whole = {p.id: (p, s) for p, s in _whole(session, [pair for part in parts for pair in part.priorities])}
    for part in parts:
        part.priorities = [whole[p.id] for p, _ in part.priorities if p.id in whole]
    starting = [part.group for part in parts if part.first]
    if starting:
        # What bears on the page's themes, kept as the grouping is: which themes, and whose
        # priorities they hold under the filters, name it.
        signature = tuple((g.key, frozenset(p.workbook_id for p, _ in g.priorities)) for g in starting)
        found = kept.for_partnership(session, ("theme-evidence", year, signature),
                                     lambda: _evidence_and_rows(session, themes, starting, year))
        for group in starting:
            evidence, rows = found.get(group.key, ((), ()))
            group.evidence, group.joint_rows = list(evidence), list(rows)
    return Page(parts, len(flat), number, per_page)


@dataclass(frozen=True)
class EntryRef:
    """An impact-log entry as a theme's latest evidence shows it."""

    id: int
    date: object
    summary: str


@dataclass(frozen=True)
class JointRowRef:
    """A joint plan row as a theme's list of them shows it."""

    id: int
    sheet_id: str
    key_objective: str


def _evidence_and_rows(session, themes, groups, year):
    """{theme key: ((EntryRef, SchoolRef), ...), (JointRowRef, ...))} for the groups: plain
    data, to be kept."""
    _attach_evidence(session, themes, groups)
    _attach_joint_rows(session, themes, groups, year)
    return {g.key: (tuple((EntryRef(e.id, e.date, e.summary or ""), SchoolRef(s.id, s.code, s.name))
                          for e, s in g.evidence),
                    tuple(JointRowRef(r.id, r.sheet_id, r.key_objective or "") for r in g.joint_rows))
            for g in groups}


def _attach_evidence(session, themes, groups):
    """Impact-log entries of a group's schools whose Action (an action row's ID, or an
    area) falls under the group's theme: one query for the areas, one for the action
    rows in those under a theme, one for the entries that name them (not every entry of
    every school)."""
    workbook_ids = {p.workbook_id for g in groups for p, _ in g.priorities}
    if not workbook_ids:
        return
    by_key = {g.key: g for g in groups}
    # Only the rows whose area falls under a theme shown: the few distinct areas are
    # matched first, so thousands of rows in areas like Safeguarding are never read.
    areas = session.scalars(select(ActionRow.area).distinct()
                            .where(scope.among(session, ActionRow.workbook_id, workbook_ids),
                                   ActionRow.archived_at.is_(None))).all()
    wanted = [area for area in areas if area and theme_key(themes.theme_for(area)) in by_key]
    rows = session.execute(
        select(ActionRow.workbook_id, ActionRow.sheet_id, ActionRow.area)
        .where(scope.among(session, ActionRow.workbook_id, workbook_ids), ActionRow.archived_at.is_(None),
               ActionRow.area.in_(wanted))
    ).all() if wanted else []
    under = {}  # (workbook id, an Action cell's text) -> the group's key
    for workbook_id, sheet_id, area in rows:
        key = theme_key(themes.theme_for(area)) if area else ""
        if key in by_key:
            under[(workbook_id, sheet_id)] = under[(workbook_id, area)] = key
    names = {text for _, text in under} | {p.theme for g in groups for p, _ in g.priorities if p.theme}
    keys = {name: theme_key(themes.theme_for(name)) for name in names}
    for workbook_id in workbook_ids:
        for name, key in keys.items():
            if key in by_key:
                under.setdefault((workbook_id, name), key)
    if not under:
        return
    # The newest few entries of each (workbook, action): enough for any group, however long the logs.
    newest = (
        select(ImpactEntry.id, func.row_number().over(
            partition_by=(ImpactEntry.workbook_id, ImpactEntry.action),
            order_by=(ImpactEntry.date.desc(), ImpactEntry.id.desc())).label("n"))
        .where(scope.among(session, ImpactEntry.workbook_id, workbook_ids), ImpactEntry.archived_at.is_(None),
               scope.among(session, ImpactEntry.action, {text for _, text in under}))
        .subquery()
    )
    entries = session.execute(
        select(ImpactEntry, School)
        .join(newest, newest.c.id == ImpactEntry.id).where(newest.c.n <= LATEST_EVIDENCE)
        .join(Workbook, Workbook.id == ImpactEntry.workbook_id).join(School, School.id == Workbook.school_id)
        .order_by(ImpactEntry.date.desc(), ImpactEntry.id.desc())
    ).all()
    for entry, school in entries:
        group = by_key.get(under.get((entry.workbook_id, entry.action)))
        if group and len(group.evidence) < LATEST_EVIDENCE and any(p.workbook_id == entry.workbook_id
                                                                   for p, _ in group.priorities):
            group.evidence.append((entry, school))


def _attach_joint_rows(session, themes, groups, year=None):
    """Joint plan rows (of the year) under a group's theme by their area, or that name it
    (or one of the names its schools give it) in their key objective."""
    rows = session.scalars(
        select(ActionRow).join(Workbook, Workbook.id == ActionRow.workbook_id)
        .where(Workbook.code == JOINT, _of_year(year), ActionRow.archived_at.is_(None))
        .order_by(ActionRow.sheet_row)
    ).all()
    row_words = {row.id: main_words(row.key_objective) for row in rows}
    for group in groups:
        names = {group.theme} | {n for n in themes.names_of(group.theme)} | {p.theme for p, _ in group.priorities}
        wanted = [main_words(n) for n in names if n and main_words(n)]
        for row in rows:
            # Whole words: "PE" is no theme of "peer review", "Art" none of "partnership".
            if theme_key(themes.theme_for(row.area)) == group.key or any(w <= row_words[row.id] for w in wanted):
                group.joint_rows.append(row)


def school_priorities(session, school, year=None):
    """A school's own priorities, shared or not (for its members and admins), of the
    current year or ``year``."""
    return [priority for priority, _ in _current_priorities(session, shared_only=False, school_id=school.id,
                                                            year=year)]


def school_priorities_with_themes(session, school, year=None):
    """A school's own priorities, shared or not, with the theme each is grouped under:
    [(SipPriority, School, theme)] (for its download)."""
    themes = theme_list(session)
    return [(p, s, group_theme(themes, p)) for p, s in _current_priorities(session, shared_only=False,
                                                                           school_id=school.id, year=year)]


def who_else(session, priority):
    """The partner schools whose shared priorities fall under this priority's theme:
    [(SipPriority, School)], this priority's own school left out."""
    themes, groups = grouping(session)
    key = theme_key(group_theme(themes, priority))
    pairs = next((pairs for _, group_key, pairs in groups if group_key == key), ())
    return _whole(session, [(p, s) for p, s in pairs if p.workbook_id != priority.workbook_id])


MAX_QUESTIONS = 10  # asked a few at a time: each answer may settle others


def open_suggestions(session, every=None):
    """"Same theme?" questions over the shared priorities' themes and the coordinator's
    list, leaving out pairs anyone has answered; the first MAX_QUESTIONS of them."""
    if every is None:
        every = combined(session)[1]
    # Plain questions, made from the grouping and the answers: kept under the partnership's versions.
    return kept.for_partnership(session, ("theme questions",), lambda: _questions(session, every))


def _questions(session, every):
    listed = [t.name for t in session.scalars(select(Theme).where(Theme.archived_at.is_(None)).order_by(Theme.id))]
    names = list(OrderedDict.fromkeys(listed + [g.theme for g in every]))
    answered = {(a, b) for a, b in session.execute(select(ThemeAnswer.name_key, ThemeAnswer.theme_key))}
    answered |= {(b, a) for a, b in answered}
    shared = {g.key for g in every}
    # Only questions about a theme some school shares: the list's own themes alone need no answer.
    return [s for s in suggestions(names, declined=answered)
            if theme_key(s.name) in shared or theme_key(s.theme) in shared][:MAX_QUESTIONS]


class AnsweredAlready(Exception):
    """Someone answered this "Same theme?" a moment ago: their answer stands."""


def answer(session, name, theme, same, who):
    """Record a person's answer to "Is ``name`` the same theme as ``theme``?".

    Yes groups them at once and is written to the Themes tab's Also called (through
    the outbox, so the sheet keeps the decision); No is remembered and not asked
    again. Returns the outbox entry for a Yes, else None; raises AnsweredAlready.
    """
    name_key, key = theme_key(name), theme_key(theme)
    if not name_key or not key or name_key == key:
        raise ValueError("a theme is not asked about itself")
    pair = pair_key(name, theme)
    existing = session.scalar(
        select(ThemeAnswer).where(ThemeAnswer.name_key == pair[0], ThemeAnswer.theme_key == pair[1]))
    if existing is not None:
        raise AnsweredAlready()
    # Kept under the pair's keys in one order, so that the unique constraint holds two
    # answers given at the same moment (one each way round) to one.
    session.add(ThemeAnswer(name_key=pair[0], theme_key=pair[1], name=name, theme=theme, same=same,
                            answered_by=who))
    if not same:
        return None
    joint = session.scalar(select(Workbook).where(Workbook.code == JOINT, Workbook.is_current))
    entry = OutboxEntry(workbook_id=joint.id, kind="alias", tab=THEMES.tab, sheet_id=key[:40],
                        fields={"theme": theme, "also_called": name}, created_by=who)
    session.add(entry)
    return entry


def unanswered(suggestion_list, name, theme):
    """The open suggestion for this pair, or None (a stale or forged answer)."""
    pair = pair_key(name, theme)
    return next((s for s in suggestion_list if pair_key(s.name, s.theme) == pair), None)


__all__ = ["GroupPart", "Suggestion", "ThemeGroup", "answer", "combined", "combined_page", "open_suggestions",
           "school_priorities", "who_else"]


@dataclass(frozen=True)
class PartnerPriority:
    """A shared priority as a head's home names it (plain data: kept between requests)."""

    id: int
    priority: str
    status: str
    lead: str
    sheet_row: int


def partners_of_school(session, school, named=6):
    """A school's shared priorities, each with the first ``named`` partner schools'
    priorities under its theme and how many there are in all:
    [(PartnerPriority, [(PartnerPriority, SchoolRef)], count)]. From the kept grouping,
    and kept itself under the partnership's versions; whole rows are loaded for what is
    shown (at 200 schools, a few dozen of 1,600)."""
    ref = SchoolRef(school.id, school.code, school.name)
    return kept.for_partnership(session, ("partners of a school", ref, named),
                                lambda: _partners_of_school(session, ref, named))


def _partners_of_school(session, school, named):
    own, others = [], {}
    for _, key, pairs in grouping(session)[1]:
        mine = [p for p, s in pairs if s.id == school.id]
        if mine:
            theirs = [(p, s) for p, s in pairs if s.id != school.id]
            for priority in mine:
                own.append(priority)
                others[priority.id] = theirs
    shown = [(p, s) for p in own for p, s in others[p.id][:named]]
    whole = {p.id: (_plain(p), SchoolRef(s.id, s.code, s.name))
             for p, s in _whole(session, shown + [(p, school) for p in own])}
    found = [(whole[p.id][0], [whole[o.id] for o, _ in others[p.id][:named] if o.id in whole], len(others[p.id]))
             for p in own if p.id in whole]
    return sorted(found, key=lambda item: (item[0].sheet_row, item[0].id))


def _plain(priority):
    return PartnerPriority(priority.id, priority.priority, priority.status, priority.lead, priority.sheet_row)


def every_priority(session):
    """Every current priority of every school, shared or not, with the theme it is grouped
    under: [(SipPriority, School, theme)] (for exports, which coordinators run)."""
    themes = theme_list(session)
    return [(p, s, group_theme(themes, p)) for p, s in _current_priorities(session, shared_only=False)]
