"""The calendar's forms: a new event, a reply, an invitation."""
import re

from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Optional, ValidationError

from domain.dates import date_advice, parse_date
from domain.event_cells import CONFIRMED, DECLINED, TYPES, parse_times

from ..forms import TEXT_FILTERS, CleanForm, max_chars


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (readable on a phone, unlike a multiple select)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def a_day(form, field):
    if parse_date(field.data) is None:
        raise ValidationError(date_advice(field.data))


def a_time(form, field):
    if field.data and re.search(r"\d", field.data) and parse_times(field.data)[0] is None:
        raise ValidationError("Give the time as 09:00 or 09:00-12:00 (or leave it blank for the whole day).")


class EventForm(CleanForm):
    date = StringField("Date", filters=TEXT_FILTERS, description="day/month/year",
                       validators=[DataRequired(message="Give the date of the event."), a_day])
    time = StringField("Time", filters=TEXT_FILTERS, validators=[Optional(), a_time, max_chars(100, "a time")],
                       description="9am to 12pm, or 09:00-12:00; blank for the whole day")
    type = SelectField("Type", choices=list(TYPES))
    focus = StringField("Focus", filters=TEXT_FILTERS, validators=[max_chars()],
                        description="The subject or theme, e.g. Maths: fractions")
    host = SelectField("Host school", validate_choice=True)
    invited = CheckboxesField("Invited schools", validate_choice=True)
    lead = StringField("Lead", filters=TEXT_FILTERS, validators=[max_chars()])
    notes = TextAreaField("Notes and schedule", filters=TEXT_FILTERS, validators=[max_chars()],
                          render_kw={"rows": 4}, description="The schedule is an approximate guide.")

    def values(self, school_codes):
        """The Calendar row's cells; every school ticked is written as All schools."""
        invited = self.invited.data or []
        every = school_codes and set(invited) >= set(school_codes)
        return {
            "date": parse_date(self.date.data), "time": (self.time.data or "").strip(), "type": self.type.data,
            "focus": (self.focus.data or "").strip(), "host_school": self.host.data,
            "invited_schools": "All schools" if every else ", ".join(invited),
            "lead": (self.lead.data or "").strip(), "status": "Planned", "notes": (self.notes.data or "").strip(),
        }


class ReplyForm(CleanForm):
    answer = SelectField("Reply", choices=[CONFIRMED, DECLINED], validate_choice=True,
                         validators=[DataRequired(message="Confirm or decline.")])
    note = TextAreaField("Note to the host (optional)", filters=TEXT_FILTERS,
                         validators=[max_chars(1000, "a note")], render_kw={"rows": 2})


class InviteForm(CleanForm):
    schools = CheckboxesField("Schools (all their staff)", validate_choice=True)
    people = CheckboxesField("People", validate_choice=True)

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if not (self.schools.data or self.people.data):
            self.form_errors.append("Choose a school or a person to invite.")
            return False
        return True
