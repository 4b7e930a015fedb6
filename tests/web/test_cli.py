"""The command line that coordinators and set-up scripts use."""
import csv
import io
import json

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, inspect, select

from config import TestConfig
from domain.models import Base, User
from webapp import create_app
from webapp.extensions import db


def test_sync_run_prints_a_line_per_workbook(runner):
    result = runner.invoke(args=["sync", "run", "--full"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert [line.split()[0] for line in lines] == ["joint", "BR", "WL"]
    assert "22 rows read, 0 added, 0 changed, 0 archived, 0 problems" in lines[0]
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


def test_export_of_an_unknown_plan_says_so(runner):
    result = runner.invoke(args=["export", "action-plan", "nope", "--format", "json"])
    assert result.exit_code != 0 and "There is no plan 'nope'" in result.output


def test_demo_init_twice_keeps_the_data_and_adds_no_duplicates(runner, synced_app):
    first = runner.invoke(args=["demo", "init"])
    second = runner.invoke(args=["demo", "init"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "Demo users: 0 added, 5 already there." in second.output
    assert "Wrote" not in second.output  # workbooks are never overwritten
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 7 + 5
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
