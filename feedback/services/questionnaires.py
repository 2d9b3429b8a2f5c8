"""Questionnaires as versioned data: validate a definition, install or import it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import Questionnaire, QuestionnaireVersion, StaffUser, utcnow
from feedback.models.questionnaires import VersionStatus
from feedback.theming import THEME_CODES

QUESTION_TYPES = frozenset({"faces", "choice", "text", "three_houses", "age_band", "cards"})
#: The words a ``faces`` question's five answers carry (``scale``; feelings by default).
SCALES = ("feelings", "safety")
#: The answer of a scale, choice or cards question the child chose not to give.
NOT_SAY = "not_say"
#: Pictures a card can show (drawn in ``templates/child/_cards.html``).
CARD_PICTURES = frozenset({"home", "family", "friends", "school", "feelings", "worker",
                           "other"})
BUILTIN_PACKAGE = "feedback.questionnaires"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,59}$")
MAX_TEXT_LENGTH = 5000


JsonPath = tuple[str | int, ...]


def N_(message: str) -> str:
    """Mark a message for translation; the web page translates it when it shows it."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: where (a JSON path) and why, in plain words."""

    #: Where in the definition, e.g. ``("questions", 2, "text")``; ``()`` is the whole.
    path: JsonPath
    #: English words with ``%(name)s`` places, marked with ``N_`` for translation. They
    #: start in lower case: they follow "Line 3, column 7:" on a page.
    message: str
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                        for part in self.path).lstrip(".")
        words = self.message % self.params
        return f"{where}: {words}" if where else words


class QuestionnaireError(ValueError):
    """A questionnaire definition is not valid; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        self.problems = [Problem((), problems)] if isinstance(problems, str) \
            else list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def _quoted(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value)


class _Checker:
    """Collect every problem of a definition, not just the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: JsonPath, message: str, **params: str) -> bool:
        self.problems.append(Problem(path, message, params))
        return False

    def text(self, item: dict[str, Any], name: str, path: JsonPath) -> None:
        """Check the texts under ``item[name]``: English, then any other language."""
        value = item.get(name)
        where = (*path, name) if name in item else path
        if not isinstance(value, dict) or not isinstance(value.get("en"), str) \
                or not value["en"].strip():
            self.fail(where, N_("%(name)s needs an English text under \"en\""),
                      name=_quoted(name))
            if not isinstance(value, dict):
                return
        for tag, words in value.items():
            if tag != "en" and (not isinstance(words, str) or not words.strip()):
                self.fail((*where, tag), N_("the %(tag)s text of %(name)s is empty: write "
                                            "it, or leave that language out"),
                          tag=_quoted(tag), name=_quoted(name))

    def key(self, item: dict[str, Any], name: str, path: JsonPath, message: str) -> bool:
        value = item.get(name)
        if isinstance(value, str) and _KEY.match(value):
            return True
        return self.fail((*path, name) if name in item else path, message)

    def is_object(self, item: Any, path: JsonPath) -> bool:
        if isinstance(item, dict):
            return True
        return self.fail(path, N_("this must be an object, between { and }"))


def _check_question(check: _Checker, question: Any, path: JsonPath) -> str | None:
    if not check.is_object(question, path):
        return None
    check.key(question, "key", path, N_("question %(number)s needs a key of lower-case "
                                        "letters, digits and _, starting with a letter"))
    key = question.get("key")
    named = _quoted(key) if isinstance(key, str) else str(int(path[-1]) + 1)
    kind = question.get("type")
    if kind not in QUESTION_TYPES:
        check.fail((*path, "type") if "type" in question else path,
                   N_("question %(key)s has type %(type)s; use one of %(types)s"),
                   key=named, type=_quoted(kind), types=", ".join(sorted(QUESTION_TYPES)))
    check.text(question, "text", path)
    if "hint" in question:
        check.text(question, "hint", path)
    if kind == "choice":
        _check_options(check, question, path, named)
    if kind == "faces" and question.get("scale", "feelings") not in SCALES:
        check.fail((*path, "scale"), N_("question %(key)s has scale %(scale)s; use one of "
                                        "%(scales)s"),
                   key=named, scale=_quoted(question["scale"]), scales=", ".join(SCALES))
    if kind == "cards":
        _check_cards(check, question.get("cards"),
                     (*path, "cards") if "cards" in question else path, named)
    if kind == "three_houses":
        _check_houses(check, question.get("houses"),
                      (*path, "houses") if "houses" in question else path, named)
    return key if isinstance(key, str) else None


