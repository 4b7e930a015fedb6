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

from .store import SPREADSHEET_MIME, ApiError, Store, a1_range, bad_request, by_rows, quote_title

_META = re.compile(r"^/v4/spreadsheets/([^/:]+)$")
_BATCH_GET = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchGet$")
_BATCH_UPDATE_VALUES = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchUpdate$")
_APPEND = re.compile(r"^/v4/spreadsheets/([^/:]+)/values/(.+):append$")
_CLEAR = re.compile(r"^/v4/spreadsheets/([^/:]+)/values/(.+):clear$")
_BATCH_CLEAR = re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchClear$")
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
        if body is None:  # Drive's files.delete: 204, no body
            return Response(status=204)
        return Response(json.dumps(body), mimetype="application/json")

    def route(self, method, path):
        for pattern, verb, kind, handler in (
            (_BATCH_GET, "GET", "sheets.read", self.batch_get),
            (_BATCH_UPDATE_VALUES, "POST", "sheets.write", self.batch_update_values),
            (_BATCH_UPDATE, "POST", "sheets.write", self.batch_update),
            (_APPEND, "POST", "sheets.write", self.values_append),
            (_CLEAR, "POST", "sheets.write", self.values_clear),
            (_BATCH_CLEAR, "POST", "sheets.write", self.batch_clear),
            (_VALUES, "GET", "sheets.read", self.values_get),
            (_VALUES, "PUT", "sheets.write", self.values_update),
            (_META, "GET", "sheets.read", self.metadata),
            (_DRIVE_LIST, "GET", "drive", self.drive_list),
            (_DRIVE_GET, "GET", "drive", self.drive_get),
            (_DRIVE_LIST, "POST", "drive", self.drive_create),
            (_DRIVE_GET, "DELETE", "drive", self.drive_delete),
        ):
            match = pattern.match(path)
            if match and method == verb:
                key = match.group(1) if match.groups() else None
                return kind, key, lambda request, m=match, h=handler: h(request, *m.groups())
        raise ApiError(404, "NOT_FOUND", f"Method not found: {method} {path}")

    # -- Sheets --------------------------------------------------------------
    def metadata(self, request, key):
        """spreadsheets.get; a ``fields`` mask ('sheets.properties.title') cuts the answer down."""
        with self.store.lock:
            answer = self.store.get(key).metadata()
        fields = request.args.get("fields")
        return drive_fields(answer, fields.replace(".", "/"), None) if fields else answer

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
            return book.set_values(a1, by_rows(body.get("values", []), body.get("majorDimension")),
                                   request.args.get("valueInputOption"))

    def values_append(self, request, key, a1):
        """Rows added after the "table" Google finds in the range (Spreadsheet.append_at).
        INSERT_ROWS inserts them, moving any rows below down."""
        body = request.get_json(force=True, silent=True) or {}
        rows = by_rows(body.get("values", []), body.get("majorDimension"))
        with self.store.lock:
            book = self.store.get(key)
            sheet, row, column, table = book.append_at(a1)
            if request.args.get("insertDataOption") == "INSERT_ROWS":
                sheet.cells = {(r + len(rows) if r >= row else r, c): cell for (r, c), cell in sheet.cells.items()}
                sheet.rows += len(rows)  # inserted rows grow the grid
            elif row - 1 + len(rows) > sheet.rows:
                sheet.rows = row - 1 + len(rows)
            answer = book.set_values(f"{quote_title(sheet.title)}!{column_letters(column)}{row}", rows,
                                     request.args.get("valueInputOption"))
            if request.args.get("includeValuesInResponse") in ("true", "True", "1"):
                answer["updatedData"] = _updated_data(book, answer["updatedRange"], request.args)
            answer = {"spreadsheetId": key, "updates": answer}
            if table is not None:  # Google leaves tableRange out when it found no table
                answer["tableRange"] = a1_range(sheet, *table)
        return answer

    def values_clear(self, request, key, a1):
        with self.store.lock:
            book = self.store.get(key)
            return {"spreadsheetId": key, "clearedRange": book.clear_values(a1)}

    def batch_clear(self, request, key):
        body = request.get_json(force=True, silent=True) or {}
        with self.store.lock:
            book = self.store.get(key)
            return {"spreadsheetId": key, "clearedRanges": [book.clear_values(a1) for a1 in body.get("ranges", [])]}

    def batch_update_values(self, request, key):
        body = request.get_json(force=True, silent=True) or {}
        option = body.get("valueInputOption")
        with self.store.lock:
            book = self.store.get(key)
            # All or nothing, as Google applies a batch.
            snapshot = {id(s): dict(s.cells) for s in book.sheets}
            modified = book.modified
            written = set()
            try:
                responses = []
                for item in body.get("data", []):
                    response, cells = book.write_values(item["range"], by_rows(item.get("values", []),
                                                                               item.get("majorDimension")), option)
                    responses.append(response)
                    written |= cells
                if body.get("includeValuesInResponse"):  # the cells as written, read as the request asks
                    for response in responses:
                        response["updatedData"] = _updated_data(book, response["updatedRange"], body)
            except ApiError:
                for sheet in book.sheets:
                    sheet.cells = snapshot[id(sheet)]
                book.modified = modified
                raise
        return {
            "spreadsheetId": key,
            # Google counts distinct rows and columns over the batch: A1:D1 and A4:D4 are 2 rows, 4 columns.
            "totalUpdatedRows": len({(s, r) for s, r, _ in written}),
            "totalUpdatedColumns": len({(s, c) for s, _, c in written}),
            "totalUpdatedCells": len(written),
            "totalUpdatedSheets": len({s for s, _, _ in written}),
            "responses": responses,
        }

    def batch_update(self, request, key):
        """spreadsheets.batchUpdate: addSheet, deleteSheet, appendDimension, insert- and deleteDimension,
        updateSheetProperties (title, index, grid size, hidden, ...) and
        updateSpreadsheetProperties (title, locale, time zone), all or nothing."""
        body = request.get_json(force=True, silent=True) or {}
        replies = []
        with self.store.lock:
            book = self.store.get(key)
            saved = book.save()
            try:
                for n, item in enumerate(body.get("requests", [])):
                    replies.append(self._one_request(book, n, item))
            except ApiError:
                book.restore(saved)
                raise
        return {"spreadsheetId": key, "replies": replies}

    @staticmethod
    def _one_request(book, n, item):
        def sheet_by_id(kind, sheet_id):
            sheet = next((s for s in book.sheets if s.sheet_id == sheet_id), None)
            if sheet is None:
                raise bad_request(f"Invalid requests[{n}].{kind}: No grid with id: {sheet_id}")
            return sheet

        if "addSheet" in item:
            props = item["addSheet"].get("properties", {})
            grid = props.get("gridProperties", {})
            sheet = book.add_sheet(props.get("title") or book.next_sheet_title(), grid.get("rowCount", 1000),
                                   grid.get("columnCount", 26), index=props.get("index"), request=n)
            return {"addSheet": {"properties": book.sheet_properties(sheet)}}
        if "deleteSheet" in item:
            sheet = sheet_by_id("deleteSheet", item["deleteSheet"].get("sheetId"))
            if len(book.sheets) == 1:
                raise bad_request(f"Invalid requests[{n}].deleteSheet: You can't remove all the sheets in a "
                                  "document.")
            book.sheets.remove(sheet)
            book.touch()
            return {}
        if "appendDimension" in item:
            spec = item["appendDimension"]
            sheet = sheet_by_id("appendDimension", spec.get("sheetId"))
            if spec.get("dimension") == "COLUMNS":
                sheet.columns += int(spec.get("length", 0))
            else:
                sheet.rows += int(spec.get("length", 0))
            book.touch()
            return {}
        if "updateSheetProperties" in item:
            spec = item["updateSheetProperties"]
            props = spec.get("properties", {})
            sheet = sheet_by_id("updateSheetProperties", props.get("sheetId"))
            book.update_sheet(sheet, props, spec.get("fields", ""), n)
            return {}
        if "insertDimension" in item or "deleteDimension" in item:
            kind = "insertDimension" if "insertDimension" in item else "deleteDimension"
            span = item[kind].get("range", {})
            sheet = sheet_by_id(kind, span.get("sheetId"))
            book.shift(sheet, span.get("dimension"), int(span.get("startIndex", 0)), int(span.get("endIndex", 0)),
                       insert=kind == "insertDimension", request=n)
            return {}
        if "updateSpreadsheetProperties" in item:
            spec = item["updateSpreadsheetProperties"]
            book.update_properties(spec.get("properties", {}), spec.get("fields", ""))
            return {}
        kinds = ", ".join(sorted(item)) or "an empty request"
        raise bad_request(f"The stand-in does not carry out {kinds}: it knows addSheet, deleteSheet, "
                          "appendDimension, insertDimension, deleteDimension, updateSheetProperties and "
                          "updateSpreadsheetProperties.")

    # -- Drive ---------------------------------------------------------------
    def _drive_file(self, book):
        return {"kind": "drive#file", "id": book.key, "name": book.title, "mimeType": SPREADSHEET_MIME,
                "createdTime": book.created_time(), "modifiedTime": book.modified_time(),
                "trashed": book.trashed}

    def drive_list(self, request):
        """files.list: the files ``q`` selects (Drive's own query language, the clauses
        gspread and our code send), paged, cut down to ``fields`` as Drive does."""
        match = drive_query(request.args.get("q", ""))
        size = min(int(request.args.get("pageSize", 100)), 1000)
        start = int(request.args.get("pageToken") or 0)
        with self.store.lock:
            books = [b for b in self.store.spreadsheets.values() if b.shared and match(self._drive_file(b))]
            files = [self._drive_file(b) for b in sorted(books, key=lambda b: b.key)]
        answer = {"kind": "drive#fileList", "incompleteSearch": False, "files": files[start:start + size]}
        if start + size < len(files):
            answer["nextPageToken"] = str(start + size)
        return drive_fields(answer, request.args.get("fields"), DRIVE_LIST_DEFAULT)

    def drive_get(self, request, key):
        with self.store.lock:
            book = self.store.spreadsheets.get(key)
            if book is None or not book.shared:
                raise ApiError(404, "NOT_FOUND", f"File not found: {key}.", reason="notFound")
            return drive_fields(self._drive_file(book), request.args.get("fields"), DRIVE_FILE_DEFAULT)

    def drive_create(self, request):
        """files.create of a Google Sheets file: a new spreadsheet as Google makes one
        (one tab, Sheet1, 1000 x 26; locale en_US and time zone GMT for a service account)."""
        body = request.get_json(force=True, silent=True) or {}
        if body.get("mimeType") != SPREADSHEET_MIME:
            raise bad_request("The stand-in creates Google Sheets files only.")
        with self.store.lock:
            key = self.store.create(body.get("name", "Untitled spreadsheet"), {"Sheet1": []},
                                    locale="en_US", time_zone="Etc/GMT")
            return drive_fields(self._drive_file(self.store.spreadsheets[key]), request.args.get("fields"),
                                DRIVE_FILE_DEFAULT)

    def drive_delete(self, request, key):
        """files.delete: gone for good (not to the bin); 204 with no body."""
        with self.store.lock:
            book = self.store.spreadsheets.get(key)
            if book is None or not book.shared:
                raise ApiError(404, "NOT_FOUND", f"File not found: {key}.", reason="notFound")
            del self.store.spreadsheets[key]
        return None

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


