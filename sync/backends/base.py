"""What a backend does: read a whole workbook, write a few cells."""
from dataclasses import dataclass
from typing import Protocol


@dataclass
class WorkbookSnapshot:
    """Every tab of a workbook, as cell grids, and a token of the version read."""

    ref: str
    tabs: dict  # tab title -> list of rows, each a list of cell values
    version: str | None = None  # changes whenever the workbook does


@dataclass(frozen=True)
class CellWrite:
    tab: str
    row: int  # 1-based
    column: int  # 1-based
    value: str


class WorkbookUnavailable(Exception):
    """The workbook cannot be read or written: missing, unreadable, not shared."""

    def __init__(self, message, fix=""):
        super().__init__(message)
        self.message = message
        self.fix = fix


class WorkbookBusy(WorkbookUnavailable):
    """Someone has the workbook open or changed it since it was read: try later."""


class Backend(Protocol):
    def read(self, ref: str) -> WorkbookSnapshot:
        """Every tab of the workbook, in one go."""

    def write_cells(self, snapshot: WorkbookSnapshot, writes: list[CellWrite]) -> None:
        """Write raw values into cells of the workbook as it was read.

        Raises WorkbookBusy if the workbook changed since ``snapshot`` was read.
        """
