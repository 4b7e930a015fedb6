"""The hub under load: gunicorn (gunicorn.conf.py) on PostgreSQL, loaded with wrk; one
table of every page a person opens often, kept in docs/performance.md with the run before.

200 schools' data (bench.page_queries.build: 50 action rows, 300 impact-log rows
and 10 priorities each; bench.crowd.seed: 1,000 people, 400 events over two terms,
182 finished impact forms, sync runs) in a PostgreSQL database of its own on
127.0.0.1:5432 (created, then dropped), served by `gunicorn -c gunicorn.conf.py
wsgi:app` on a loopback port. Each page of bench/pages.py's PAGES is asked for a
bounded count of requests by wrk from Debian (`apt-get install -y wrk`), with the
cookie of a session signed in once through the login form as the role the page is
for, each request on a connection of its own (CONNECTION says why); the save is a
POST with the session's CSRF token, each request a different action row (so every
one is a real save, never a clash). The table gives each
page's p50 and p95, its p95 as a ratio to /healthz's (the median of bursts of it
between the pages, in the same run), its bytes, and that ratio over the run
before's; bench/pages.py writes it into docs/performance.md, "Every page under
load (make bench)".

Then the rate a school's plan holds under 100 ms p95 (--no-steps skips it): wrk is
a closed loop (each connection sends its next request when the last is answered),
so the load is stepped by connection count, and the rate is the highest throughput
among the steps whose p95 stayed under 100 ms.

    .venv/bin/python -m bench.load [--schools 200] [--scale 1.0] [--no-steps] [--no-docs]
"""
import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import requests
from sqlalchemy import create_engine, func, select, text

from domain.models import ActionRow, OutboxEntry
from webapp import background
from webapp.extensions import db

from . import crowd
from .page_queries import PASSWORD, build
from .pages import DOC, HEALTHZ, PAGES, SAVE, SECTION, Measured, comparable_before, heading, table, write

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("LOAD_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
CONNECTIONS = 4  # gunicorn.conf.py: 2 workers x 2 threads on this 2-core machine
HEALTHZ_BURST = 300  # /healthz's requests before each page: its p95 is the median of the run's bursts
STEPS = [1, 2, 3, 4, 5, 6, 8, 12, 16]  # connections for the school plan's rate: finer where p95 crosses 100 ms
STEP_REQUESTS = 150

# Counts responses and stops the thread at LOAD_REQUESTS, then says so: wrk would
# otherwise sleep out its -d before reporting, so bench.load then interrupts it
# (SIGINT, which wrk takes as "report now"). Reports wrk's own latency histogram
# (microseconds) as one JSON line.
COUNTING = """
local limit = tonumber(os.getenv("LOAD_REQUESTS"))
local answered = 0
response = function(status, headers, body)
  answered = answered + 1
  if answered == limit then
    -- wrk itself would wait out its -d: it is told to end now, and says so
    wrk.thread:stop()
    io.write("STOPPED\\n")
    io.flush()
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('LOAD {"requests": %d, "us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"bad_status": %d, "socket_errors": %d}\\n', summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_missing():
    if shutil.which("wrk"):
        return False
    print("bench.load needs wrk from Debian: sudo apt-get install -y wrk (skipped)")
    return True


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sign_in(base, role):
    """(Cookie header, CSRF token) of a session signed in through the login form. The
    cookies are Secure (production settings), so they are sent by hand over loopback
    HTTP. The home page after sign-in puts the session's CSRF token in the cookie."""
    page = requests.get(f"{base}/login", timeout=30)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)[1]
    answer = requests.post(f"{base}/login", data={"email": f"{role}@bench.school", "password": PASSWORD,
                                                  "csrf_token": token},
                           cookies=page.cookies.get_dict(), allow_redirects=False, timeout=30)
    assert answer.status_code == 302, (role, answer.status_code, answer.text[:500])
    cookies = answer.cookies.get_dict()
    home = requests.get(f"{base}/", cookies=cookies, timeout=30)
    cookies.update(home.cookies.get_dict())
    found = re.search(r'"X-CSRFToken": "([^"]+)"', home.text) or re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                                                           home.text)
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), found[1]


