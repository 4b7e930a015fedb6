"""Query-string values parsed with bounds, so a mistyped or hostile URL is a 404, not a 500."""
from flask import abort, request

# The databases' INTEGER (SQLite's is wider, PostgreSQL's is not): no ID lies past it.
MAX_ID = 2**31 - 1


def bounded_int(text, low=1, high=MAX_ID):
    """``text`` as an int in [low, high]; ValueError otherwise (request.args.get's type=)."""
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{value} is out of range")
    return value


def id_arg(name):
    """An ID from the query string: None when absent, 404 when it cannot be one."""
    if name not in request.args:
        return None
    try:
        return bounded_int(request.args[name])
    except ValueError:
        abort(404)


def year_arg():
    """The school year a page is asked for (``?year=2026``): None for the current one,
    404 for one that cannot be a year."""
    if "year" not in request.args:
        return None
    try:
        return bounded_int(request.args["year"], 2000, 2100)
    except ValueError:
        abort(404)


def page_number(name="page"):
    """A page number from the query string; 1 when absent or nonsense."""
    return request.args.get(name, 1, type=lambda text: bounded_int(text, 1, 100_000))


def pager(page, endpoint, labels=("← Newer", "Older →"), **args):
    """What macros/_pager.html draws: the page, and the links to the pages either side
    (the same URL with its filters, ``page`` left out on the first), with their words
    (newest first for logs; Previous and Next for a list in another order)."""
    from flask import url_for

    def link(number):
        return url_for(endpoint, **args, page=number if number > 1 else None)

    return dict(page=page, newer=link(page.number - 1) if page.has_newer else None,
                older=link(page.number + 1) if page.has_older else None, labels=labels)
