"""Command-line tasks for coordinators and set-up scripts (`flask --app wsgi ...`)."""
import functools
import getpass
import json
import sys
from datetime import date, datetime, time, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from domain import (
    dates,
    edits,
    exports,
    new_year,
    partnerships,
    people,
    plans,
    priorities,
    reviews,
    scope,
    supporters,
    years,
)
from domain.contract import KINDS
from domain.models import JOINT, ROLES, OutboxEntry, SchoolYear, User, Workbook
from domain.passwords import hash_password
from domain.people import deactivate_person
from domain.users import UserError, activate, add_user, find_user, set_password
from sync.demo import (
    OTHER_PARTNERSHIPS,
    PARTNERSHIP_FILE,
    SUPPORTER_FILE,
    demo_visits,
    write_demo_workbooks,
    write_partnership_copy,
    write_supporter_workbook,
)
from sync.demo import add_impact_forms as demo_impact_forms
from sync.errors import WorkbookUnavailable
from sync.setup_check import check_partnership, check_workbook, missing_headers, year_kinds

from .auth.links import send_password_link
from .extensions import db
from .syncing import backend_for, drain_now, sync_now

sync_cli = AppGroup("sync", help="Read the spreadsheets into the database.")
users_cli = AppGroup("users", help="People who sign in.")
export_cli = AppGroup("export", help="Data out, for scripts and spreadsheets.")
demo_cli = AppGroup("demo", help="The demo partnership that `make run` serves.")
sheets_cli = AppGroup("sheets", help="Check and set up the spreadsheets themselves.")
outbox_cli = AppGroup("outbox", help="Browser edits on their way to the sheets.")
year_cli = AppGroup("year", help="School years: which is current, starting the next, carrying rows into it.")
partnership_cli = AppGroup("partnership", help="The partnerships this hub holds (docs/partnerships.md).")

DEMO_PASSWORD = "partnership-demo"  # the demo's only: printed by `make run`
DEMO_USERS = [
    ("coordinator@demo.partnership.school", "admin", None, "Pat Coordinator"),
    ("head@bankroad.demo.school", "head", "BR", "Carole Clemens"),
    ("teacher@bankroad.demo.school", "staff", "BR", "Jo Teacher"),
    ("governor@bankroad.demo.school", "governor", "BR", "Andy Hitchcock"),
    ("head@williamlilley.demo.school", "head", "WL", "Sally Beardsley"),
    ("teacher@williamlilley.demo.school", "staff", "WL", "Sam Price"),
    ("governor@williamlilley.demo.school", "governor", "WL", "Kevin Snow"),
]
# Each school's chair of governors (the Schools tab names them): they confirm its reviews, and
# both confirm the joint plan's.
DEMO_CHAIRS = ("governor@bankroad.demo.school", "governor@williamlilley.demo.school")


@sync_cli.command("run")
@click.option("--full", is_flag=True, help="Read every workbook, changed or not (after an upgrade, say).")
def sync_run(full):
    """Sync now: a line per workbook; exit status 1 if any workbook failed."""
    report = sync_now(current_app, "cli", full=full)
    if report.busy:
        click.echo("Another sync is running; nothing was done.", err=True)
        sys.exit(1)
    for result in report.results:
        click.echo(result.line())
    calls = report.calls
    if calls and current_app.config["SHEETS_BACKEND"] == "google":
        click.echo(f"API calls: {calls.get('sheets.read', 0)} Sheets reads, {calls.get('sheets.write', 0)} "
                   f"Sheets writes, {calls.get('drive', 0)} Drive")
    elif calls:
        click.echo(f"Files: {calls.get('sheets.read', 0)} read, {calls.get('sheets.write', 0)} saved")
    if not report.ok:
        sys.exit(1)


