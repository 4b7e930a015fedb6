"""The partnership workbook is read afresh once: each event's Host school resolved to a code

The sync now stores an event's Host school cell as its school's code (by code or by name).
Events read before this revision keep a host written by name as the name, which no
code matches: asking for a re-read (as a browser edit does) has the next sync resolve
them, and record a sheet problem for any cell that names no school. No schema change.

Revision ID: 3f1c9a7e5b20
Revises: c4a8e2f61b37
Create Date: 2026-12-02 02:00:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1c9a7e5b20'
down_revision = 'c4a8e2f61b37'
branch_labels = None
depends_on = None


def upgrade():
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the hub keeps naive UTC times
    op.execute(sa.text("UPDATE workbook SET reread_requested_at = :now WHERE code = 'joint' "
                       "AND reread_requested_at IS NULL").bindparams(now=now))


def downgrade():
    pass  # a re-read asked for changes nothing to undo
