"""What a sync costs in Google API calls and time, against the local stand-in.

For 30 and 200 school workbooks (each 50 action rows, 300 impact-log rows and
10 SIP priorities): a first sync, a sync with nothing changed, a sync after
3 workbooks changed, and one after a person added a row (no ID yet) to 3 others;
beside the calls the obvious gspread code (open_by_key,
then worksheet(title).get_all_records() per tab) makes for the same work.

Pacing is off so the figures show the work itself; the last column says how
long the Sheets reads take at best under Google's 60-reads-a-minute quota.

An authority's hub: --schools 1000 --partnerships 40 (1,040 workbooks).

    .venv/bin/python -m bench.sync_cost [--schools 30 200] [--partnerships 1]
"""
import argparse
import tempfile
import time
from pathlib import Path

import gspread
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from domain import partnerships as hub
from domain.models import Base, Partnership
from sheets_emulator import Emulator, EmulatorServer, Store
from sheets_emulator.workbooks import sheet_url
from sync.backends.google import GoogleBackend, make_client
from sync.demo_data import IMPACT_HEADER, SCHOOL_ACTION_HEADER, SIP_HEADER
from sync.run import run_sync

QUOTA_PER_MINUTE = 60
STATUSES = ["On track", "At risk", "Behind", "Complete", "Not started"]
AREAS = ["Safeguarding", "Teaching and Learning", "CPD", "Moderation", "Pupil Premium", "Parents", "Governors"]


def school_tabs(code):
    actions = [SCHOOL_ACTION_HEADER] + [
        [f"{code}-A{n:03d}", AREAS[n % len(AREAS)], "1, 3, 5", f"Key objective {n} of {code}",
         "• First action\n• Second action", "Pupils make better progress.", "Work scrutiny done.",
         "Subject lead", f"{(n % 28) + 1:02d}/03/2027", STATUSES[n % 5], "14/11/2026"]
        for n in range(1, 51)
    ]
    impact = [IMPACT_HEADER] + [
        [f"{code}-I{n:03d}", f"{(n % 28) + 1:02d}/10/2026", f"{code}-A{(n % 50) + 1:03d}", "Network",
         f"Network meeting {n}", "• Strength one\n• Strength two\n• Strength three", "One area to develop", "Lead"]
        for n in range(1, 301)
    ]
    sip = [SIP_HEADER] + [
        [f"{code}-S{n:03d}", f"Priority {n}", ["EHWB", "Writing", "Middle leaders"][n % 3], "Detail", "Lead",
         STATUSES[n % 5], "Yes" if n % 2 else "No"]
        for n in range(1, 11)
    ]
    return {"Action plan": actions, "Impact log": impact, "SIP priorities": sip}


