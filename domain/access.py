"""Who sees what. Plain functions of a user and a plan, tested without a request.

Every signed-in user sees the partnership home and the joint plan; heads, staff
and governors see their own school; admins (partnership coordinators) see every
school. Governors never edit.
"""
from .models import JOINT, OFFICER

EDITING_ROLES = frozenset({"admin", "head", "staff"})
SYNC_ROLES = frozenset({"admin", "head"})
CHOOSING_ROLES = frozenset({"admin", "head"})  # choose in any conflict of a plan they may edit


def can_sync(user):
    """May this user press "Sync now"? Heads and partnership coordinators."""
    return user.role in SYNC_ROLES


def can_see_sync_history(user):
    """Every run and the edits waiting for the sheets: partnership coordinators only."""
    return user.role == "admin"


def can_manage_schools(user):
    """The schools and their workbooks, the sheets check, every edit waiting: partnership
    coordinators only (a head sees their own school's on its pages)."""
    return user.role == "admin"


SCHOOLS_REFUSAL = "Only partnership coordinators see the schools and their workbooks."
SYNC_HISTORY_REFUSAL = "Only partnership coordinators see the sync history."
SYNC_REFUSAL = "Head teachers and partnership coordinators can ask for a sync."


def sees_sheet_ids(user):
    """Are a row's sheet IDs (BR-A003) shown to this person? Those who edit the sheets find
    rows by them; governors read the words, never the IDs (nor does a board pack)."""
    return user.role in EDITING_ROLES


def sees_every_school(user):
    """Does this user open every school's plan (a coordinator), or at most their own?"""
    return user.role == "admin"


def own_school_code(user):
    """The code of the user's school, or None."""
    return user.school.code if user.school is not None else None


def can_view_plan(user, plan_code):
    """May this user see the plan (``joint`` or a school code) and its problems?"""
    if plan_code == JOINT or sees_every_school(user):
        return True
    return plan_code is not None and plan_code == own_school_code(user)


def can_edit_plan(user, plan_code):
    """May this user change rows of the plan? Never governors; the joint plan is admins'."""
    if user.role not in EDITING_ROLES:
        return False
    if user.role == "admin":
        return True
    return plan_code != JOINT and can_view_plan(user, plan_code)


def can_carry_forward(user, plan_code):
    """Who chooses which of last year's unfinished rows go on into the plan: its school's
    head, and coordinators (the joint plan's are theirs)."""
    if user.role == "admin":
        return True
    return user.role == "head" and plan_code != JOINT and can_view_plan(user, plan_code)


def why_not_edit(user, plan_code):
    """What to tell someone who may not change this plan, in words of their role."""
    if user.role == "governor":
        return "Governors can read the plans but not change them."
    if user.role not in EDITING_ROLES:
        return "Your role can read the plans but not change them."
    if plan_code == JOINT:
        return "Only partnership coordinators change the joint plan; your school's own plan is in the menu."
    return "This plan belongs to another school. Your own school's plan is in the menu."


def visible_school_codes(user, all_codes):
    """The school codes whose pages this user may open, in the order given: the person is
    asked about once (every school, or their own), not once a school, since a home of a
    partnership of hundreds would ask hundreds of times (can_view_plan's rule, whole)."""
    if sees_every_school(user):
        return list(all_codes)
    own = own_school_code(user)
    return [code for code in all_codes if code is not None and code == own]


def can_resolve(user, entry, plan_code):
    """Who chooses in a conflict: the editor (while they may still edit the plan), the
    school's heads, admins."""
    if not can_edit_plan(user, plan_code):
        return False
    return user.role in CHOOSING_ROLES or (entry.created_by_id is not None and entry.created_by_id == user.id)


def can_view_priority(user, priority, school_code):
    """A shared SIP priority is the partnership's; an unshared one is its school's and admins'."""
    return bool(priority.share) or can_view_plan(user, school_code)


def can_answer_themes(user):
    """Who answers "Same theme?" for the partnership: heads and admins."""
    return user.role in CHOOSING_ROLES


def can_manage_people(user):
    """Invite, change, deactivate people and read the audit list: partnership coordinators only."""
    return user.role == "admin"


PEOPLE_REFUSAL = "Only partnership coordinators manage people."


# -- the calendar (issue 17): everyone reads it; heads and coordinators make events --

EVENT_ROLES = frozenset({"admin", "head"})
EVENTS_REFUSAL = "Head teachers and partnership coordinators add events; ask yours."
EVENT_MANAGER_REFUSAL = "Only the host school's head and partnership coordinators invite and remind."


def can_add_events(user):
    """Make events and invite: heads (hosted by their own school) and coordinators."""
    return user.role in EVENT_ROLES


def can_manage_event(user, host_school):
    """See who is coming, invite more, remind: the host school's head and coordinators."""
    if user.role == "admin":
        return True
    return user.role == "head" and host_school is not None and user.school_id == host_school.id


def can_reply_to_events(user):
    """Confirm or decline an invitation: anyone but governors, who read only."""
    return user.role in EDITING_ROLES


def why_not_reply(user, cancelled=False):
    """What to tell someone who may not reply to an event."""
    if user.role == "governor":
        return "Governors can read the calendar but not reply."
    if cancelled:
        return "This event is cancelled."
    return "You are not invited to this event; its host can invite you."


# -- impact forms (issue 17): the roles; domain.impact_forms adds the event's facts --------

IMPACT_FORM_GOVERNOR_REFUSAL = "Governors can read impact forms but not write them."


def can_write_impact_forms(user):
    """Write an impact form at all (the event decides which): never governors."""
    return user.role in EDITING_ROLES


def writes_any_impact_form(user):
    """Partnership coordinators write any event's impact form (but confirm for no school)."""
    return user.role == "admin"


def heads_school(user, code):
    """Is this person the head of the school with this code (a network's host, say)?"""
    return user.role == "head" and user.school is not None and bool(code) and user.school.code == code


DIRECTORY_REFUSAL = "Head teachers, chairs of governors and coordinators use the directory across partnerships."


def can_use_directory(user):
    """Lead heads, chairs and coordinators find those who work on a theme in other partnerships."""
    return user.role in ("admin", "head") or (user.role == "governor" and user.chair)


def is_officer(user):
    """An authority's or trust's officer: above the partnerships, in none."""
    return user.role == OFFICER


def manages_person(partnership, person):
    """Does this partnership's coordinator change ``person``'s role and access? Only for
    those it invited: a school in two partnerships has its people managed by one."""
    return partnership is not None and person.partnership_id == partnership.id
