"""The young person's pages: open to all, no sign-in, one question per page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import (
    abort, current_app, g, make_response, redirect, render_template, request, session,
    url_for,
)
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from wtforms import SelectChoice
from werkzeug.wrappers import Response as WebResponse

from feedback.web.analyser import alert_mail, current_analyser
from feedback.web import journeys as journey
from feedback.web.child import bp, devices, forms
from feedback.web.question_pages import QuestionPage, all_pages, answer_label
from feedback.extensions import db, limiter
from feedback.web.caches import caches
from feedback.web.i18n import CHILD_LANGUAGES, LANGUAGES, current_language
from feedback.web.redirects import safe_next
from feedback.models import QuestionnaireVersion, today, utcnow
from feedback.services import codes, participation, replies, submissions, working_time

#: Questionnaire versions whose questions are kept per app (each version is a few KB).
MAX_KEPT_VERSIONS = 64


@bp.context_processor
def _child_globals() -> dict[str, object]:
    return {"max_length": submissions.MAX_TEXT_LENGTH}


@bp.app_context_processor
def _help_link() -> dict[str, object]:
    # Every template: a child's page not found is drawn outside this blueprint.
    return {"help_back_to": _help_back_to}


def _help_back_to() -> str:
    """Where the help page's "Go back to my answers" leads: the page the help button is on.

    It travels in the help link (``/help?next=/questions/3``), so leaving for help
    stores nothing; on the help page itself it is the page the child came from, and
    from a page that does not exist it is nowhere in particular.
    """
    if request.endpoint == "child.help_now":
        return _page_left()
    return request.full_path.rstrip("?") if request.endpoint else ""


def _device_key() -> str:
    return "device:" + str(getattr(session, "sid", request.remote_addr))


def _wrong_code(_response: WebResponse) -> bool:
    return bool(g.get("wrong_code"))


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("10 per 10 minutes", key_func=_device_key, methods=["POST"],
               deduct_when=_wrong_code)
@limiter.limit("300 per 10 minutes", methods=["POST"], deduct_when=_wrong_code)
def start() -> str | WebResponse:
    """Ask for the code a worker or session leader gave the child."""
    form = forms.CodeForm()  # a link's code comes in its #fragment, never the query
    if form.validate_on_submit():
        try:
            entry = codes.resolve(db.session, form.code.data or "", today())
            if isinstance(entry, codes.SessionEntry):
                participation.check_device(db.session, entry.session.id,
                                           devices.known_as(entry.session.id),
                                           current_app.config["SESSION_MAX_RESPONSES"])
        except codes.CodeError as error:
            g.wrong_code = True
            db.session.commit()  # an expired code's kept answers are gone now
            form.code.errors.append(str(forms.CODE_MESSAGES[error.reason]))
        except participation.SessionFullError:
            form.code.errors.append(str(forms.SESSION_FULL_MESSAGE))
        else:
            journey.begin_entry(entry)
            db.session.commit()
            return redirect(_resume_at(_journey_or_start()))
    return render_template("child/start.html", form=form)


def _resume_at(current: submissions.Journey) -> str:
    """Where a child carries on: the first question not answered yet, else the check page;
    the welcome page when they have answered nothing."""
    draft = journey.answers()
    if not draft:
        return url_for("child.welcome")
    keys = [q["key"] for q in _definition(current)["questions"]]
    number = next((n for n, key in enumerate(keys, 1) if key not in draft), None)
    return url_for("child.question", number=number) if number else url_for("child.check_answers")


def _journey_or_start() -> submissions.Journey:
    current = journey.current()
    if current is None:
        abort(redirect(url_for("child.start")))
    return current


def _page_left() -> str:
    """The page the child left for help: a question, the welcome or the check page."""
    return safe_next(request.args.get("next"), url_for("child.check_answers"))


def _version(current: submissions.Journey) -> QuestionnaireVersion:
    return db.session.get_one(QuestionnaireVersion, current.version_id)


def _definition(current: submissions.Journey) -> dict[str, Any]:
    """Return the questions of the journey's version (versions never change: kept per app)."""
    kept = caches().bounded("questionnaire.definitions", MAX_KEPT_VERSIONS)
    found: dict[str, Any] = kept.get_or_make(current.version_id,
                                             lambda: _version(current).definition)
    return found


def _pages(current: submissions.Journey) -> list[QuestionPage]:
    """Return the journey's question pages in the page's language (kept per app)."""
    key = (current.version_id, str(get_locale()))  # the locale decides the language's tag
    kept = caches().bounded("questionnaire.pages", MAX_KEPT_VERSIONS * len(CHILD_LANGUAGES))
    found: list[QuestionPage] = kept.get_or_make(
        key, lambda: all_pages(_definition(current), current_language().tag))
    return found


