"""Transports for workbooks. Everything else in sync/ is shared between them."""
from .base import UNREAD, Backend, CellWrite, WorkbookBusy, WorkbookSnapshot, WorkbookUnavailable

__all__ = ["UNREAD", "Backend", "CellWrite", "WorkbookBusy", "WorkbookSnapshot", "WorkbookUnavailable"]