def _updated_data(book, a1, options):
    """A write's updatedData (includeValuesInResponse): the range written, read back with
    the request's responseValueRenderOption (FORMATTED_VALUE by default, as Google's)."""
    return book.get_values(a1, options.get("responseValueRenderOption", "FORMATTED_VALUE"), "ROWS",
                           options.get("responseDateTimeRenderOption", "SERIAL_NUMBER"))


def _drive_time(text):
    """Drive compares RFC 3339 times; normalise to the shape modifiedTime has."""
    text = text.rstrip("Z")
    if "." not in text:
        text += ".000"
    return text[:23] + "Z"


# What Drive answers when a request names no ``fields``.
DRIVE_FILE_DEFAULT = "kind,id,name,mimeType"
DRIVE_LIST_DEFAULT = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"


def _field_tree(fields):
    """'kind,files(id,name)' -> {'kind': None, 'files': {'id': None, 'name': None}}; '*' keeps all."""
    tree, stack, name = {}, [], ""
    for char in fields + ",":
        if char in ",()":
            name = name.strip()
            if char == "(":
                stack.append(tree)
                node = tree
                for part in name.split("/")[:-1]:  # a/b(c): nested
                    node = node.setdefault(part, {})
                tree = node.setdefault(name.split("/")[-1], {}) or {}
                node[name.split("/")[-1]] = tree
            elif name:
                node = tree
                parts = name.split("/")
                for part in parts[:-1]:
                    node = node.setdefault(part, {})
                node.setdefault(parts[-1], None)
            if char == ")":
                tree = stack.pop()
            name = ""
        else:
            name += char
    return tree


