from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from domain.passwords import password_problem


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(message="Enter your e-mail address."), Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password."), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Sign in")


def _same_as_password(form, field):
    if field.data != form.password.data:
        raise ValidationError("The two passwords differ. Type the same password twice.")


def _acceptable(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("New password (at least 12 characters)",
                             validators=[DataRequired(message="Choose a password."), _acceptable],
                             render_kw={"autocomplete": "new-password", "autofocus": True})
    again = PasswordField("The same password again", validators=[_same_as_password],
                          render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Set my password and sign in")


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Your e-mail", validators=[DataRequired(message="Enter your e-mail address."), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField("Send me a link")