def in_partnership(command):
    """A command about one partnership: ``--partnership SLUG`` says which, and may be left
    out while the hub holds one. What the command reads and adds is that partnership's."""
    @click.option("--partnership", "partnership_slug", metavar="SLUG",
                  help="Which partnership (`flask partnership list`); needed when the hub holds several.")
    @functools.wraps(command)
    def held(*args, partnership_slug=None, **kwargs):
        if partnership_slug:
            chosen = partnerships.by_slug(db.session, partnership_slug)
            if chosen is None:
                raise click.ClickException(f"There is no partnership {partnership_slug!r}: "
                                           "see `flask partnership list`.")
            scope.enter(db.session, chosen.id)
        elif partnerships.only(db.session) is not None:
            scope.enter(db.session, partnerships.only(db.session))
        elif len(partnerships.all_partnerships(db.session)) > 1:
            raise click.ClickException("This hub holds several partnerships: say which with --partnership SLUG "
                                       "(`flask partnership list`).")
        return command(*args, **kwargs)

    return held


@partnership_cli.command("list")
def partnership_list():
    """Every partnership: its short name (for --partnership), name and workbook."""
    for each in partnerships.all_partnerships(db.session):
        click.echo(f"{each.slug:<30} {each.name:<40} {each.workbook_ref}")


@partnership_cli.command("add")
@click.argument("name")
@click.option("--workbook", required=True, help="Its partnership workbook: a Google Sheets address or a file name.")
@click.option("--coordinator-email", required=True, help="Its first coordinator, who is sent an invitation.")
@click.option("--coordinator-name", default="", help="Their name as pages show it.")
def partnership_add(name, workbook, coordinator_email, coordinator_name):
    """Add a partnership and invite its first coordinator; its workbook is read at the next sync."""
    backend = backend_for(current_app)
    try:
        partnership, coordinator = partnerships.add(db.session, name, workbook, coordinator_email, coordinator_name,
                                                    by="the command line", identity=backend.identity)
    except (partnerships.PartnershipError, WorkbookUnavailable) as error:
        db.session.rollback()
        raise click.ClickException(getattr(error, "message", None) or str(error))
    scope.enter(db.session, partnership.id)
    link = send_password_link(coordinator, "the command line", invited=True)  # built from HUB_URL
    db.session.commit()
    click.echo(f"Added {partnership.name} ({partnership.slug}); {coordinator.email} is invited to coordinate it.")
    if link:
        click.echo(f"Pass this link on to them (it works once): {link}")


@partnership_cli.command("support")
@click.argument("slug")
@click.option("--supporter", "supporter_slug", default="", help="The supporter's short name; empty for none.")
@click.option("--share/--no-share", default=False, help="Share with the supporter (off unless asked).")
def partnership_support(slug, supporter_slug, share):
    """Say which authority or trust supports a partnership, and whether it shares with them."""
    partnership = partnerships.by_slug(db.session, slug)
    supporter = supporters.by_slug(db.session, supporter_slug) if supporter_slug else None
    if partnership is None or (supporter_slug and supporter is None):
        raise click.ClickException("No such partnership or supporter: see `flask partnership list` "
                                   "and `flask supporter list`.")
    partnerships.set_support(db.session, partnership, supporter, share)
    db.session.commit()
    click.echo(f"{partnership.name}: supported by {supporter.name if supporter else 'none'}, "
               f"{'sharing' if partnership.shares_with_supporter else 'sharing nothing'}.")


supporter_cli = AppGroup("supporter", help="Authorities and trusts that support partnerships, and their officers.")


@supporter_cli.command("list")
def supporter_list():
    """Every supporter: its short name, name and workbook, and the partnerships it supports."""
    for supporter in supporters.all_supporters(db.session):
        supported = ", ".join(p.slug + ("" if p.shares_with_supporter else " (not sharing)")
                              for p in supporters.supported(db.session, supporter))
        click.echo(f"{supporter.slug:<30} {supporter.name:<40} {supporter.workbook_ref or '(no workbook)'}"
                   f"  {supported}")


