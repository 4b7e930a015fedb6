"""Cell text is data, never markup: script and HTML payloads typed into every kind of
sheet cell (action rows, the impact log, SIP priorities, the calendar, the schools'
names and policy links) come out escaped on every page a head and a governor can reach,
no `javascript:` address becomes a link, and `{{7*7}}` is not evaluated by a template."""
import html
import re

import openpyxl
import pytest

from ..conftest import login, sync_with_people
from .test_governors_read_only import crawl

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_LINK = "javascript:alert(1)"
TEMPLATE = "Mark{{7*7}}"
PAYLOADS = (SCRIPT, IMG, JS_LINK, TEMPLATE)
# The cells the payloads go in, by sheet and by how the header starts (headers vary between workbooks).
CELLS = {
    "Action plan": ("key objective", "specific actions", "intended outcome", "impact to", "lead"),
    "Impact log": ("activity", "summary", "strengths", "areas to develop", "recorded by"),
    "SIP priorities": ("priority", "detail", "lead"),
    "Calendar": ("focus", "lead", "notes"),
    "Schools": ("school", "head teacher", "chair of governors"),
}
LINKS = {"Schools": ("safeguarding policy", "code of conduct")}  # address cells: a bare javascript: URL


def _header_row(sheet, prefixes):
    for row in sheet.iter_rows(min_row=1, max_row=10):
        names = [str(c.value or "").strip().lower() for c in row]
        if sum(any(n.startswith(p) for p in prefixes) for n in names) >= 2:
            return row[0].row, names
    raise AssertionError(f"no header row on {sheet.title}")


def plant_payloads(folder):
    """Every data row of every sheet in CELLS gets a payload in each of those cells."""
    planted = 0
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            if sheet.title not in CELLS:
                continue
            header, names = _header_row(sheet, CELLS[sheet.title])
            for number in range(header + 1, sheet.max_row + 1):
                if not str(sheet.cell(number, 1).value or "").strip():
                    continue
                for col, name in enumerate(names, start=1):
                    if sheet.title == "Schools" and name == "school" or sheet.title != "Schools" and any(
                            name.startswith(p) for p in CELLS[sheet.title]):
                        kept = str(sheet.cell(number, col).value or "")[:30]
                        sheet.cell(number, col).value = f"{kept} {PAYLOADS[planted % len(PAYLOADS)]}"
                        planted += 1
                    elif any(name.startswith(p) for p in LINKS.get(sheet.title, ())):
                        sheet.cell(number, col).value = JS_LINK
        book.save(path)
    return planted


def payload_hub(app, workbook_dir):
    """The app after a sync of the demo workbooks with payloads planted, a user per role."""
    assert plant_payloads(workbook_dir) > 40
    return sync_with_people(app)


@pytest.fixture
def hub(app, workbook_dir):
    return payload_hub(app, workbook_dir)


UNSAFE = (
    re.compile(r"<script>alert\(1\)"),
    re.compile(r"<img src=x", re.I),
    re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),
    re.compile(r"Mark49"),
)


@pytest.mark.parametrize("who", ["br_head", "br_governor"])
def test_payloads_in_cells_are_shown_as_text_on_every_page(hub, who):
    client = hub.test_client()
    assert login(client, who).status_code == 302
    pages = {url: r for url, r in crawl(client).items() if r.mimetype == "text/html"}
    assert len(pages) > 10
    shown = set()
    for url, response in pages.items():
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        for pattern in UNSAFE:
            assert not pattern.search(page), (url, pattern.pattern, page[max(0, pattern.search(page).start() - 200):][:400])
        text = html.unescape(page)
        shown |= {p for p in PAYLOADS if p in text}
    # The payloads did reach the pages (as text): otherwise this test would prove nothing.
    assert set(PAYLOADS) <= shown
