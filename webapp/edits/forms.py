"""Forms for the cells people edit in the browser, validated before anything is saved."""
import re
from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from domain.dates import parse_date
from domain.status import STATUSES

TERM = re.compile(r"^(autumn|spring|summer)( [12])? \d{4}$", re.IGNORECASE)
ACTIVITIES = ["Network", "Subject review", "QA visit", "CPD", "Moderation", "Other"]


def uk_date_or_term(form, field):
    text = (field.data or "").strip()
    if text and not parse_date(text) and not TERM.match(text):
        raise ValidationError("Give a date as day/month/year (e.g. 31/03/2027) or a term such as Spring 2027.")


class RowEditForm(FlaskForm):
    status = SelectField("Status", choices=[SelectChoice("", "No status")] + [SelectChoice(s) for s in STATUSES], validate_choice=True)
    impact_to_date = TextAreaField("Impact to date", validators=[Length(max=5000)], render_kw={"rows": 4})
    lead = StringField("Lead", validators=[Length(max=200)])
    due = StringField("Due", validators=[Optional(), Length(max=100), uk_date_or_term],
                      description="A date (31/03/2027) or a term (Spring 2027).")
    # What the editor saw, so that nobody's change is overwritten unseen.
    version = IntegerField(widget=HiddenInput())
    seen_status = HiddenField()
    seen_impact_to_date = HiddenField()
    seen_lead = HiddenField()
    seen_due = HiddenField()

    EDITABLE = ("status", "impact_to_date", "lead", "due")

    def changes(self):
        return {name: (getattr(self, name).data or "").strip() for name in self.EDITABLE}

    def seen(self):
        return {name: getattr(self, f"seen_{name}").data or "" for name in self.EDITABLE}

    def set_seen(self, values, version):
        for name in self.EDITABLE:
            getattr(self, f"seen_{name}").data = values[name]
        self.version.data = version


def not_far_ahead(form, field):
    day = parse_date(field.data)
    if day is None:
        raise ValidationError("Give the date as day/month/year, e.g. 20/11/2026.")
    if day > date.today() + timedelta(days=366):
        raise ValidationError("That date is more than a year ahead: check the year.")


class ImpactForm(FlaskForm):
    date = StringField("Date", validators=[DataRequired(message="Give the date of the activity."), not_far_ahead],
                       description="day/month/year")
    action = SelectField("Linked action or area", validate_choice=True)
    activity = SelectField("Activity", choices=[SelectChoice(a) for a in ACTIVITIES])
    summary = TextAreaField("Summary", validators=[DataRequired(message="Say in a sentence what happened."),
                                                   Length(max=2000)], render_kw={"rows": 3})
    strengths = TextAreaField("Strengths", validators=[Length(max=2000)], render_kw={"rows": 3},
                              description="About three strengths to each area to develop.")
    areas_to_develop = TextAreaField("Areas to develop", validators=[Length(max=2000)], render_kw={"rows": 2})

    def values(self):
        return {
            "date": parse_date(self.date.data), "action": self.action.data, "activity": self.activity.data,
            "summary": self.summary.data.strip(), "strengths": (self.strengths.data or "").strip(),
            "areas_to_develop": (self.areas_to_develop.data or "").strip(),
        }