@supporter_cli.command("add")
@click.argument("name")
@click.option("--workbook", default="", help="Its own workbook, with a Development visits tab.")
def supporter_add(name, workbook):
    """Add an authority or trust that supports partnerships."""
    try:
        supporter = supporters.add(db.session, name, workbook)
    except partnerships.PartnershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Added {supporter.name} ({supporter.slug}).")


@supporter_cli.command("officer")
@click.argument("slug")
@click.argument("email")
@click.option("--name", default="", help="The officer's name as pages show it.")
def supporter_officer(slug, email, name):
    """Invite an officer of a supporter: they see what its partnerships share with it."""
    supporter = supporters.by_slug(db.session, slug)
    if supporter is None:
        raise click.ClickException(f"There is no supporter {slug!r}: see `flask supporter list`.")
    try:
        officer = supporters.invite_officer(db.session, supporter, email, name, by="the command line")
    except partnerships.PartnershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    link = send_password_link(officer, "the command line", invited=True)
    db.session.commit()
    click.echo(f"{officer.email} is invited as an officer of {supporter.name}.")
    if link:
        click.echo(f"Pass this link on to them (it works once): {link}")


def _read_password():
    """From stdin: piped for scripts, or typed twice at a terminal."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise click.ClickException("The two passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--school", "school_code", help="The school's code (not for admins).")
@click.option("--name", default="", help="The person's name as pages show it.")
@click.option("--chair", is_flag=True, help="A governor who chairs their school's governing body.")
@in_partnership
def users_add(email, role, school_code, name, chair):
    """Add a user; the password is read from stdin."""
    try:
        user = add_user(db.session, email, role, _read_password(), school_code, name)
        if chair:  # the people rules: only a governor can be chair; kept in the audit list
            people.change(db.session, "the command line", user, role, school_code, chair=True)
        db.session.commit()
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    click.echo(f"Added {user.email} ({user.role}{', ' + user.school.code if user.school else ''}).")


@users_cli.command("list")
def users_list():
    """Every user: e-mail, role, school, active."""
    for user in db.session.scalars(select(User).order_by(User.role, User.email)):
        school = user.school.code if user.school else "-"
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email}\t{user.role}\t{school}\t{state}")


def _user_or_fail(email):
    user = find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"There is no user {email}.")
    return user


@users_cli.command("set-password")
@click.argument("email")
def users_set_password(email):
    """Give a user a new password (read from stdin) and end their sessions now."""
    user = _user_or_fail(email)
    try:
        set_password(user, _read_password())
        db.session.commit()
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    click.echo(f"Set the password of {user.email}; their sessions have ended.")
    if not user.active:
        click.echo(f"{user.email} is deactivated: `users activate {user.email}` lets them sign in.")


@users_cli.command("activate")
@click.argument("email")
def users_activate(email):
    """Let a deactivated user sign in again."""
    user = _user_or_fail(email)
    activate(user)
    db.session.commit()
    click.echo(f"Activated {user.email}; they can sign in again.")


@users_cli.command("deactivate")
@click.argument("email")
def users_deactivate(email):
    """Stop a user signing in and end their sessions now."""
    user = _user_or_fail(email)
    try:
        deactivate_person(db.session, "the command line", user)  # never the last coordinator; kept in the audit list
        db.session.commit()
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    click.echo(f"Deactivated {user.email}; their sessions have ended.")


@export_cli.command("action-plan")
@click.argument("plan_code", metavar="PLAN")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--year", type=int, help="The school year, by the year it starts in (2026: 2026 to 2027); "
                                       "the current one if not given.")
@in_partnership
def export_action_plan(plan_code, fmt, year):
    """Every current row of PLAN (a school code or 'joint'), as synced, to stdout."""
    plan = plans.find_plan(db.session, plan_code, year)
    if plan is None or (year is not None and plan.workbook is None):
        held = f" for {years.label(year)}" if year else ""
        raise click.ClickException(f"There is no plan {plan_code!r}{held}: use 'joint' or a school code"
                                   + (", and a year the hub holds." if year else "."))
    records = exports.action_plan_records(plans.current_rows(db.session, plan))
    _write_records(records, exports.ACTION_PLAN_NAMES, fmt)


def _write_records(records, names, fmt):
    """Records to stdout: JSON exactly (dates as the sheet shows them), or CSV formula-safe."""
    if fmt == "json":
        plain = [{name: exports.plain(value) for name, value in record.items()} for record in records]
        click.echo(json.dumps(plain, indent=2, ensure_ascii=False))
        return
    exports.write_csv(records, names, sys.stdout)


@export_cli.command("priorities")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@in_partnership
def export_priorities(fmt):
    """Every SIP priority of every school, shared or not, with the theme it is grouped under."""
    records = exports.priority_records(priorities.every_priority(db.session))
    _write_records(records, exports.PRIORITY_NAMES, fmt)


@demo_cli.command("write-workbooks")
def demo_write_workbooks():
    """Write the demo .xlsx workbooks that are missing from WORKBOOK_DIR (never overwrites)."""
    for path in write_demo_workbooks(current_app.config["WORKBOOK_DIR"]):
        click.echo(f"Wrote {path}")


@demo_cli.command("init")
def demo_init():
    """The demo: its workbooks (when on the workbook backend), a sync, its users; never overwrites."""
    cfg = current_app.config
    demo_workbooks = cfg["SHEETS_BACKEND"] == "workbook" and cfg["PARTNERSHIP_WORKBOOK"] == PARTNERSHIP_FILE
    if cfg["SHEETS_BACKEND"] == "workbook" and not demo_workbooks:
        click.echo("Not the demo configuration: nothing to do.")
        return
    if demo_workbooks:
        for path in write_demo_workbooks(cfg["WORKBOOK_DIR"]):
            click.echo(f"Wrote {path}")
    _demo_last_year()
    report = sync_now(current_app, "demo")  # schools must exist before their users
    for result in report.results:
        click.echo(result.line())
    added, shared = 0, hash_password(DEMO_PASSWORD)  # argon2 is slow on purpose: once for all of them
    for email, role, school, name in DEMO_USERS:
        if find_user(db.session, email) is None:
            try:
                add_user(db.session, email, role, DEMO_PASSWORD, school, name, password_hash=shared)
                added += 1
            except UserError as error:  # the school's workbook did not sync
                click.echo(f"Demo user {email} not added: {error}", err=True)
    for email in DEMO_CHAIRS:
        chair = find_user(db.session, email)
        if chair is not None and not chair.chair:
            people.change(db.session, "the demo", chair, chair.role, chair.school.code, chair=True)
    db.session.commit()
    click.echo(f"Demo users: {added} added, {len(DEMO_USERS) - added} already there.")
    _demo_review()
    forms = demo_impact_forms(db.session)  # after the users: they complete the forms
    db.session.commit()
    click.echo(f"Demo impact forms: {forms} added.")


DEMO_COUNTY = "Demo County Council"
DEMO_OFFICER = ("officer@county.demo.gov", "Olwen Officer")


@demo_cli.command("authority")
def demo_authority():
    """The demo across partnerships: two more small partnerships beside the demo's (one of
    them with William Lilley too), the county council that supports all three, with its
    officer and its development visits. After `demo init`; never overwrites."""
    cfg = current_app.config
    if cfg["SHEETS_BACKEND"] != "workbook" or cfg["PARTNERSHIP_WORKBOOK"] != PARTNERSHIP_FILE:
        raise click.ClickException("The demo across partnerships runs on the demo's own workbooks only.")
    folder, shared = cfg["WORKBOOK_DIR"], hash_password(DEMO_PASSWORD)
    written = [p for other in OTHER_PARTNERSHIPS for p in write_partnership_copy(folder, other)]
    written += write_supporter_workbook(folder, demo_visits(dates.uk_today()))
    for path in written:
        click.echo(f"Wrote {path}")
    county = supporters.by_slug(db.session, partnerships.slug_for(DEMO_COUNTY)) or supporters.add(
        db.session, DEMO_COUNTY, SUPPORTER_FILE)
    added = {}
    for other in OTHER_PARTNERSHIPS:
        if partnerships.by_slug(db.session, partnerships.slug_for(other.name)) is None:
            first = other.schools[0]
            added[other.name] = partnerships.add(
                db.session, other.name, other.file, f"coordinator@{first.code.lower()}.demo.school",
                f"{other.name} coordinator", by="the demo")[1]
            added[other.name].password_hash = shared
    for partnership in partnerships.all_partnerships(db.session):
        partnerships.set_support(db.session, partnership, county, True)
    if find_user(db.session, DEMO_OFFICER[0]) is None:
        supporters.invite_officer(db.session, county, *DEMO_OFFICER, by="the demo").password_hash = shared
    db.session.commit()
    report = sync_now(current_app, "demo")  # the new partnerships' schools, before their people
    for result in report.results:
        click.echo(result.line())
    for other in OTHER_PARTNERSHIPS:
        partnership = partnerships.by_slug(db.session, partnerships.slug_for(other.name))
        with scope.entered(db.session, partnership.id):
            for school in other.schools:
                email = f"head@{school.code.lower()}.{partnerships.slug_for(other.name)}.demo.school"
                if school.copy_of and find_user(db.session, email) is None:
                    add_user(db.session, email, "head", DEMO_PASSWORD, school.code, school.head, password_hash=shared)
    db.session.commit()
    click.echo(f"{DEMO_COUNTY} supports {len(partnerships.all_partnerships(db.session))} partnerships, "
               f"all sharing. Its officer: {DEMO_OFFICER[0]}, password {DEMO_PASSWORD}.")


@demo_cli.command("sign-ins")
def demo_sign_ins():
    """Print every demo account to sign in as."""
    click.echo(f"\nPartnership Hub demo on {current_app.config['HUB_URL']} - sign in as any of these, "
               f"password {DEMO_PASSWORD}:")
    for email, role, school, name in DEMO_USERS:
        user = find_user(db.session, email)
        if user is not None:
            what = people.ROLE_NAMES[role] + (" (chair)" if user.chair else "") + (f", {school}" if school else "")
            click.echo(f"  {email:<38} {name:<16} {what}")
    officer = find_user(db.session, DEMO_OFFICER[0])
    if officer is not None:  # the demo across partnerships (`demo authority`)
        click.echo(f"  {officer.email:<38} {officer.name:<16} officer, {DEMO_COUNTY}")
        for other in OTHER_PARTNERSHIPS:
            slug = partnerships.slug_for(other.name)
            for school in other.schools:
                head = find_user(db.session, f"head@{school.code.lower()}.{slug}.demo.school")
                if head is not None:
                    click.echo(f"  {head.email:<38} {head.name:<16} head teacher, {school.code} ({other.name})")
    click.echo("")


@sheets_cli.command("check")
def sheets_check():
    """Can every workbook and tab be reached, and what is missing? Exit 1 if anything is."""
    results = check_partnership(backend_for(current_app), current_app.config["PARTNERSHIP_WORKBOOK"],
                                year_kinds(db.session))
    for result in results:
        click.echo(result.line())
    if not all(r.ok for r in results):
        sys.exit(1)


@sheets_cli.command("init")
@click.argument("url")
@click.option("--kind", type=click.Choice(sorted(KINDS)), required=True)
def sheets_init(url, kind):
    """Add the tabs and header rows the contract needs to a spreadsheet, touching nothing else."""
    if current_app.config["SHEETS_BACKEND"] != "google":
        raise click.ClickException("sheets init sets up Google spreadsheets: set SHEETS_BACKEND=google.")
    backend = backend_for(current_app)
    result, snapshot = check_workbook(backend, kind, url, KINDS[kind])
    if not result.reachable:
        raise click.ClickException(result.findings[0])
    to_add, to_fill = missing_headers(snapshot, kind)
    if to_add:
        backend.add_tabs(url, to_add)
    if to_fill:
        backend.write_headers(url, to_fill)
    for title in to_add:
        click.echo(f"Added the tab '{title}' with its header row.")
    for title in to_fill:
        click.echo(f"Wrote the header row of the empty tab '{title}'.")
    if not to_add and not to_fill:
        click.echo("Nothing to add: every tab is there.")


@outbox_cli.command("list")
def outbox_list():
    """Edits not yet in the sheet: ID, school, row ID, fields, state and reason."""
    entries = edits.pending(db.session)
    for entry in entries:
        fields = ",".join(entry.fields) if entry.kind == "edit" else edits.KIND_WORDS[entry.kind]
        click.echo(f"{entry.id}\t{entry.workbook.code}\t{entry.sheet_id}\t{fields}\t{entry.state}\t{entry.reason}")
    if not entries:
        click.echo("Nothing waiting: every browser edit is in the sheets.")


@outbox_cli.command("drain")
def outbox_drain():
    """Try every waiting edit now; a line per edit; exit 1 if any is still waiting or in conflict."""
    results = drain_now(current_app, only_due=False)
    if results is None:
        click.echo("The outbox is being drained by another process; try again in a moment.", err=True)
        sys.exit(1)
    for result in results:
        click.echo(result.line())
    still = db.session.scalar(
        select(func.count(OutboxEntry.id)).where(OutboxEntry.state.in_(OutboxEntry.PENDING))
    )
    if still:
        click.echo(f"{still} edit{'s' if still != 1 else ''} not in the sheets yet.", err=True)
        sys.exit(1)


@year_cli.command("show")
def year_show():
    """The current school year, the years held, and whether the next can be started."""
    current = years.current_year(db.session)
    click.echo(f"Current school year: {years.label(current)}")
    click.echo("Years held: " + ", ".join(years.label(y) for y in years.years(db.session)))
    click.echo(new_year.why_not_yet(db.session) or f"{years.label(current + 1)} can be started (flask year start).")


@year_cli.command("start")
@click.option("--workbook", "workbooks", multiple=True, metavar="CODE=REF",
              help="A school's new workbook (a file name, or its Google Sheets address); repeat for each. "
                   "Every other plan keeps its workbook, in tabs named for the year.")
def year_start(workbooks):
    """Start the next school year: last year's plans are kept as they are, read-only."""
    choices = {}
    for given in workbooks:
        code, sep, ref = given.partition("=")
        if not sep or not ref.strip():
            raise click.ClickException(f"Give a new workbook as CODE=REF, not {given!r}.")
        choices[code.strip().upper()] = new_year.Choice(code.strip().upper(), ref.strip())
    known = {w.code for w in new_year.plans_to_start(db.session)}
    unknown = sorted(set(choices) - known)
    if unknown:
        raise click.ClickException(f"No school of the partnership has the code {', '.join(unknown)}.")
    try:
        year = new_year.start_year(db.session, choices, "the command line")
    except new_year.YearError as error:
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Started {years.label(year)}. Run `flask outbox drain` and `flask sync run` to bring in the new plans.")


