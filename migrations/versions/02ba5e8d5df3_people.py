"""People: User.chair and last_sign_in_at, and the people audit list (person_change)

Existing users are not chairs (server default false) and have not signed in since.

Revision ID: 02ba5e8d5df3
Revises: 6ebc813370b4
Create Date: 2026-12-01 20:37:27.595827

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '02ba5e8d5df3'
down_revision = '6ebc813370b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=300), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('person', sa.String(length=300), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['user.id'], name=op.f('fk_person_change_person_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_change'))
    )
    with op.batch_alter_table('person_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_change_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_change_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chair', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('last_sign_in_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('last_sign_in_at')
        batch_op.drop_column('chair')

    with op.batch_alter_table('person_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_change_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_change_at'))

    op.drop_table('person_change')
