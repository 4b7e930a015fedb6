"""People: adding them, checking their sign-in, ending their sessions."""
import re

from sqlalchemy import select
from sqlalchemy.orm import object_session

from .models import ROLES, School, User
from .passwords import hash_password, needs_rehash, password_problem, verify_password
from .scope import HUB_WIDE
from .user_sessions import end_all


class UserError(ValueError):
    """A request about a user that cannot be carried out, said plainly."""


# One address: no spaces, commas, semicolons, brackets or line breaks, which would make a
# mail header carry a second recipient (an invitation link sent to someone else).
_ONE_ADDRESS = re.compile(r"[^@\s,;<>()\[\]\\\"']+@[^@\s,;<>()\[\]\\\"']+\.[^@\s,;<>()\[\]\\\"']+")


def normalise_email(email):
    """An e-mail address as accounts are keyed: trimmed, lower case."""
    return (email or "").strip().lower()


def find_user(session, email):
    """The user with this e-mail address, or None, in whichever partnership: an address is
    one account in the whole hub (signing in, and no second account for it)."""
    return session.scalar(select(User).where(User.email == normalise_email(email)).execution_options(**HUB_WIDE))


def add_user(session, email, role, password, school_code=None, name="", password_hash=None):
    """Create a user; raises UserError with a message a coordinator can act on.
    ``password_hash``: the password's hash made already (the demo's accounts share one)."""
    email, school = checked_new_user(session, email, role, school_code)
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    user = User(email=email, role=role, school=school, name=name or email.split("@")[0],
                password_hash=password_hash or hash_password(password))
    session.add(user)
    return user


def checked_new_user(session, email, role, school_code):
    """The e-mail as keyed and the school of a user about to be added; UserError if either cannot be."""
    email = normalise_email(email)
    if not _ONE_ADDRESS.fullmatch(email) or len(email) > 254:
        raise UserError(f"'{email}' is not an e-mail address (one address, without spaces or commas).")
    if find_user(session, email):
        raise UserError(f"There is already a user {email}.")
    return email, school_for_role(session, role, school_code)


def school_for_role(session, role, school_code):
    """The school a user of this role belongs to (None for an admin); UserError if it does not fit."""
    if role not in ROLES:
        raise UserError(f"The role must be one of {', '.join(ROLES)}.")
    if role == "admin":
        if school_code:
            raise UserError("An admin coordinates the whole partnership and has no school.")
        return None
    if not school_code:
        raise UserError(f"A {role} belongs to a school: give --school CODE.")
    school = session.scalar(select(School).where(School.code == school_code.upper()))
    if school is None:
        codes = ", ".join(session.scalars(select(School.code).order_by(School.code))) or "none yet: run a sync"
        raise UserError(f"There is no school {school_code!r} (schools: {codes}).")
    return school


def authenticate(session, email, password):
    """The active user with this e-mail and password, or None, in the same time either way."""
    user = find_user(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user, password):
    """A new password; whoever signed in with the old one is signed out."""
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    user.password_hash = hash_password(password)
    _end_sessions(user)


def deactivate(user):
    """Stop a user signing in, and end their sessions now."""
    user.active = False
    user.calendar_feed_hash = None  # their private calendar feed's address dies too, not only until reactivated
    _end_sessions(user)


def _end_sessions(user):
    """Sign the user out everywhere: the version in their cookies moves on and their rows go."""
    user.end_sessions()
    session = object_session(user)
    if session is not None and user.id is not None:
        end_all(session, user.id)


def activate(user):
    """Let a deactivated user sign in again (with their password as it was)."""
    user.active = True
