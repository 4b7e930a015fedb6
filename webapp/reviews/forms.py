"""The one form of a review: a signer's optional comment."""
from wtforms import TextAreaField

from domain.reviews import COMMENT_MAX

from ..forms import TEXT_FILTERS, CleanForm, max_chars


class SignForm(CleanForm):
    comment = TextAreaField("Comment (optional)", filters=TEXT_FILTERS,
                            validators=[max_chars(COMMENT_MAX, "a comment")])


class StartForm(CleanForm):
    """Starting a review sends nothing but its CSRF token."""
