"""Termly reviews and their signatures (review, review_signature)

A review holds its plan's snapshot, written once; a signature copies the signer's
name, role and school as they were. No existing rows change.

Revision ID: fd874de2c8e0
Revises: 02ba5e8d5df3
Create Date: 2026-12-01 21:56:27.711952

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd874de2c8e0'
down_revision = '02ba5e8d5df3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workbook_id', sa.Integer(), nullable=False),
    sa.Column('plan_code', sa.String(length=20), nullable=False),
    sa.Column('term', sa.String(length=10), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('heads_signed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('tab_title', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], name=op.f('fk_review_started_by_id_user')),
    sa.ForeignKeyConstraint(['workbook_id'], ['workbook.id'], name=op.f('fk_review_workbook_id_workbook')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('workbook_id', 'term', 'school_year', name='uq_review_workbook_term_year')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_plan_state', ['plan_code', 'state'], unique=False)

    op.create_table('review_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role_label', sa.String(length=200), nullable=False),
    sa.Column('school_code', sa.String(length=20), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_signature_review_id_review')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_review_signature_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_signature')),
    sa.UniqueConstraint('review_id', 'user_id', 'step', name='uq_review_signature_once')
    )
    with op.batch_alter_table('review_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_signature_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_signature_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('review_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_signature_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_signature_review_id'))

    op.drop_table('review_signature')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_plan_state')

    op.drop_table('review')