@year_cli.command("carry")
@click.argument("plan_code", metavar="PLAN")
@click.argument("row_ids", metavar="ID", nargs=-1, required=True)
@in_partnership
def year_carry(plan_code, row_ids):
    """Carry unfinished rows of PLAN's last year (by their IDs: BR-A003 ...) into this year's plan."""
    code = "joint" if plan_code.lower() == "joint" else plan_code.upper()
    offered = {row.sheet_id.upper(): row for row, into in new_year.unfinished_rows(db.session, code) if into is None}
    missing = [i for i in row_ids if i.upper() not in offered]
    if missing:
        raise click.ClickException(f"Not unfinished rows of {code}'s last year, or carried already: "
                                   + ", ".join(missing))
    chosen = list(dict.fromkeys(i.upper() for i in row_ids))
    added = new_year.carry_forward(db.session, code, [offered[i].id for i in chosen], "the command line")
    db.session.commit()
    click.echo("Carried: " + ", ".join(f"{source} as {row.sheet_id}" for source, row in zip(chosen, added)))


def register(app):
    for group in (sync_cli, users_cli, export_cli, demo_cli, sheets_cli, outbox_cli, year_cli, partnership_cli,
                  supporter_cli):
        app.cli.add_command(group)
    from .scheduler_cli import scheduler_cli

    app.cli.add_command(scheduler_cli)


