"""Forms social workers use."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField


class AccessCodeForm(FlaskForm):
    questionnaire = SelectField(_l("Questionnaire"), choices=[],
                                validate_choice=True)
