"""URL converters: an id in a URL is one the database can hold.

Every primary key is an INTEGER column: 32-bit signed on PostgreSQL, which
production runs (SQLite's would hold 64 bits). A larger number in a URL cannot
be any row, so it is no page (404) rather than an overflow in the driver (500).
Registered as ``int`` in place of Werkzeug's own, so every route gets it.
"""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """Werkzeug's ``int``, bounded to MAX_ID; at most 10 ASCII digits, so int() never meets a huge string."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
