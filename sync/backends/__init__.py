"""Transports for workbooks. Everything else in sync/ is shared between them."""
from .base import UNREAD, Backend, CellWrite, ValuesRefused, WorkbookBusy, WorkbookSnapshot, WorkbookUnavailable

__all__ = ["UNREAD", "Backend", "CellWrite", "ValuesRefused", "WorkbookBusy", "WorkbookSnapshot", "WorkbookUnavailable"]
