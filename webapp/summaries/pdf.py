"""The board pack as a PDF, made on the server with WeasyPrint.

Nothing is fetched from the network: the stylesheet is handed to WeasyPrint as a file of
ours, and the URL fetcher serves only files under our static folder (anything else,
http, https, data or a file elsewhere, is refused, and the pack is made without it).
"""
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STATIC = Path(__file__).resolve().parent.parent / "static"
PACK_CSS = STATIC / "pack.css"


class StaticOnlyFetcher(URLFetcher):
    """Serves file:// URLs inside our static folder; refuses every other URL."""

    def fetch(self, url, headers=None):
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if path.is_relative_to(STATIC) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"the board pack fetches nothing outside our static files: {url}")


def render_pdf(html):
    """The PDF of a pack's HTML, as bytes."""
    fetcher = StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(filename=str(PACK_CSS), url_fetcher=fetcher)])
