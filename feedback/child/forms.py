"""Forms a child fills in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    code = StringField(_l("Enter your code"),
                       validators=[DataRequired(_l("Enter the code your worker gave you")),
                                   Length(max=40, message=_l("That code is too long"))])

    @staticmethod
    def wrong_code_message() -> str:
        return str(_l("That code did not work. Check it with your worker and try again."))