def _check_options(check: _Checker, question: dict[str, Any], path: JsonPath,
                   named: str) -> None:
    options = question.get("options")
    if not isinstance(options, list) or len(options) < 2:
        check.fail((*path, "options") if "options" in question else path,
                   N_("question %(key)s needs at least two options"), key=named)
        return
    for i, option in enumerate(options):
        where = (*path, "options", i)
        if check.is_object(option, where):
            check.key(option, "value", where, N_("every option needs a value of lower-case "
                                                 "letters, digits and _"))
            check.text(option, "label", where)


def _check_houses(check: _Checker, houses: Any, path: JsonPath, named: str) -> None:
    if not isinstance(houses, list) or len(houses) != 3:
        check.fail(path, N_("question %(key)s needs exactly three houses"), key=named)
        return
    for i, house in enumerate(houses):
        where = (*path, i)
        if check.is_object(house, where):
            check.key(house, "key", where, N_("every house needs a key of lower-case "
                                              "letters, digits and _"))
            check.text(house, "label", where)
            if "hint" in house:
                check.text(house, "hint", where)


def _check_card(check: _Checker, card: Any, where: JsonPath) -> str | None:
    if not check.is_object(card, where):
        return None
    value = card.get("value")
    value_ok = isinstance(value, str) and bool(_KEY.match(value)) and value != NOT_SAY
    if not value_ok:
        check.fail((*where, "value") if "value" in card else where,
                   N_("every card needs a value of lower-case letters, digits and _ "
                      "(but not \"not_say\": that means the child chose not to answer)"))
    named = _quoted(value)
    check.text(card, "label", where)
    if card.get("theme") is not None and card["theme"] not in THEME_CODES:
        check.fail((*where, "theme"), N_("card %(value)s has theme %(theme)s; use a code "
                                         "from the taxonomy, or null"),
                   value=named, theme=_quoted(card["theme"]))
    if card.get("picture") not in CARD_PICTURES:
        check.fail((*where, "picture") if "picture" in card else where,
                   N_("card %(value)s needs a picture: one of %(pictures)s"),
                   value=named, pictures=", ".join(sorted(CARD_PICTURES)))
    return str(value) if value_ok else None


def _check_cards(check: _Checker, cards: Any, path: JsonPath, named: str) -> None:
    """Two or more cards, each a value, a label, a theme code (or null) and a picture."""
    if not isinstance(cards, list) or len(cards) < 2:
        check.fail(path, N_("question %(key)s needs at least two cards"), key=named)
        return
    values = [_check_card(check, card, (*path, i)) for i, card in enumerate(cards)]
    known = [value for value in values if value is not None]
    if len(set(known)) != len(known):
        check.fail(path, N_("question %(key)s: card values must be unique"), key=named)
    if len(" ".join(known)) > 60:  # the taps are stored as one answer of 60 characters
        check.fail(path, N_("question %(key)s: the card values are too long together; "
                            "keep them to 60 letters in all"), key=named)


def problems(definition: Any) -> list[Problem]:
    """Return everything wrong with a questionnaire definition (none: it is valid)."""
    check = _Checker()
    if not isinstance(definition, dict):
        check.fail((), N_("the file must hold one JSON object, between { and }"))
        return check.problems
    slug = definition.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug):
        check.fail(("slug",) if "slug" in definition else (),
                   N_("the slug must be 2 to 60 lower-case letters, digits and -, "
                      "starting with a letter"))
    check.text(definition, "title", ())
    if "intro" in definition:
        check.text(definition, "intro", ())
    questions = definition.get("questions")
    if not isinstance(questions, list) or not questions:
        check.fail(("questions",) if "questions" in definition else (),
                   N_("\"questions\" must be a list with at least one question"))
        return check.problems
    seen: set[str] = set()
    for i, question in enumerate(questions):
        key = _check_question(check, question, ("questions", i))
        if key is not None and key in seen:
            check.fail(("questions", i, "key"),
                       N_("question keys must be unique: %(key)s is used twice"),
                       key=_quoted(key))
        seen.add(key or "")
    return check.problems


