"""The impact log's forms: adding evidence, and the filters of the log."""
from datetime import timedelta

from wtforms import Form, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from domain import dates
from domain.dates import parse_date

from ..forms import TEXT_FILTERS, CleanForm, max_chars

ACTIVITIES = ["Network", "Subject review", "QA visit", "CPD", "Moderation", "Other"]


def not_far_ahead(form, field):
    day = parse_date(field.data)
    if day is None:
        raise ValidationError(dates.date_advice(field.data))
    if day > dates.uk_today() + timedelta(days=366):
        raise ValidationError("That date is more than a year ahead: check the year.")


def a_date(form, field):
    if field.data and parse_date(field.data) is None:
        raise ValidationError(dates.date_advice(field.data))


def action_choices(rows, areas):
    """The linked action (by title, its ID beside it) or area an entry may name."""
    def title(row):
        return row.key_objective.splitlines()[0][:60] if row.key_objective else row.sheet_id

    return [SelectChoice(row.sheet_id, f"{title(row)} ({row.sheet_id})") for row in rows] + [
        SelectChoice(area, f"Area: {area}") for area in areas]


class ImpactForm(CleanForm):
    date = StringField("Date", filters=TEXT_FILTERS,
                       validators=[DataRequired(message="Give the date of the activity."), not_far_ahead],
                       description="day/month/year")
    action = SelectField("Linked action or area", validate_choice=True)
    activity = SelectField("Activity", choices=[SelectChoice(a) for a in ACTIVITIES])
    summary = TextAreaField("Summary", filters=TEXT_FILTERS,
                            validators=[DataRequired(message="Say in a sentence what happened."), max_chars()],
                            render_kw={"rows": 3})
    strengths = TextAreaField("Strengths", filters=TEXT_FILTERS, validators=[max_chars()], render_kw={"rows": 3},
                              description="About three strengths to each area to develop.")
    areas_to_develop = TextAreaField("Areas to develop", filters=TEXT_FILTERS, validators=[max_chars()],
                                     render_kw={"rows": 2})

    def values(self):
        return {
            "date": parse_date(self.date.data), "action": self.action.data, "activity": self.activity.data,
            "summary": self.summary.data.strip(), "strengths": (self.strengths.data or "").strip(),
            "areas_to_develop": (self.areas_to_develop.data or "").strip(),
        }


class LogFilters(Form):
    """The log's filters: a GET form (no CSRF: it changes nothing), bookmarkable."""

    activity = SelectField("Activity", validate_choice=False,
                           choices=[SelectChoice("", "All activities")] + [SelectChoice(a) for a in ACTIVITIES])
    action = SelectField("Linked action or area", validate_choice=False)
    since = StringField("From", filters=TEXT_FILTERS, validators=[Optional(), a_date], description="day/month/year")
    until = StringField("To", filters=TEXT_FILTERS, validators=[Optional(), a_date], description="day/month/year")

    def args(self):
        """The filters as they go in a URL (empty ones left out)."""
        names = ("activity", "action", "since", "until")
        return {name: (getattr(self, name).data or "").strip() or None for name in names}
