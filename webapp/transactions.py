"""How a request's transaction ends when the request wrote nothing: COMMIT, not ROLLBACK.

The two are the same to the data when nothing was written, but not to psycopg: a rollback
makes it forget every statement it had prepared on that connection. Every page ended in
one, so PostgreSQL planned each statement of every page afresh (the partnership's held
ids alone: 3 ms of planning for 1 ms of work). Ended with a commit, a statement asked for
the fifth time on a connection is prepared and planned no more.

Anything written, or anything that might have been (a flush, an UPDATE, a statement that
is not a SELECT, an object changed in the session, a request that failed), still ends in
a rollback unless the route committed it itself.
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db

WROTE = "transaction_wrote"  # session.info: this transaction may have written something


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state):
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_flush(session, flush_context):
    session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_over(session, *args):
    session.info.pop(WROTE, None)


def register(app):
    # At the request's end, before the app context's (Flask-SQLAlchemy removes the session
    # there, and the commands and jobs, which have no request, keep their own ways).
    @app.teardown_request
    def end_read_only_transaction(error):
        if error is not None or not db.session.registry.has():
            return
        session = db.session()
        if not session.in_transaction() or session.info.get(WROTE) or session.new or session.dirty or session.deleted:
            return
        session.commit()
