"""The stand-in answers as Google does: gspread's recorded conversations with the real
Sheets v4 and Drive v3 APIs, replayed against ``sheets_emulator``.

tests/sync/cassettes/ holds the cassettes of gspread's own test suite (MIT, see
LICENSE there; burnash/gspread tests/cassettes at 5e2b628d): each request as sent and
Google's answer as received. ``cassette_replay.replay`` sends every request, in order,
to a fresh stand-in and compares status and JSON with Google's, after mapping ids and
dropping noise (the list, with reasons, is in cassette_replay.py).

Every interaction must answer as Google answered, or be listed in ``KNOWN_DIFFERENCES``
with the reason; a listed one that no longer differs fails too, so the list stays true.
"""
import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from sheets_emulator import Emulator, Store

from .cassette_replay import CASSETTES, load, replay

CASSETTE_NAMES = sorted(p.name for p in CASSETTES.glob("*.json"))

# (cassette, interaction index) -> why the stand-in's answer differs from Google's.
# None at present: every replayed interaction answers as Google did. (Tab colours were
# the last: Google keeps 8-bit channels, 0.5 comes back as 0.49803922.)
KNOWN_DIFFERENCES: dict[tuple[str, int], str] = {}


@pytest.fixture(scope="module")
def replays():
    return {name: replay(name) for name in CASSETTE_NAMES}


@pytest.mark.parametrize("name", CASSETTE_NAMES)
def test_the_stand_in_answers_each_recorded_request_as_google_did(replays, name):
    differing = {o.index: o for o in replays[name] if not o.same}
    listed = {index for (cassette, index) in KNOWN_DIFFERENCES if cassette == name}
    unexpected = [differing[i].describe() for i in sorted(set(differing) - listed)]
    assert not unexpected, "answered otherwise than Google:\n" + "\n".join(unexpected)
    stale = sorted(listed - set(differing))
    assert not stale, f"listed as different but now answered as Google did: {stale}; take them off the list"


def test_the_replay_notices_an_answer_that_is_not_googles():
    """The comparison can fail: a stand-in writing a one-cell range as B2:B2 (as it once
    did) is caught, on that interaction only."""
    class OneCellAsTwo(Emulator):
        def values_update(self, request, key, a1):
            answer = super().values_update(request, key, a1)
            if ":" not in answer["updatedRange"]:
                answer["updatedRange"] += ":" + answer["updatedRange"].rsplit("!", 1)[1]
            return answer

    outcomes = replay("WorksheetTest.test_update_acell.json", OneCellAsTwo(Store()))
    differing = [o for o in outcomes if not o.same]
    assert differing and all(o.method == "PUT" for o in differing)
    assert all(":" in o.actual["updatedRange"] and ":" not in o.expected["updatedRange"] for o in differing)


def test_every_listed_difference_is_a_cassette_replayed_here():
    assert {cassette for cassette, _ in KNOWN_DIFFERENCES} <= set(CASSETTE_NAMES)


def _request(interaction):
    request = interaction["request"]
    url = urlsplit(request["uri"])
    body = json.loads(request["body"]) if request.get("body") else {}
    return request["method"], unquote(url.path), {k: v[0] for k, v in parse_qs(url.query).items()}, body


def _batch_kinds(body):
    return {kind for item in body.get("requests", []) for kind in item}


