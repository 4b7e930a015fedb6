"""Extensions, created unbound and attached to the app in ``create_app``."""
from contextlib import contextmanager

from apscheduler.schedulers.background import BackgroundScheduler
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from domain.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
scheduler = BackgroundScheduler(timezone="UTC")


@contextmanager
def unit_of_work(app):
    """A unit of work on the app's database outside a request (the scheduler's sync and
    jobs, which know no Flask): its session, removed (its transaction ended) on leaving."""
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()