# Each request on a connection of its own. Over kept-alive connections, where wrk's four
# happened to land decided a page's figure: three or four on one of gunicorn's two workers
# and that worker served them all while the other idled (the school plan's median 22 ms in
# one run, 60 in the next; new connections each time: 24 to 36 ms).
CONNECTION = "Connection: close"


def wrk_command(folder, url, cookie, count, connections, script="counting.lua"):
    command = ["wrk", "-t1", f"-c{connections}", "-d120s", "--timeout", "30s", "-H", CONNECTION,
               "-s", str(folder / script), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    return command


def wrk(folder, url, cookie, count, connections, script="counting.lua"):
    """One bounded wrk run: {requests, us, p50, p95, p99 (us), bad_status, socket_errors}."""
    command = wrk_command(folder, url, cookie, count, connections, script)
    run = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=dict(os.environ, LOAD_REQUESTS=str(count)))
    for line in run.stdout:
        if line.startswith("STOPPED"):
            run.send_signal(signal.SIGINT)
            break
    out = run.communicate(timeout=60)[0]
    result = json.loads(out.split("LOAD ", 1)[1].splitlines()[0])
    result["command"] = " ".join(command)
    # The requests still in flight when wrk stopped (up to connections - 1) are served
    # meanwhile: wait them out, or the next run (a burst of /healthz) would queue behind them.
    time.sleep(min(10, result["p99"] / 1e6) + 0.1)
    return result


def save_script(folder, base, cookie, token, rows):
    """A wrk script whose every request saves a different row's lead, as htmx sends it;
    the first row is saved here first, proof that the body is one the app accepts. Returns
    the bytes of that first save's answer."""
    bodies, paths, targets = [], [], []
    for n, (row_id, code, status, lead, due) in enumerate(rows):
        fields = {"csrf_token": token, "status": status, "impact_to_date": "", "lead": f"Load test lead {n}",
                  "due": due, "version": 1, "seen_status": status, "seen_impact_to_date": "", "seen_lead": lead,
                  "seen_due": due}
        bodies.append(urlencode(fields))
        paths.append(f"/plans/{code}/rows/{row_id}")
        targets.append(f"row-{row_id}")
    # The first save by hand.
    answer = requests.post(base + paths[0], data=bodies[0], timeout=30, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
        "HX-Target": targets[0]})
    assert answer.status_code == 200 and "Load test lead 0" in answer.text, (answer.status_code, answer.text[:500])
    size = len(answer.content)
    paths, bodies, targets = paths[1:], bodies[1:], targets[1:]
    lua = "\n".join([
        "local paths = " + lua_list(paths), "local bodies = " + lua_list(bodies),
        "local targets = " + lua_list(targets), "local i = 0",
        "request = function()",
        "  i = i + 1",
        # headers given to wrk.format replace wrk's own (-H), so the cookie goes here too
        f'  return wrk.format("POST", paths[i], {{["Cookie"] = {json.dumps(cookie)},',
        '    ["Content-Type"] = "application/x-www-form-urlencoded",',
        '    ["HX-Request"] = "true", ["HX-Target"] = targets[i], ["Connection"] = "close"}, bodies[i])',
        "end",
    ]) + COUNTING
    (folder / "save.lua").write_text(lua)
    return size


def lua_list(values):
    return "{" + ",".join(json.dumps(v) for v in values) + "}"


