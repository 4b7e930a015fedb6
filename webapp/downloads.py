"""A table as a file to download, CSV or XLSX, from the records domain/exports.py builds."""
from flask import Response

from domain import exports

FORMATS = "any(csv, xlsx)"  # the URL converter of every export route
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(records, names, fmt, filename, title="Export"):
    """The records as ``filename.csv`` or ``filename.xlsx``, never cached by a proxy."""
    if fmt == "xlsx":
        body, mimetype = exports.to_xlsx(records, names, title), XLSX
    else:
        # A byte-order mark so that Excel opens UTF-8 (names with accents) as UTF-8.
        body, mimetype = "\ufeff" + exports.to_csv(records, names), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