# The calls the product makes (sync/backends/google.py) and the set-up the cassettes need,
# each as a test on a recorded request.
OPERATIONS = {
    "spreadsheets.get (fetch_sheet_metadata)":
        lambda m, p, q, b: m == "GET" and p.startswith("/v4/spreadsheets/") and "/values" not in p,
    "values.get, formatted":
        lambda m, p, q, b: m == "GET" and "/values/" in p and q.get("valueRenderOption", "FORMATTED_VALUE")
        == "FORMATTED_VALUE",
    "values.get, UNFORMATTED_VALUE with SERIAL_NUMBER dates":
        lambda m, p, q, b: m == "GET" and "/values/" in p and q.get("valueRenderOption") == "UNFORMATTED_VALUE"
        and q.get("dateTimeRenderOption") == "SERIAL_NUMBER",
    "values:batchGet, formatted": lambda m, p, q, b: p.endswith("values:batchGet"),
    "values:batchGet, UNFORMATTED_VALUE (the product's read)":
        lambda m, p, q, b: p.endswith("values:batchGet") and q.get("valueRenderOption") == "UNFORMATTED_VALUE",
    "values.update RAW": lambda m, p, q, b: m == "PUT" and q.get("valueInputOption") == "RAW",
    "values.update USER_ENTERED": lambda m, p, q, b: m == "PUT" and q.get("valueInputOption") == "USER_ENTERED",
    "values.update USER_ENTERED with an ISO date":
        lambda m, p, q, b: m == "PUT" and q.get("valueInputOption") == "USER_ENTERED"
        and "2020-01-01" in json.dumps(b),
    "values:batchUpdate RAW (write_headers)":
        lambda m, p, q, b: p.endswith("values:batchUpdate") and b.get("valueInputOption") == "RAW",
    "values:batchUpdate USER_ENTERED (write_cells)":
        lambda m, p, q, b: p.endswith("values:batchUpdate") and b.get("valueInputOption") == "USER_ENTERED",
    "values.append": lambda m, p, q, b: p.endswith(":append"),
    "values.append USER_ENTERED with INSERT_ROWS (append_rows)":
        lambda m, p, q, b: p.endswith(":append") and q.get("valueInputOption") == "USER_ENTERED"
        and q.get("insertDataOption") == "INSERT_ROWS",
    "values.clear": lambda m, p, q, b: p.endswith(":clear"),
    "batchUpdate addSheet (add_tabs)": lambda m, p, q, b: p.endswith(":batchUpdate") and "addSheet" in _batch_kinds(b),
    "batchUpdate appendDimension (_grow_grids)":
        lambda m, p, q, b: p.endswith(":batchUpdate") and "appendDimension" in _batch_kinds(b),
    "batchUpdate updateSheetProperties (grid size)":
        lambda m, p, q, b: p.endswith(":batchUpdate") and "gridProperties/rowCount" in json.dumps(b),
    "Drive files.create": lambda m, p, q, b: m == "POST" and p == "/drive/v3/files",
    "Drive files.delete": lambda m, p, q, b: m == "DELETE" and p.startswith("/drive/v3/files/"),
    "Drive files.get with fields": lambda m, p, q, b: m == "GET" and p.startswith("/drive/v3/files/") and "fields" in q,
    "Drive files.list with fields": lambda m, p, q, b: m == "GET" and p == "/drive/v3/files" and "fields" in q,
    "Drive files.list with a name = query":
        lambda m, p, q, b: m == "GET" and p == "/drive/v3/files" and "name =" in q.get("q", ""),
    "Drive files.list with trashed=false (the product's listing)":
        lambda m, p, q, b: m == "GET" and p == "/drive/v3/files" and "trashed" in q.get("q", ""),
}

# Operations the product uses that no cassette recorded: gspread's tests never send them,
# so there is no answer of Google's to compare with. What the stand-in does for each is
# tested in tests/sync/test_google_sync.py and test_outbox_google.py; the nearest
# recorded evidence is named.
NOT_RECORDED = {
    "values:batchGet, UNFORMATTED_VALUE (the product's read)":
        "gspread's batch_get tests read formatted values only; values.get UNFORMATTED_VALUE is recorded.",
    "values:batchUpdate USER_ENTERED (write_cells)":
        "gspread's batch_update test writes RAW; values.update USER_ENTERED (same parsing) is recorded.",
    "values.append USER_ENTERED with INSERT_ROWS (append_rows)":
        "gspread's append tests use RAW and the default insertDataOption; the table Google finds is recorded.",
    "batchUpdate appendDimension (_grow_grids)":
        "gspread grows a sheet with updateSheetProperties (recorded), never appendDimension.",
    "Drive files.list with trashed=false (the product's listing)":
        "gspread lists by mimeType and name only; fields and name = queries are recorded.",
}


def test_the_cassettes_cover_the_operations_the_product_uses():
    found = {name: [] for name in OPERATIONS}
    for cassette in CASSETTE_NAMES:
        for index, interaction in enumerate(load(cassette)):
            for name, matches in OPERATIONS.items():
                if matches(*_request(interaction)):
                    found[name].append((cassette, index))
    missing = sorted(name for name, hits in found.items() if not hits and name not in NOT_RECORDED)
    assert not missing, f"no cassette records: {missing}"
    recorded_after_all = sorted(name for name in NOT_RECORDED if found[name])
    assert not recorded_after_all, f"listed as not recorded but a cassette has them: {recorded_after_all}"
