"""Partnerships as tenants: the partnership table, each school's membership of a
partnership, and the partnership of every joint workbook, objective, theme, theme answer
and person; supporters (an authority, a trust) and their officers, development visits
and reports across partnerships

A hub that held one partnership holds it as its first: everything already stored is
that partnership's. A school's plan stays one whichever partnerships it is in, so
school workbooks carry no partnership; the joint plan's are unique a year in each.

Revision ID: 5a9e2c7d1f30
Revises: 7e1f0a3b2c58
Create Date: 2026-12-07 10:00:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a9e2c7d1f30'
down_revision = '7e1f0a3b2c58'
branch_labels = None
depends_on = None

OWNED = ('objective', 'theme', 'theme_answer', 'user')
REPORT_KEPT = "A published report is kept as it was published; it cannot be changed."
TRIGGERS = {
    "sqlite": (f"""CREATE TRIGGER report_kept BEFORE UPDATE ON report WHEN OLD.state = 'published'
    BEGIN SELECT RAISE(ABORT, '{REPORT_KEPT}'); END""",),
    "postgresql": (f"""CREATE FUNCTION report_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.state = 'published' THEN
        RAISE EXCEPTION '{REPORT_KEPT}';
      END IF;
      RETURN NEW;
    END $$""", "CREATE TRIGGER report_kept BEFORE UPDATE ON report FOR EACH ROW EXECUTE FUNCTION report_kept()"),
}


def upgrade():
    op.create_table(
        'supporter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=40), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('workbook_ref', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supporter')),
        sa.UniqueConstraint('slug', name=op.f('uq_supporter_slug')),
    )
    op.create_table(
        'partnership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=40), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('workbook_ref', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=300), nullable=False),
        sa.Column('supporter_id', sa.Integer(), nullable=True),
        sa.Column('shares_with_supporter', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['supporter_id'], ['supporter.id'],
                                name=op.f('fk_partnership_supporter_id_supporter')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership')),
        sa.UniqueConstraint('slug', name=op.f('uq_partnership_slug')),
    )
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_supporter_id'), ['supporter_id'], unique=False)
    op.create_table(
        'membership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('joined_at', sa.DateTime(), nullable=False),
        sa.Column('archived_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'],
                                name=op.f('fk_membership_partnership_id_partnership')),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_membership_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
        sa.UniqueConstraint('partnership_id', 'school_id', name='uq_membership_school'),
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_school_id'), ['school_id'], unique=False)

    bind = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the hub keeps naive UTC times
    held = any(bind.execute(sa.text(f'SELECT 1 FROM "{table}" LIMIT 1')).first()
               for table in ('workbook', 'school', 'user', 'theme', 'objective', 'theme_answer'))
    if held:  # the partnership the hub held: its workbook as the current joint workbook names it
        ref = bind.execute(sa.text("SELECT ref FROM workbook WHERE code = 'joint' ORDER BY is_current DESC, "
                                   "school_year DESC LIMIT 1")).scalar() or ''
        bind.execute(sa.text("INSERT INTO partnership (id, slug, name, workbook_ref, created_at, created_by) "
                             "VALUES (1, 'our-partnership', 'Our partnership', :ref, :now, '')"),
                     dict(ref=ref, now=now))
        bind.execute(sa.text("INSERT INTO membership (partnership_id, school_id, joined_at, archived_at) "
                             "SELECT 1, id, :now, archived_at FROM school"), dict(now=now))
        if bind.dialect.name == 'postgresql':
            bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('partnership', 'id'), 1)"))

    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_workbook_partnership_id_partnership'), 'partnership',
                                    ['partnership_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_workbook_partnership_id'), ['partnership_id'], unique=False)
        batch_op.add_column(sa.Column('supporter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_workbook_supporter_id_supporter'), 'supporter',
                                    ['supporter_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_workbook_supporter_id'), ['supporter_id'], unique=False)
        batch_op.drop_index('uq_workbook_current_code')
        batch_op.drop_constraint('uq_workbook_code_year', type_='unique')
    if held:
        bind.execute(sa.text("UPDATE workbook SET partnership_id = 1 WHERE code = 'joint'"))
    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.create_index('uq_workbook_school_code_year', ['code', 'school_year'], unique=True,
                              sqlite_where=sa.text('partnership_id IS NULL'),
                              postgresql_where=sa.text('partnership_id IS NULL'))
        batch_op.create_index('uq_workbook_joint_year', ['partnership_id', 'school_year'], unique=True,
                              sqlite_where=sa.text('partnership_id IS NOT NULL'),
                              postgresql_where=sa.text('partnership_id IS NOT NULL'))
        batch_op.create_index('uq_workbook_current_code', ['code'], unique=True,
                              sqlite_where=sa.text('is_current AND partnership_id IS NULL'),
                              postgresql_where=sa.text('is_current AND partnership_id IS NULL'))
        batch_op.create_index('uq_workbook_current_joint', ['partnership_id'], unique=True,
                              sqlite_where=sa.text('is_current AND partnership_id IS NOT NULL'),
                              postgresql_where=sa.text('is_current AND partnership_id IS NOT NULL'))

    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        if held:
            bind.execute(sa.text(f'UPDATE "{table}" SET partnership_id = 1'))
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table != 'user':  # an officer is in no partnership
                batch_op.alter_column('partnership_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_partnership_id_partnership'), 'partnership',
                                        ['partnership_id'], ['id'])
            batch_op.create_index(batch_op.f(f'ix_{table}_partnership_id'), ['partnership_id'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supporter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_user_supporter_id_supporter'), 'supporter', ['supporter_id'], ['id'])
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_constraint('uq_objective_ref', type_='unique')
        batch_op.create_unique_constraint('uq_objective_partnership_ref', ['partnership_id', 'ref'])
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_constraint('uq_theme_key', type_='unique')
        batch_op.create_unique_constraint('uq_theme_partnership_key', ['partnership_id', 'key'])
    with op.batch_alter_table('theme_answer', schema=None) as batch_op:
        batch_op.drop_constraint('uq_theme_answer_pair', type_='unique')
        batch_op.create_unique_constraint('uq_theme_answer_partnership_pair',
                                          ['partnership_id', 'name_key', 'theme_key'])

    op.create_table(
        'development_visit',
        sa.Column('date', sa.Date(), nullable=True),
        sa.Column('partnership', sa.Text(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=True),
        sa.Column('present', sa.Text(), nullable=False),
        sa.Column('vision', sa.Text(), nullable=False),
        sa.Column('successes', sa.Text(), nullable=False),
        sa.Column('challenges', sa.Text(), nullable=False),
        sa.Column('lessons', sa.Text(), nullable=False),
        sa.Column('next_steps', sa.Text(), nullable=False),
        sa.Column('recorded_by', sa.Text(), nullable=False),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workbook_id', sa.Integer(), nullable=False),
        sa.Column('sheet_id', sa.String(length=40), nullable=False),
        sa.Column('sheet_row', sa.Integer(), nullable=False),
        sa.Column('extra', sa.JSON(), nullable=False),
        sa.Column('stale', sa.Boolean(), nullable=False),
        sa.Column('archived_at', sa.DateTime(), nullable=True),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'],
                                name=op.f('fk_development_visit_partnership_id_partnership')),
        sa.ForeignKeyConstraint(['workbook_id'], ['workbook.id'], name=op.f('fk_development_visit_workbook_id_workbook')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_development_visit')),
        sa.UniqueConstraint('workbook_id', 'sheet_id', name='uq_development_visit_sheet_id'),
    )
    with op.batch_alter_table('development_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_development_visit_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_development_visit_workbook_id'), ['workbook_id'], unique=False)
    op.create_table(
        'report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('supporter_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('period', sa.String(length=40), nullable=False),
        sa.Column('starts', sa.Date(), nullable=False),
        sa.Column('ends', sa.Date(), nullable=False),
        sa.Column('sections', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_by', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('published_by', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['supporter_id'], ['supporter.id'], name=op.f('fk_report_supporter_id_supporter')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_supporter_id'), ['supporter_id'], unique=False)
    for statement in TRIGGERS.get(bind.dialect.name, ()):
        bind.exec_driver_sql(statement)


def downgrade():
    # Back to one partnership: only the first partnership's joint plan, themes and
    # objectives can be held, so a hub that holds several cannot go back.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM partnership")).scalar() > 1:
        raise RuntimeError("This hub holds several partnerships; it cannot go back to holding one.")
    if bind.dialect.name == 'postgresql':
        bind.exec_driver_sql("DROP TRIGGER report_kept ON report")
        bind.exec_driver_sql("DROP FUNCTION report_kept()")
    op.drop_table('report')
    op.drop_table('development_visit')
    bind.execute(sa.text("DELETE FROM \"user\" WHERE role = 'officer'"))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_supporter_id_supporter'), type_='foreignkey')
        batch_op.drop_column('supporter_id')
    with op.batch_alter_table('theme_answer', schema=None) as batch_op:
        batch_op.drop_constraint('uq_theme_answer_partnership_pair', type_='unique')
        batch_op.create_unique_constraint('uq_theme_answer_pair', ['name_key', 'theme_key'])
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_constraint('uq_theme_partnership_key', type_='unique')
        batch_op.create_unique_constraint('uq_theme_key', ['key'])
    with op.batch_alter_table('objective', schema=None) as batch_op:
        batch_op.drop_constraint('uq_objective_partnership_ref', type_='unique')
        batch_op.create_unique_constraint('uq_objective_ref', ['ref'])
    for table in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_partnership_id'))
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_partnership_id_partnership'), type_='foreignkey')
            batch_op.drop_column('partnership_id')
    with op.batch_alter_table('workbook', schema=None) as batch_op:
        batch_op.drop_index('uq_workbook_current_joint')
        batch_op.drop_index('uq_workbook_current_code')
        batch_op.drop_index('uq_workbook_joint_year')
        batch_op.drop_index('uq_workbook_school_code_year')
        batch_op.create_unique_constraint('uq_workbook_code_year', ['code', 'school_year'])
        batch_op.create_index('uq_workbook_current_code', ['code'], unique=True,
                              sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
        batch_op.drop_index(batch_op.f('ix_workbook_supporter_id'))
        batch_op.drop_constraint(batch_op.f('fk_workbook_supporter_id_supporter'), type_='foreignkey')
        batch_op.drop_column('supporter_id')
        batch_op.drop_index(batch_op.f('ix_workbook_partnership_id'))
        batch_op.drop_constraint(batch_op.f('fk_workbook_partnership_id_partnership'), type_='foreignkey')
        batch_op.drop_column('partnership_id')
    op.drop_table('membership')
    op.drop_table('partnership')
    op.drop_table('supporter')