def _select(value, tree):
    if tree is None or "*" in tree:
        return value
    if isinstance(value, list):
        return [_select(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: _select(v, tree[k]) for k, v in value.items() if k in tree}


def drive_fields(answer, fields, default):
    """An answer cut down to the ``fields`` asked for (or Drive's default ones)."""
    return _select(answer, _field_tree(fields or default))


_CLAUSE = re.compile(r"""^\s*(?P<field>\w+)\s*(?P<op>=|!=|<=|>=|<|>|contains)\s*
                         (?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|true|false)\s*$""", re.VERBOSE)


def _split_and(query):
    """Clauses joined by 'and', outside quotes."""
    parts, current, quote = [], "", None
    i = 0
    while i < len(query):
        char = query[i]
        if quote:
            current += char
            if char == "\\" and i + 1 < len(query):
                current += query[i + 1]
                i += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            current += char
        elif query[i:i + 5].lower() == " and ":
            parts.append(current)
            current = ""
            i += 4
        else:
            current += char
        i += 1
    parts.append(current)
    return [p for p in parts if p.strip()]


def drive_query(query):
    """A predicate on a Drive file from a files.list ``q``: the clauses of mimeType, name,
    trashed and modifiedTime (=, !=, <, >, <=, >=, contains), joined by 'and'. Without
    'trashed = false' Drive lists files in the bin too."""
    tests = []
    for clause in _split_and(query):
        match = _CLAUSE.match(clause)
        if not match or match.group("field") not in ("mimeType", "name", "trashed", "modifiedTime"):
            raise ApiError(400, "INVALID_ARGUMENT", "Invalid Value", reason="invalid")
        field_, op, value = match.group("field"), match.group("op"), match.group("value")
        if value in ("true", "false"):
            value = value == "true"
        else:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
            if field_ == "modifiedTime":
                value = _drive_time(value)
        tests.append((field_, op, value))

    def matches(file):
        for field_, op, value in tests:
            have = file.get(field_)
            if not {"=": have == value, "!=": have != value, "<": have < value, ">": have > value,
                    "<=": have <= value, ">=": have >= value,
                    "contains": isinstance(have, str) and value.lower() in have.lower()}[op]:
                return False
        return True
    return matches


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
