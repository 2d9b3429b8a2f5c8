"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from feedback.web.forms import Form


class SignInForm(Form):
    email = EmailField(_l("Email address"),
                       validators=[DataRequired(_l("Enter your email address")), Length(max=254)])
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Enter your password")),
                                         Length(max=1000)])


class CodeForm(Form):
    code = StringField(_l("Code"),
                       validators=[DataRequired(_l("Enter the code")), Length(max=40)])


class EnrolForm(Form):
    code = StringField(_l("Code from the app"),
                       validators=[DataRequired(_l("Enter the 6-digit code from the app")),
                                   Length(max=20)])