def build(store, schools, partnerships=1):
    """The workbooks in the stand-in: ``partnerships`` partnership workbooks sharing ``schools``
    school workbooks between them. Returns (the first partnership's URL, school keys, the
    others' URLs)."""
    codes = [f"S{n:03d}" for n in range(1, schools + 1)]
    keys = {code: store.create(f"School {code}", school_tabs(code), key=f"bench-{code}-{'0' * 20}") for code in codes}
    each = -(-schools // partnerships)
    urls = []
    for p in range(partnerships):
        mine = codes[p * each:(p + 1) * each]
        partnership = store.create(f"Partnership {p + 1}", {
            "Schools": [["Code", "School", "Workbook"]] + [[c, f"School {c}", sheet_url(keys[c])] for c in mine],
            "Objectives": [["Ref", "Objective"]] + [[n, f"Objective {n}"] for n in range(1, 11)],
            "Action plan": [["ID", "Area", "Key objective", "Status"]] + [
                [f"J-A{n:03d}", AREAS[n % len(AREAS)], f"Joint objective {n}", STATUSES[n % 5]] for n in range(1, 11)],
        }, key=f"bench-partnership-{p + 1:02d}-" + "0" * 20)
        urls.append(sheet_url(partnership))
    return urls[0], keys, urls[1:]


def measure(emulator, action):
    emulator.reset_counts()
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    calls = dict(emulator.calls)
    return calls.get("sheets.read", 0), calls.get("sheets.write", 0), calls.get("drive", 0), seconds


def obvious_gspread(client, refs):
    """The code one writes first: open each spreadsheet, then read each tab."""
    for ref, tabs in refs:
        spreadsheet = client.open_by_key(gspread.utils.extract_id_from_url(ref))
        for title in tabs:
            spreadsheet.worksheet(title).get_all_records()


def run(schools, workdir, partnerships=1):
    emulator = Emulator(Store())
    partnership_url, keys, others = build(emulator.store, schools, partnerships)
    server = EmulatorServer(emulator).start()
    try:
        client, email = make_client(emulator_host=server.host, timeout=(5, 60))
        backend = GoogleBackend(client, email, reads_per_minute=None, writes_per_minute=None)
        engine = create_engine(f"sqlite:///{workdir / f'bench-{schools}.sqlite'}")
        Base.metadata.create_all(engine)
        rows = []
        with Session(engine) as session:
            hub.ensure_first(session, partnership_url)
            session.add_all(Partnership(slug=f"partnership-{n:02d}", name=f"Partnership {n:02d}", workbook_ref=url)
                            for n, url in enumerate(others, start=2))
            session.commit()

            def ours():
                report = run_sync(session, backend, partnership_url, "bench")
                assert report.ok, [r.line() for r in report.results if not r.ok]

            rows.append(("first sync", measure(emulator, ours)))
            rows.append(("nothing changed", measure(emulator, ours)))
            for code in list(keys)[:3]:
                emulator.store.edit(keys[code], "Action plan", 2, 10, "Behind")
            rows.append(("3 workbooks changed", measure(emulator, ours)))
            for code in list(keys)[3:6]:  # a person adds a row, with no ID yet: the sync writes one
                emulator.store.insert_row(keys[code], "Action plan", 52, [None, "CPD", "1", "A new objective"])
            rows.append(("3 new rows, IDs written", measure(emulator, ours)))

        refs = [(url, ["Schools", "Objectives", "Action plan"]) for url in [partnership_url, *others]] + [
            (sheet_url(key), ["Action plan", "Impact log", "SIP priorities"]) for key in keys.values()
        ]
        baseline = measure(emulator, lambda: obvious_gspread(client, refs))
        engine.dispose()
    finally:
        server.stop()
    return rows, baseline


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[30, 200])
    parser.add_argument("--partnerships", type=int, default=1, help="the schools shared out among this many")
    args = parser.parse_args(argv)
    print("Sync cost against the local Sheets/Drive stand-in (pacing off).")
    print("Each school workbook: 50 action rows, 300 impact-log rows, 10 SIP priorities.")
    print(f"The schools in {args.partnerships} partnership{'s' if args.partnerships > 1 else ''}, "
          "each with its own partnership workbook.\n")
    header = (f"{'schools':>7}  {'sync':<22} {'Sheets reads':>12} {'writes':>6} {'Drive':>5} {'wall s':>7}"
              f"  {'min. at 60 reads/min':>20}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for schools in args.schools:
            rows, baseline = run(schools, Path(folder), args.partnerships)
            for name, (reads, writes, drive, seconds) in rows:
                print(f"{schools:>7}  {name:<22} {reads:>12} {writes:>6} {drive:>5} {seconds:>7.1f}"
                      f"  {reads / QUOTA_PER_MINUTE:>17.1f} min")
            reads, writes, drive, seconds = baseline
            print(f"{schools:>7}  {'obvious gspread, each':<22} {reads:>12} {writes:>6} {drive:>5} {seconds:>7.1f}"
                  f"  {reads / QUOTA_PER_MINUTE:>17.1f} min")
    print("\nThe obvious code costs the same on every sync, changed or not: it cannot tell.")


if __name__ == "__main__":
    main()
