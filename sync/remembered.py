"""What the sync remembers of a workbook's spreadsheet between runs, so as not to ask
again: its tabs' titles and grid sizes (Workbook.layout) and its locale, which dates
are written in (Workbook.locale). Both are forgotten when the workbook's address changes."""


def recall(workbook, snapshot):
    """Give a snapshot just read the remembered locale (one its read learnt is newer)."""
    if snapshot.locale is None:
        snapshot.locale = workbook.locale


def remember(workbook, snapshot, tabs=True):
    """Keep what the snapshot learnt. ``tabs=False`` for a read of some tabs only (the
    outbox's), whose layout would make the next full read look its tabs up again."""
    workbook.locale = snapshot.locale
    if tabs:
        workbook.layout = snapshot.layout


def forget(workbook):
    """Another spreadsheet now: nothing known of it, nor which version was read."""
    workbook.version = workbook.layout = workbook.locale = None
