"""Links and redirects that stay on this site, whatever a request claims.

A link that leaves the page (in a mail, a calendar file, a board pack, or shown to
pass on) is built by ``hub_url`` from the configured HUB_URL, never from the Host a
request names: a forged Host would otherwise have the hub mail its own password
links pointing at the forger's site. Requests naming another host are refused
before any view runs (Flask's TRUSTED_HOSTS, set by ``trusted_hosts``).
"""
from urllib.parse import quote, urlsplit

from flask import current_app


def trusted_hosts(config):
    """The host names the hub answers to: HUB_URL's, and HUB_OTHER_HOSTS."""
    return list(dict.fromkeys([urlsplit(config["HUB_URL"]).hostname, *config["HUB_OTHER_HOSTS"]]))


def hub_url(endpoint, _anchor=None, **values):
    """The full address of ``endpoint`` at the hub's configured address (HUB_URL),
    whatever request (or none) is being served: for every link that leaves the page."""
    app = current_app
    address = urlsplit(app.config["HUB_URL"])
    adapter = app.url_map.bind(address.netloc, url_scheme=address.scheme)
    app.inject_url_defaults(endpoint, values)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(_anchor, safe='')}" if _anchor else url


def local_path(target):
    """``target`` if it is a path on this site, else None: never an open redirect."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None  # browsers read '/\\evil.example' as '//evil.example'
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def same_site_referrer(request):
    """The path of the page the request came from, if that page is on this site; else None."""
    referrer = request.referrer
    if not referrer:
        return None
    parts, here = urlsplit(referrer), urlsplit(request.host_url)
    if (parts.scheme, parts.netloc) != (here.scheme, here.netloc):
        return None
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""))
