"""The stand-in's HTTP side: the Sheets v4 and Drive v3 endpoints our gspread code uses.

Point the app at it with GOOGLE_SHEETS_EMULATOR_HOST=host:port. It counts the
calls it receives by kind (Sheets reads, Sheets writes, Drive), can enforce a
per-minute read quota as Google does, and can be told to fail or stall calls.
"""
import json
import re
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from domain.cells import column_letters

from .store import SPREADSHEET_MIME, ApiError, Store, bad_request, quote_title

_META = re.compile(r"^/v4/spreadsheets/([^/:]+)$")
_BATCH_GET = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchGet$")
_BATCH_UPDATE_VALUES = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchUpdate$")
_APPEND = re.compile(r"^/v4/spreadsheets/([^/:]+)/values/(.+):append$")
_VALUES = re.compile(r"^/v4/spreadsheets/([^/:]+)/values/(.+)$")
_BATCH_UPDATE = re.compile(r"^/v4/spreadsheets/([^/:]+):batchUpdate$")
_DRIVE_LIST = re.compile(r"^/drive/v3/files$")
_DRIVE_GET = re.compile(r"^/drive/v3/files/([^/]+)$")

# Google's own words for the failures tests inject.
CANNED = {
    429: ("RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per "
          "minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'."),
    408: ("DEADLINE_EXCEEDED", "The request timed out."),
    500: ("INTERNAL", "Internal error encountered."),
    502: ("UNAVAILABLE", "Bad gateway."),
    503: ("UNAVAILABLE", "The service is currently unavailable."),
    504: ("DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
    403: ("PERMISSION_DENIED", "The caller does not have permission"),
    404: ("NOT_FOUND", "Requested entity was not found."),
}


SERVICE_DISABLED_MESSAGE = (
    "Google Sheets API has not been used in project 000000000000 before or it is disabled. Enable it by "
    "visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=000000000000 "
    "then retry.")
HTML_ERROR_PAGE = ("<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1</title>"
                   "<p><b>502.</b> <ins>That's an error.</ins><p>The server encountered a temporary error.</html>")


@dataclass
class Fault:
    """Make the next ``times`` calls of ``kind`` fail with ``status`` and/or stall.

    kind: 'sheets.read', 'sheets.write', 'drive' or 'any'. ``delay`` stalls the
    answer; with ``after_apply`` a write is carried out before the stall (a
    timeout whose write had in fact landed). ``reason`` gives a Drive-style
    403 (e.g. 'userRateLimitExceeded' in domain usageLimits); 'SERVICE_DISABLED'
    gives the answer of an API not enabled in the project. ``html``: the body
    is a front end's HTML error page, not Google's JSON (as a 502 can be).
    """

    kind: str
    status: int | None = None
    times: int = 1
    delay: float = 0.0
    after_apply: bool = False
    reason: str | None = None
    key: str | None = None  # only calls about this spreadsheet
    html: bool = False

    def error(self):
        if self.reason == "SERVICE_DISABLED":
            return ApiError(403, "PERMISSION_DENIED", SERVICE_DISABLED_MESSAGE, info_reason="SERVICE_DISABLED")
        if self.reason:
            return ApiError(self.status or 403, "PERMISSION_DENIED", "User rate limit exceeded.",
                            reason=self.reason, domain="usageLimits")
        status, message = CANNED.get(self.status, ("UNKNOWN", "Error."))
        return ApiError(self.status, status, message)


class HtmlError(Exception):
    """An answer from Google's front end rather than the API: an HTML page."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


class Emulator:
    """The WSGI app: routes, faults, quota and the call log."""

    def __init__(self, store=None, reads_per_minute=None, quota_window=60.0):
        self.store = store or Store()
        # Google's quota: so many Sheets reads per minute per user; None for none.
        # The window can be shortened so that tests need not wait a minute.
        self.reads_per_minute = reads_per_minute
        self.quota_window = quota_window
        self.faults = []
        self.calls = Counter()
        self.log = []
        self._reads = deque()
        self._lock = threading.Lock()

    # -- control, for tests and the demo ------------------------------------
    def inject(self, *faults):
        with self._lock:
            self.faults.extend(faults)

    def reset_counts(self):
        with self._lock:
            self.calls.clear()
            self.log.clear()

    def _take_fault(self, kind, key):
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.kind in (kind, "any") and (fault.key in (None, key)):
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _over_quota(self):
        if self.reads_per_minute is None:
            return False
        now = time.monotonic()
        with self._lock:
            while self._reads and now - self._reads[0] > self.quota_window:
                self._reads.popleft()
            if len(self._reads) >= self.reads_per_minute:
                return True
            self._reads.append(now)
        return False

    # -- WSGI ----------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except ApiError as error:
            response = Response(json.dumps(error.body()), status=error.code, mimetype="application/json")
        except HtmlError as error:
            response = Response(HTML_ERROR_PAGE, status=error.status, mimetype="text/html")
        return response(environ, start_response)

    def dispatch(self, request):
        path = request.path
        if path.startswith("/_emulator/"):
            return self.control(request)
        kind, key, handler = self.route(request.method, path)
        with self._lock:
            self.calls[kind] += 1
            self.log.append((request.method, path, kind))
        fault = self._take_fault(kind, key)
        if kind == "sheets.read" and self._over_quota():
            with self._lock:
                self.calls["rejected.429"] += 1
            raise ApiError(429, *CANNED[429])
        if fault and not fault.after_apply:
            time.sleep(fault.delay)
            if fault.status:
                raise HtmlError(fault.status) if fault.html else fault.error()
        body = handler(request)
        if fault and fault.after_apply:
            time.sleep(fault.delay)
            if fault.status:
                raise HtmlError(fault.status) if fault.html else fault.error()
        return Response(json.dumps(body), mimetype="application/json")

    def route(self, method, path):
        for pattern, verb, kind, handler in (
            (_BATCH_GET, "GET", "sheets.read", self.batch_get),
            (_BATCH_UPDATE_VALUES, "POST", "sheets.write", self.batch_update_values),
            (_BATCH_UPDATE, "POST", "sheets.write", self.batch_update),
            (_APPEND, "POST", "sheets.write", self.values_append),
            (_VALUES, "GET", "sheets.read", self.values_get),
            (_VALUES, "PUT", "sheets.write", self.values_update),
            (_META, "GET", "sheets.read", self.metadata),
            (_DRIVE_LIST, "GET", "drive", self.drive_list),
            (_DRIVE_GET, "GET", "drive", self.drive_get),
        ):
            match = pattern.match(path)
            if match and method == verb:
                key = match.group(1) if match.groups() else None
                return kind, key, lambda request, m=match, h=handler: h(request, *m.groups())
        raise ApiError(404, "NOT_FOUND", f"Method not found: {method} {path}")

    # -- Sheets --------------------------------------------------------------
    def metadata(self, request, key):
        with self.store.lock:
            return self.store.get(key).metadata()

    def batch_get(self, request, key):
        ranges = request.args.getlist("ranges")
        render = request.args.get("valueRenderOption", "FORMATTED_VALUE")
        major = request.args.get("majorDimension", "ROWS")
        dates = request.args.get("dateTimeRenderOption", "SERIAL_NUMBER")
        with self.store.lock:
            book = self.store.get(key)
            return {"spreadsheetId": key, "valueRanges": [book.get_values(r, render, major, dates) for r in ranges]}

    def values_get(self, request, key, a1):
        with self.store.lock:
            book = self.store.get(key)
            return book.get_values(a1, request.args.get("valueRenderOption", "FORMATTED_VALUE"),
                                   request.args.get("majorDimension", "ROWS"),
                                   request.args.get("dateTimeRenderOption", "SERIAL_NUMBER"))

    def values_update(self, request, key, a1):
        body = request.get_json(force=True, silent=True) or {}
        with self.store.lock:
            book = self.store.get(key)
            return book.set_values(a1, body.get("values", []), request.args.get("valueInputOption"))

    def values_append(self, request, key, a1):
        """Rows added after the "table" Google finds from the range's first cell: the
        first row at or below it that holds a value, and the rows that follow it without
        a blank row between. INSERT_ROWS inserts them, moving any rows below down."""
        body = request.get_json(force=True, silent=True) or {}
        rows = body.get("values", [])
        with self.store.lock:
            book = self.store.get(key)
            sheet, (r1, c1, _, _) = book.resolve(a1)
            used = {r for r, _ in sheet.cells}
            start = min((r for r in used if r >= r1), default=None)
            last = r1 - 1 if start is None else start
            while start is not None and last + 1 in used:
                last += 1
            width = max((len(r) for r in rows), default=0)
            if request.args.get("insertDataOption") == "INSERT_ROWS":
                sheet.cells = {(r + len(rows) if r > last else r, c): cell for (r, c), cell in sheet.cells.items()}
                sheet.rows += len(rows)  # inserted rows grow the grid
            elif last + len(rows) > sheet.rows:
                sheet.rows = last + len(rows)
            answer = book.set_values(f"{quote_title(sheet.title)}!{column_letters(c1)}{last + 1}", rows,
                                     request.args.get("valueInputOption"))
            answer = {"spreadsheetId": key, "updates": answer}
            if start is not None:  # Google leaves tableRange out when it found no table
                answer["tableRange"] = (f"{quote_title(sheet.title)}!{column_letters(c1)}{start}:"
                                        f"{column_letters(max(width, 1))}{last}")
        return answer

    def batch_update_values(self, request, key):
        body = request.get_json(force=True, silent=True) or {}
        option = body.get("valueInputOption")
        with self.store.lock:
            book = self.store.get(key)
            # All or nothing, as Google applies a batch.
            snapshot = {id(s): dict(s.cells) for s in book.sheets}
            modified = book.modified
            try:
                responses = [book.set_values(d["range"], d.get("values", []), option) for d in body.get("data", [])]
            except ApiError:
                for sheet in book.sheets:
                    sheet.cells = snapshot[id(sheet)]
                book.modified = modified
                raise
        return {
            "spreadsheetId": key,
            "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
            "totalUpdatedColumns": sum(r["updatedColumns"] for r in responses),
            "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
            "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0] for r in responses}),
            "responses": responses,
        }

    def batch_update(self, request, key):
        body = request.get_json(force=True, silent=True) or {}
        replies = []
        with self.store.lock:
            book = self.store.get(key)
            for item in body.get("requests", []):
                if "addSheet" in item:
                    props = item["addSheet"].get("properties", {})
                    grid = props.get("gridProperties", {})
                    sheet = book.add_sheet(props.get("title", f"Sheet{len(book.sheets) + 1}"),
                                           grid.get("rowCount", 1000), grid.get("columnCount", 26))
                    replies.append({"addSheet": {"properties": {
                        "sheetId": sheet.sheet_id, "title": sheet.title, "index": len(book.sheets) - 1,
                        "sheetType": "GRID",
                        "gridProperties": {"rowCount": sheet.rows, "columnCount": sheet.columns}}}})
                elif "appendDimension" in item:
                    spec = item["appendDimension"]
                    sheet = next((s for s in book.sheets if s.sheet_id == spec.get("sheetId")), None)
                    if sheet is None:
                        raise bad_request("Invalid requests[0].appendDimension: No grid with id: "
                                          f"{spec.get('sheetId')}")
                    if spec.get("dimension") == "COLUMNS":
                        sheet.columns += int(spec.get("length", 0))
                    else:
                        sheet.rows += int(spec.get("length", 0))
                    book.touch()
                    replies.append({})
                else:
                    raise bad_request("The stand-in supports only addSheet and appendDimension requests.")
        return {"spreadsheetId": key, "replies": replies}

    # -- Drive ---------------------------------------------------------------
    def _drive_file(self, book):
        return {"kind": "drive#file", "id": book.key, "name": book.title, "mimeType": SPREADSHEET_MIME,
                "createdTime": "2026-09-01T08:00:00.000Z", "modifiedTime": book.modified_time(),
                "trashed": book.trashed}

    def drive_list(self, request):
        query = request.args.get("q", "")
        size = min(int(request.args.get("pageSize", 100)), 1000)
        start = int(request.args.get("pageToken") or 0)
        since = re.search(r"modifiedTime\s*>\s*['\"]([^'\"]+)['\"]", query)
        with self.store.lock:
            books = [
                b for b in self.store.spreadsheets.values()
                if b.shared and not b.trashed and (not since or b.modified_time() > _drive_time(since.group(1)))
            ]
            files = [self._drive_file(b) for b in sorted(books, key=lambda b: b.key)]
        page = files[start:start + size]
        answer = {"kind": "drive#fileList", "incompleteSearch": False, "files": page}
        if start + size < len(files):
            answer["nextPageToken"] = str(start + size)
        return answer

    def drive_get(self, request, key):
        with self.store.lock:
            book = self.store.spreadsheets.get(key)
            if book is None or not book.shared:
                raise ApiError(404, "NOT_FOUND", f"File not found: {key}.", reason="notFound")
            return self._drive_file(book)

    # -- control -------------------------------------------------------------
    def control(self, request):
        if request.path == "/_emulator/calls":
            return Response(json.dumps(dict(self.calls)), mimetype="application/json")
        if request.path == "/_emulator/spreadsheets":
            with self.store.lock:
                books = [{"key": b.key, "title": b.title} for b in self.store.spreadsheets.values()]
            return Response(json.dumps(books), mimetype="application/json")
        if request.path == "/_emulator/edit" and request.method == "POST":
            body = request.get_json(force=True)
            self.store.edit(body["key"], body["tab"], int(body["row"]), int(body["col"]), body["value"])
            return Response("{}", mimetype="application/json")
        if request.path == "/_emulator/faults" and request.method == "POST":
            self.inject(Fault(**request.get_json(force=True)))
            return Response("{}", mimetype="application/json")
        raise ApiError(404, "NOT_FOUND", "No such control endpoint.")


def _drive_time(text):
    """Drive compares RFC 3339 times; normalise to the shape modifiedTime has."""
    text = text.rstrip("Z")
    if "." not in text:
        text += ".000"
    return text[:23] + "Z"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """The call log is the emulator's own; no line per request on the console."""


class EmulatorServer:
    """The stand-in on 127.0.0.1 in a background thread."""

    def __init__(self, emulator=None, port=0, quiet=True):
        self.emulator = emulator or Emulator()
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self._server = make_server("127.0.0.1", port, self.emulator, threaded=True, request_handler=handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def host(self):
        return f"127.0.0.1:{self._server.server_port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)
