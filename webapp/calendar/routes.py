"""The partnership's calendar: this term and next, a month, an event with its replies,
new events, .ics files and each person's private feed (the one page that needs no
session: its secret URL is the key). Rules are in domain/calendar.py."""
import logging
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectChoice

from domain import calendar as cal
from domain import dates, ics, job_queue, kept, plans, years
from domain.access import EVENT_MANAGER_REFUSAL, EVENTS_REFUSAL, why_not_reply
from domain.edits import latest_for_rows
from domain.event_cells import CONFIRMED, DECLINED, TYPES
from domain.impact_forms import NETWORK, can_complete, event_kind
from domain.leaders import leaders_for
from domain.models import School, User

from ..downloads import attachment
from ..extensions import db
from ..for_you import for_you_context
from ..forms import CLEANED_NOTE
from ..hx import fragment, page, wants_fragment
from ..mail import mail_configured
from ..params import page_number, pager
from ..partnership_scope import enter_for
from ..safe_urls import hub_url
from ..syncing import request_drain
from . import reminders  # noqa: F401  (the reminder's job)
from .forms import EventForm, InviteForm, ReplyForm

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
log = logging.getLogger(__name__)
OPEN = {"calendar.feed"}  # the private feed: its secret URL, not a session, lets it in
DAY = timedelta(days=1)


@bp.before_request
def require_login():
    """Signed-in people only, but for the private feed."""
    if request.endpoint in OPEN:
        return None
    return login_required(lambda: None)()


# Days and times as GOV.UK writes them, on every page that shows an event.
bp.add_app_template_filter(cal.long_day, "long_date")
bp.add_app_template_filter(cal.time_words, "time_words")
bp.add_app_template_filter(cal.title, "event_title")


def _filters():
    kind = request.args.get("type", "").strip()
    school = request.args.get("school", "").strip().upper()
    return cal.Filters(type=kind if kind in cal.TYPE_FILTERS else "", school=school)


def _filter_args(filters):
    return {k: v for k, v in (("type", filters.type), ("school", filters.school)) if v}


def _common(filters):
    return dict(filters=filters, schools=plans.school_choices(db.session), type_filters=cal.TYPE_FILTERS,
                can_create=cal.can_create_events(current_user))


@bp.get("")
def index():
    """This term and next (or a term chosen), filtered by type and school: what is to come
    first, soonest first, then what has gone by, a page at a time. The results are the same
    for everyone who asks the same on the same day: drawn once and kept under the
    partnership's versions (domain/kept.py)."""
    filters, today = _filters(), dates.uk_today()
    chosen = cal.term_named(request.args.get("term", ""))
    terms = [chosen] if chosen else [cal.term_of(today), cal.next_term(cal.term_of(today))]
    args = dict(term=chosen.key if chosen else None, **_filter_args(filters))
    number = page_number()

    def draw():
        schools = cal.Schools(db.session)
        found = cal.listing(db.session, terms[0].start, terms[-1].end, today, filters, schools, number)
        shown = found.page
        html = render_template(
            "calendar/_list.html", found=found, shown=shown, sections=_sections(shown.items, today, terms, chosen),
            hosts={e.id: schools.host(e) for e in shown.items}, terms=terms, today=today, chosen=chosen,
            count=shown.total, filters=filters,
            pager=pager(shown, "calendar.index", labels=("← Previous", "Next →"), **args),
            previous=cal.term_of(terms[0].start.replace(day=1) - DAY), following=cal.next_term(terms[-1]))
        return html, shown.number

    results, shown_number = kept.for_partnership(
        db.session, ("calendar list", tuple(sorted(args.items(), key=str)), number, today), draw)
    if wants_fragment("calendar-results"):
        canonical = url_for("calendar.index", **args, page=shown_number if shown_number > 1 else None)
        return fragment(results, push_url=canonical)
    return page(render_template("calendar/index.html", results=Markup(results), chosen=chosen, **_common(filters)))


def _sections(events, today, terms, chosen):
    """A page's events under headings: those to come by term ("this term", "next term"),
    then those gone by. [(id, heading, note, events)]"""
    sections = []
    for event in events:
        if event.date < today:
            key, heading, note = "gone-by", "Gone by", "latest first"
        else:
            term = cal.term_of(event.date)
            key, heading = f"term-{term.key}", term.name
            note = "" if chosen or term not in terms else ("this term" if term == terms[0] else "next term")
        if not sections or sections[-1][0] != key:
            sections.append((key, heading, note, []))
        sections[-1][3].append(event)
    return sections


