"""Signing in with a school's own account: each school's e-mail domains and Microsoft
tenants as each partnership names them (school_sign_in), people's linked accounts
(account_link), sign-ins begun at a provider (sign_in_state); the partnership of an audit
entry about no person (person_change.partnership_id). No existing rows change.

Revision ID: 7c2e9d4a1b56
Revises: b3d1f6a8c920
Create Date: 2026-12-07 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2e9d4a1b56'
down_revision = 'b3d1f6a8c920'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'school_sign_in',
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('email_domains', sa.Text(), nullable=False),
        sa.Column('microsoft_tenants', sa.Text(), nullable=False),
        sa.Column('school_accounts_only', sa.Boolean(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=True),
        sa.Column('changed_by', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'],
                                name=op.f('fk_school_sign_in_partnership_id_partnership')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_school_sign_in_school_id_school')),
        sa.PrimaryKeyConstraint('partnership_id', 'school_id', name=op.f('pk_school_sign_in')),
    )
    with op.batch_alter_table('person_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_person_change_partnership_id_partnership'), 'partnership',
                                    ['partnership_id'], ['id'])
    op.create_table(
        'account_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=20), nullable=False),
        sa.Column('issuer', sa.String(length=300), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('tenant', sa.String(length=300), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('linked_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_link_user_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_link')),
        sa.UniqueConstraint('issuer', 'subject', name='uq_account_link_account'),
        sa.UniqueConstraint('user_id', 'provider', name='uq_account_link_person_provider'),
    )
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_link_user_id'), ['user_id'], unique=False)
    op.create_table(
        'sign_in_state',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_state')),
    )
    with op.batch_alter_table('sign_in_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_state_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_state_expires_at'))
    op.drop_table('sign_in_state')
    with op.batch_alter_table('account_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_link_user_id'))
    op.drop_table('account_link')
    op.drop_table('school_sign_in')
    with op.batch_alter_table('person_change', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_person_change_partnership_id_partnership'), type_='foreignkey')
        batch_op.drop_column('partnership_id')