# --- Termly reviews (issue 15) -----------------------------------------------------------


@users_cli.command("set-chair")
@click.argument("email")
@click.option("--no", "unset", is_flag=True, help="They no longer chair the governing body.")
def users_set_chair(email, unset):
    """Mark a governor as their board's chair (who confirms termly reviews), or not with --no."""
    user = _user_or_fail(email)
    try:
        said = people.change(db.session, "the command line", user, user.role,
                             user.school.code if user.school else None, chair=not unset)
        db.session.commit()
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    click.echo(f"{user.email}: {'; '.join(said) if said else 'nothing to change'}.")


@export_cli.command("reviews")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@in_partnership
def export_reviews(fmt):
    """Every termly review: plan, term, state, each signature and the rows its snapshot holds."""
    records = reviews.review_records(db.session)
    if fmt == "json":
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    exports.write_csv(reviews.review_csv_records(records), reviews.REVIEW_CSV_NAMES, sys.stdout)


def _demo_last_year():
    """The first time: last year's plans, as the archive a hub holds after a year. The demo's
    workbooks keep them in tabs titled with last year; they are read as last year's, then
    this year is started with the tabs' plain names (new_year.PLAIN), as schools that rename
    last year's tabs do."""
    if years.years(db.session):
        return
    last = years.school_year_of(dates.uk_today()) - 1
    db.session.add(SchoolYear(year=last, started_by="the demo"))
    db.session.add(Workbook(code=JOINT, ref=current_app.config["PARTNERSHIP_WORKBOOK"], school_year=last,
                            is_current=True, year_tabs=True))
    db.session.commit()
    report = sync_now(current_app, "demo")
    for result in report.results:
        click.echo(f"{years.short(last)} {result.line()}")
    codes = [w.code for w in new_year.plans_to_start(db.session)]
    new_year.start_year(db.session, {code: new_year.Choice(code, new_year.PLAIN) for code in codes}, "the demo")
    db.session.commit()
    click.echo(f"Demo archive: {years.label(last)} kept; {years.label(last + 1)} started.")


