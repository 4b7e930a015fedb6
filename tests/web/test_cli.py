"""The command line that coordinators and set-up scripts use."""
import csv
import io
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import TestConfig
from domain.models import ActionRow, Base, User
from webapp import create_app
from webapp.extensions import db

from ..conftest import PEOPLE, login


def test_sync_run_prints_a_line_per_workbook(runner):
    result = runner.invoke(args=["sync", "run", "--full"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["joint", "BR", "WL"]
    assert lines[-1] == "Files: 3 read, 0 saved"  # the .xlsx set-up's words, not API calls
    assert "39 rows read, 0 added, 0 changed, 0 archived, 0 problems" in lines[0]  # schools, objectives, plan, themes, calendar, RSVP
    assert lines[2].endswith("2 problems")


def test_sync_run_skips_workbooks_that_have_not_changed(runner, workbook_dir):
    from openpyxl import load_workbook

    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book["Action plan"]["J2"] = "Amber"
    book.save(path)
    lines = runner.invoke(args=["sync", "run"]).output.strip().splitlines()
    assert lines[0] == "joint    partnership.xlsx: unchanged since the last sync, not read"
    assert lines[1].startswith("BR       bank-road.xlsx: 15 rows read, 0 added, 1 changed")
    assert lines[2] == "WL       william-lilley.xlsx: unchanged since the last sync, not read"


def test_sync_run_exits_1_when_a_workbook_fails(runner, workbook_dir):
    (workbook_dir / "william-lilley.xlsx").unlink()
    result = runner.invoke(args=["sync", "run"])
    assert result.exit_code == 1
    assert "WL       william-lilley.xlsx: FAILED - The workbook file 'william-lilley.xlsx' was not found" in result.output
    assert "BR       bank-road.xlsx: unchanged since the last sync, not read" in result.output


def test_users_add_reads_the_password_from_stdin_and_users_list_shows_them(runner):
    result = runner.invoke(args=["users", "add", "Jo@BR.test.school", "--role", "staff", "--school", "br"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Added jo@br.test.school (staff, BR)." in result.output
    listing = runner.invoke(args=["users", "list"]).output
    assert "jo@br.test.school\tstaff\tBR\tactive" in listing


def test_users_add_refuses_bad_input_clearly(runner):
    cases = [
        (["users", "add", "x@test.school", "--role", "staff"], "belongs to a school"),
        (["users", "add", "x@test.school", "--role", "staff", "--school", "ZZ"], "no school 'ZZ'"),
        (["users", "add", "x@test.school", "--role", "admin", "--school", "BR"], "has no school"),
        (["users", "add", "head@br.test.school", "--role", "head", "--school", "BR"], "already a user"),
        (["users", "add", "not-an-email", "--role", "admin"], "not an e-mail address"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args, input="a long enough password\n")
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    short = runner.invoke(args=["users", "add", "y@test.school", "--role", "admin"], input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output


def test_users_set_password_reads_it_from_stdin_and_ends_their_sessions(synced_app, runner):
    client = synced_app.test_client()
    assert login(client, "br_staff").status_code == 302
    result = runner.invoke(args=["users", "set-password", "Staff@BR.test.school"], input="a brand new password\n")
    assert result.exit_code == 0, result.output
    assert "Set the password of staff@br.test.school; their sessions have ended." in result.output
    assert client.get("/").status_code == 302  # signed out where they were signed in
    assert login(client, "br_staff").status_code == 422  # the old password no longer works
    assert login(client, "br_staff", "a brand new password").status_code == 302


def test_users_set_password_refuses_a_short_password_or_an_unknown_user(synced_app, runner):
    short = runner.invoke(args=["users", "set-password", PEOPLE["br_staff"][0]], input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    assert login(synced_app.test_client(), "br_staff").status_code == 302  # unchanged
    unknown = runner.invoke(args=["users", "set-password", "nobody@test.school"], input="a long enough password\n")
    assert unknown.exit_code != 0 and "There is no user nobody@test.school" in unknown.output


def test_users_activate_lets_a_deactivated_user_sign_in_again(synced_app, runner):
    client = synced_app.test_client()
    runner.invoke(args=["users", "deactivate", PEOPLE["br_staff"][0]])
    assert login(client, "br_staff").status_code == 422
    result = runner.invoke(args=["users", "activate", PEOPLE["br_staff"][0]])
    assert result.exit_code == 0 and "Activated staff@br.test.school; they can sign in again." in result.output
    assert login(client, "br_staff").status_code == 302
    assert "staff@br.test.school\tstaff\tBR\tactive" in runner.invoke(args=["users", "list"]).output
    unknown = runner.invoke(args=["users", "activate", "nobody@test.school"])
    assert unknown.exit_code != 0 and "There is no user nobody@test.school" in unknown.output


def test_export_csv_has_the_contract_columns_and_every_current_row(runner):
    result = runner.invoke(args=["export", "action-plan", "BR", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["ID", "Area", "Linked objectives", "Key objective", "Specific actions",
                             "Intended outcome", "Impact to date", "Lead", "Due", "Status", "Last updated"]
    assert len(rows) == 6 and rows[0]["ID"] == "BR-A001" and rows[0]["Status"] == "Complete"


def test_export_json_of_the_joint_plan_uses_the_vocabulary(runner):
    result = runner.invoke(args=["export", "action-plan", "joint", "--format", "json"])
    records = json.loads(result.output)
    assert len(records) == 10
    assert {r["Status"] for r in records} <= {"Not started", "On track", "At risk", "Behind", "Complete"}
    assert records[0]["ID"] == "J-A001" and records[0]["Area"] == "Safeguarding"


def test_export_gives_due_as_the_sheet_shows_it_uk_dates_and_text_as_written(runner, demo):
    due, updated = demo.school("BR")["actions"][0][8], demo.school("BR")["actions"][0][10]  # dd/mm/yyyy
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["export", "action-plan", "BR"]).output)))
    assert rows[0]["Due"] == due and rows[0]["Last updated"] == updated
    assert rows[2]["Due"] == demo.next_term()  # a term, as written: "Spring 2027"
    records = json.loads(runner.invoke(args=["export", "action-plan", "BR", "--format", "json"]).output)
    assert records[0]["Due"] == due and records[2]["Due"] == demo.next_term()


def test_export_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas_and_json_stays_exact(synced_app, runner):
    risky = {"key_objective": '=HYPERLINK("https://evil.example","Click")', "lead": "@SUM(1+1)",
             "impact_to_date": "-2+3", "intended_outcome": "+44 20 7946 0000"}
    with synced_app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A001"))
        for attr, value in risky.items():
            setattr(row, attr, value)
        db.session.commit()
    first = next(csv.DictReader(io.StringIO(runner.invoke(args=["export", "action-plan", "BR"]).output)))
    assert first["Key objective"] == "'=HYPERLINK(\"https://evil.example\",\"Click\")"
    assert first["Lead"] == "'@SUM(1+1)" and first["Impact to date"] == "'-2+3"
    assert first["Intended outcome"] == "'+44 20 7946 0000"
    assert first["ID"] == "BR-A001" and first["Status"] == "Complete"  # ordinary cells untouched
    record = json.loads(runner.invoke(args=["export", "action-plan", "BR", "--format", "json"]).output)[0]
    assert record["Key objective"] == risky["key_objective"] and record["Lead"] == "@SUM(1+1)"


def test_export_of_an_unknown_plan_says_so(runner):
    result = runner.invoke(args=["export", "action-plan", "nope", "--format", "json"])
    assert result.exit_code != 0 and "There is no plan 'nope'" in result.output


def test_demo_init_twice_keeps_the_data_and_adds_no_duplicates(runner, synced_app):
    first = runner.invoke(args=["demo", "init"])
    second = runner.invoke(args=["demo", "init"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "Demo users: 0 added, 7 already there." in second.output
    assert "Wrote" not in second.output  # workbooks are never overwritten
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 7 + 7
    assert "unchanged since the last sync, not read" in second.output


def test_migrations_create_exactly_the_tables_the_models_describe(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
    engine = create_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert "action_row" in inspect(connection).get_table_names()
    engine.dispose()


def test_the_upgrade_leaves_a_school_named_two_chairs_before_with_one_and_says_so(tmp_path):
    """Before 0.6.1 a school could be given a second chair beside the first; the upgrade
    keeps the active chair added last, tells the audit list, and the database then refuses
    a second chair however it is written."""
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="3f1c9a7e5b20")  # the revision before one chair a school
    engine = create_engine(url)
    with engine.begin() as connection:  # the rows as that revision's tables hold them (no later column)
        connection.execute(text("INSERT INTO school (id, code, name, phase, head_teacher, chair_of_governors, "
                                "safeguarding_policy, code_of_conduct) VALUES (1, 'BR', 'Bank Road', '', '', '', '', '')"))
        for id_, name, active in ((1, "Old Chair", True), (2, "Newer Chair", True), (3, "Left Chair", False)):
            connection.execute(text(
                "INSERT INTO \"user\" (id, email, name, role, school_id, password_hash, active, session_version, "
                "link_version, created_at, chair) VALUES (:id, :email, :name, 'governor', 1, '!', :active, 1, 0, "
                "'2026-11-01 09:00:00', 1)"), dict(id=id_, email=f"g{id_}@br.t.school", name=name, active=active))
    with app.app_context():
        upgrade()
    with engine.begin() as connection:
        assert connection.execute(text("SELECT name FROM \"user\" WHERE chair")).scalars().all() == ["Newer Chair"]
        said = connection.execute(text("SELECT person, what FROM person_change ORDER BY person")).all()
        assert said == [(p, "No longer chair of governors: Newer Chair <g2@br.t.school> is chair at Bank Road")
                        for p in ("Left Chair <g3@br.t.school>", "Old Chair <g1@br.t.school>")]
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE \"user\" SET chair = 1 WHERE id = 1"))
    engine.dispose()


def test_the_upgrade_keys_every_persons_name_as_names_are_compared(tmp_path):
    """Lead cells are matched to people by user.name_key (domain/leaders.py): the upgrade
    fills it for everyone already there, the way the app keeps it for everyone after."""
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="e5a2d9c4b718")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO \"user\" (id, email, name, role, password_hash, active, session_version, link_version, "
            "created_at, chair) VALUES (1, 'jo@br.t.school', '  ＪＯ   Teacher ', 'staff', '!', 1, 1, 0, "
            "'2026-11-01 09:00:00', 0)"))
    with app.app_context():
        upgrade()
    with engine.begin() as connection:
        assert connection.execute(text("SELECT name_key FROM \"user\"")).scalar() == "jo teacher"
    with Session(engine) as session:
        session.add(User(email="sam@br.t.school", name="Sam  SMITH", role="staff", password_hash="!"))
        session.commit()
        assert session.scalar(select(User.name_key).where(User.email == "sam@br.t.school")) == "sam smith"
    engine.dispose()


def test_export_priorities_gives_every_priority_with_its_grouped_theme(runner):
    import json

    records = json.loads(runner.invoke(args=["export", "priorities", "--format", "json"]).output)
    assert {r["ID"] for r in records} >= {"BR-S001", "BR-S005", "WL-S004"}
    by_id = {r["ID"]: r for r in records}
    assert by_id["BR-S005"]["Shared"] is False  # unshared ones too: a coordinator's export
    assert by_id["WL-S003"]["Theme"] == "Middle leaders"  # the theme it is grouped under, not as typed
    assert set(by_id["BR-S001"]) == {"ID", "School", "Priority", "Theme", "Status", "Lead", "Shared"}
    csv = runner.invoke(args=["export", "priorities", "--format", "csv"]).output
    assert csv.splitlines()[0] == "ID,School,Priority,Theme,Status,Lead,Shared"


def test_users_deactivate_refuses_the_last_coordinator_and_keeps_the_change(runner, synced_app):
    from domain.models import PersonChange
    from webapp.extensions import db

    result = runner.invoke(args=["users", "deactivate", "admin@test.school"])
    assert result.exit_code == 1 and "last active partnership coordinator" in result.output
    result = runner.invoke(args=["users", "deactivate", "staff@br.test.school"])
    assert result.exit_code == 0
    with synced_app.app_context():
        [change] = db.session.scalars(db.select(PersonChange)).all()
        assert change.by == "the command line" and "Deactivated" in change.what
