"""The coordinator's forms: inviting a person and changing their role, school or chair."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from domain.models import ROLES
from domain.people import ROLE_NAMES

from ..forms import TEXT_FILTERS

ROLE_CHOICES = [SelectChoice(role, ROLE_NAMES[role].capitalize()) for role in ROLES]
NO_SCHOOL = SelectChoice("", "No school (coordinators)")


def _school_fits_role(form, field):
    if form.role.data == "admin" and field.data:
        raise ValidationError("A partnership coordinator has no school: choose “No school”.")
    if form.role.data != "admin" and not field.data:
        raise ValidationError("Choose the school this person belongs to.")


def _chair_fits_role(form, field):
    if field.data and form.role.data != "governor":
        raise ValidationError("Only a governor can be chair of governors.")


class PersonForm(FlaskForm):
    """Role, school and chair: what an invitation sets and a change changes."""

    role = SelectField("Role", choices=ROLE_CHOICES, default="staff")
    school = SelectField("School", choices=[NO_SCHOOL], validators=[_school_fits_role], validate_choice=True)
    chair = BooleanField("Chair of governors (governors only)", validators=[_chair_fits_role])
    submit = SubmitField("Save changes")

    def with_schools(self, schools):
        self.school.choices = [NO_SCHOOL] + [SelectChoice(s.code, s.name) for s in schools]
        return self


class InviteForm(PersonForm):
    email = EmailField("E-mail", validators=[DataRequired(message="Enter their e-mail address."), Length(max=254)],
                       filters=TEXT_FILTERS, render_kw={"autocomplete": "off"})
    name = StringField("Name", validators=[DataRequired(message="Enter their name, as pages will show it."),
                                           Length(max=200)], filters=TEXT_FILTERS, render_kw={"autocomplete": "off"})
    submit = SubmitField("Invite")
