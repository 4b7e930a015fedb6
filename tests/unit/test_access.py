"""Who sees and edits which plan, as plain rules."""
from types import SimpleNamespace

import pytest

from domain.access import (
    can_edit_plan,
    can_manage_schools,
    can_resolve,
    can_see_sync_history,
    can_sync,
    can_view_plan,
    why_not_edit,
)


def person(role, code=None):
    return SimpleNamespace(id=None, role=role, school=SimpleNamespace(code=code) if code else None)


@pytest.mark.parametrize("role", ["admin", "head", "staff", "governor"])
def test_everyone_sees_the_joint_plan(role):
    assert can_view_plan(person(role, None if role == "admin" else "BR"), "joint")


@pytest.mark.parametrize("role", ["head", "staff", "governor"])
def test_school_people_see_their_own_school_and_no_other(role):
    user = person(role, "BR")
    assert can_view_plan(user, "BR")
    assert not can_view_plan(user, "WL")


def test_a_user_without_a_school_sees_no_school():
    assert not can_view_plan(person("staff"), "BR")


def test_admins_see_every_school():
    assert can_view_plan(person("admin"), "BR") and can_view_plan(person("admin"), "WL")


def test_governors_never_edit():
    assert not can_edit_plan(person("governor", "BR"), "BR")
    assert not can_edit_plan(person("governor", "BR"), "joint")


def test_staff_and_heads_edit_their_own_school_only():
    for role in ("staff", "head"):
        assert can_edit_plan(person(role, "BR"), "BR")
        assert not can_edit_plan(person(role, "BR"), "WL")
        assert not can_edit_plan(person(role, "BR"), "joint")
    assert can_edit_plan(person("admin"), "joint")


def test_conflicts_are_resolved_by_the_editor_the_schools_heads_or_admins():
    edit = SimpleNamespace(created_by_id=7)
    jo = SimpleNamespace(id=7, role="staff", school=SimpleNamespace(code="BR"))
    assert can_resolve(jo, edit, "BR")
    assert can_resolve(person("head", "BR"), edit, "BR")
    assert not can_resolve(person("staff", "BR"), edit, "BR")
    assert not can_resolve(person("head", "WL"), edit, "BR")
    assert not can_resolve(person("head", "WL"), edit, "joint")  # the joint plan is the admins'
    assert can_resolve(person("admin"), edit, "joint")


@pytest.mark.parametrize("role, syncs, sees_history", [
    ("admin", True, True), ("head", True, False), ("staff", False, False), ("governor", False, False),
])
def test_heads_and_admins_sync_and_only_admins_see_the_history(role, syncs, sees_history):
    user = person(role, None if role == "admin" else "BR")
    assert can_sync(user) is syncs and can_see_sync_history(user) is sees_history


def test_the_refusal_to_edit_speaks_of_the_persons_role():
    assert why_not_edit(person("governor", "BR"), "BR") == "Governors can read the plans but not change them."
    assert "joint plan" in why_not_edit(person("head", "BR"), "joint")
    assert "another school" in why_not_edit(person("staff", "BR"), "WL")


@pytest.mark.parametrize("role, allowed", [("admin", True), ("head", False), ("staff", False), ("governor", False)])
def test_only_coordinators_manage_schools_and_workbooks(role, allowed):
    assert can_manage_schools(person(role, None if role == "admin" else "BR")) is allowed