@bp.get("/welcome")
def welcome() -> str:
    """Say what the questionnaire is, who reads it, and what happened since last time."""
    current = _journey_or_start()
    version = _version(current)
    shared = replies.unseen_by_child(db.session, current.case_id) if current.case_id else []
    if shared:
        replies.mark_seen(shared)
        db.session.commit()
    return render_template("child/welcome.html", journey=current, version=version,
                           shared=shared)


_UNLIMITED: set[str] = set()


def never_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    """Exempt a view from every limit: the extension's and the blueprint's below."""
    _UNLIMITED.add(f"{bp.name}.{view.__name__}")
    return limiter.exempt(view)


def _is_unlimited() -> bool:
    return request.endpoint in _UNLIMITED


# Every POST on a child's pages is limited per device first, under a generous
# per-address ceiling (a school's tablets share one address). Set on the blueprint,
# both are checked in the one look-up the limiter makes before each request. The
# code page has its own tighter limits instead; the urgent help path has none.
limiter.limit("60 per minute", key_func=_device_key, methods=["POST"],
              exempt_when=_is_unlimited)(bp)
limiter.limit("3000 per minute", methods=["POST"], exempt_when=_is_unlimited)(bp)


@bp.route("/questions/<int:number>", methods=["GET", "POST"])
def question(number: int) -> str | WebResponse:
    """Ask one question; keep the answer in the server-side draft."""
    current = _journey_or_start()
    definition = _definition(current)
    if not 1 <= number <= len(definition["questions"]):
        abort(404)
    page = _pages(current)[number - 1]
    form = _form_for(page, current)
    if form.validate_on_submit():
        value = _value_from(form, page)
        try:
            value = submissions.check_answer(definition["questions"][number - 1], value)
        except submissions.AnswerError as error:
            _show_error(form, page, error)
        else:
            journey.save_answer(current, page.key, value)
            db.session.commit()
            return redirect(_after(number, page.total))
    elif request.args.get("missing"):  # Send found this question unanswered
        try:
            submissions.check_answer(definition["questions"][number - 1],
                                     journey.answers().get(page.key))
        except submissions.AnswerError as error:
            _show_error(form, page, error)
    # Every earlier answer rides along, so a session lost meanwhile loses none of them.
    return render_template("child/question.html", form=form, page=page,
                           back=_back(number), token=journey.token_for(current),
                           hidden=journey.hidden_answers(journey.answers(), page.key))


def _form_for(page: QuestionPage, current: submissions.Journey) -> forms.JourneyForm:
    saved = journey.answers().get(page.key)
    token = {"journey": journey.token_for(current)}
    if page.kind == "three_houses":
        labels = {h.key: h.label.text for h in page.houses}
        houses = [{"key": h.key} for h in page.houses]
        return forms.houses_form(houses, labels, data={**(saved or {}), **token})
    if page.kind == "cards":
        saved = saved or {}
        form = forms.CardsAnswerForm(data={"cards": str(saved.get("cards") or "").split(),
                                           "words": saved.get("words") or "", **token})
        form.cards.choices = [SelectChoice(o.value, o.label.text) for o in page.options]
        return form
    form_class = forms.TextAnswerForm if page.kind == "text" else forms.ChoiceAnswerForm
    form = form_class(data={"answer": saved or "", **token})
    if page.kind != "text":
        form.answer.choices = [SelectChoice(o.value, o.label.text) for o in page.options]
    return form


def _value_from(form: Any, page: QuestionPage) -> Any:
    if page.kind == "three_houses":
        return {h.key: form[h.key].data or "" for h in page.houses}
    if page.kind == "cards":
        return {"cards": " ".join(form.cards.data or []), "words": form.words.data or ""}
    return form.answer.data


def _show_error(form: Any, page: QuestionPage, error: submissions.AnswerError) -> None:
    # Three houses left empty reads like an empty text answer.
    message = forms.too_long_message() if error.problem == "too_long" else \
        forms.ANSWER_MESSAGES.get(page.kind, forms.ANSWER_MESSAGES["text"])
    field = form[error.key.partition(".")[2]] if "." in error.key else \
        form[page.houses[0].key] if page.kind == "three_houses" else \
        form.cards if page.kind == "cards" else form.answer
    field.errors = [*field.errors, str(message)]


def _after(number: int, total: int) -> str:
    if request.args.get("change") or number == total:
        return url_for("child.check_answers")
    return url_for("child.question", number=number + 1)


def _back(number: int) -> str:
    if request.args.get("change"):
        return url_for("child.check_answers")
    return url_for("child.question", number=number - 1) if number > 1 \
        else url_for("child.welcome")


@bp.get("/check")
def check_answers() -> str:
    """Show every answer with a way to change it, then Send."""
    current = _journey_or_start()
    draft = journey.answers()
    pages = _pages(current)
    rows = [(page, draft.get(page.key), answer_label(page, draft.get(page.key)))
            for page in pages]
    # Send is a button with hidden fields: no form object to build (the CSRF check
    # on POST /send is the app-wide one).
    send = {"key": current.key, "journey": journey.token_for(current),
            "csrf_token": generate_csrf() if current_app.config["WTF_CSRF_ENABLED"] else ""}
    return render_template("child/check_answers.html", rows=rows, send=send,
                           hidden=journey.hidden_answers(draft))


