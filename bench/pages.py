"""The pages bench.load measures, the one table it prints of them, and that table kept in
docs/performance.md with the run before it (issue 26).

PAGES is the one list to edit when a page gains an address (e.g. the people page's
paging): each page is measured as the role it is for, signed in through the login form.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .crowd import SEARCHED

PAGES = [  # (what, role, path, requests): the slow pages get fewer requests
    ("school plan", "head", "/plans/S001", 200),
    ("school plan, filtered", "staff", "/plans/S001?status=Behind", 200),
    ("priorities, page 1", "head", "/priorities", 60),
    ("priorities, page 3", "head", "/priorities?page=3", 60),
    ("home: staff", "staff", "/", 200),
    ("home: head", "head", "/", 60),
    ("home: governor", "governor", "/", 200),
    ("home: admin", "admin", "/", 100),
    ("summary: school", "governor", "/summary/S001", 100),
    ("summary: joint", "governor", "/summary/joint", 40),
    ("calendar: list", "staff", "/calendar", 100),
    ("calendar: list, page 2", "staff", "/calendar?page=2", 100),
    ("calendar: month", "staff", "/calendar/month", 100),
    ("strengths", "head", "/strengths", 60),
    ("people", "admin", "/people", 100),
    ("people, page 3", "admin", "/people?page=3", 100),
    ("people, searched", "admin", f"/people?q={SEARCHED}", 100),
    ("sync history", "admin", "/sync/", 200),
    ("board pack (PDF)", "governor", "/summary/S001.pdf", 100),  # as kept: made by a job (bench.board_pack)
]
SAVE = ("save (POST)", "admin", "/plans/<code>/rows/<id>", 200)  # bench.load's save.lua: a different row each time
HEALTHZ = "/healthz"

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
SECTION = "## Every page under load (make bench)"
LAST, BEFORE = "bench:last", "bench:before"
COLUMNS = ["page", "path", "n", "p50 ms", "p95 ms", "x healthz p95", "KB", "vs before"]
WIDTHS = [22, 26, 5, 8, 8, 14, 7, 10]  # every column two spaces at least from the next: parse splits on them


@dataclass
class Measured:
    """One row of the table: wrk's figures (ms) for a page, or why it was not loaded."""
    what: str
    path: str
    n: int = 0
    p50: float | None = None
    p95: float | None = None
    size: int | None = None  # bytes of the answer's body (uncompressed: the app sends no gzip)
    failed: str = ""  # "HTTP 500": answered so when warmed, so not loaded
    bad: str = ""  # wrk's count of bad statuses and socket errors, if any


def table(rows, before=None, notes=()):
    """The table's lines, then the notes: every row's p95 as a ratio to the first row's
    (/healthz's), and that ratio over the same page's in ``before`` ({what: ratio}, from
    the docs) when it has the page."""
    health = rows[0].p95
    lines = [_line(COLUMNS)]
    for r in rows:
        ratio = r.p95 / health if r.p95 is not None and health else None
        was = (before or {}).get(r.what)
        cells = [r.what, r.path, str(r.n) if r.n else "-",
                 r.failed or _ms(r.p50), "-" if r.failed else _ms(r.p95),
                 f"{ratio:.1f}" if ratio is not None else "-",
                 f"{r.size / 1024:.1f}" if r.size is not None else "-",
                 f"{ratio / was:.2f}" if ratio is not None and was else "-"]
        lines.append(_line(cells))
    return lines + list(notes) + [f"{r.what}: {r.bad}" for r in rows if r.bad]


def _ms(value):
    return "-" if value is None else f"{value:.1f}"


def _line(cells):
    first, *rest = cells
    out = f"{first:<{WIDTHS[0]}}  {rest[0]:<{WIDTHS[1]}}"
    for cell, width in zip(rest[1:], WIDTHS[2:], strict=True):
        out += "  " + f"{cell:>{width}}"
    return out.rstrip()


def ratios(lines):
    """{page: its x healthz p95} from a table's lines, as written by ``table``."""
    found, header = {}, None
    for line in lines:
        cells = re.split(r"\s{2,}", line.strip())
        if cells[:2] == COLUMNS[:2]:
            header = cells
            continue
        if header is None or len(cells) < len(header) - 1:
            continue
        try:
            found[cells[0]] = float(cells[header.index("x healthz p95")])
        except (ValueError, IndexError):
            pass  # a page that failed, or a note
    return found


