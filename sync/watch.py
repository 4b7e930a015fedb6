"""Watch often, read rarely: which workbooks changed since their last read.

One look is one ``backend.versions()`` (on Google one Drive ``files.list``, no
Sheets read) compared with the versions the database holds. Only when a look
finds a change does a sync run; it reads just the changed workbooks, as every
sync does. A look that finds nothing writes nothing: no sync run, no lock.
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain.models import JOINT, Workbook


def changed_workbooks(session, versions):
    """The codes of the workbooks a sync would read now.

    Changed means: the backend names a version other than the one last read, or a
    person asked for the workbook to be read again. A workbook whose version is
    unknown after a failure, or that cannot be reached, is left to the scheduled
    sync: looking every few seconds must not retry an outage every few seconds.
    No partnership workbook in the database yet means the first sync is still to come.
    """
    workbooks = session.scalars(select(Workbook).where(Workbook.is_current)
                                .options(selectinload(Workbook.school))).all()
    if not any(w.code == JOINT for w in workbooks):
        return [JOINT]
    changed = []
    for workbook in workbooks:
        if workbook.code != JOINT and workbook.supporter_id is None and (
                workbook.school is None or workbook.school.archived_at is not None):
            continue  # a school no longer in the partnership (a supporter's workbook is watched too)
        if not workbook.ref:
            continue
        if workbook.reread_requested_at is not None:
            changed.append(workbook.code)
            continue
        version = versions.get(workbook.ref)
        if not isinstance(version, str) or version == workbook.version:
            continue
        if workbook.version is None and workbook.last_error:  # failed: the scheduled sync retries
            continue
        changed.append(workbook.code)
    return changed
