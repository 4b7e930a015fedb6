"""Google Sheets through gspread, spending as few API calls as possible.

- Which workbooks changed: one Drive files.list for all of them (paged at 1000),
  whose quota is far larger than Sheets'. A workbook that is not in the list is
  not shared with the service account, or was deleted.
- Reading a changed workbook: one values:batchGet for all its tabs. The tab
  titles are remembered from a metadata read (``layout``), which is repeated
  only when a contract tab is missing or a title no longer parses. What comes
  back is held to the limits of ``limits.py`` (rows, columns, cells), as the
  .xlsx backend's reads are: a workbook past them fails on its own.
- Writing: one values:batchUpdate per workbook, after a Drive check that nobody
  changed the workbook since it was read. USER_ENTERED, so that a date lands as
  a date value, with every text sent behind a quote prefix (\'), so that Sheets
  keeps it as the text it is and never runs a typed '=' as a formula. Sheets
  shows a date in the form it was typed in, so a date is sent as the
  spreadsheet's locale writes it (25/04/2027 in en_GB, 04/25/2027 in en_US; ISO
  where the locale's form is not known here). The locale is asked for (one
  spreadsheets.get, fields=properties.locale) when a write holds a date, and
  remembered for a day (Workbook.locale; sync/remembered.py). The write answers
  with the cells as written, so a date a switched locale read otherwise is
  caught and written again as an ISO date.
- Every call has a timeout, is paced under the per-minute quota, and transient
  failures (429, 408, 5xx, Drive's usageLimits 403, connection errors) are
  retried with exponential backoff and jitter, bounded in count and in time.
"""
import json
import logging
import re
import threading
import time
from collections import Counter
from datetime import date

import google.auth.exceptions
import gspread
import requests
from gspread.exceptions import APIError
from gspread.urls import DRIVE_FILES_API_V3_URL
from gspread.utils import extract_id_from_url
from tenacity import Retrying, retry_if_exception, stop_after_attempt, stop_before_delay, wait_exponential, wait_random

from domain.dates import to_serial

from .base import ValuesRefused, WorkbookBusy, WorkbookSnapshot, WorkbookUnavailable, same_grid, tab_taken
from .limits import CellBudget

log = logging.getLogger(__name__)

SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.readonly"]
EMULATOR_EMAIL = "partnership-hub@stand-in.iam.gserviceaccount.com"
_GOOGLE_HOSTS = re.compile(r"^https://(sheets\.googleapis\.com|www\.googleapis\.com)")
_TRANSIENT_STATUS = {408, 429, 500, 502, 503, 504}
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
LISTING = "Drive listing"  # the ref of the one call that is about no single spreadsheet
_DISABLED_REASONS = {"accessNotConfigured", "SERVICE_DISABLED"}
# Failures of the connection itself, before or during an answer (a token refresh's too).
_TRANSPORT_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                     google.auth.exceptions.TransportError)


class EmulatorSession(requests.Session):
    """Sends every Google API call to the local stand-in, same path, no credentials."""

    def __init__(self, host):
        super().__init__()
        self.base = f"http://{host}"

    def request(self, method, url, *args, **kwargs):
        return super().request(method, _GOOGLE_HOSTS.sub(self.base, url), *args, **kwargs)


def make_client(service_account_file=None, emulator_host=None, timeout=(5, 30)):
    """A gspread client and the e-mail that sheets must be shared with."""
    if emulator_host:
        client = gspread.Client(auth=None, session=EmulatorSession(emulator_host))
        email = EMULATOR_EMAIL
    else:
        if not service_account_file:
            raise RuntimeError("SHEETS_BACKEND=google needs GOOGLE_SERVICE_ACCOUNT_FILE (a service-account JSON key).")
        from google.oauth2.service_account import Credentials

        credentials = Credentials.from_service_account_file(service_account_file, scopes=SCOPES)
        client = gspread.Client(auth=credentials)
        with open(service_account_file, encoding="utf-8") as handle:
            email = json.load(handle).get("client_email", "the service account")
    client.set_timeout(timeout)  # gspread sets none by default
    return client, email


