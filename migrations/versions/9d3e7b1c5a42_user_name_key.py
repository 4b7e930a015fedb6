"""A person's name as names are compared (user.name_key), indexed

An event's Lead cell is matched to people by name (domain/leaders.py); the key is the
name with Unicode's compatibility forms folded, case folded and spaces collapsed
(domain/text.person_key), kept beside it. Filled here for everyone already there.

Revision ID: 9d3e7b1c5a42
Revises: e5a2d9c4b718
Create Date: 2026-12-06 22:40:00.000000

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d3e7b1c5a42'
down_revision = 'e5a2d9c4b718'
branch_labels = None
depends_on = None


def _key(name):  # domain/text.person_key as it was written for this revision
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())[:300]


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=300), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_user_name_key'), ['name_key'], unique=False)
    bind = op.get_bind()
    users = sa.table('user', sa.column('id', sa.Integer), sa.column('name_key', sa.String))
    for user_id, name in bind.execute(sa.text('SELECT id, name FROM "user"')).all():
        bind.execute(users.update().where(users.c.id == user_id).values(name_key=_key(name)))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_name_key'))
        batch_op.drop_column('name_key')
