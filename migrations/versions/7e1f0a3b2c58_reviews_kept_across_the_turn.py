"""Reviews across the turn: the schools a step closed without (review.closed_without), and
the database refusing any change to a review's snapshot or a signature (triggers)

A school out of the partnership when a step of a joint review closed is not awaited in
that step if it comes back. A review's snapshot was already never changed by the app;
now the database refuses it to anyone, as it refuses a change to a signature.

Revision ID: 7e1f0a3b2c58
Revises: 4b8d2f6a9c13
Create Date: 2026-12-07 00:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e1f0a3b2c58'
down_revision = '4b8d2f6a9c13'
branch_labels = None
depends_on = None

# As domain/models.py creates them, written out for this revision.
SNAPSHOT_KEPT = "A review''s snapshot is kept as it was taken; it cannot be changed."
SIGNATURE_KEPT = "A review''s signature is kept as it was given; it cannot be changed."
SQLITE = (
    f"""CREATE TRIGGER review_snapshot_kept BEFORE UPDATE OF snapshot ON review
    WHEN NEW.snapshot IS NOT OLD.snapshot BEGIN SELECT RAISE(ABORT, '{SNAPSHOT_KEPT}'); END""",
    f"""CREATE TRIGGER review_signature_kept BEFORE UPDATE ON review_signature
    BEGIN SELECT RAISE(ABORT, '{SIGNATURE_KEPT}'); END""",
)
POSTGRES = (
    f"""CREATE FUNCTION review_snapshot_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.snapshot::text IS DISTINCT FROM OLD.snapshot::text THEN
        RAISE EXCEPTION '{SNAPSHOT_KEPT}';
      END IF;
      RETURN NEW;
    END $$""",
    "CREATE TRIGGER review_snapshot_kept BEFORE UPDATE ON review FOR EACH ROW EXECUTE FUNCTION review_snapshot_kept()",
    f"""CREATE FUNCTION review_signature_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '{SIGNATURE_KEPT}';
    END $$""",
    "CREATE TRIGGER review_signature_kept BEFORE UPDATE ON review_signature FOR EACH ROW "
    "EXECUTE FUNCTION review_signature_kept()",
)


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_without', sa.JSON(), server_default='{}', nullable=False))
    bind = op.get_bind()
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(bind.dialect.name, ()):
        bind.exec_driver_sql(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in ("DROP TRIGGER review_snapshot_kept ON review", "DROP FUNCTION review_snapshot_kept()",
                          "DROP TRIGGER review_signature_kept ON review_signature",
                          "DROP FUNCTION review_signature_kept()"):
            bind.exec_driver_sql(statement)
    elif bind.dialect.name == "sqlite":
        bind.exec_driver_sql("DROP TRIGGER review_snapshot_kept")
        bind.exec_driver_sql("DROP TRIGGER review_signature_kept")
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('closed_without')
