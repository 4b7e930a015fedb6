"""The report across partnerships (seed 003): drafted from the data for a term or a
school year, edited by an officer, published and then kept as it was.

The draft has, in order:

- **What the visits found.** The development visits' successes, challenges, lessons
  and next steps. Each point is grouped under the theme the hub already matches SIP
  priorities by, and points that say the same thing ("releasing staff") are one point,
  counted by partnership.
- **Plans.** Each sharing partnership's joint plan, area by area, from its last signed
  review.
- **Priorities.** The SIP priorities schools share, across partnerships, by theme.
- **Strengths.** The strengths recorded in finished impact forms.

Every point keeps its sources, as (label, path) pairs, so a reader of the report can
open what it came from.

The visits are the supporter's own notes. Everything else is read only from partnerships
that share with the supporter, each inside its own boundary (domain/scope.py).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from . import dates, scope, supporters
from .attention import TERMS
from .calendar import long_day
from .models import ImpactForm, Report, Review, SipPriority, Theme, utcnow
from .reviews import previous_term, term_now
from .themes import theme_key

CATEGORIES = (("successes", "Main successes"), ("challenges", "Key challenges"),
              ("lessons", "Key lessons learned"), ("next_steps", "Next steps"))
OTHER = "Other points"
DONE_WORDS = {"complete", "completed", "done", "achieved"}


class ReportError(ValueError):
    """A report that cannot be drafted or changed as asked, said plainly."""


@dataclass
class Point:
    text: str
    partnerships: set = field(default_factory=set)
    sources: list = field(default_factory=list)

    def as_dict(self):
        return {"text": self.text, "count": len(self.partnerships), "sources": self.sources}


@dataclass(frozen=True)
class Period:
    label: str
    starts: date
    ends: date

    @property
    def key(self):
        return f"{self.starts:%Y-%m-%d}_{self.ends:%Y-%m-%d}"


def periods(today=None):
    """The periods a report can cover: this term and the two before it, this school year
    and the last; the newest first."""
    today = today or dates.uk_today()
    term, school_year = term_now(today)
    found = []
    for _ in range(3):
        starts, ends = _term_dates(term, school_year)
        found.append(Period(f"{term} {starts.year}", starts, ends))
        term, school_year = previous_term(term, school_year)
    for year in (school_year := term_now(today)[1], school_year - 1):
        found.append(Period(f"{year} to {year + 1}", date(year, 9, 1), date(year + 1, 8, 31)))
    return found


def _term_dates(term, school_year):
    """The first and last day of a term as the hub reckons terms (domain/attention.py TERMS)."""
    _, first, last = next(t for t in TERMS if t[0] == term)
    year = school_year if first >= 9 else school_year + 1
    following = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), following - timedelta(days=1)


def period_of(key, today=None):
    """The period a form sent (its key), or ReportError."""
    found = next((p for p in periods(today) if p.key == key), None)
    if found is None:
        raise ReportError("Choose a term or a school year from the list.")
    return found


# -- drafting ---------------------------------------------------------------------------

def _themes(session, partnerships):
    """[(key, name, also-called keys)] of the sharing partnerships' themes, the longest names first."""
    found = {}
    for partnership in partnerships:
        with scope.entered(session, partnership.id):
            for theme in session.scalars(select(Theme).where(Theme.archived_at.is_(None))):
                names = [theme.name] + [n for n in theme.also_called.replace(";", ",").split(",") if n.strip()]
                keys = {theme_key(n) for n in names if theme_key(n)}
                found.setdefault(theme_key(theme.name), (theme.name, set()))[1].update(keys)
    return sorted(((k, name, keys) for k, (name, keys) in found.items()), key=lambda t: -len(t[0]))


def theme_of(text, themes):
    """The name of the theme a point is about: the first whose name (or another name for
    it) its words contain, compared as themes are; else None."""
    key = theme_key(text)
    for _key, name, keys in themes:
        if any(k and k in key for k in keys):
            return name
    return None


def _grouped(points_by_theme):
    """[{"title": theme, "points": [...]}] with the most-said points first."""
    groups = []
    for theme in sorted(points_by_theme, key=lambda t: (t == OTHER, t.casefold())):
        points = sorted(points_by_theme[theme].values(), key=lambda p: (-len(p.partnerships), p.text.casefold()))
        groups.append({"theme": theme, "points": [p.as_dict() for p in points]})
    return groups


def visit_sections(session, supporter, period, names, themes):
    """What the visits found, a section a category, its points grouped by theme."""
    # Oldest first: a point is worded as it was first said.
    visits = [v for v in reversed(supporters.visits(session, supporter, period.starts, period.ends))
              if v.partnership_id in names]
    sections = []
    for attr, title in CATEGORIES:
        by_theme = defaultdict(dict)
        for visit in visits:
            for text in supporters.points(getattr(visit, attr)):
                theme = theme_of(text, themes) or OTHER
                point = by_theme[theme].setdefault(theme_key(text) or text, Point(text))
                point.partnerships.add(visit.partnership_id)
                point.sources.append([f"Development visit to {names[visit.partnership_id]}, "
                                      f"{long_day(visit.date) if visit.date else 'undated'}",
                                      f"/support/visits/{visit.id}"])
        sections.append({"title": title, "intro": "", "groups": _grouped(by_theme)})
    return sections


def _last_signed_joint_review(session, ends):
    reviews = session.scalars(select(Review).where(Review.plan_code == "joint", Review.state == "confirmed")
                              .order_by(Review.school_year.desc(), Review.confirmed_at.desc())).all()
    return next((r for r in reviews if r.confirmed_at and r.confirmed_at.date() <= ends), None)