@bp.get("/month/<int:year>-<int:month>")
@bp.get("/month")
def month(year=None, month=None):
    """A month's grid (Monday first), filtered the same way; on a phone, a list of days.
    Drawn once a day for everyone who asks the same, as the list is."""
    today = dates.uk_today()
    year, month = year or today.year, month or today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        abort(404)
    filters = _filters()
    first, last = cal.month_bounds(year, month)

    def draw():
        schools = cal.Schools(db.session)
        events = cal.events_between(db.session, first, last, filters, schools)
        return render_template(
            "calendar/_month.html", first=first, weeks=cal.month_weeks(year, month, events), today=today,
            count=len(events), filters=filters, previous=(first - DAY).replace(day=1), following=last + DAY)

    results = kept.for_partnership(db.session, ("calendar month", year, month, filters.type, filters.school, today),
                                   draw)
    if wants_fragment("calendar-results"):
        canonical = url_for("calendar.month", year=year, month=month, **_filter_args(filters))
        return fragment(results, push_url=canonical)
    return page(render_template("calendar/month.html", results=Markup(results), first=first, **_common(filters)))


def _event_or_404(event_id):
    event = cal.event_by_id(db.session, event_id)
    if event is None:
        abort(404)
    return event


def _event_context(event, schools, reply_form=None, invite_form=None, message="", focus=False):
    invited, unknown = schools.invited(event)
    replies = cal.replies_of(db.session, event)
    mine = replies.get(current_user.email.lower())
    manages = cal.manages(current_user, event, schools)
    leaders = leaders_for(db.session, event)
    context = dict(event=event, host=schools.host(event), invited=invited, unknown=unknown, mine=mine,
                   leaders=leaders, network=event_kind(event) == NETWORK,
                   can_write_form=can_complete(current_user, event, leaders),
                   can_reply=cal.can_reply(db.session, current_user, event, schools),
                   reply_form=reply_form or ReplyForm(formdata=None, note=mine.note if mine else ""),
                   manages=manages, message=message, focus=focus, mail=mail_configured(),
                   CONFIRMED=CONFIRMED, DECLINED=DECLINED, all_invited=cal.ALL_SCHOOLS in (event.invited_codes or []),
                   on_its_way=_on_its_way(event, mine), hosting=schools.hosts(event, current_user),
                   past=cal.is_past(event), over=years.is_over(event), why_not=_why_not_reply(event, schools))
    if manages:
        context.update(answers=cal.answers(db.session, event, schools),
                       reminder=job_queue.latest(db.session, f"reminder:{event.id}"),
                       invite_form=invite_form or _invite_form(event, schools, formdata=None))
    return context


def _why_not_reply(event, schools):
    """Why this person has no reply to give, from where they stand: a year gone by, a day
    gone by, their own school's event, then what their role allows."""
    if years.is_over(event):
        return years.over_note(event, "event")
    if cal.is_past(event) and event.status != cal.CANCELLED:
        return "This event has taken place: replies are closed."
    if schools.hosts(event, current_user):
        return "Your school hosts this event: the invited schools reply to it."
    return why_not_reply(current_user, cancelled=event.status == cal.CANCELLED)


def _on_its_way(event, mine):
    """Is the event's own row, or this person's reply, still on its way to the sheet?"""
    waiting = latest_for_rows(db.session, "add", [event.id], tab="Calendar").get(event.id)
    if mine is not None:
        for kind in ("add", "edit"):
            entry = latest_for_rows(db.session, kind, [mine.id], tab="RSVP").get(mine.id)
            if entry is not None and entry.state in entry.PENDING:
                return True
    return waiting is not None and waiting.state in waiting.PENDING


def _invite_form(event, schools, formdata=None):
    form = InviteForm(formdata=formdata) if formdata is not None else InviteForm(formdata=None)
    invited, _ = schools.invited(event)
    host = schools.host(event)  # never its own guest
    form.schools.choices = [SelectChoice(s.code, s.name) for s in schools.all if s not in invited and s is not host]
    people = db.session.scalars(select(User).outerjoin(School, User.school_id == School.id)
                                .where(User.active.is_(True), User.role.in_(("admin", "head", "staff")),
                                       School.archived_at.is_(None))  # nor a school that has left
                                .order_by(User.name)).all()
    already = cal.replies_of(db.session, event)
    form.people.choices = [SelectChoice(str(p.id), f"{p.name or p.email} ({p.school.code if p.school else 'coordinator'})")  # noqa: E501
                           for p in people if p.email.lower() not in already]
    return form


@bp.get("/events/<int:event_id>")
def event(event_id):
    event = _event_or_404(event_id)
    return render_template("calendar/event.html", **_event_context(event, cal.Schools(db.session)))