class RateLimiter:
    """At most ``per_minute`` calls in any minute, spaced evenly; shared by threads."""

    def __init__(self, per_minute, clock=time.monotonic, sleep=time.sleep):
        self.interval = 60.0 / per_minute if per_minute else 0.0
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self):
        if not self.interval:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self.sleep(start - now)


def spreadsheet_key(ref):
    """A key from a spreadsheet URL or a bare key."""
    ref = (ref or "").strip()
    if ref.startswith("http"):
        try:
            return extract_id_from_url(ref)
        except gspread.exceptions.NoValidUrlKeyFound:
            raise WorkbookUnavailable(f"'{ref}' is not a Google Sheets address.",
                                      "Copy the spreadsheet's address from the browser's address bar.")
    if not re.fullmatch(r"[A-Za-z0-9_-]{10,}", ref):
        raise WorkbookUnavailable(f"'{ref}' is neither a Google Sheets address nor a spreadsheet key.",
                                  "Put the spreadsheet's address in the Workbook column.")
    return ref


def spreadsheet_url(ref):
    """The address that opens a workbook's spreadsheet in Google Sheets, or None when the
    ref is no spreadsheet's (the sheets check says why)."""
    try:
        return f"https://docs.google.com/spreadsheets/d/{spreadsheet_key(ref)}/edit"
    except WorkbookUnavailable:
        return None


# Locales whose sheets read and show dates as dd/mm/yyyy, and those as mm/dd/yyyy. Any
# other locale is sent ISO dates: a date value in every locale, shown as yyyy-mm-dd.
DAY_FIRST = frozenset({"en_GB", "en_IE", "en_AU", "en_NZ", "fr_FR"})
MONTH_FIRST = frozenset({"en_US"})


def date_text(day, locale):
    """A date as a person in a sheet of ``locale`` types it, so that Sheets stores the
    date and shows it in the form the sheet's own dates have."""
    if locale in DAY_FIRST:
        return day.strftime("%d/%m/%Y")
    if locale in MONTH_FIRST:
        return day.strftime("%m/%d/%Y")
    return day.isoformat()


# Asked of a write that holds a date: the cells as written, as serial numbers, so that a
# date the sheet's locale read otherwise is caught at no extra call (_check_dates).
WRITTEN_BACK = {"includeValuesInResponse": True, "responseValueRenderOption": "UNFORMATTED_VALUE",
                "responseDateTimeRenderOption": "SERIAL_NUMBER"}


def _learnt(snapshot, locale):
    """The snapshot's own calls told it the locale (sync/remembered.py starts its day)."""
    snapshot.locale, snapshot.locale_read = locale, True


def user_entered(value, locale=None):
    """A value as a person would type it so that Sheets keeps exactly it: a date in the
    locale's form (date_text), text behind a quote prefix (always text)."""
    if isinstance(value, date):
        return date_text(value, locale)
    text = "" if value is None else str(value)
    return "'" + text if text else ""


def _first_header_column(grid, header_row, rows):
    """0-based column of the header row's first filled cell (none of the new rows'
    cells lies left of it: they fill only the header's columns)."""
    header = grid[header_row - 1] if len(grid) >= header_row else []
    first = next((i for i, value in enumerate(header) if str(value or "").strip()), 0)
    filled = [next((i for i, v in enumerate(row) if v not in (None, "")), first) for row in rows]
    return min([first, *filled])


def quote_title(title):
    """A tab title as an A1 range writes it: in single quotes, quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def a1(row, column):
    """A cell's A1 name: (4, 2) -> 'B4'."""
    return f"{gspread.utils.rowcol_to_a1(row, column)}"


