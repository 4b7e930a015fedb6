"""Workbook.locale: the spreadsheet's locale, which the hub writes dates in (Google), and when it was read

Existing workbooks start at NULL: the locale is asked for at the first write of a date.

Revision ID: c4a8e2f61b37
Revises: b7d41c2e9a10
Create Date: 2026-12-02 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a8e2f61b37'
down_revision = 'b7d41c2e9a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('locale_read_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.drop_column('locale_read_at')
        batch_op.drop_column('locale')
