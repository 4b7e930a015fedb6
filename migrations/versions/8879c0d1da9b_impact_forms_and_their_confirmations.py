"""Impact forms after networks and visits (issue 17): impact_form, one per calendar
event, and impact_form_confirmation, one per side (leader, host, visitor).

Chained after the calendar's migration (a3acc4f310f3): impact_form.event_id refers to
calendar_event, which must exist first on PostgreSQL.

Revision ID: 8879c0d1da9b
Revises: a3acc4f310f3
Create Date: 2026-12-01 22:01:43.066305

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8879c0d1da9b'
down_revision = 'a3acc4f310f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impact_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('strengths', sa.JSON(), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('action_row_ids', sa.JSON(), nullable=False),
    sa.Column('impact_note', sa.Text(), nullable=False),
    sa.Column('impact_entry_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['calendar_event.id'], name=op.f('fk_impact_form_event_id_calendar_event')),
    sa.ForeignKeyConstraint(['impact_entry_id'], ['impact_entry.id'], name=op.f('fk_impact_form_impact_entry_id_impact_entry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_form')),
    sa.UniqueConstraint('event_id', name=op.f('uq_impact_form_event_id'))
    )
    with op.batch_alter_table('impact_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_form_state'), ['state'], unique=False)

    op.create_table('impact_form_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('who', sa.String(length=300), nullable=False),
    sa.Column('school_code', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['impact_form.id'], name=op.f('fk_impact_form_confirmation_form_id_impact_form')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_impact_form_confirmation_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_form_confirmation')),
    sa.UniqueConstraint('form_id', 'side', name='uq_impact_form_confirmation_side')
    )
    with op.batch_alter_table('impact_form_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_form_confirmation_form_id'), ['form_id'], unique=False)


def downgrade():
    with op.batch_alter_table('impact_form_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_form_confirmation_form_id'))

    op.drop_table('impact_form_confirmation')
    with op.batch_alter_table('impact_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_form_state'))

    op.drop_table('impact_form')
