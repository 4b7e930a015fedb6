"""What the sync remembers of a workbook's spreadsheet between runs, so as not to ask
again: its tabs' titles and grid sizes (Workbook.layout) and its locale, which dates
are written in (Workbook.locale). Both are forgotten when the workbook's address changes.

The locale is trusted for a day after it was read: a coordinator who switches a sheet's
locale (File > Settings) would otherwise have day and month swapped in the hub's dates
up to the 12th, for ever. So a workbook whose dates are written asks again at most once
a day (one spreadsheets.get of properties.locale), and never while nothing is written."""
from datetime import timedelta

from domain.models import utcnow

LOCALE_KEPT = timedelta(days=1)


def _locale_fresh(workbook, now):
    return workbook.locale is not None and workbook.locale_read_at is not None and \
        now - workbook.locale_read_at < LOCALE_KEPT


def recall(workbook, snapshot, now=None):
    """Give a snapshot just read the remembered locale while it is fresh (one its read
    learnt is newer); an older one is asked for again by the first write of a date."""
    if snapshot.locale is None and _locale_fresh(workbook, now or utcnow()):
        snapshot.locale = workbook.locale


def remember(workbook, snapshot, tabs=True, now=None):
    """Keep what the snapshot learnt. ``tabs=False`` for a read of some tabs only (the
    outbox's), whose layout would make the next full read look its tabs up again."""
    now = now or utcnow()
    if snapshot.locale is not None and snapshot.locale_read:  # read by this snapshot: its day starts now
        workbook.locale, workbook.locale_read_at = snapshot.locale, now
    if tabs:
        workbook.layout = snapshot.layout


def forget(workbook):
    """Another spreadsheet now: nothing known of it, nor which version was read."""
    workbook.version = workbook.layout = workbook.locale = workbook.locale_read_at = None