@bp.post("/events/<int:event_id>/reply")
def reply(event_id):
    """Confirm or decline in one click; changing one's mind edits the same RSVP row."""
    event = _event_or_404(event_id)
    schools = cal.Schools(db.session)
    in_place = wants_fragment("reply-box")
    from_home = wants_fragment("for-you") or request.form.get("back") == "home"
    if not cal.can_reply(db.session, current_user, event, schools):
        why = _why_not_reply(event, schools)
        if from_home:
            return _for_you_answer(f"{event.type}, {cal.long_day(event.date)}: {why}", 403)
        if in_place:
            return fragment(render_template("calendar/_reply.html", **_event_context(event, schools, message=why,
                                                                                      focus=True))), 403
        abort(403, why)
    form = ReplyForm()
    if not form.validate_on_submit():
        if from_home:  # the home's buttons send an answer and no note: only a stale page gets here
            return _for_you_answer(" ".join(e for errors in form.errors.values() for e in errors), 422)
        context = _event_context(event, schools, reply_form=form, focus=True)
        if in_place:
            return fragment(render_template("calendar/_reply.html", **context)), 422
        return render_template("calendar/event.html", **context), 422
    cal.reply(db.session, event, current_user, form.answer.data, form.note.data or "")
    request_drain(current_app._get_current_object())
    said = "You are coming." if form.answer.data == CONFIRMED else "You have declined."
    message = f"{said} Your reply is saved and on its way to the partnership's sheet."
    if form.cleaned():
        message += " " + CLEANED_NOTE
    if from_home:
        return _for_you_answer(f"{event.type}, {cal.long_day(event.date)}: {message}")
    if in_place:  # the navigation's count follows (one invitation fewer to answer)
        return fragment(render_template("calendar/_reply.html",
                                        **_event_context(event, schools, message=message, focus=True)),
                        trigger="for-you-changed")
    flash(message, "info")
    return redirect(url_for("calendar.event", event_id=event.id, _anchor="reply-box"), 303)


def _for_you_answer(message, status=200):
    """The home's "For you" after a reply made there: the section again (htmx), which tells
    the navigation's count to follow; without scripts, the home with the message (a
    redirect whatever befell the reply: a browser follows no 403 with a Location)."""
    if wants_fragment("for-you"):
        return fragment(render_template("home/_for_you.html", **for_you_context(message)),
                        trigger="for-you-changed"), status
    flash(message, "info" if status == 200 else "error")
    return redirect(url_for("plans.home", _anchor="for-you"), 303)


def _manager_event(event_id):
    event = _event_or_404(event_id)
    schools = cal.Schools(db.session)
    if not cal.manages(current_user, event, schools):
        abort(403, EVENT_MANAGER_REFUSAL)
    if years.is_over(event):
        abort(403, years.over_note(event, "event"))
    if cal.is_past(event):
        abort(403, "This event has taken place: its invitations and reminders are closed.")
    return event, schools


@bp.post("/events/<int:event_id>/invite")
def invite(event_id):
    event, schools = _manager_event(event_id)
    form = _invite_form(event, schools, formdata=request.form)
    if not form.validate_on_submit():
        return render_template("calendar/event.html", **_event_context(event, schools, invite_form=form)), 422
    who = current_user.name or current_user.email
    said = []
    if form.schools.data:
        cal.invite_schools(db.session, event, form.schools.data, who, current_user.id)
        said.append(", ".join(form.schools.data))
    if form.people.data:
        chosen = db.session.scalars(select(User).where(User.id.in_([int(i) for i in form.people.data]))).all()
        added = cal.invite_people(db.session, event, chosen, who, current_user.id)
        said += [row.person.split(" <")[0] for row in added]
    request_drain(current_app._get_current_object())
    flash(f"Invited: {', '.join(said)}. On its way to the partnership's sheet.", "info")
    return redirect(url_for("calendar.event", event_id=event.id, _anchor="answers"), 303)