def _grid_size(a1_range):
    """{'rows', 'columns'} from a whole-tab range as Google answers it: 'Tab'!A1:Z1000."""
    match = re.search(r"!([A-Z]+)(\d+):([A-Z]+)(\d+)$", a1_range)
    if not match:
        return {}
    columns = 0
    for char in match.group(3):
        columns = columns * 26 + ord(char) - 64
    return {"rows": int(match.group(4)), "columns": columns}


def _status(error):
    """The HTTP status. gspread says -1 when the body is not Google's JSON (a
    load balancer's HTML 502 page, say), so ask the response itself."""
    return getattr(getattr(error, "response", None), "status_code", None) or error.code


def _reasons(error):
    """Google's machine-readable reasons: Drive's ``errors[].reason`` and the
    ``ErrorInfo`` reasons of ``details`` that newer answers carry."""
    body = error.error if isinstance(error.error, dict) else {}
    found = {e.get("reason") for e in body.get("errors") or [] if isinstance(e, dict)}
    found |= {d.get("reason") for d in body.get("details") or [] if isinstance(d, dict)}
    return found - {None}


def _is_transient(error):
    if isinstance(error, _TRANSPORT_ERRORS):
        return True
    if isinstance(error, APIError):
        status = _status(error)
        return status in _TRANSIENT_STATUS or (status == 403 and bool(_reasons(error) & _RATE_REASONS))
    return False


class DriveVersions:
    """Versions from one Drive listing: a workbook absent from it is not shared, or gone."""

    def __init__(self, listing, backend):
        self.listing, self.backend = listing, backend

    def get(self, ref):
        try:
            key = spreadsheet_key(ref)
        except WorkbookUnavailable as error:
            return error
        if key in self.listing:
            return self.listing[key]
        try:  # not listed (shared by link, say): one files.get settles it
            self.listing[key] = self.backend.modified_time(ref)
            return self.listing[key]
        except WorkbookUnavailable as error:  # not shared, deleted, or in the bin: it says which
            return error


