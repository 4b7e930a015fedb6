"""Networks and visits: calendar_event and event_reply (the Calendar and RSVP tabs),
the Schools tab's Safeguarding policy and Code of conduct links, User.calendar_feed_hash

Existing schools have no links yet (server default ''); no one has a feed URL yet.

Revision ID: a3acc4f310f3
Revises: fd874de2c8e0
Create Date: 2026-12-01 21:56:19.177628

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3acc4f310f3'
down_revision = 'fd874de2c8e0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_event',
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('time', sa.Text(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('type', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('focus', sa.Text(), nullable=False),
    sa.Column('host_school', sa.Text(), nullable=False),
    sa.Column('host_code', sa.Text(), nullable=False),
    sa.Column('invited_schools', sa.Text(), nullable=False),
    sa.Column('invited_codes', sa.JSON(), nullable=False),
    sa.Column('lead', sa.Text(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workbook_id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.String(length=40), nullable=False),
    sa.Column('sheet_row', sa.Integer(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workbook_id'], ['workbook.id'], name=op.f('fk_calendar_event_workbook_id_workbook')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_event')),
    sa.UniqueConstraint('workbook_id', 'sheet_id', name='uq_calendar_event_sheet_id')
    )
    with op.batch_alter_table('calendar_event', schema=None) as batch_op:
        batch_op.create_index('ix_calendar_event_date', ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_event_workbook_id'), ['workbook_id'], unique=False)

    op.create_table('event_reply',
    sa.Column('event_ref', sa.Text(), nullable=False),
    sa.Column('school', sa.Text(), nullable=False),
    sa.Column('person', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('replied', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workbook_id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.String(length=40), nullable=False),
    sa.Column('sheet_row', sa.Integer(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workbook_id'], ['workbook.id'], name=op.f('fk_event_reply_workbook_id_workbook')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_reply')),
    sa.UniqueConstraint('workbook_id', 'sheet_id', name='uq_event_reply_sheet_id')
    )
    with op.batch_alter_table('event_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_reply_email'), ['email'], unique=False)
        batch_op.create_index('ix_event_reply_event_ref', ['event_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_reply_workbook_id'), ['workbook_id'], unique=False)

    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safeguarding_policy', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('code_of_conduct', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_feed_hash', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_calendar_feed_hash'), ['calendar_feed_hash'])



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_calendar_feed_hash'), type_='unique')
        batch_op.drop_column('calendar_feed_hash')

    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('code_of_conduct')
        batch_op.drop_column('safeguarding_policy')

    with op.batch_alter_table('event_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_reply_workbook_id'))
        batch_op.drop_index('ix_event_reply_event_ref')
        batch_op.drop_index(batch_op.f('ix_event_reply_email'))

    op.drop_table('event_reply')
    with op.batch_alter_table('calendar_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_event_workbook_id'))
        batch_op.drop_index('ix_calendar_event_date')

    op.drop_table('calendar_event')
