"""The embedded default: .xlsx workbooks in a folder on disk, through openpyxl."""
import os
import re
import tempfile
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from . import limits
from .base import CellWrite, ValuesRefused, WorkbookBusy, WorkbookSnapshot, WorkbookUnavailable, same_grid, tab_taken
from .limits import CellBudget
from .xlsx_cells import read_tab

UNCHECKED = object()  # _open_for_writing: no version to compare (a new tab is not a cell edit)


class XlsxBackend:
    """Reads and writes ``.xlsx`` files in ``folder``; a ref is a file name."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.root = self.folder.resolve()
        # No API here: a file read, or saved, counts as one call, so a run's history says
        # what it read and wrote on every backend (never "0 / 0" for a run that read).
        self.calls = Counter()

    def identity(self, ref):
        """The file a ref opens, as a path inside the folder: 'bank-road', 'bank-road.xlsx'
        and './bank-road.xlsx' are one workbook."""
        return os.path.normcase(str(self.path(ref).relative_to(self.root)))

    def versions(self):
        """Each file's modification time and size, looked up when asked: free."""
        return self

    def current_version(self, ref):
        """The version of one workbook now (before reading it to write)."""
        version = self.get(ref)
        if isinstance(version, WorkbookUnavailable):
            raise version
        return version

    def get(self, ref):
        try:
            path = self.path(ref)
            return self._version(path)
        except WorkbookUnavailable as error:
            return error
        except OSError:
            return self._missing(path)

    def _missing(self, path):
        return WorkbookUnavailable(
            f"The workbook file '{path.name}' was not found in {self.folder}.",
            "Check the file name in the Schools tab, or put the file in the workbook folder.",
        )

    def path(self, ref):
        """The file a ref names, resolved (links and '..' too): inside the folder, or refused."""
        name = (ref or "").strip()
        if not name:
            raise WorkbookUnavailable("No workbook file is named.", "Fill in the Workbook column.")
        if not name.lower().endswith(".xlsx"):
            name += ".xlsx"
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root):
            raise WorkbookUnavailable(
                f"'{ref}' is not a file in the workbook folder; the app opens no workbook elsewhere.",
                "Give the workbook's file name as it is in the workbook folder, such as bank-road.xlsx.",
            )
        return path

    def append_rows(self, snapshot, tab, rows, header_row=1):
        """Below the last row with a value when the file was read (rows that carry only
        formatting do not count); the version check guards the rest."""
        grid = snapshot.tabs.get(tab, [])
        used = max((i for i, row in enumerate(grid, start=1) if any(v not in (None, "") for v in row)), default=0)
        first = max(used, header_row) + 1
        writes = [
            CellWrite(tab, first + i, column, value)
            for i, row in enumerate(rows)
            for column, value in enumerate(row, start=1)
            if value not in (None, "")
        ]
        self.write_cells(snapshot, writes)
        snapshot.tabs[tab] = list(snapshot.tabs.get(tab, [])) + [list(r) for r in rows]
        return first

    @staticmethod
    def lock_files(path):
        """Lock files that LibreOffice and Excel leave while a workbook is open."""
        return [path.with_name(f".~lock.{path.name}#"), path.with_name(f"~${path.name}")]

    def _version(self, path):
        stat = path.stat()
        return f"{stat.st_mtime_ns}:{stat.st_size}"

    def read(self, ref, layout=None, wanted=None):
        path = self.path(ref)
        if not path.exists():
            raise self._missing(path)
        try:
            version = self._version(path)
            self._check_unpacked_size(path)
            book = load_workbook(path, read_only=True, data_only=True)
        except PermissionError:
            raise WorkbookUnavailable(
                f"The workbook '{path.name}' cannot be opened: it is open elsewhere or not readable.",
                "Close it in other programs, or check the file's permissions.",
            )
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise self._unreadable(path, error)
        budget = CellBudget()  # what this workbook may cost: see limits.py
        try:  # read-only mode reads the sheets only now: a damaged one fails here
            tabs = {
                sheet.title: read_tab(book, sheet, budget)
                for sheet in book.worksheets
                if wanted is None or wanted(sheet.title)  # other tabs are not the hub's: never read
            }
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as error:  # SyntaxError: bad XML
            raise self._unreadable(path, error)
        finally:
            book.close()
            self.calls["sheets.read"] += 1
        return WorkbookSnapshot(ref, tabs, version)

    @staticmethod
    def _check_unpacked_size(path):
        """A zip bomb is small on disk: refuse a workbook whose XML unpacks past the limit."""
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist() if info.filename.endswith(".xml"))
        if size > limits.MAX_XML_BYTES:
            raise limits.too_big_file(path.name, size)

    @staticmethod
    def _unreadable(path, error):
        return WorkbookUnavailable(
            f"The workbook '{path.name}' is not a readable .xlsx file ({error.__class__.__name__}).",
            "Open it in a spreadsheet program and save it again as Excel (.xlsx).",
        )

    def write_cells(self, snapshot, writes):
        if not writes:
            return
        path = self.path(snapshot.ref)
        book = self._open_for_writing(path, snapshot.version)
        for write in writes:
            cell = book[write.tab].cell(row=write.row, column=write.column)
            try:
                cell.value = write.value
            except (IllegalCharacterError, ValueError) as error:
                raise ValuesRefused(
                    f"The workbook cannot hold the text written to row {write.row} of '{write.tab}' "
                    f"({error.__class__.__name__}).",
                    "Change the text (it may hold characters pasted from another program) or discard the edit.",
                )
            if isinstance(write.value, date):
                cell.number_format = "DD/MM/YYYY"  # a date cell, shown as UK dates, that sorts as a date
            elif isinstance(write.value, str) and write.value[:1] in "=+-@":
                cell.data_type = "s"  # a typed '=' or '+' stays text, never becomes a formula
        self._save(book, path)
        snapshot.version = self._version(path)

    def _open_for_writing(self, path, version=UNCHECKED):
        """The workbook loaded to be written, unless it is open in another program, gone,
        or (given the ``version`` it was read at) changed since."""
        if any(lock.exists() for lock in self.lock_files(path)):
            raise WorkbookBusy(
                f"The workbook '{path.name}' is open in another program, so the app did not write to it.",
                "Close the workbook; the app writes when it next syncs.",
            )
        try:
            if version is not UNCHECKED and self._version(path) != version:
                raise WorkbookBusy(
                    f"The workbook '{path.name}' changed while it was being read.",
                    "Nothing to do: the app reads it again at the next sync.",
                )
            return load_workbook(path)
        except FileNotFoundError:
            raise WorkbookUnavailable(f"The workbook file '{path.name}' has gone.", "Put the file back.")
        except PermissionError:
            raise WorkbookBusy(f"The workbook '{path.name}' cannot be written: it is open elsewhere.",
                               "Close it in other programs.")

    def _save(self, book, path):
        # Write beside the file and swap it in, so a crash never leaves half a workbook.
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".hub-", suffix=".xlsx")
        os.close(handle)
        try:
            self.calls["sheets.write"] += 1
            book.save(temp)
            os.replace(temp, path)
        except PermissionError:
            raise WorkbookBusy(f"The workbook '{path.name}' cannot be written: it is open elsewhere.",
                               "Close it in other programs.")
        finally:
            if os.path.exists(temp):
                os.remove(temp)

    def add_tab(self, ref, title, rows):
        """A new last tab holding ``rows`` as text; the other tabs' cells are left as they are.
        Excel opens no workbook with a tab title over 31 characters, so a longer title
        is shortened (xlsx_title)."""
        path = self.path(ref)
        book = self._open_for_writing(path)
        name = xlsx_title(title)
        existing = next((s for s in book.worksheets if s.title.lower() == name.lower()), None)
        if existing is not None:
            have = [list(row) for row in existing.iter_rows(values_only=True)]
            if same_grid(have, rows):
                return "there"
            if any(v not in (None, "") for row in have for v in row):
                raise tab_taken(name)
            sheet = existing
        else:
            sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value in (None, ""):
                    continue
                cell = sheet.cell(row=r, column=c)
                try:
                    cell.value = str(value)
                except (IllegalCharacterError, ValueError) as error:
                    raise ValuesRefused(f"The workbook cannot hold the text of row {r} of '{name}' "
                                        f"({error.__class__.__name__}).", "Tell the coordinator.")
                cell.data_type = "s"  # text as signed, never a formula
        self._save(book, path)
        return "added"


XLSX_TITLE_LIMIT = 31


def xlsx_title(title):
    """A tab title Excel accepts: "Review Autumn 2026-27 (signed 01-12-2026)" becomes
    "Review Autumn 26-27 01-12-2026" (the year and the signing date kept)."""
    if len(title) <= XLSX_TITLE_LIMIT:
        return title
    short = re.sub(r"\b(\d{2})(\d{2})-(\d{2})\b", r"\2-\3", title, count=1)
    short = re.sub(r"\s*\((?:signed\s+)?([^)]*)\)", r" \1", short)
    return short[:XLSX_TITLE_LIMIT].rstrip()