def start_gunicorn(folder, url):
    port = free_port()
    env = dict(os.environ, HUB_CONFIG="production", SECRET_KEY=secrets.token_hex(32), DATABASE_URL=url,
               # wrk asks for 127.0.0.1 itself, as nginx's Host would name the hub
               HUB_URL="https://hub.bench.invalid", HUB_OTHER_HOSTS="127.0.0.1",
               GUNICORN_BIND=f"127.0.0.1:{port}", SCHEDULER_ENABLED="0",
               # The bench's workbooks are not on disk: a save's entry waits in the outbox
               # (its drain is bench.edit_latency's), the save is the database transaction.
               OUTBOX_DRAIN_ON_SAVE="0")
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(folder / "gunicorn.log", "w"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return server, base
        except requests.RequestException:  # not listening yet
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError((folder / "gunicorn.log").read_text())
        time.sleep(0.3)


def measured(what, path, r):
    bad = f"{r['bad_status']} bad status, {r['socket_errors']} socket errors" \
        if r["bad_status"] or r["socket_errors"] else ""
    return Measured(what, path, r["requests"], r["p50"] / 1000, r["p95"] / 1000, bad=bad)


def warm(folder, base, cookie, path, app):
    """(status, bytes) of the fourth of four asks, the page's size known; then four bursts
    over 8 connections each, so that every worker (not only the one that took the four
    asks) has made what it keeps before the page is measured. A page whose work is done in the background
    (a board pack: 202, being prepared) has it done here, as the scheduler's process would,
    so that what is loaded is the page served once it is ready."""
    for _ in range(4):
        answer = requests.get(base + path, headers={"Cookie": cookie, "Accept-Encoding": "identity"}, timeout=120)
        if answer.status_code == 202:
            background.work_off(app)
    if answer.status_code == 200:
        for _ in range(4):  # new connections each time: a worker may take every one of a burst
            wrk(folder, base + path, cookie, 16, 2 * CONNECTIONS)
    return answer.status_code, len(answer.content)


def measure_all(folder, base, cookies, warmed, saves, save_bytes, health_bytes, n):
    """Each page in turn, then the save, a burst of /healthz before each and one after the
    last: ([/healthz's row (the median of the bursts' p50s and p95s), then each page's], a
    note of how far /healthz moved). A page that did not answer 200 when warmed is not loaded."""
    bursts = []

    def healthz():
        bursts.append(wrk(folder, f"{base}/healthz", None, n(HEALTHZ_BURST), CONNECTIONS))

    rows = []
    for what, role, path, count in PAGES:
        status, size = warmed[what]
        if status != 200:
            rows.append(Measured(what, path, size=size, failed=f"HTTP {status}"))
            continue
        healthz()
        rows.append(measured(what, path, wrk(folder, base + path, cookies[role], n(count), CONNECTIONS)))
        rows[-1].size = size
    what, role, path, _ = SAVE
    healthz()
    rows.append(measured(what, path, wrk(folder, f"{base}/", cookies[role], saves, CONNECTIONS, "save.lua")))
    rows[-1].size = save_bytes
    healthz()
    p95s = sorted(b["p95"] / 1000 for b in bursts)
    health = measured(HEALTHZ, "/healthz", dict(
        requests=sum(b["requests"] for b in bursts), p50=statistics.median(b["p50"] for b in bursts),
        p95=statistics.median(b["p95"] for b in bursts), bad_status=sum(b["bad_status"] for b in bursts),
        socket_errors=sum(b["socket_errors"] for b in bursts)))
    health.size = health_bytes
    note = (f"/healthz: {len(bursts)} bursts of {n(HEALTHZ_BURST)} requests, one before each page and one after "
            f"the last; their p95 {p95s[0]:.1f} to {p95s[-1]:.1f} ms, the median taken")
    return [health, *rows], note


def stepped(folder, base, cookie, count):
    """The school plan's rate under 100 ms p95, connections stepped (issue 18's figure)."""
    print(f"\nschool plan (/plans/S001), {count} requests a step, connections stepped:")
    print(f"{'connections':>11}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}")
    held = None
    for c in STEPS:
        r = wrk(folder, f"{base}/plans/S001", cookie, count, c)
        rate = r["requests"] / (r["us"] / 1e6)
        print(f"{c:>11}{r['p50'] / 1000:>8.1f}{r['p95'] / 1000:>8.1f}{r['p99'] / 1000:>8.1f}{rate:>8.1f}")
        if r["p95"] < 100_000:
            held = max(held or 0, rate)
    print(f"p95 under 100 ms up to {held:.0f} requests/s" if held else "p95 over 100 ms at every step")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every request count")
    parser.add_argument("--people", type=int, default=1000, help="bench.crowd.seed's people, events, forms")
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--forms", type=int, default=182, help="finished impact forms")
    parser.add_argument("--no-steps", action="store_true", help="skip the school plan's connections stepped")
    parser.add_argument("--no-docs", action="store_true", help=f"do not write the table into {DOC.name}")
    args = parser.parse_args(argv)
    if wrk_missing():
        return None
    n = lambda count: max(4, int(count * args.scale))  # noqa: E731
    name = f"hub_load_{os.getpid()}"
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{SERVER}/{name}"
    server = None
    try:
        started = time.perf_counter()
        app = build(url, args.schools)
        seeded = crowd.seed(app, people=args.people, events=args.events, finished_forms=args.forms,
                            sync_runs=3 * args.schools)
        with app.app_context():
            rows = db.session.execute(  # rows of every school but the first, in turn, for the saves
                select(ActionRow.id, ActionRow.sheet_id, ActionRow.status, ActionRow.lead, ActionRow.due)
                .order_by(ActionRow.sheet_id)).all()
            db.engine.dispose()
        rows = [(r.id, r.sheet_id.split("-")[0], r.status, r.lead, r.due) for r in rows
                if not r.sheet_id.startswith("S001-")]
        print(f"{args.schools} schools and {seeded} written to PostgreSQL in {time.perf_counter() - started:.1f} s")
        # Statistics gathered now, as a hub's database has them: else autovacuum's ANALYZE of the
        # tables just written runs during the measurement, and a page's plan changes under it.
        vacuum = create_engine(url, isolation_level="AUTOCOMMIT")
        with vacuum.connect() as c:
            c.execute(text("VACUUM ANALYZE"))
        vacuum.dispose()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "counting.lua").write_text(COUNTING)
            server, base = start_gunicorn(folder, url)
            sessions = {role: sign_in(base, role) for role in ("admin", "head", "staff", "governor")}
            cookies = {role: cookie for role, (cookie, _) in sessions.items()}
            # The save's first request is made by hand before the pages are warmed: a save moves
            # its plan's version on, and every page made from the partnership would be made
            # afresh by each worker's first request of it, measured as the page's tail.
            save_what, save_role, save_path, save_count = SAVE
            saves = n(save_count)
            save_bytes = save_script(folder, base, *sessions[save_role], rows[:saves + CONNECTIONS + 1])
            warmed = {what: warm(folder, base, cookies[role], path, app) for what, role, path, _ in PAGES}
            for what, (status, _) in warmed.items():
                if status != 200:
                    print(f"{what}: HTTP {status} when warmed, not loaded (gunicorn's log: the traceback)")
            health_bytes = len(requests.get(f"{base}/healthz", timeout=30).content)

            load_start = os.getloadavg()
            print(f"gunicorn -c gunicorn.conf.py (2 workers x 2 threads), wrk -t1 -c{CONNECTIONS}; "
                  f"load average {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} on {os.cpu_count()} cores")
            results, health_note = measure_all(folder, base, cookies, warmed, saves, save_bytes, health_bytes, n)
            load_end = os.getloadavg()

            docs = DOC.read_text() if DOC.exists() else ""
            lines = table(results, comparable_before(docs, args.schools), [health_note])
            print("\n" + "\n".join(lines))
            head = heading(args.schools, seeded, args.scale, load_start, load_end, os.cpu_count())
            print(head.replace("Last run: ", "", 1))
            engine = create_engine(url)
            with engine.connect() as c:  # each save's entry, waiting for the sheet: none lost, none a clash
                entries = c.execute(select(func.count()).select_from(OutboxEntry)).scalar()
            engine.dispose()
            print(f"saves in the outbox: {entries} (1 by hand first, {results[-1].n} counted by wrk, "
                  f"the rest in flight when it stopped)")
            if not args.no_docs:
                write(lines, head)
                print(f"written to {DOC.relative_to(ROOT)}, \"{SECTION[3:]}\" (the last run before it: the run before)")
            if not args.no_steps:
                stepped(folder, base, cookies["head"], n(STEP_REQUESTS))
                load = os.getloadavg()
                print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
            print("wrk, e.g.: " + re.sub(r"Cookie: \S+", "'Cookie: session=…'",
                                         " ".join(wrk_command(folder, f"{base}/plans/S001", "…", n(200), CONNECTIONS))))
            return results
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
