"""Peak memory of a sync: the 200-school bench, then the same with one hostile workbook.

Each sync runs in a fresh child process, which reports its own peak resident set
(Linux's VmHWM; ``ru_maxrss`` elsewhere, which on Linux would carry over the
parent's peak across fork and exec), so the figure is the sync's alone (the
stand-in, for the Google path, stays in this process). The hostile workbook is a school's own with one
stray cell at XFD1048576 (.xlsx: a 9 KB file claiming 16,384 columns by
1,048,576 rows) or, on Google, a value in row 1,000,000: the sync must refuse that
workbook alone, cheaply, and sync the others.

    .venv/bin/python -m bench.memory [--schools 200]
"""
import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook as Book

from sheets_emulator import Emulator, EmulatorServer, Store
from sheets_emulator.store import Cell

from .sync_cost import build, school_tabs

HOSTILE = "S001"


def write_xlsx(path, tabs):
    book = Book(write_only=True)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)


def build_xlsx(folder, schools):
    """The bench partnership as .xlsx files: 50 action rows, 300 impact rows, 10 SIP priorities a school."""
    codes = [f"S{n:03d}" for n in range(1, schools + 1)]
    for code in codes:
        write_xlsx(folder / f"{code}.xlsx", school_tabs(code))
    write_xlsx(folder / "partnership.xlsx", {
        "Schools": [["Code", "School", "Workbook"]] + [[c, f"School {c}", f"{c}.xlsx"] for c in codes],
        "Objectives": [["Ref", "Objective"]] + [[n, f"Objective {n}"] for n in range(1, 11)],
        "Action plan": [["ID", "Key objective", "Status"], ["J-A001", "Joint objective", "On track"]],
    })


def make_hostile_xlsx(path):
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Action plan"]["XFD1048576"] = "x"
    book.save(path)


def peak_mb():
    """The process's peak resident set so far, in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child(argv):
    """In the child: one first sync, then its peak memory and what it found, as JSON."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from domain.models import Base
    from sync.run import run_sync

    kind, where, db = argv[:3]
    if kind == "xlsx":
        from sync.backends.workbook import XlsxBackend

        backend, partnership = XlsxBackend(where), "partnership.xlsx"
    else:
        from sync.backends.google import GoogleBackend, make_client

        client, email = make_client(emulator_host=where, timeout=(5, 120))
        backend, partnership = GoogleBackend(client, email, reads_per_minute=None, writes_per_minute=None), argv[3]
    engine = create_engine(f"sqlite:///{db}")
    Base.metadata.create_all(engine)
    before = peak_mb()
    started = time.perf_counter()
    with Session(engine) as session:
        report = run_sync(session, backend, partnership, "bench")
    print(json.dumps({
        "seconds": time.perf_counter() - started,
        "baseline_mb": before,
        "peak_mb": peak_mb(),
        "ok": sum(1 for r in report.results if r.ok),
        "failed": [f"{r.code}: {r.error.split(';')[0]}" for r in report.results if not r.ok],
    }))


def measure(*args):
    out = subprocess.run([sys.executable, "-m", "bench.memory", "--child", *map(str, args)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(schools):
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        books = folder / "workbooks"
        books.mkdir()
        build_xlsx(books, schools)
        rows.append((".xlsx", f"{schools} schools", measure("xlsx", books, folder / "a.sqlite")))
        make_hostile_xlsx(books / f"{HOSTILE}.xlsx")
        rows.append((".xlsx", f"{schools} + stray XFD1048576", measure("xlsx", books, folder / "b.sqlite")))

        emulator = Emulator(Store())
        url, keys, _ = build(emulator.store, schools)
        server = EmulatorServer(emulator).start()
        try:
            rows.append(("Google", f"{schools} schools", measure("google", server.host, folder / "c.sqlite", url)))
            sheet = emulator.store.spreadsheets[keys[HOSTILE]].sheet("Action plan")
            sheet.rows = 1_000_000
            sheet.cells[(1_000_000, 10)] = Cell("x")
            rows.append(("Google", f"{schools} + stray in row 1,000,000",
                         measure("google", server.host, folder / "d.sqlite", url)))
        finally:
            server.stop()
    return rows


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    args = parser.parse_args(argv)
    print("Peak memory of a first sync, each in its own process (peak resident set; SQLite).")
    print("Each school workbook: 50 action rows, 300 impact-log rows, 10 SIP priorities.\n")
    header = f"{'backend':<7}  {'workbooks':<32} {'peak MB':>8} {'at start':>8} {'wall s':>7}  result"
    print(header)
    print("-" * (len(header) + 12))
    for backend, name, figures in run(args.schools):
        result = f"{figures['ok']} synced"
        if figures["failed"]:
            result += f", {len(figures['failed'])} failed"
        print(f"{backend:<7}  {name:<32} {figures['peak_mb']:>8.0f} {figures['baseline_mb']:>8.0f}"
              f" {figures['seconds']:>7.1f}  {result}")
        for failure in figures["failed"]:
            print(f"{'':<9}{failure}")


if __name__ == "__main__":
    main()