# -- docs/performance.md ----------------------------------------------------------------

INTRO = f"""{SECTION}

`make bench` (`.venv/bin/python -m bench.load`) measures every page a person opens often in
one load run, and writes its table here: the last run's, and the run before's, so a change
is seen as a ratio. bench.load writes 200 schools with `bench.page_queries.build` (50
action rows, 300 impact-log rows and 10 priorities each), then `bench.crowd.seed`'s people,
calendar, finished impact forms and sync runs, into a PostgreSQL database of its own;
serves it with `gunicorn -c gunicorn.conf.py wsgi:app` (2 workers x 2 threads); signs in
once per role through the login form; asks each page four times (its bytes are the fourth
answer's body, uncompressed; a page that does not answer 200 is shown with its status, not
loaded), then 4 times 16 over 8 connections (every worker has made what it keeps); then
loads each with wrk over 4 connections for a bounded count of requests (`n`). The pages
are `bench/pages.py`'s PAGES, each as the role it is for; the save is a POST of a different
action row's edit form each time, as htmx sends it.

- `x healthz p95`: the page's p95 over the p95 of `/healthz` in the same run: a burst of
  /healthz is loaded before each page and after the last, and its row gives the median of
  their p50s and p95s (the note under the table, how far they moved). Issue 26's goal is
  every page within 3.
- `vs before`: this run's `x healthz p95` over the run before's for the same page (under
  1: quicker), given when the run before was at the same number of schools.
- Absolute figures move with the host's other load (this is a 2-core VM whose host is
  shared): compare ratios, within a run and between runs, not milliseconds.

The tables below are rewritten by each run of bench.load (between the markers); edit the
text above them, not them.
"""


def block(name, heading, lines):
    fence = "```"
    return "\n".join([f"<!-- {name} -->", heading, "", fence, *lines, fence, f"<!-- /{name} -->"])


def _find(text, name):
    return re.search(rf"<!-- {re.escape(name)} -->\n(.*?)\n<!-- /{re.escape(name)} -->", text, re.S)


def previous(text):
    """(heading, table lines) of the last run written in the docs, or None."""
    found = _find(text, LAST)
    if found is None:
        return None
    heading, _, rest = found[1].partition("\n")
    table_lines = re.search(r"```\n(.*?)\n```", rest, re.S)
    return heading, table_lines[1].splitlines() if table_lines else []


def comparable_before(text, schools):
    """{page: x healthz p95} of the last run in the docs, if it was at ``schools`` schools."""
    found = previous(text)
    if found is None or not re.search(rf"\b{schools} schools\b", found[0]):
        return None
    return ratios(found[1])


def heading(schools, seeded, scale, load_start, load_end, cores):
    when = datetime.now(timezone.utc).strftime("%-d %b %Y %H:%M UTC")
    counts = "full request counts" if scale == 1 else f"request counts x {scale:g} (a trial run, not a measurement)"
    return (f"Last run: {when}, {schools} schools ({seeded}), {counts}; load average "
            f"{load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f} at the start, "
            f"{load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} at the end, on {cores} cores.")


def write(lines, heading_line, path=DOC):
    """The section's last run becomes the run before, and this run the last; the section
    is added at the end of the file if it is not there yet."""
    text = path.read_text()
    last = block(LAST, heading_line, lines)
    if SECTION not in text or _find(text, LAST) is None:
        none_yet = f"<!-- {BEFORE} -->\nThe run before: none yet.\n<!-- /{BEFORE} -->"
        path.write_text(text.rstrip("\n") + "\n\n" + INTRO + "\n" + last + "\n\n" + none_yet + "\n")
        return
    was = previous(text)
    before = block(BEFORE, re.sub(r"^Last run:", "The run before:", was[0]), was[1])
    text = text.replace(_find(text, LAST)[0], last, 1)
    found = _find(text, BEFORE)
    if found is not None:
        text = text.replace(found[0], before, 1)
    else:
        text = text.replace(last, last + "\n\n" + before, 1)
    path.write_text(text)