@bp.post("/send")
def send() -> WebResponse:
    """Store the answers once, however many times Send arrives; then say thank you."""
    current = replace(_journey_or_start(), language=current_language().tag)
    draft = journey.answers()
    device = submissions.Device(devices.known_as(current.session_id),
                                current_app.config["SESSION_MAX_RESPONSES"]) \
        if current.session_id is not None else None
    if current.access_code_id is not None and codes.is_revoked(db.session,
                                                               current.access_code_id):
        return _code_stopped()
    try:
        stored = submissions.submit(db.session, current, draft, current_analyser(),
                                    mail=alert_mail(), definition=_definition(current),
                                    device=device)
        if current.access_code_id is not None:
            codes.spend(db.session, current.access_code_id)
        db.session.commit()
    except participation.SessionFullError:
        db.session.rollback()
        return make_response(render_template("child/session_full.html"), 403)
    except submissions.AnswerError as error:
        db.session.rollback()
        number = [q["key"] for q in _definition(current)["questions"]].index(
            error.key.partition(".")[0]) + 1
        return redirect(url_for("child.question", number=number, change=1, missing=1))
    journey.finish({"kind": current.kind, "response": stored})
    return redirect(url_for("child.thank_you"))


def _code_stopped() -> WebResponse:
    """A worker revoked the code: nothing is sent, and the child is told to ask them."""
    session.pop("journey", None)
    session.pop("answers", None)
    form = forms.CodeForm()
    form.code.errors = [str(forms.CODE_MESSAGES["revoked"])]
    return make_response(render_template("child/start.html", form=form), 403)


@bp.get("/thank-you")
def thank_you() -> WebResponse:
    """Thank the child, say who will read it and when, and hand back a clean start."""
    confirmation = session.get("confirmation")
    if not confirmation:
        return redirect(url_for("child.start"))
    # What a worried comment raises is read by the deadline escalation works to.
    reading = working_time.when_read(utcnow(), current_app.config["ALERT_ESCALATION_HOURS"])
    response = make_response(render_template("child/thank_you.html",
                                             kind=confirmation["kind"], reading=reading,
                                             duty_phone=current_app.config["DUTY_PHONE"]))
    # Nothing of the last child's pages stays in this browser for the next one.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/help", methods=["GET", "POST"])
@never_limited
def help_now() -> str:
    """Show who to call now; let a child still answering tell their worker straight away."""
    held = journey.held()
    current = held or journey.journey_from_token(request.form.get("journey"))
    if current is not None and not submissions.journey_is_live(
            db.session, current, utcnow(), held=held is not None):
        # A page left open after Send (or past its code's hours) still carries a
        # token: it shows the numbers to call, but it tells nobody anything.
        current = None
    elif current is not None and held is None:
        journey.revive(current)
    form = forms.HelpForm(data={"journey": journey.token_for(current) if current else ""})
    sent = pressed = False
    if current is not None and form.validate_on_submit():
        submissions.ask_for_help(db.session, current, form.message.data or "",
                                 current_analyser(), mail=alert_mail())
        db.session.commit()
        sent = True
    elif current is not None and form.is_submitted() and set(form.errors) == {"message"}:
        # The press is the call for help: it is told now; the words follow, shortened.
        submissions.ask_for_help(db.session, current, "", current_analyser(), mail=alert_mail())
        db.session.commit()
        pressed = True
    # The child is promised the deadline the alert escalates at, never more.
    reading = working_time.when_read(utcnow(), current_app.config["ALERT_ESCALATION_HOURS"])
    return render_template("child/help.html", form=form, can_tell=current is not None,
                           unsent=current is None and bool(form.message.data),
                           sent=sent, pressed=pressed,
                           is_session=current is not None and current.kind == "session",
                           reading=reading, duty_phone=current_app.config["DUTY_PHONE"],
                           page_left=_page_left())


@bp.get("/exit")
@never_limited
def exit_page() -> WebResponse:
    """Leave at once for a neutral site, ending the session on the server."""
    session.clear()
    return redirect(current_app.config["EXIT_URL"])


@bp.get("/language/<tag>")
def choose_language(tag: str) -> WebResponse:
    """Switch the child's pages to another language and come back."""
    if tag in LANGUAGES:
        session["lang"] = tag
    return redirect(safe_next(request.args.get("next"), url_for("child.start")))


@bp.post("/still-here")
@never_limited
def still_here() -> tuple[str, int]:
    """Extend the child's session by one tap (the time-out warning's button)."""
    session.modified = True
    return "", 204


@bp.get("/timed-out")
def timed_out() -> str:
    """Say the time ran out and offer a fresh start."""
    session.pop("journey", None)
    session.pop("answers", None)
    return render_template("child/timed_out.html")
