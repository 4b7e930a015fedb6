"""The one place that speaks htmx's headers, so the helper library is cheap to swap."""
from flask import request
from flask_htmx import make_response

from .extensions import htmx


def wants_fragment(target_id):
    """True when htmx asked for just the element ``target_id``.

    Checking the target (not merely "is this htmx?") keeps full-page answers for
    boosted links and for history restores, which need the whole page.
    """
    return bool(htmx) and not htmx.history_restore_request and htmx.target == target_id


def fragment(html, push_url=None, **headers):
    """An htmx answer; ``push_url`` is always a real URL, never a bare True."""
    response = make_response(html, push_url=push_url, **headers)
    response.vary.add("HX-Request")
    return response


def page(html):
    """A full page from a URL that also serves fragments: caches must tell them apart."""
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


def is_htmx():
    return bool(htmx) and request.headers.get("HX-Request") == "true"
