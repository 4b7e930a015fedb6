"""What a backend does: read a whole workbook, write a few cells."""
from dataclasses import dataclass
from typing import Protocol

from ..errors import (  # noqa: F401 (re-exported: backends raise these)
    ValuesRefused,
    WorkbookBusy,
    WorkbookUnavailable,
)


class _Unread:
    """The type of UNREAD; one instance, falsy, that says so when printed."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self):
        return False

    def __repr__(self):
        return "UNREAD"

    def __str__(self):
        return ""  # so that cell_text() and the header search read it as no text

    def __reduce__(self):
        return (_Unread, ())  # a copy (or a pickle) is the same marker


# A cell a backend could not read: a formula whose result is not stored in the file
# (a workbook saved by openpyxl, our own writes included, or never opened in a
# spreadsheet program). Not '' -- the sheet does not say the cell is empty: the
# sync keeps the value it last read and reports cells it never knew.
# Compare with ``is``.
UNREAD = _Unread()


@dataclass
class WorkbookSnapshot:
    """Every tab of a workbook, as cell grids, and a token of the version read."""

    ref: str
    tabs: dict  # tab title -> list of rows, each a list of cell values (or UNREAD)
    version: str | None = None  # changes whenever the workbook does
    layout: dict | None = None  # what a backend remembers of the tabs between reads
    # The spreadsheet's locale (Google), which a date is written in; None until known.
    # Remembered between syncs as Workbook.locale.
    locale: str | None = None
    locale_read: bool = False  # the locale came from this snapshot's own calls (not remembered)


@dataclass(frozen=True)
class CellWrite:
    """One cell to write: text stays text (never a formula), a ``date`` lands as a date cell."""

    tab: str
    row: int  # 1-based
    column: int  # 1-based
    value: object  # str or datetime.date


class Backend(Protocol):
    """Everything the sync, the outbox and ``sheets check`` ask of a transport.

    Failures are the exceptions of ``sync.errors``: WorkbookUnavailable (and its
    WorkbookBusy) for a workbook that cannot be reached, read or written now.
    """

    calls: dict  # API calls made, by kind ('sheets.read', 'sheets.write', 'drive')

    def identity(self, ref: str) -> str:
        """The one canonical name of the workbook ``ref`` points at, however it is written
        (a file inside the workbook folder; a spreadsheet key). Two refs to one workbook
        have one identity. Raises WorkbookUnavailable for a ref it will never open."""

    def versions(self):
        """An object whose ``get(ref)`` is the workbook's version token, or the
        WorkbookUnavailable saying why it cannot be read, or None if unknown.

        As cheap as the transport allows (one Drive listing for Google): the
        sync reads only workbooks whose version moved since their last read.
        """

    def current_version(self, ref: str) -> str:
        """One workbook's version now (before reading it to write); raises WorkbookUnavailable."""

    def read(self, ref: str, layout: dict | None = None, wanted=None) -> WorkbookSnapshot:
        """The workbook's tabs (those whose title ``wanted(title)`` accepts; a
        WorkbookKind), in one go. ``layout`` is what the last snapshot remembered of the tabs.
        """

    def write_cells(self, snapshot: WorkbookSnapshot, writes: list[CellWrite]) -> None:
        """Write values into cells of the workbook as it was read: text as text, dates
        as date cells, nothing a sheet would run as a formula.

        Raises WorkbookBusy if the workbook changed since ``snapshot`` was read.
        Afterwards ``snapshot.version`` is the new version, or None if unknown.
        """

    def append_rows(self, snapshot: WorkbookSnapshot, tab: str, rows: list[list], header_row: int = 1) -> int:
        """Add rows (values as write_cells takes them, from column A) below the table
        whose header is on ``header_row``, never over a row.

        Returns the row number the first one landed on.
        """

    def add_tab(self, ref: str, title: str, rows: list[list]) -> str:
        """Add a tab ``title`` holding ``rows`` (text, from A1), touching no other tab: a
        record the hub keeps in the workbook (a confirmed review's dated tab).

        Returns "added", or "there" when a tab of that title holds these rows already (a
        retry whose first try had landed). An empty tab of that title (a try that added
        the tab but not its cells) is filled. Raises ValuesRefused when a tab of that title
        holds other cells, WorkbookUnavailable when the workbook cannot be written now.
        """


def same_grid(have, want):
    """Do two grids hold the same text, trailing blanks aside (as a sheet gives them back)?"""
    def tidy(grid):
        rows = [[("" if v is None else str(v)) for v in row] for row in grid]
        rows = [row[:max((i + 1 for i, v in enumerate(row) if v != ""), default=0)] for row in rows]
        while rows and not rows[-1]:
            rows.pop()
        return rows
    return tidy(have) == tidy(want)


def tab_taken(title):
    """The refusal when a tab of a record's title holds something else."""
    return ValuesRefused(f"The workbook has a tab named '{title}' already, holding other cells.",
                         "Rename or delete that tab in the workbook, then retry.")
