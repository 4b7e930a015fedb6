"""One chair of governors a school, as a unique index on user.school_id where chair

A school has one chair, who confirms its termly reviews. Since 0.6.1 naming a chair
unseats the school's previous one; before, a second chair could be named beside the
first. Such schools keep one chair here, the active one most recently added (the
highest id), and each chair unseated gets an entry in the people audit list, so a
coordinator can see what changed and name another if that is wrong. Then the index
holds the rule against any race or hand-made row.

Revision ID: e5a2d9c4b718
Revises: 3f1c9a7e5b20
Create Date: 2026-12-02 06:20:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a2d9c4b718'
down_revision = '3f1c9a7e5b20'
branch_labels = None
depends_on = None


def _who(name, email):  # as domain/people.record writes them, cut to person_change's 300
    return (f"{name} <{email}>" if name else email)[:300]


def upgrade():
    bind = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # the hub keeps naive UTC times
    chairs = bind.execute(sa.text(
        "SELECT u.id, u.name, u.email, u.school_id, s.name FROM \"user\" u JOIN school s ON s.id = u.school_id "
        "WHERE u.chair ORDER BY u.school_id, u.active DESC, u.id DESC")).all()
    kept = {}
    for user_id, name, email, school_id, school in chairs:
        if school_id not in kept:
            kept[school_id] = _who(name, email)
            continue
        bind.execute(sa.text("UPDATE \"user\" SET chair = :no WHERE id = :id").bindparams(no=False, id=user_id))
        bind.execute(sa.text(
            "INSERT INTO person_change (at, by, person_id, person, what) VALUES (:at, :by, :id, :person, :what)"
        ).bindparams(at=now, by="the upgrade to one chair a school", id=user_id, person=_who(name, email),
                     what=f"No longer chair of governors: {kept[school_id]} is chair at {school}"))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index('uq_user_one_chair_per_school', ['school_id'], unique=True,
                              sqlite_where=sa.text('chair'), postgresql_where=sa.text('chair'))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('uq_user_one_chair_per_school')
