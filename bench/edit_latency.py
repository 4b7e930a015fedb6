"""How fast a browser save answers, and how fast the outbox drains into Google Sheets.

Against the local Sheets/Drive stand-in, with 30 school workbooks of 50 action
rows each: the server time of 300 save requests (p50, p95; through Flask, no
network), then a drain of those 300 edits spread over the 30 workbooks.

    .venv/bin/python -m bench.edit_latency
"""
import re
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from config import TestConfig
from domain.models import ActionRow, User, Workbook
from domain.passwords import hash_password
from sheets_emulator import Emulator, EmulatorServer, Store
from webapp import create_app
from webapp.extensions import db
from webapp.syncing import drain_now, sync_now

from .sync_cost import build

SCHOOLS, SAVES = 30, 300
PASSWORD = "bench password 123"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv=None):
    emulator = Emulator(Store())
    partnership_url, _, _ = build(emulator.store, SCHOOLS)
    server = EmulatorServer(emulator).start()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(folder) / 'bench.sqlite'}",
            SHEETS_BACKEND="google", GOOGLE_SHEETS_EMULATOR_HOST=server.host, PARTNERSHIP_WORKBOOK=partnership_url,
            SHEETS_READS_PER_MINUTE=0, SHEETS_WRITES_PER_MINUTE=0, OUTBOX_DRAIN_ON_SAVE=False, WTF_CSRF_ENABLED=False,
        )
        with app.app_context():
            db.create_all()
        sync_now(app, "bench")
        with app.app_context():
            db.session.add(User(email="head@bench.school", role="admin", name="Bench",
                                password_hash=hash_password(PASSWORD)))
            db.session.commit()
            rows = db.session.execute(
                select(ActionRow.id, Workbook.code).join(Workbook).where(Workbook.code != "joint")
                .order_by(ActionRow.id)
            ).all()
        client = app.test_client()
        client.post("/login", data={"email": "head@bench.school", "password": PASSWORD})
        timings = []
        statuses = ["On track", "At risk", "Behind", "Complete"]
        for n in range(SAVES):
            row_id, code = rows[(n * 37) % len(rows)]
            html = client.get(f"/plans/{code}/rows/{row_id}/edit").get_data(as_text=True)
            fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
            fields.update(status=statuses[n % 4], lead=f"Lead {n}", impact_to_date="", due="Spring 2027")
            started = time.perf_counter()
            response = client.post(f"/plans/{code}/rows/{row_id}", data=fields,
                                   headers={"HX-Request": "true", "HX-Target": f"row-{row_id}"})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 409), response.status_code
        emulator.reset_counts()
        started = time.perf_counter()
        results = drain_now(app, only_due=False)
        seconds = time.perf_counter() - started
        done = sum(1 for r in results if r.state == "done")
        calls = dict(emulator.calls)
    server.stop()
    print(f"Save request, server time over {SAVES} saves (SQLite, Flask in-process):")
    print(f"  p50 {statistics.median(timings):.1f} ms   p95 {percentile(timings, 0.95):.1f} ms   "
          f"max {max(timings):.1f} ms")
    print(f"Outbox drain against the stand-in ({len(results)} edits over {SCHOOLS} workbooks, pacing off):")
    print(f"  {done} written in {seconds:.2f} s = {done / seconds:.0f} edits/s; calls: "
          f"{calls.get('sheets.read', 0)} Sheets reads, {calls.get('sheets.write', 0)} Sheets writes, "
          f"{calls.get('drive', 0)} Drive")
    print(f"  at Google's 60 writes a minute: {calls.get('sheets.write', 0) / 60:.1f} min of write quota")


if __name__ == "__main__":
    main()
