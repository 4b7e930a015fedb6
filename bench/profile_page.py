"""One page's cost in-process on PostgreSQL at 200 schools: where its time goes.

bench.load measures pages under load, where the host's noise moves every figure; this
asks a page again and again through the Flask test client, one request at a time, and
prints what is steadier: the statements it runs, the process's CPU time a request
(Python's share: rendering, the ORM), the time its statements took, and the wall time.
With --sql, each statement and its time; with --profile, cProfile's dearest functions.

The data is bench.load's (bench.page_queries.build at 200 schools, bench.crowd.seed),
written once into a database of its own on 127.0.0.1:5432 and kept for the next run
(--build writes it afresh; --drop removes it).

    .venv/bin/python -m bench.profile_page [--build] head /plans/S001 staff / [--n 30] [--sql] [--profile]
"""
import argparse
import cProfile
import gc
import os
import pstats
import statistics
import time
import traceback
from pathlib import Path

from sqlalchemy import create_engine, event, text

from config import TestConfig
from webapp import background, create_app
from webapp.extensions import db

from . import crowd
from .load import SERVER
from .page_queries import PASSWORD, build

NAME = "hub_profile_page"
ROOT = Path(__file__).resolve().parents[1]


def _database(fresh):
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        there = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": NAME}).scalar()
        if there and fresh:
            c.execute(text(f'DROP DATABASE "{NAME}"'))
        if fresh or not there:
            c.execute(text(f'CREATE DATABASE "{NAME}"'))
            url = f"{SERVER}/{NAME}"
            started = time.perf_counter()
            app = build(url, 200)
            print(f"200 schools and {crowd.seed(app, sync_runs=600)} written in {time.perf_counter() - started:.1f} s")
            with app.app_context():
                db.engine.dispose()
    admin.dispose()
    return f"{SERVER}/{NAME}"


def _asked_by():
    """The innermost line of the hub's own code (or a template) that led to a statement."""
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        if path.is_relative_to(ROOT) and path.parts[len(ROOT.parts)] in ("webapp", "domain", "templates"):
            return f"{path.relative_to(ROOT)}:{frame.lineno}"
    return "?"


def measure(app, role, path, n, show_sql=False, profile=False):
    client = app.test_client()
    answer = client.post("/login", data={"email": f"{role}@bench.school", "password": PASSWORD})
    assert answer.status_code == 302, (role, answer.status_code)
    for _ in range(3):  # warmed: what the page keeps is made
        answer = client.get(path)
        if answer.status_code == 202:
            background.work_off(app)
    with app.app_context():
        engine = db.engine
    statements, started = [], {}
    before = lambda conn, *args: started.__setitem__(id(conn), time.perf_counter())  # noqa: E731

    def after(conn, cursor, sql, *args):
        statements.append((time.perf_counter() - started[id(conn)], sql, _asked_by() if show_sql else ""))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    profiler = cProfile.Profile() if profile else None
    walls, cpus = [], []
    try:
        for _ in range(n):
            statements.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            answer = client.get(path)
            if profiler:
                profiler.disable()
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    sql_ms = sum(t for t, _, _ in statements) * 1000
    print(f"{role:<9} {path:<28} {answer.status_code}  {len(statements):>3} statements ({sql_ms:5.1f} ms, the last)  "
          f"CPU {statistics.median(cpus):6.1f} ms  wall {statistics.median(walls):6.1f} ms  "
          f"{len(answer.data) / 1024:6.1f} KB  (medians of {n})")
    if show_sql:
        for seconds, sql, where in statements:
            print(f"    {seconds * 1000:6.2f} ms  {' '.join(sql.split())[:110]}  <- {where}")
    if profiler:
        # PROFILE_SORT=tottime, PROFILE_ONLY="work/main/(domain|webapp)": other orders, only the hub's functions
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(os.environ.get("PROFILE_ONLY", ""), 40)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="role and path, in pairs: head /plans/S001 staff /")
    parser.add_argument("--n", type=int, default=30, help="requests a page (after three to warm it)")
    parser.add_argument("--build", action="store_true", help="write the database afresh")
    parser.add_argument("--drop", action="store_true", help="remove the database and stop")
    parser.add_argument("--sql", action="store_true", help="each statement of the last request, and its time")
    parser.add_argument("--profile", action="store_true", help="cProfile's dearest functions")
    args = parser.parse_args(argv)
    if args.drop:
        admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{NAME}"'))
        return
    if len(args.pages) % 2:
        parser.error("pages come in pairs: a role (admin, head, staff, governor) and a path")
    url = _database(args.build)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    gc.set_threshold(20_000, 10, 10)  # as gunicorn.conf.py sets it for the workers
    for role, path in zip(args.pages[::2], args.pages[1::2], strict=True):
        measure(app, role, path, args.n, args.sql, args.profile)
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
