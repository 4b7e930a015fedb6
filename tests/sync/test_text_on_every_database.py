"""Cell text every database can store: PostgreSQL refuses a NUL, which SQLite keeps."""
from .conftest import BR, actions


def test_a_nul_in_a_google_cell_is_dropped_and_the_workbook_still_syncs(session, gsync, emulator):
    gsync()
    gsync()
    emulator.store.edit(BR, "Action plan", 2, 8, "Jo\x00 Lead")  # H2: Lead of BR-A001
    results, report = gsync()
    assert report.ok, results["BR"].error
    assert actions(session, "BR")["BR-A001"].lead == "Jo Lead"
