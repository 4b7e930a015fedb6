"""Transports for workbooks. Everything else in sync/ is shared between them."""
from .base import Backend, CellWrite, ValuesRefused, WorkbookBusy, WorkbookSnapshot, WorkbookUnavailable

__all__ = ["Backend", "CellWrite", "ValuesRefused", "WorkbookBusy", "WorkbookSnapshot", "WorkbookUnavailable"]
