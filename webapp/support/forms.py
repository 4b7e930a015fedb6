"""The officer's forms: a development visit, a report's period."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import TEXT_FILTERS

POINTS = "One point a line: each is counted and grouped by theme in the report."


class VisitForm(FlaskForm):
    partnership = SelectField("Partnership visited", validate_choice=True)
    date = DateField("Date of the visit", validators=[DataRequired(message="Enter the day of the visit.")])
    present = TextAreaField("Who was there", validators=[Length(max=5000)], filters=TEXT_FILTERS)
    vision = TextAreaField("The vision and intended outcomes discussed", validators=[Length(max=20000)],
                           filters=TEXT_FILTERS)
    successes = TextAreaField("Successes", validators=[Length(max=20000)], filters=TEXT_FILTERS, description=POINTS)
    challenges = TextAreaField("Challenges", validators=[Length(max=20000)], filters=TEXT_FILTERS, description=POINTS)
    lessons = TextAreaField("Lessons learned", validators=[Length(max=20000)], filters=TEXT_FILTERS,
                            description=POINTS)
    next_steps = TextAreaField("Next steps", validators=[Length(max=20000)], filters=TEXT_FILTERS,
                               description=POINTS)
    submit = SubmitField("Record the visit")


class DraftForm(FlaskForm):
    period = SelectField("The term or year it covers", validate_choice=True)
    submit = SubmitField("Draft the report")


class TitleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the report a title."), Length(max=300)],
                        filters=TEXT_FILTERS)