def validate(definition: Any) -> dict[str, Any]:
    """Check a questionnaire definition and return it; raise ``QuestionnaireError``."""
    found = problems(definition)
    if found:
        raise QuestionnaireError(found)
    assert isinstance(definition, dict)
    return definition


def load_file(path: Path) -> dict[str, Any]:
    """Read and validate a questionnaire file (JSON)."""
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise QuestionnaireError(f"{path.name} is not valid JSON: {error}") from None
    return validate(definition)


def save(session: Session, definition: dict[str, Any], is_builtin: bool = False,
         publish: bool = True, by: StaffUser | None = None) -> QuestionnaireVersion | None:
    """Store a definition as a new version (published, unless ``publish`` is false);
    return None when one of the questionnaire's versions holds it already."""
    definition = validate(definition)
    questionnaire = session.scalar(select(Questionnaire)
                                   .where(Questionnaire.slug == definition["slug"]))
    if questionnaire is None:
        questionnaire = Questionnaire(slug=definition["slug"], is_builtin=is_builtin)
        session.add(questionnaire)
        session.flush()
    elif same_as(questionnaire, definition) is not None:
        return None
    number = max((v.number for v in questionnaire.versions), default=0) + 1
    version = QuestionnaireVersion(questionnaire=questionnaire, number=number,
                                   definition=definition, status=VersionStatus.DRAFT,
                                   created_by_id=by.id if by is not None else None)
    session.add(version)
    session.flush()
    if publish:
        make_published(session, version)
    return version


def same_as(questionnaire: Questionnaire,
            definition: dict[str, Any]) -> QuestionnaireVersion | None:
    """Return the version that holds exactly this definition already, if any."""
    return next((v for v in questionnaire.versions if v.definition == definition), None)


def make_published(session: Session, version: QuestionnaireVersion) -> None:
    """Make ``version`` the one new codes use; the one they used before is retired."""
    now = utcnow()
    before = version.questionnaire.published
    if before is version:
        return
    if before is not None:
        before.status, before.retired_at = VersionStatus.RETIRED, now
        session.flush()  # one published version at a time (a unique index holds it)
    version.status, version.retired_at = VersionStatus.PUBLISHED, None
    version.published_at = version.published_at or now
    session.flush()


def builtin_definitions() -> list[dict[str, Any]]:
    """Return the questionnaires that ship with the service."""
    files = sorted(resources.files(BUILTIN_PACKAGE).iterdir(), key=lambda f: f.name)
    return [validate(json.loads(f.read_text(encoding="utf-8")))
            for f in files if f.name.endswith(".json")]


def install_builtin(session: Session) -> list[QuestionnaireVersion]:
    """Install or update the built-in questionnaires; return the versions added.

    An updated built-in questionnaire is published, unless an administrator published
    a version of their own: then it waits as a draft for them to look at.
    """
    added = []
    for definition in builtin_definitions():
        questionnaire = session.scalar(select(Questionnaire)
                                       .where(Questionnaire.slug == definition["slug"]))
        theirs = questionnaire is not None and questionnaire.published is not None \
            and questionnaire.published.created_by_id is not None
        version = save(session, definition, is_builtin=True, publish=not theirs)
        if version is not None:
            added.append(version)
    return added


def current_versions(session: Session) -> list[QuestionnaireVersion]:
    """Return the published version of every questionnaire still in use (new codes use
    these)."""
    questionnaires = session.scalars(select(Questionnaire)
                                     .where(Questionnaire.is_archived.is_(False))
                                     .order_by(Questionnaire.slug)).all()
    return [q.published for q in questionnaires if q.published is not None]


def by_slug(session: Session, slug: str) -> Questionnaire:
    """Return the questionnaire with this slug, or raise ``QuestionnaireError``."""
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None:
        raise QuestionnaireError(f"no questionnaire {slug!r}")
    return questionnaire


def question_text(definition: dict[str, Any] | None, key: str, tag: str = "en") -> str:
    """Return the words of a question (or a house, ``houses.worries``) for staff pages."""
    if definition is None:
        return key
    base, _, house = key.partition(".")
    for question in definition["questions"]:
        if question["key"] != base:
            continue
        texts = question["text"]
        if house:
            texts = next((h["label"] for h in question.get("houses", [])
                          if h["key"] == house), texts)
        return str(texts.get(tag) or texts["en"])
    return key
