"""School years: a plan's workbook record for each year (workbook.school_year, is_current,
year_tabs), the years the hub holds (school_year), and a carried-forward row's link to
the row it carries (action_row.carried_from_id)

Every workbook already there becomes the current year's: the school year of the day the
upgrade runs (1 September to 31 August), which is recorded as the hub's first year.

Revision ID: 4b8d2f6a9c13
Revises: 9d3e7b1c5a42
Create Date: 2026-12-06 23:10:00.000000

"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b8d2f6a9c13'
down_revision = '9d3e7b1c5a42'
branch_labels = None
depends_on = None


def _this_school_year():  # domain/years.school_year_of(domain/dates.uk_today()), as written for this revision
    today = datetime.now(ZoneInfo("Europe/London")).date()
    return today.year if today.month >= 9 else today.year - 1


def upgrade():
    op.create_table('school_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('started_by', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_year')),
    sa.UniqueConstraint('year', name=op.f('uq_school_year_year'))
    )
    year = _this_school_year()
    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_year', sa.Integer(), nullable=False, server_default=str(year)))
        batch_op.add_column(sa.Column('is_current', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('year_tabs', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_constraint('uq_workbook_code', type_='unique')
        batch_op.create_unique_constraint('uq_workbook_code_year', ['code', 'school_year'])
        batch_op.create_index(batch_op.f('ix_workbook_is_current'), ['is_current'], unique=False)
        batch_op.create_index('uq_workbook_current_code', ['code'], unique=True,
                              sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    with op.batch_alter_table('action_row', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_row_carried_from_id'), ['carried_from_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_action_row_carried_from_id_action_row'), 'action_row',
                                    ['carried_from_id'], ['id'])
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM workbook")).scalar():
        now = datetime.now(timezone.utc).replace(tzinfo=None)  # the hub keeps naive UTC times
        bind.execute(sa.text("INSERT INTO school_year (year, started_at, started_by) VALUES (:y, :at, :by)"),
                     dict(y=year, at=now, by="the upgrade to school years"))


def downgrade():
    with op.batch_alter_table('action_row', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_action_row_carried_from_id_action_row'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_row_carried_from_id'))
        batch_op.drop_column('carried_from_id')
    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.drop_index('uq_workbook_current_code')
        batch_op.drop_index(batch_op.f('ix_workbook_is_current'))
        batch_op.drop_constraint('uq_workbook_code_year', type_='unique')
        batch_op.create_unique_constraint('uq_workbook_code', ['code'])
        batch_op.drop_column('year_tabs')
        batch_op.drop_column('is_current')
        batch_op.drop_column('school_year')
    op.drop_table('school_year')