def _demo_review():
    """The demo's one confirmed review: Bank Road's plan, last term, signed by its head and
    confirmed by its chair of governors near the end of that term (so the home shows a last
    review, and this term's is due). Added once; its dated tab goes through the outbox."""
    term, year = reviews.previous_term(*reviews.term_now(dates.uk_today()))
    # Last summer's review is of last year's plan, where the hub holds it.
    plan = plans.find_plan(db.session, "BR", year) or plans.find_plan(db.session, "BR")
    head = find_user(db.session, "head@bankroad.demo.school")
    chair = find_user(db.session, "governor@bankroad.demo.school")
    if plan is None or plan.workbook is None or head is None or chair is None or reviews.reviews_of(db.session, "BR"):
        return
    _, last_day = reviews.term_dates(term, year)
    # Before the summer holiday (the hub's Summer term runs on to the end of August).
    day = date(year + 1, 7, 10) if term == "Summer" else last_day - timedelta(days=14)
    signed = datetime.combine(day, time(16))
    review = reviews.start(db.session, plan, head, term=term, school_year=year, at=signed - timedelta(days=2))
    reviews.sign(db.session, review, head, "Reviewed with the senior leaders; writing needs the spring focus.",
                 at=signed)
    reviews.sign(db.session, review, chair, "Agreed at the joint committee.", at=signed + timedelta(hours=1))
    db.session.commit()
    click.echo(f"Demo review: {plan.title}, {reviews.term_label(term, year)}, confirmed.")
