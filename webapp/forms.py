"""What every form here shares: text cleaned as it enters, lengths a sheet can hold."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from domain.text import CELL_LIMIT, clean_text

CLEANED_NOTE = "Characters a spreadsheet cannot hold were removed; what was kept is shown."


def max_chars(limit=CELL_LIMIT, what="a spreadsheet cell"):
    """Refuse text past ``limit`` with a message. Unlike WTForms' Length it sets no
    ``maxlength`` attribute, which makes a browser cut pasted text without a word."""
    def check(form, field):
        if field.data and len(field.data) > limit:
            raise ValidationError(f"This is {len(field.data):,} characters; {what} holds {limit:,}. "
                                  "Shorten it, or put the rest in a linked document.")
    return check


class CleanForm(FlaskForm):
    """A form whose text fields all pass through ``clean_text`` (see ``TEXT_FILTERS``)."""

    def cleaned(self):
        """Did cleaning change anything the person sent?"""
        return any(
            f.raw_data and isinstance(f.data, str) and f.raw_data[0] != f.data
            for f in self if isinstance(f, (StringField, TextAreaField))
        )


TEXT_FILTERS = [clean_text]


def skip_if_untouched(form, field):
    """First in a chain: a cell the person left as they saw it is kept, never refused.

    The form says what was seen (``form.untouched``); a sheet's TBC or an over-long
    cell must not block a save of some other cell."""
    if form.untouched(field.name):
        raise StopValidation()  # with no message: the chain stops, no error is added
