"""A table as a file to download, CSV or XLSX, from the records domain/exports.py builds,
and the header that names every file the hub sends."""
import re
import unicodedata

from flask import Response

from domain import exports

FORMATS = "any(csv, xlsx)"  # the URL converter of every export route
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A file's name is built from these alone: a quote, a semicolon or a line break from a
# sheet's cell (an event's ID, say) would otherwise end the header's filename early
# and add a name of its own ("evil.html"), or break the header (a 500).
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name, ext):
    """``name.ext`` in ASCII letters, digits, dots and hyphens: accents dropped (É is E),
    every other run of characters one hyphen, "download" if nothing is left. Safe in a
    header and on every file system, and never a hidden file."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"-{2,}", "-", _UNSAFE.sub("-", ascii_name)).strip("-.")[:100] or "download"
    return f"{stem}.{ext}"


def attachment(response, name, ext):
    """``response`` as a download called ``name.ext`` (made safe), never cached by a proxy."""
    response.headers["Content-Disposition"] = f'attachment; filename="{safe_filename(name, ext)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def download(records, names, fmt, filename, title="Export"):
    """The records as ``filename.csv`` or ``filename.xlsx``."""
    if fmt == "xlsx":
        body, mimetype = exports.to_xlsx(records, names, title), XLSX
    else:
        # A byte-order mark so that Excel opens UTF-8 (names with accents) as UTF-8.
        body, mimetype = "\ufeff" + exports.to_csv(records, names), "text/csv; charset=utf-8"
    return attachment(Response(body, mimetype=mimetype), filename, fmt)