@bp.post("/events/<int:event_id>/remind")
def remind(event_id):
    """A reminder to those who have not answered; with no mail set up, what would be sent."""
    event, schools = _manager_event(event_id)  # CSRF: checked for every POST (webapp/extensions.py)
    answers = cal.answers(db.session, event, schools)
    host = schools.host(event)
    waiting = cal.can_be_reminded(db.session, answers.waiting)
    subject, body, recipients = cal.reminder(event, host.name if host else event.host_school, waiting,
                                             hub_url("calendar.event", event_id=event.id))
    claim = next_at = None
    if recipients and mail_configured():
        claim, next_at = cal.claim_reminder(db.session, event, current_user.name or current_user.email,
                                            len(recipients))
        db.session.commit()  # claimed before the first mail goes: a second press finds it
    if not recipients:
        flash("Those who have not answered have no account here to reply with: no reminder to send." if answers.waiting
              else "Everyone invited has answered: no reminder to send.", "info")
    elif next_at is not None:
        flash(f"A reminder went out less than a day ago; the next can go from {dates.clock(next_at)} on "
              f"{cal.long_day(next_at.date())}.", "info")
    elif not mail_configured():
        return render_template("calendar/reminder.html", event=event, subject=subject, body=body,
                               recipients=recipients)
    else:
        job_queue.enqueue(db.session, "reminder", key=f"reminder:{event.id}", partnership_id=g.partnership.id,
                          requested_by_id=current_user.id,
                          payload=dict(event_id=event.id, claim_id=claim.id, subject=subject, body=body,
                                       waiting=list(recipients), sent=0))
        db.session.commit()
        flash(f"A reminder is on its way to {len(recipients)} {'person' if len(recipients) == 1 else 'people'}; "
              "the event's history says when it has gone.", "info")
    return redirect(url_for("calendar.event", event_id=event.id, _anchor="answers"), 303)


@bp.get("/events/<int:event_id>/reminder")
def reminder_status(event_id):
    """How the newest reminder is going: the answers section follows it with htmx (an
    event gone by included: how its last reminder went is still worth knowing)."""
    event = _event_or_404(event_id)
    if not cal.manages(current_user, event, cal.Schools(db.session)):
        abort(403, EVENT_MANAGER_REFUSAL)
    return fragment(render_template("calendar/_reminder_status.html", event=event,
                                    reminder=job_queue.latest(db.session, f"reminder:{event.id}")))


@bp.route("/new", methods=["GET", "POST"])
def new():
    """A new event, by a head (hosted by their school) or a coordinator."""
    if not cal.can_create_events(current_user):
        abort(403, EVENTS_REFUSAL)
    schools = cal.Schools(db.session)
    form = EventForm()
    hosts = cal.host_schools_for(current_user, schools)
    form.host.choices = [SelectChoice(s.code, s.name) for s in hosts]
    form.invited.choices = [SelectChoice(s.code, s.name) for s in schools.all]
    if request.method == "GET" and hosts:
        form.host.data = hosts[0].code
    if cal.joint_workbook(db.session) is None:
        abort(409, "The partnership workbook has not been read yet: sync first.")
    if form.validate_on_submit() and not _refused_day(form):
        event = cal.add_event(db.session, form.values([s.code for s in schools.all]),
                              current_user.name or current_user.email, current_user.id)
        request_drain(current_app._get_current_object())
        flash(f"Added to the calendar as {event.sheet_id}; on its way to the partnership's sheet.", "info")
        if form.cleaned():
            flash(CLEANED_NOTE, "info")
        return redirect(url_for("calendar.event", event_id=event.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("calendar/new.html", form=form, types=TYPES, missing=cal.missing_tabs(db.session)), status


def _refused_day(form):
    """A day the calendar does not take (domain/calendar.why_not_on), said on its field."""
    refusal = cal.why_not_on(db.session, form.values([])["date"])
    if refusal:
        form.date.errors = [*form.date.errors, refusal]
    return refusal


def _ics_details(events, schools):
    hosts = {e.id: (h.name if (h := schools.host(e)) else e.host_school) for e in events}
    links = {e.id: hub_url("calendar.event", event_id=e.id) for e in events}
    return hosts, links


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id):
    event = _event_or_404(event_id)
    hosts, links = _ics_details([event], cal.Schools(db.session))
    response = Response(ics.calendar_of([event], "Partnership Hub", hosts, links), mimetype="text/calendar")
    return attachment(response, f"event-{event.sheet_id}", "ics")


@bp.get("/my-feed")
def my_feed():
    """The person's private feed: make its secret URL, or reset it (the old one dies)."""
    return render_template("calendar/feed.html", url=None, has_feed=bool(current_user.calendar_feed_hash))


@bp.post("/my-feed")
def reset_feed():
    had = bool(current_user.calendar_feed_hash)
    secret = cal.new_feed_secret(db.session.get(User, current_user.id))
    db.session.commit()
    url = hub_url("calendar.feed", secret=secret)
    return render_template("calendar/feed.html", url=url, has_feed=True, reset=had)


@bp.get("/feed/<secret>.ics")
def feed(secret):
    """The private feed: their school's events and those they are invited to. No session."""
    user = cal.user_for_feed(db.session, secret)
    if user is None:
        abort(404)
    enter_for(user)
    schools = cal.Schools(db.session)
    events = cal.events_for_person(db.session, user, schools)
    hosts, links = _ics_details(events, schools)
    response = Response(ics.calendar_of(events, "Partnership Hub", hosts, links), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response
