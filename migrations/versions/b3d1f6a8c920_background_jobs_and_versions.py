"""Work that leaves the request: the job queue and the board packs made by it; the
content versions of workbooks and partnerships that what is kept is keyed by

Revision ID: b3d1f6a8c920
Revises: 5a9e2c7d1f30
Create Date: 2026-12-07 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d1f6a8c920'
down_revision = '5a9e2c7d1f30'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('workbook', 'partnership'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('content_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('key', sa.String(length=200), server_default='', nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=True),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('run_at', sa.DateTime(), nullable=False),
        sa.Column('lease_until', sa.DateTime(), nullable=True),
        sa.Column('worker', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_job_partnership_id_partnership')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_job_requested_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_state_run_at', ['state', 'run_at'], unique=False)
        batch_op.create_index('ix_job_key_id', ['key', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_created_at'), ['created_at'], unique=False)
        batch_op.create_index('uq_job_queued_key', ['key'], unique=True,
                              sqlite_where=sa.text("state = 'queued' AND key != ''"),
                              postgresql_where=sa.text("state = 'queued' AND key != ''"))
    op.create_table(
        'board_pack',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workbook_id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=True),
        sa.Column('made_from', sa.String(length=100), nullable=False),
        sa.Column('as_at', sa.Date(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['workbook_id'], ['workbook.id'], name=op.f('fk_board_pack_workbook_id_workbook')),
        sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_board_pack_review_id_review')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_board_pack')),
        sa.UniqueConstraint('workbook_id', 'review_id', name='uq_board_pack_workbook_review'),
    )
    with op.batch_alter_table('board_pack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_pack_workbook_id'), ['workbook_id'], unique=False)


def downgrade():
    op.drop_table('board_pack')
    op.drop_table('job')
    for table in ('partnership', 'workbook'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('content_version')
