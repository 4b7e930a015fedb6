"""What can go wrong with a workbook, as one tree of exceptions.

    WorkbookError            a workbook cannot be synced or written this time
    ├── WorkbookUnavailable  it cannot be reached or read (missing, not shared, not
    │   │                    a readable file, the service down: ``transient``)
    │   └── WorkbookBusy     it is open elsewhere or changed since it was read: try later
    ├── ValuesRefused        the sheet refused the values of a write (a character it cannot
    │                        hold): the entry that carried them fails alone, the rest land
    └── WorkbookFailed       it was read, and its content fails the contract (a
                             required tab or column missing): the same version fails
                             again, so it is not read again until it changes

Each carries a ``message`` and a ``fix`` that a school can act on. Backends raise
the first two; the sync raises WorkbookFailed. No page ever waits on any of them:
the rows already read stay as they were.
"""


class WorkbookError(Exception):
    """A workbook cannot be synced or written this time; its rows stay as they were."""

    def __init__(self, message, fix=""):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def explain(self):
        """The message and its fix, as one sentence or two."""
        return f"{self.message} {self.fix}".strip()


class WorkbookUnavailable(WorkbookError):
    """The workbook cannot be read or written: missing, unreadable, not shared, the service down."""

    def __init__(self, message, fix="", transient=False):
        super().__init__(message, fix)
        self.transient = transient  # the service did not answer (retried in vain), not this workbook's fault


class WorkbookBusy(WorkbookUnavailable):
    """Someone has the workbook open or changed it since it was read: try later."""


class ValuesRefused(WorkbookError):
    """The workbook refused the values written: nothing of that write landed. Written
    again on its own, each edit of the batch lands or fails alone."""


class WorkbookFailed(WorkbookError):
    """The workbook was read and fails the contract: reading the same version again
    would fail again, so it waits until it changes."""
