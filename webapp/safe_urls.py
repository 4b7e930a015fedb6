"""Links and redirects that stay on this site, whatever a request claims."""
from urllib.parse import urlsplit


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
