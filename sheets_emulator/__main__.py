"""Serve the stand-in with the demo workbooks loaded: `python -m sheets_emulator`.

    python -m sheets_emulator --port 8089 --workbooks instance/demo-workbooks

It keeps its spreadsheets in memory; they start again from the .xlsx files at
each start. Control endpoints (for trying things by hand):
  GET  /_emulator/calls            calls received, by kind
  GET  /_emulator/spreadsheets     keys and titles
  POST /_emulator/edit             {"key", "tab", "row", "col", "value"}: a person typing
  POST /_emulator/faults           {"kind", "status", "times", "delay"}: fail or stall calls
"""
import argparse
import time

from .server import Emulator, EmulatorServer
from .store import Store
from .workbooks import load_partnership


def main():
    parser = argparse.ArgumentParser(description="A local stand-in for Google Sheets v4 and Drive v3.")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--workbooks", required=True, help="folder with the partnership and school .xlsx files")
    parser.add_argument("--partnership", default="partnership.xlsx")
    parser.add_argument("--reads-per-minute", type=int, default=None, help="enforce Google's read quota")
    args = parser.parse_args()
    emulator = Emulator(Store(), reads_per_minute=args.reads_per_minute)
    url = load_partnership(emulator.store, args.workbooks, args.partnership)
    server = EmulatorServer(emulator, port=args.port).start()
    print(f"Sheets/Drive stand-in on http://{server.host}/ ; partnership workbook: {url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