class GoogleBackend:
    def __init__(self, client, service_account_email, reads_per_minute=50, writes_per_minute=50,
                 attempts=5, max_retry_seconds=120, retry_base_seconds=1.0, sleep=time.sleep):
        self.http = client.http_client
        self.email = service_account_email
        self.limiters = {
            "sheets.read": RateLimiter(reads_per_minute, sleep=sleep),
            "sheets.write": RateLimiter(writes_per_minute, sleep=sleep),
            "drive": RateLimiter(None),
        }
        self.attempts, self.max_retry_seconds, self.base = attempts, max_retry_seconds, retry_base_seconds
        self.sleep = sleep
        self.calls = Counter()

    # -- one call, paced and retried ----------------------------------------
    def _call(self, kind, ref, fn, *args, retry=True, **kwargs):
        """One API call: paced, with a timeout, and retried when that is safe.

        ``retry=False`` for a call that must not be repeated blindly (an append:
        a timed-out one may have landed; the outbox checks by ID instead).
        """
        retrying = Retrying(
            # stop_before_delay: no try starts that would end past the budget's last wait.
            stop=stop_after_attempt(self.attempts if retry else 1) | stop_before_delay(self.max_retry_seconds),
            wait=wait_exponential(multiplier=self.base, max=30) + wait_random(0, self.base),  # backoff with jitter
            retry=retry_if_exception(_is_transient),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    self.limiters[kind].acquire()
                    self.calls[kind] += 1
                    return fn(*args, **kwargs)
        except APIError as error:
            raise self._explain(error, kind, ref)
        except _TRANSPORT_ERRORS as error:
            tries = f" after {self.attempts} tries" if retry else ""
            raise WorkbookUnavailable(
                f"Google did not answer ({error.__class__.__name__}){tries}.",
                "Nothing to do: the next sync tries again.", transient=True,
            )
        except google.auth.exceptions.RefreshError as error:
            raise WorkbookUnavailable(
                f"Google refused the service account's key ({error}).",
                "Check that GOOGLE_SERVICE_ACCOUNT_FILE holds a current key of an enabled service account, "
                "and that the server's clock is right.",
            )

    def _explain(self, error, kind, ref):
        status, reasons = _status(error), _reasons(error)
        api = "Google Drive API" if kind == "drive" else "Google Sheets API"
        if status == 403 and reasons & _DISABLED_REASONS:
            return WorkbookUnavailable(
                f"The {api} is not enabled for the service account's Google Cloud project.",
                "Enable the Google Sheets API and the Google Drive API for that project "
                "(docs/google-sheets.md, step 2).",
            )
        if ref == LISTING and not _is_transient(error):  # no one spreadsheet to share
            return WorkbookUnavailable(f"Drive refused to list the spreadsheets (HTTP {status}).",
                                       "Each workbook is asked about on its own instead.")
        what = f"The spreadsheet {ref}"
        if status == 403 and not _is_transient(error):
            return WorkbookUnavailable(
                f"{what} is not shared with the app.",
                f"Share it with {self.email} as an Editor (Editor, so the app can write IDs).",
            )
        if status == 404:  # Google says 404 for a file it will not show this account, too
            return WorkbookUnavailable(
                f"{what} cannot be found: it is not shared with the app, or was deleted, or the address is wrong.",
                f"Share it with {self.email} as an Editor, and check the address in the Schools tab.",
            )
        if _is_transient(error):
            return WorkbookUnavailable(
                f"Google Sheets is busy or unavailable (HTTP {status}) and still was after retrying.",
                "Nothing to do: the next sync tries again.", transient=True,
            )
        message = error.error.get("message") if isinstance(error.error, dict) else ""
        return WorkbookUnavailable(f"Google Sheets refused the request (HTTP {status}): {message}",
                                   "Check the spreadsheet; if it looks right, tell the coordinator.")

    def identity(self, ref):
        """A spreadsheet's key, however its address is written (URL, /edit#gid=…, bare key)."""
        return spreadsheet_key(ref)

    # -- Drive: what changed -------------------------------------------------
    def versions(self):
        """Every workbook's Drive modifiedTime, from one files.list (paged at 1000)."""
        return DriveVersions(self._list_files(), self)

    def _list_files(self):
        files, token = {}, None
        params = {
            "q": "mimeType='application/vnd.google-apps.spreadsheet' and trashed=false",
            "pageSize": 1000,
            "fields": "nextPageToken,files(id,modifiedTime)",
            "supportsAllDrives": True,
            "includeItemsFromAllDrives": True,
            "corpora": "allDrives",  # spreadsheets in shared drives too
        }
        while True:
            if token:
                params["pageToken"] = token
            page = self._call("drive", LISTING, self.http.request, "get", DRIVE_FILES_API_V3_URL, params=params).json()
            files.update({f["id"]: f["modifiedTime"] for f in page.get("files", [])})
            token = page.get("nextPageToken")
            if not token:
                return files

    def current_version(self, ref):
        """One workbook's modifiedTime now (one Drive call), before reading it to write."""
        return self.modified_time(ref)

    def modified_time(self, ref):
        key = spreadsheet_key(ref)
        url = f"{DRIVE_FILES_API_V3_URL}/{key}"
        answer = self._call("drive", ref, self.http.request, "get", url,
                            params={"fields": "id,modifiedTime,trashed", "supportsAllDrives": True}).json()
        if answer.get("trashed"):
            raise WorkbookUnavailable(f"The spreadsheet {ref} is in the Drive bin.",
                                      "Restore it from the bin, or correct the address in the Schools tab.")
        return answer["modifiedTime"]

    # -- Sheets: read and write ----------------------------------------------
    def metadata(self, ref):
        """{tab title: {sheetId, rows, columns}} and the spreadsheet's title and locale (one read)."""
        meta = self._call("sheets.read", ref, self.http.fetch_sheet_metadata, spreadsheet_key(ref))
        layout = {
            s["properties"]["title"]: {
                "sheetId": s["properties"]["sheetId"],
                "rows": s["properties"].get("gridProperties", {}).get("rowCount", 0),
                "columns": s["properties"].get("gridProperties", {}).get("columnCount", 0),
            }
            for s in meta.get("sheets", [])
        }
        return layout, meta.get("properties", {})

    def locale(self, ref):
        """The spreadsheet's locale ('en_GB'): one read, asking for nothing else."""
        answer = self._call("sheets.read", ref, self.http.fetch_sheet_metadata, spreadsheet_key(ref),
                            params={"fields": "properties.locale"})
        return answer.get("properties", {}).get("locale", "")

    def _know_locale(self, snapshot, values):
        """The snapshot's locale, asked for only when a value to write is a date and it is
        not known yet (remembered, or learnt from a metadata read)."""
        if snapshot.locale is None and any(isinstance(v, date) for v in values):
            _learnt(snapshot, self.locale(snapshot.ref))
        return snapshot.locale

    def read(self, ref, layout=None, wanted=None):
        """Every wanted tab in one values:batchGet.

        With no layout remembered, the contract's own tab names are tried first
        (one read when the sheet uses them); the tab titles are fetched (one more
        read) only when a name does not parse or a wanted tab is missing.
        """
        key = spreadsheet_key(ref)
        if not layout:
            titles = [wanted.tab_name(t) for t in wanted.tables] if wanted else None
        elif wanted and not wanted.complete(layout):
            titles = None  # a tab may have been added since: look again
        else:
            titles = [t for t in layout if wanted is None or wanted(t)]
        if titles is not None:
            try:
                return self._read_tabs(ref, key, titles, layout)
            except WorkbookUnavailable as error:
                if "Unable to parse range" not in error.message:
                    raise
        layout, properties = self.metadata(ref)  # the tabs' real titles
        titles = [t for t in layout if wanted is None or wanted(t)]
        snapshot = self._read_tabs(ref, key, titles, layout)
        _learnt(snapshot, properties.get("locale", ""))  # no call of its own later
        return snapshot

    def _read_tabs(self, ref, key, titles, layout):
        tabs, layout = {}, dict(layout or {})
        if titles:
            answer = self._call("sheets.read", ref, self.http.values_batch_get, key, [quote_title(t) for t in titles],
                                params={"valueRenderOption": "UNFORMATTED_VALUE",
                                        "dateTimeRenderOption": "SERIAL_NUMBER", "majorDimension": "ROWS"})
            budget = CellBudget()  # Google trims trailing empty cells; the limits still apply
            for title, value_range in zip(titles, answer.get("valueRanges", [])):
                tabs[title] = value_range.get("values", [])
                budget.check_grid(title, tabs[title])
                info = layout.setdefault(title, {"sheetId": None})
                info.update(_grid_size(value_range.get("range", "")))
        return WorkbookSnapshot(ref, tabs, None, layout)

    def write_cells(self, snapshot, writes):
        if not writes:
            return
        key = spreadsheet_key(snapshot.ref)
        if not snapshot.version:
            raise WorkbookBusy("The app does not know which version of the spreadsheet it read, so it wrote nothing.",
                               "Nothing to do: the app writes at the next sync.")
        if self.modified_time(snapshot.ref) != snapshot.version:
            raise WorkbookBusy("The spreadsheet changed while the app was reading it, so nothing was written.",
                               "Nothing to do: the app writes at the next sync.")
        self._grow_grids(snapshot, key, writes)
        locale = self._know_locale(snapshot, [w.value for w in writes])
        body = {
            "valueInputOption": "USER_ENTERED",  # with user_entered(): dates as dates, text as text
            "data": [{"range": f"{quote_title(w.tab)}!{a1(w.row, w.column)}",
                      "values": [[user_entered(w.value, locale)]]} for w in writes],
        }
        dated = any(isinstance(w.value, date) for w in writes)
        if dated:
            body.update(WRITTEN_BACK)
        answer = self._refusable(self._call, "sheets.write", snapshot.ref, self.http.values_batch_update, key, body)
        snapshot.version = None  # our own write moved modifiedTime: read it once more next time
        if dated:
            self._check_dates(snapshot, key, [
                (w.tab, w.row, w.column, w.value, (response["updatedData"].get("values") or [[]])[0])
                for w, response in zip(writes, answer.get("responses", [])) if "updatedData" in response])

    def _check_dates(self, snapshot, key, cells):
        """Every date written holds the day meant, or is written again as an ISO date.

        A date is typed in the form of the locale the hub last read (for a day), so a
        sheet whose locale a person switched since would take 05/04 for 4 May. The write
        answered with the cells as written (WRITTEN_BACK, no extra call): any date cell
        that is not the day meant is rewritten as an ISO date, a date value in every
        locale, and the locale is asked for again. cells: [(tab, row, column, value, [got])]."""
        wrong = [(tab, row, column, value) for tab, row, column, value, got in cells
                 if isinstance(value, date) and (got[:1] or [None])[0] != to_serial(value)]
        if not wrong:
            return
        log.warning("%s: %d date(s) written in the form of locale %r were not read as meant; writing them as "
                    "ISO dates and asking the locale again", snapshot.ref, len(wrong), snapshot.locale)
        self._call("sheets.write", snapshot.ref, self.http.values_batch_update, key, {
            "valueInputOption": "USER_ENTERED",
            "data": [{"range": f"{quote_title(tab)}!{a1(row, column)}", "values": [[value.isoformat()]]}
                     for tab, row, column, value in wrong]})
        _learnt(snapshot, self.locale(snapshot.ref))

    @staticmethod
    def _refusable(call, *args, **kwargs):
        """A write Google answers 400 to (a cell over its limit, say) refused its values:
        the outbox then writes each edit alone, so one bad edit fails alone."""
        try:
            return call(*args, **kwargs)
        except WorkbookUnavailable as error:
            if "Unable to parse range" in error.message:  # a tab renamed since it was read
                raise WorkbookBusy("The sheet's tabs changed since the app read it, so nothing was written.",
                                   "Nothing to do: the app writes at its next try.")
            if "(HTTP 400)" in error.message:
                raise ValuesRefused(error.message, "Change the text or discard the edit.")
            raise

    def append_rows(self, snapshot, tab, rows, header_row=1):
        """values.append with INSERT_ROWS: Google finds the end of the table and inserts
        new rows there, so a row a person is typing at that moment is never overwritten.

        Google's table is the block of rows found from the range's first cell, so the
        range starts at the header row: from A1, title rows above the header would be
        taken for the table and the row would land above the header. And it starts at
        the header's first filled cell: from a blank one (a margin column) Google finds
        no table and inserts the row right there, above the header."""
        first = _first_header_column(snapshot.tabs.get(tab) or [], header_row, rows)
        locale = self._know_locale(snapshot, [v for row in rows for v in row[first:]])
        dated = any(isinstance(v, date) for row in rows for v in row[first:])
        answer = self._refusable(
            self._call, "sheets.write", snapshot.ref, self.http.values_append, spreadsheet_key(snapshot.ref),
            f"{quote_title(tab)}!{a1(header_row, first + 1)}",
            {"valueInputOption": "USER_ENTERED", "insertDataOption": "INSERT_ROWS",
             **({**WRITTEN_BACK, "includeValuesInResponse": "true"} if dated else {})},  # a query string's true
            {"values": [[user_entered(v, locale) for v in row[first:]] for row in rows], "majorDimension": "ROWS"},
            retry=False,
        )
        snapshot.version = None
        updates = answer.get("updates", {})
        match = re.search(r"!\$?[A-Z]+\$?(\d+)", updates.get("updatedRange", ""))
        start = int(match.group(1)) if match else 0
        if dated and start and "updatedData" in updates:
            got = updates["updatedData"].get("values") or []
            self._check_dates(snapshot, spreadsheet_key(snapshot.ref), [
                (tab, start + i, first + 1 + j, value, got[i][j:j + 1] if i < len(got) else [])
                for i, row in enumerate(rows) for j, value in enumerate(row[first:])])
        return start

    def _grow_grids(self, snapshot, key, writes):
        """Add columns or rows first when writes land beyond a tab's grid (an ID column, a new row)."""
        requests_ = []
        for tab in {w.tab for w in writes}:
            info = (snapshot.layout or {}).get(tab)
            if not info:
                continue
            for dimension, size, needed in (
                ("COLUMNS", info.get("columns"), max(w.column for w in writes if w.tab == tab)),
                ("ROWS", info.get("rows"), max(w.row for w in writes if w.tab == tab)),
            ):
                if not size or needed <= size:
                    continue
                if info.get("sheetId") is None:  # known only from a metadata read
                    layout, properties = self.metadata(snapshot.ref)
                    info["sheetId"] = layout[tab]["sheetId"]
                    _learnt(snapshot, properties.get("locale", ""))  # free with it
                requests_.append({"appendDimension": {"sheetId": info["sheetId"], "dimension": dimension,
                                                      "length": needed - size}})
                info["columns" if dimension == "COLUMNS" else "rows"] = needed
        if requests_:
            self._call("sheets.write", snapshot.ref, self.http.batch_update, key, {"requests": requests_})

    # -- setting a spreadsheet up (sheets init) -----------------------------
    def add_tabs(self, ref, headers):
        """Add tabs {title: header row} (one batchUpdate), each with its header row (one write)."""
        key = spreadsheet_key(ref)
        requests_ = [{"addSheet": {"properties": {"title": title}}} for title in headers]
        self._call("sheets.write", ref, self.http.batch_update, key, {"requests": requests_})
        self.write_headers(ref, headers)

    def write_headers(self, ref, headers):
        """Write header rows {title: [names]} into row 1 of existing, empty tabs."""
        data = [{"range": f"{quote_title(title)}!A1", "values": [names]} for title, names in headers.items()]
        self._call("sheets.write", ref, self.http.values_batch_update, spreadsheet_key(ref),
                   {"valueInputOption": "RAW", "data": data})

    # -- records the hub keeps in a workbook (a confirmed review's dated tab) --
    def add_tab(self, ref, title, rows):
        """Add the tab (one batchUpdate, not repeated blindly: a 5xx after it landed would
        make a second try fail on the title) then its cells (one RAW values update, which
        may be repeated: it writes the same cells). A retry finds the tab by its title
        (one metadata read) and fills it if empty, or leaves it when it holds the rows."""
        key = spreadsheet_key(ref)
        layout, _ = self.metadata(ref)
        existing = next((t for t in layout if t.lower() == title.lower()), None)
        if existing is None:
            grid = {"rowCount": max(len(rows), 1) + 10, "columnCount": max((len(r) for r in rows), default=1)}
            self._refusable(self._call, "sheets.write", ref, self.http.batch_update, key,
                            {"requests": [{"addSheet": {"properties": {"title": title, "gridProperties": grid}}}]},
                            retry=False)
            existing = title
        else:
            answer = self._call("sheets.read", ref, self.http.values_get, key, quote_title(existing),
                                params={"valueRenderOption": "UNFORMATTED_VALUE", "majorDimension": "ROWS"})
            have = answer.get("values", [])
            if same_grid(have, rows):
                return "there"
            if any(str(v).strip() for row in have for v in row):
                raise tab_taken(existing)
        values = [["" if v is None else str(v) for v in row] for row in rows]
        self._refusable(self._call, "sheets.write", ref, self.http.values_update, key, f"{quote_title(existing)}!A1",
                        params={"valueInputOption": "RAW"}, body={"values": values})  # RAW: text stays text
        return "added"
