"""Adding a partnership, renaming one, and choosing which one the pages show."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..forms import TEXT_FILTERS


class NewPartnershipForm(FlaskForm):
    name = StringField("Partnership name", validators=[
        DataRequired(message="Enter the partnership's name, as its people will see it."), Length(max=200)],
        filters=TEXT_FILTERS, render_kw={"autocomplete": "off"})
    workbook = StringField("Its partnership workbook", validators=[
        DataRequired(message="Enter its partnership workbook: the Google Sheets address, or the file name."),
        Length(max=500)], filters=TEXT_FILTERS, render_kw={"autocomplete": "off"},
        description="The workbook with its Schools tab, joint plan, Themes, Calendar and RSVP tabs.")
    coordinator_name = StringField("Its first coordinator's name", validators=[
        DataRequired(message="Enter the name of the person who will coordinate it."), Length(max=200)],
        filters=TEXT_FILTERS, render_kw={"autocomplete": "off"})
    coordinator_email = EmailField("Their e-mail", validators=[
        DataRequired(message="Enter their e-mail address."), Length(max=254)],
        filters=TEXT_FILTERS, render_kw={"autocomplete": "off"})
    submit = SubmitField("Add the partnership")


class RenameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Enter the partnership's name."), Length(max=200)],
                       filters=TEXT_FILTERS)
    submit = SubmitField("Rename")


class SupportForm(FlaskForm):
    supporter = SelectField("Supported by", validate_choice=True)
    shares = BooleanField("Share with them what is listed above")
    submit = SubmitField("Save")


class ChooseForm(FlaskForm):
    partnership = HiddenField()
    submit = SubmitField("Show this partnership")
