"""The "For you" section's context, shared by the home (plans) and the answers that swap
it (a reply made from the home, in calendar)."""
from flask_login import current_user

from domain import for_you
from domain.event_cells import CONFIRMED, DECLINED

from .extensions import db


def for_you_context(message=""):
    """What templates/home/_for_you.html needs: the signed-in person's lines."""
    # The person, not the proxy: For you asks of them thousands of times in a partnership of hundreds.
    return dict(for_you=for_you.for_you(db.session, current_user._get_current_object()), for_you_message=message,
                CONFIRMED=CONFIRMED, DECLINED=DECLINED)
