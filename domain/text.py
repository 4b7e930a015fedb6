"""Text as a spreadsheet cell can hold it, cleaned where it enters the app."""
import re
import unicodedata

# What one Google Sheets cell holds; longer text is refused with a message, never cut.
CELL_LIMIT = 50_000

# The control characters a sheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: NUL to
# backspace, vertical tab, form feed, the rest below space but tab, newline and return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Word pastes a line break (Shift+Enter) as a vertical tab: keep it as the line break it was.
_VERTICAL_TAB = "\x0b"


def clean_text(value):
    """``value`` with what a sheet cannot hold removed (a vertical tab becomes a newline).

    None stays None, so that a WTForms filter can run on fields that were not sent.
    """
    if value is None or not isinstance(value, str):
        return value
    return _ILLEGAL.sub("", value.replace(_VERTICAL_TAB, "\n"))


def needs_cleaning(value):
    """Does this text hold a character a spreadsheet cannot?"""
    return isinstance(value, str) and bool(_ILLEGAL.search(value))


def person_key(text):
    """A person's name or address as it is compared: Unicode's compatibility forms folded
    (a full-width letter is its letter), case folded, spaces collapsed. The same on both
    sides of every comparison (``User.name_key`` keeps it for each person's name)."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())
