"""Forms a child fills in. Answers are checked by ``services.submissions.check_answer``."""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal, gettext as _, lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from feedback.web.forms import Form
from feedback.services.submissions import MAX_TEXT_LENGTH


class CodeForm(Form):
    code = StringField(_l("Enter your code"),
                       validators=[DataRequired(_l("Enter the code your worker gave you")),
                                   Length(max=40, message=_l("That code is too long. "
                                                             "Check it and try again."))])


CODE_MESSAGES = {
    "unknown": _l("That code did not work. Check it and try again."),
    "expired": _l("That code is too old now. Ask your worker for a new one."),
    "used": _l("That code has been used already. Ask your worker for a new one."),
    "revoked": _l("That code has been stopped. Ask your worker for a new one."),
    "not_open": _l("That code is for a session that is not open today."),
}

#: A join code takes at most SESSION_MAX_RESPONSES answers from one device.
SESSION_FULL_MESSAGE = _l("This device has sent all the answers it can for this session. "
                          "Ask the adult running it what to do.")

ANSWER_MESSAGES = {
    "faces": _l("Choose the face that fits best"),
    "cards": _l("Choose the pictures that fit"),
    "choice": _l("Choose one answer"),
    # Translators: quote your translation of "I'd rather not say" word for word.
    "age_band": _l("Choose your age, or 'I'd rather not say'"),
    "text": _l("Write your answer, or go back if you want to skip it"),
}


def one_line_break(text: str | None) -> str | None:
    """Count a line break as one character, as the character count in the browser does
    (a browser sends each as two: CR LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


def too_long_message() -> str:
    """Say how long an answer may be, with the number written for the child's locale."""
    # Translators: %(count)s is the most characters an answer can have (2,000 today).
    return _("Your answer is too long. Make it shorter than %(count)s characters",
             count=format_decimal(MAX_TEXT_LENGTH))


class JourneyForm(Form):
    """Every journey form carries the signed token that can revive a lost session."""

    journey = HiddenField()


class ChoiceAnswerForm(JourneyForm):
    answer = RadioField(choices=[], validate_choice=False)


class CardsAnswerForm(JourneyForm):
    """Express: tap any of the picture cards, and add words if you like."""

    cards = SelectMultipleField(choices=[], validate_choice=False)
    # Translators: the box under the picture cards (Express, for children aged 5 to 8).
    words = TextAreaField(_l("Do you want to say more? (you do not have to)"),
                          filters=[one_line_break])


class TextAnswerForm(JourneyForm):
    answer = TextAreaField(filters=[one_line_break])


def fits_help_message(_form: Any, field: Any) -> None:
    """Refuse a message longer than ``MAX_TEXT_LENGTH``, with the number in the child's locale.

    Not WTForms' ``Length``: that would add ``maxlength`` to the box, and a browser would
    cut a pasted message silently.
    """
    if len(field.data or "") > MAX_TEXT_LENGTH:
        # Translators: %(count)s is the most characters a help message can have (2,000).
        raise ValidationError(_("Your message is too long. Make it %(count)s characters "
                                "or fewer.", count=format_decimal(MAX_TEXT_LENGTH)))


class HelpForm(JourneyForm):
    # Translators: on the help page, a box the child may leave empty.
    message = TextAreaField(_l("What do you want to tell us? (optional)"),
                            filters=[one_line_break], validators=[fits_help_message])


def houses_form(houses: list[dict[str, Any]], labels: dict[str, str],
                **kwargs: Any) -> JourneyForm:
    """Build the three-houses form: one text box per house."""
    fields: dict[str, Any] = {house["key"]: TextAreaField(labels[house["key"]],
                                                          filters=[one_line_break])
                              for house in houses}
    form_class = type("HousesForm", (JourneyForm,), fields)
    return form_class(**kwargs)
