"""How long a big plan's board pack takes to be made in the background, and its size.

A school plan of ROWS action rows (bench.page_queries.build's school, its rows repeated) in
a SQLite database of its own; the pack is asked for as a governor asks (the answer: being
prepared), its job done as the scheduler's process does it, timed from the ask to the pack
served.

    .venv/bin/python -m bench.board_pack [--rows 2000]
"""
import argparse
import io
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import insert, select

from domain import scope
from domain.models import ActionRow, BoardPack
from webapp import background
from webapp.extensions import db

from .page_queries import PASSWORD, STATUSES, build


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = build(f"sqlite:///{Path(tmp) / 'pack.sqlite'}", 2)
        with app.app_context(), scope.whole_hub(db.session):
            first = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "S001-A001"))
            have = len(db.session.scalars(select(ActionRow.id).where(ActionRow.workbook_id == first.workbook_id)).all())
            db.session.execute(insert(ActionRow), [
                {"workbook_id": first.workbook_id, "sheet_id": f"S001-A{n:04d}", "sheet_row": n + 2, "area": first.area,
                 "key_objective": f"{first.key_objective} ({n})", "specific_actions": first.specific_actions,
                 "intended_outcome": first.intended_outcome, "lead": first.lead, "due": first.due,
                 "due_date": first.due_date, "due_by": first.due_by, "status": STATUSES[n % len(STATUSES)],
                 "impact_to_date": first.impact_to_date, "extra": {}, "objective_refs": []}
                for n in range(have + 1, args.rows + 1)])
            db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": "governor@bench.school", "password": PASSWORD})
        started = time.perf_counter()
        asked = client.get("/summary/S001.pdf")
        answered = time.perf_counter() - started
        background.work_off(app)
        served = client.get("/summary/S001.pdf")
        ready = time.perf_counter() - started
        assert asked.status_code == 202 and served.mimetype == "application/pdf", (asked.status_code, served.status)
        pages = len(PdfReader(io.BytesIO(served.data)).pages)
        with app.app_context():
            made = db.session.scalar(select(BoardPack.seconds))
        print(f"Board pack of a plan of {args.rows:,} rows, made in the background (SQLite, in-process):")
        print(f"  the ask answered in {answered * 1000:.0f} ms (being prepared); WeasyPrint {made:.1f} s; "
              f"ready and served {ready:.1f} s after the ask; {len(served.data) / 1024:.0f} KB, {pages} pages")
        return ready


if __name__ == "__main__":
    main()