def plan_section(session, partnerships, period):
    """Each sharing partnership's joint plan area by area, from its last signed review."""
    groups = []
    for partnership in partnerships:
        with scope.entered(session, partnership.id):
            review = _last_signed_joint_review(session, period.ends)
            if review is None:
                groups.append({"theme": partnership.name, "points": [
                    {"text": "No signed review of its joint plan yet.", "count": 0, "sources": []}]})
                continue
            by_area = defaultdict(list)
            for row in review.snapshot.get("rows", []):
                by_area[row.get("area") or "Other"].append((row.get("status") or "").strip())
            source = [[f"{partnership.name}: {review.term} term review, signed "
                       f"{long_day(review.confirmed_at.date())}",
                       f"/support/partnerships/{partnership.slug}/reviews/{review.id}"]]
            points = []
            for area, statuses in sorted(by_area.items()):
                done = sum(1 for s in statuses if s.casefold() in DONE_WORDS)
                others = ", ".join(f"{n} {word.lower()}" for word, n in _counted(
                    s for s in statuses if s.casefold() not in DONE_WORDS))
                text = f"{area}: {done} of {len(statuses)} complete" + (f"; {others}" if others else "")
                points.append({"text": text, "count": 1, "sources": source})
            groups.append({"theme": partnership.name, "points": points})
    return {"title": "Plan progress by area", "intro": "", "groups": groups}


def _counted(words):
    counts = defaultdict(int)
    for word in words:
        counts[word or "No status"] += 1
    return sorted(counts.items())


def priority_section(session, partnerships, themes):
    """The SIP priorities schools share, by theme, across the sharing partnerships."""
    by_theme = defaultdict(dict)
    for partnership in partnerships:
        with scope.entered(session, partnership.id):
            shared = session.scalars(select(SipPriority).where(SipPriority.share.is_(True),
                                                               SipPriority.archived_at.is_(None))).all()
            for priority in shared:
                text = priority.theme or priority.priority
                theme = theme_of(text, themes) or text
                point = by_theme[theme].setdefault("", Point(theme))
                point.partnerships.add(partnership.id)
                source = [f"{partnership.name}: shared priorities", f"/support/partnerships/{partnership.slug}"]
                if source not in point.sources:
                    point.sources.append(source)
    groups = []
    for theme, points in sorted(by_theme.items(), key=lambda t: (-len(next(iter(t[1].values())).partnerships), t[0])):
        point = next(iter(points.values()))
        n = len(point.partnerships)
        point.text = f"{theme}: shared by schools in {n} partnership{'s' if n != 1 else ''}"
        groups.append(point.as_dict())
    return {"title": "Shared priorities across partnerships", "intro": "", "groups": [{"theme": "", "points": groups}]}


def strength_section(session, partnerships, period, themes):
    """The strengths recorded in finished impact forms of the period, by theme."""
    by_theme = defaultdict(dict)
    for partnership in partnerships:
        with scope.entered(session, partnership.id):
            forms = session.scalars(select(ImpactForm).where(ImpactForm.state == "final")).all()
            for form in forms:
                if not form.event.date or not (period.starts <= form.event.date <= period.ends):
                    continue
                for text in form.strengths:
                    theme = theme_of(text, themes) or OTHER
                    point = by_theme[theme].setdefault(theme_key(text) or text, Point(text))
                    point.partnerships.add(partnership.id)
                    point.sources.append([f"{partnership.name}: {form.event.type}, "
                                          f"{long_day(form.event.date)}",
                                          f"/support/partnerships/{partnership.slug}"])
    return {"title": "Strengths found in networks and visits", "intro": "", "groups": _grouped(by_theme)}


def draft(session, supporter, period, by):
    """A new draft report for the period, from what the sharing partnerships share."""
    partnerships = supporters.sharing(session, supporter)
    # The visits are the supporter's own notes, of every partnership it visited; the rest
    # is what each partnership shares.
    names = {p.id: p.name for p in supporters.supported(session, supporter)}
    themes = _themes(session, partnerships)
    sections = visit_sections(session, supporter, period, names, themes)
    sections += [plan_section(session, partnerships, period), priority_section(session, partnerships, themes),
                 strength_section(session, partnerships, period, themes)]
    report = Report(supporter_id=supporter.id, title=f"Partnerships: summary report, {period.label}",
                    period=period.label, starts=period.starts, ends=period.ends, sections=sections,
                    created_by=by)
    session.add(report)
    session.flush()
    return report


def edit(report, title, intros, texts):
    """The officer's edits: the title, each section's introduction, each point's words (a
    point left empty is taken out). ``texts``: {(section, group, point): text}."""
    if report.state != "draft":
        raise ReportError("This report is published: it is kept as it was.")
    title = " ".join((title or "").split())
    if not title:
        raise ReportError("Give the report a title.")
    sections = []
    for s, section in enumerate(report.sections):
        groups = []
        for g, group in enumerate(section["groups"]):
            points = []
            for p, point in enumerate(group["points"]):
                text = (texts.get((s, g, p), point["text"]) or "").strip()
                if text:
                    points.append({**point, "text": text})
            if points:
                groups.append({**group, "points": points})
        sections.append({**section, "intro": (intros.get(s, section.get("intro", "")) or "").strip(),
                         "groups": groups})
    report.title, report.sections, report.updated_at = title, sections, utcnow()


def publish(report, by):
    """Publish the report: from now on it is kept as it is (the database refuses a change)."""
    if report.state != "draft":
        raise ReportError("This report is published already.")
    report.state, report.published_at, report.published_by = "published", utcnow(), by


def reports_of(session, supporter):
    """The supporter's reports, the newest first."""
    return session.scalars(select(Report).where(Report.supporter_id == supporter.id)
                           .order_by(Report.created_at.desc(), Report.id.desc())).all()
