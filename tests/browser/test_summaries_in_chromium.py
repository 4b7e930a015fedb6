"""A governor's summary in Chromium: opened from their home, printed (print media
emulated) without navigation or buttons, its PDF downloaded and read back, and the
chart legible on a phone and on a wide screen."""
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ..conftest import PASSWORD, PEOPLE
from .conftest import sign_in

pytestmark = pytest.mark.browser

# Where the chart's screenshots are kept to be looked at (the test's own folder by default).
SHOTS = os.environ.get("SUMMARY_SHOTS")


def test_a_governor_prints_their_summary_and_downloads_the_board_pack(page, tmp_path):
    sign_in(page, PEOPLE["br_governor"][0], PASSWORD)
    page.get_by_role("link", name="Your school's summary for governors").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bank Road Infant and Nursery School")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith("1. Exceptions") and headings[1] == "2. Progress by area"
    expect(page.get_by_role("img", name=re.compile("Progress by area"))).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(page.get_by_role("link", name="Download the board pack (PDF)")).to_be_hidden()
    expect(page.locator("#exceptions")).to_be_visible()
    after = page.evaluate("""() => getComputedStyle(
        [...document.querySelectorAll('main a')].find(a => a.textContent.includes('The full plan')), '::after')
        .content""")
    # The print stylesheet writes a link's target after it. The summary's own links are
    # controls that print hides, so this reads the rule off one of them: it fails if the
    # rule goes, not if a printed page shows no link.
    assert "/plans/BR" in after, after
    # Short sections share a page; a heading never ends one, away from its section.
    breaks = page.evaluate("""() => [getComputedStyle(document.querySelector('#progress')).breakBefore,
                                     getComputedStyle(document.querySelector('#progress h2')).breakAfter]""")
    assert breaks == ["auto", "avoid"]

    page.emulate_media(media="screen")
    # Made in the background: the page says so and follows it (htmx), then offers it.
    page.get_by_role("link", name="Download the board pack (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The board pack is being prepared")
    ready = page.locator("#pack-status").get_by_role("button", name="Download the board pack (PDF)")
    expect(ready).to_be_visible(timeout=30_000)
    expect(page.locator("#pack-status")).to_contain_text("The board pack is ready.")
    assert page.errors == []
    with page.expect_download() as download:
        ready.click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())
    assert text.startswith("Bank Road Infant and Nursery School: board pack, ")
    assert "As at " in text
    assert text.index("1. Exceptions") < text.index("2. Progress by area") < text.index("5. Review record")
    exceptions = text[text.index("1. Exceptions"):text.index("2. Progress by area")]
    assert exceptions.index("30 hours provision in F1") < exceptions.index("Embed the emotional health")  # Behind, At risk


def test_without_javascript_the_page_preparing_the_pack_becomes_the_download(browser, live_server, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.base = live_server
    try:
        sign_in(page, PEOPLE["br_governor"][0], PASSWORD)
        with page.expect_download(timeout=30_000) as download:
            page.goto(live_server + "/summary/BR.pdf")
            expect(page.get_by_role("heading", level=1)).to_have_text("The board pack is being prepared")
        # the page asked again by itself (its refresh), and that answer was the PDF
        path = tmp_path / "pack.pdf"
        download.value.save_as(path)
        assert path.read_bytes().startswith(b"%PDF")
        assert re.fullmatch(r"board-pack-BR-\d{4}-\d\d-\d\d\.pdf", download.value.suggested_filename)
    finally:
        context.close()


def test_the_plan_printed_has_no_filters_or_buttons(page):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    expect(page.locator("#plan-filters")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#plan-filters")).to_be_hidden()
    expect(page.locator("#sync-now")).to_have_count(0)
    for button in page.get_by_role("button").all():
        expect(button).to_be_hidden()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_chart_is_legible_on_a_phone_and_a_wide_screen(browser, live_server, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.base = live_server
    try:
        sign_in(page, PEOPLE["br_governor"][0], PASSWORD)
        page.goto(page.base + "/summary/BR")
        chart = page.locator("svg.progress-chart")
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] <= width, "the chart fits the screen"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "nothing off to the side"
        # The chart's smallest text (12 units) is at least 11 px on screen.
        scale = box["width"] / float(chart.get_attribute("viewBox").split()[2])
        assert 12 * scale >= 11, scale
        folder = Path(SHOTS) if SHOTS else tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        chart.screenshot(path=str(folder / f"chart-{width}.png"))
        page.screenshot(path=str(folder / f"summary-{width}.png"), full_page=True)
        assert (folder / f"chart-{width}.png").stat().st_size > 1000
    finally:
        context.close()


def test_a_signed_reviews_record_fits_a_phone(browser, synced_app, live_server):
    from ..web.test_summaries import confirm_review

    confirm_review(synced_app, "BR")
    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    page.base = live_server
    try:
        sign_in(page, PEOPLE["br_governor"][0], PASSWORD)
        page.goto(page.base + "/summary/BR")
        expect(page.get_by_role("table", name="Signatures")).to_contain_text("Confirmed for the board")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, "nothing off to the side"
    finally:
        context.close()
