"""User.link_version: every password link sent moves it on, so only the newest link works

Existing users start at 0, which is what links sent before this revision carry (none),
so a link already in someone's inbox keeps working until a newer one is sent.

Revision ID: b7d41c2e9a10
Revises: 8879c0d1da9b
Create Date: 2026-12-02 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41c2e9a10'
down_revision = '8879c0d1da9b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('link_version')
