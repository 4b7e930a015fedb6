"""`sheets check` and `sheets init` against the Sheets stand-in, through real gspread."""
import pytest

from config import TestConfig
from sheets_emulator.workbooks import sheet_url
from webapp import create_app


@pytest.fixture
def google_runner(tmp_path, emulator):
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'g.sqlite'}", SHEETS_BACKEND="google",
        GOOGLE_SHEETS_EMULATOR_HOST=emulator.host, PARTNERSHIP_WORKBOOK=emulator.partnership_url,
        GOOGLE_RETRY_BASE_SECONDS=0.01, SHEETS_READS_PER_MINUTE=0,
    )
    return app.test_cli_runner()


def test_sheets_check_says_every_workbook_is_ready(google_runner):
    result = google_runner.invoke(args=["sheets", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and all("every tab and required column is there" in line for line in lines)


def test_sheets_check_names_what_is_missing_and_whom_to_share_with(google_runner, emulator):
    wl = emulator.store.spreadsheets["demo-william-lilley-0000000000"]
    wl.sheet("Impact log").title = "Old evidence"
    br = emulator.store.spreadsheets["demo-bank-road-0000000000"]
    br.shared = False
    result = google_runner.invoke(args=["sheets", "check"])
    assert result.exit_code == 1
    assert "missing optional tab 'Impact log'" in result.output
    assert "BR" in result.output and "NOT REACHABLE" in result.output
    assert "Share it with partnership-hub@stand-in.iam.gserviceaccount.com" in result.output


def test_sheets_init_adds_missing_tabs_and_headers_and_touches_nothing_else(google_runner, emulator):
    key = emulator.store.create("New school", {"Notes": [["Our own notes"]], "Action plan": []})
    result = google_runner.invoke(args=["sheets", "init", sheet_url(key), "--kind", "school"])
    assert result.exit_code == 0, result.output
    assert "Added the tab 'Impact log' with its header row." in result.output
    assert "Wrote the header row of the empty tab 'Action plan'." in result.output
    store = emulator.store
    assert store.rows(key, "Impact log")[0][:3] == ["ID", "Date", "Action"]
    assert store.rows(key, "SIP priorities")[0][1] == "Priority"
    assert store.rows(key, "Action plan")[0][3] == "Key objective"
    assert store.rows(key, "Notes") == [["Our own notes"]]
    again = google_runner.invoke(args=["sheets", "init", sheet_url(key), "--kind", "school"])
    assert "Nothing to add" in again.output


def test_sync_run_through_the_google_backend(google_runner):
    from webapp.extensions import db

    with google_runner.app.app_context():
        db.create_all()
    result = google_runner.invoke(args=["sync", "run"])
    assert result.exit_code == 0, result.output
    assert "API calls: 3 Sheets reads, 3 Sheets writes, 4 Drive" in result.output
