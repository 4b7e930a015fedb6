"""A local stand-in for the Google Sheets v4 and Drive v3 endpoints our gspread code uses.

No machine here reaches Google, so tests (and `make run-google`) talk real HTTP
to this instead. See docs/google-sheets.md for what it reproduces.
"""
from .server import Emulator, EmulatorServer, Fault
from .store import Store

__all__ = ["Emulator", "EmulatorServer", "Fault", "Store"]
