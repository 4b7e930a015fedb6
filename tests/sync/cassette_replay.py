"""Replaying gspread's recorded conversations with Google against the stand-in.

A cassette (tests/sync/cassettes/, from gspread's test suite, MIT) holds each
request gspread sent to the real Sheets v4 / Drive v3 APIs and Google's answer.
``replay`` sends the same requests, in order, to a fresh ``sheets_emulator``
(in-process, through WSGI) and compares each status and JSON answer with
Google's, after:

- mapping ids: the spreadsheet ids the stand-in's Drive files.create hands out,
  and the sheet ids of its addSheet replies, stand for the recorded ones (in
  the requests sent and in the answers compared);
- putting a placeholder for values that differ at every run (``TIMES``);
- dropping fields that are pure noise for us (``NOISE``).
"""
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from werkzeug.test import Client

from sheets_emulator import Emulator, Store

CASSETTES = Path(__file__).parent / "cassettes"

# Values that are different at every run, whoever answers: compared as present or absent only.
TIMES = {"createdTime", "modifiedTime"}

# Fields left out of the comparison, each with why.
NOISE = {
    # The look of a new spreadsheet (fonts, padding, theme colours): formatting the
    # stand-in does not model and our code never reads.
    ("properties", "defaultFormat"): "cell formatting defaults",
    ("properties", "spreadsheetTheme"): "theme colours and fonts",
}


@dataclass
class Outcome:
    index: int
    method: str
    path: str
    expected_status: int
    status: int
    expected: object
    actual: object

    @property
    def same(self):
        return self.expected_status == self.status and self.expected == self.actual

    def describe(self):
        return (f"#{self.index} {self.method} {self.path}\n  Google: {self.expected_status} {self.expected!r}\n"
                f"  stand-in: {self.status} {self.actual!r}")


def load(name):
    return json.loads((CASSETTES / name).read_text(encoding="utf-8"))["interactions"]


class _Ids:
    """Recorded id <-> stand-in id, for spreadsheets (text) and sheets (numbers)."""

    def __init__(self):
        self.keys = {}  # recorded -> stand-in
        self.sheets = {}  # recorded sheetId -> stand-in sheetId

    def to_stand_in(self, text):
        for recorded, ours in self.keys.items():
            text = text.replace(recorded, ours)
        return text

    def to_recorded(self, text):
        for recorded, ours in self.keys.items():
            text = text.replace(ours, recorded)
        return text

    def sheet_ids_to_stand_in(self, value):
        return _map_sheet_ids(value, self.sheets)

    def sheet_ids_to_recorded(self, value):
        return _map_sheet_ids(value, {ours: recorded for recorded, ours in self.sheets.items()})


def _map_sheet_ids(value, mapping):
    if isinstance(value, dict):
        return {k: (mapping.get(v, v) if k == "sheetId" and isinstance(v, int) else _map_sheet_ids(v, mapping))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_map_sheet_ids(v, mapping) for v in value]
    return value


def _json(text):
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def normalise(value, path=()):
    if isinstance(value, dict):
        return {k: ("<time>" if k in TIMES else normalise(v, path + (k,)))
                for k, v in value.items() if path + (k,) not in NOISE}
    if isinstance(value, list):
        return [normalise(v, path) for v in value]
    return value




def replay(name, emulator=None):
    """[Outcome] for every interaction of one cassette, replayed in order."""
    emulator = emulator or Emulator(Store())
    client = Client(emulator)
    ids = _Ids()
    outcomes = []
    for index, interaction in enumerate(load(name)):
        request, response = interaction["request"], interaction["response"]
        url = urlsplit(request["uri"])
        path = ids.to_stand_in(unquote(url.path))
        query = ids.to_stand_in(url.query)
        body = request.get("body")
        data = None
        if body:
            sent = _json(body)
            if isinstance(sent, (dict, list)):
                sent = ids.sheet_ids_to_stand_in(sent)
                data = ids.to_stand_in(json.dumps(sent))
            else:
                data = ids.to_stand_in(body)
        answer = client.open(quote(path, safe="/:!'$,()*+;=@"), method=request["method"], query_string=query,
                             data=data, content_type="application/json" if data else None)
        status = answer.status_code
        text = answer.get_data(as_text=True)
        expected = _json(response["body"].get("string"))
        actual = _json(text)
        # Ids handed out by this answer: a new spreadsheet, a new sheet.
        if request["method"] == "POST" and url.path.rstrip("/").endswith("/drive/v3/files") \
                and isinstance(expected, dict) and isinstance(actual, dict) and "id" in actual:
            ids.keys[expected["id"]] = actual["id"]
        if isinstance(expected, dict) and isinstance(actual, dict):
            for mine, theirs in zip(actual.get("replies", []), expected.get("replies", [])):
                if "addSheet" in mine and "addSheet" in theirs:
                    ids.sheets[theirs["addSheet"]["properties"]["sheetId"]] = mine["addSheet"]["properties"]["sheetId"]
        if isinstance(actual, (dict, list)):
            actual = ids.sheet_ids_to_recorded(_json(ids.to_recorded(json.dumps(actual))))
        elif isinstance(actual, str):
            actual = ids.to_recorded(actual)
        outcomes.append(Outcome(index, request["method"], unquote(url.path), response["status"]["code"], status,
                                normalise(expected), normalise(actual)))
    return outcomes
