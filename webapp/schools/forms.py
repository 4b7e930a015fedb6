"""The coordinator's form for how a school's people sign in."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import Length


class SchoolSignInForm(FlaskForm):
    """Checked and cleaned by domain/school_accounts.py (save_settings), which says what is wrong."""

    email_domains = TextAreaField(
        "The school's e-mail domains", validators=[Length(max=2000)], render_kw={"rows": 2, "autocomplete": "off"},
        description="The part after the @ in its staff's addresses, such as brookside.sch.uk; with Google, the "
                    "domain of its Google Workspace. Several: one a line.")
    microsoft_tenants = TextAreaField(
        "Microsoft 365 tenant IDs", validators=[Length(max=2000)], render_kw={"rows": 2, "autocomplete": "off"},
        description="With Microsoft: the school's Tenant ID, from the Microsoft Entra admin centre's Overview, "
                    "such as 72f988bf-86f1-41af-91ab-2d7cd011db47. Several: one a line.")
    school_accounts_only = BooleanField("Staff and the head sign in with their school account only (no password)")
    submit = SubmitField("Save")
