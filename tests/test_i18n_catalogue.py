"""The message catalogue cannot go stale, and every shipped language says every child's word.

* ``translations/messages.pot`` holds exactly the messages the code holds: the test
  extracts again with the command in the Makefile's ``translations`` target;
* each language's ``messages.po`` has been updated from that template;
* every language on the child's language menu translates every message a child
  can meet (decided by where the message comes from), and Welsh translates
  every message, staff pages included; none of them fuzzy;
* a translation keeps the original's placeholders, and its plural forms are
  the ones Babel knows for the language;
* compiled ``.mo`` files are built by ``make setup``, never committed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from feedback.web.i18n import LANGUAGES, STAFF_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
SHIPPED = sorted(tag for tag in LANGUAGES if tag != "en")
#: Where a message must come from for a child to be able to meet it.
CHILD_SOURCES = ("templates/child/", "templates/errors/", "templates/base.html",
                 "templates/macros/", "feedback/web/child/", "feedback/web/errors.py")
#: Placeholders: GOV.UK Frontend's %{count} (written %%{count} in a Jinja string),
#: Python's %(name)s and %s, and str.format's {name}.
_PLACEHOLDER = re.compile(r"%%\{\w+\}|%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
                          r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}")


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def keys(catalogue: Catalog) -> set[tuple[str, str | None]]:
    """Return each message as (msgid, plural msgid)."""
    return {(m.id[0], m.id[1]) if m.pluralizable else (m.id, None)
            for m in catalogue if m.id}


def msgid(message: Message) -> str:
    return message.id[0] if message.pluralizable else message.id


def is_child_facing(message: Message) -> bool:
    return any(path.startswith(CHILD_SOURCES) for path, _ in message.locations)


def translations(message: Message) -> list[str]:
    if message.pluralizable:
        return list(message.string) if isinstance(message.string, tuple) else [message.string]
    return [message.string]


def placeholders(text: str) -> Counter[str]:
    return Counter(_PLACEHOLDER.findall(text))


def extract_command(output: Path) -> list[str]:
    """Return the Makefile's extraction command, writing to ``output`` instead."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    recipe = re.search(r"^translations:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no translations target"
    line = next(cmd for cmd in recipe.group(1).splitlines() if "pybabel extract" in cmd)
    args = shlex.split(line.strip())
    assert args[0].endswith("pybabel"), line
    args[args.index("-o") + 1] = str(output)
    # The same pybabel, run by the interpreter running the tests.
    return [sys.executable, "-m", "babel.messages.frontend", *args[1:]]


def language_catalogues() -> Iterator[tuple[str, Path]]:
    for tag in SHIPPED:
        yield tag, TRANSLATIONS / tag / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalogue(TEMPLATE)


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalog]:
    return {tag: read_catalogue(path) for tag, path in language_catalogues()}


def test_extraction_keeps_translator_comments_and_lazy_messages():
    command = extract_command(Path("out.pot"))
    assert command[command.index("--add-comments") + 1] == "Translators:"
    assert {"_l", "lazy_gettext"} <= {command[i + 1] for i, a in enumerate(command) if a == "-k"}


def test_the_message_template_matches_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(extract_command(fresh), cwd=ROOT, check=True, capture_output=True)
    now, committed = keys(read_catalogue(fresh)), keys(read_catalogue(TEMPLATE))
    assert now == committed, (
        "translations/messages.pot is stale: run `make translations`, then translate.\n"
        f"new in the code: {sorted(now - committed, key=str)}\n"
        f"gone from the code: {sorted(committed - now, key=str)}")


@pytest.mark.parametrize("tag", SHIPPED)
def test_each_catalogue_is_updated_from_the_template(tag, template, catalogues):
    missing = keys(template) - keys(catalogues[tag])
    assert not missing, f"run `make translations`; {tag} lacks {sorted(missing, key=str)}"


def untranslated(catalogue: Catalog, wanted: list[Message]) -> list[str]:
    """Return the msgids in ``wanted`` that the catalogue leaves empty, partial or fuzzy."""
    missing = []
    for message in wanted:
        found = catalogue.get(msgid(message))
        if found is None or found.fuzzy or not all(t.strip() for t in translations(found)):
            missing.append(msgid(message))
    return missing


@pytest.mark.parametrize("tag", SHIPPED)
def test_every_child_facing_message_is_translated(tag, template, catalogues):
    wanted = [m for m in template if m.id and is_child_facing(m)]
    missing = untranslated(catalogues[tag], wanted)
    assert not missing, f"{tag} needs a translation (not fuzzy) for: {missing}"


@pytest.mark.parametrize("tag", [t for t in STAFF_LANGUAGES if t != "en"])
def test_staff_languages_translate_every_message(tag, template, catalogues):
    missing = untranslated(catalogues[tag], [m for m in template if m.id])
    assert not missing, f"{tag} needs a translation (not fuzzy) for: {missing}"


@pytest.mark.parametrize("tag", SHIPPED)
def test_every_plural_form_is_filled_by_the_languages_rule(tag, catalogues):
    catalogue = catalogues[tag]
    nplurals, expression = get_plural(LANGUAGES[tag].locale)
    assert (catalogue.num_plurals, catalogue.plural_expr) == (nplurals, expression)
    for message in catalogue:
        if message.pluralizable and message.string and any(message.string):
            assert len(message.string) == nplurals, message.id
            assert all(form.strip() for form in message.string), message.id


@pytest.mark.parametrize("tag", SHIPPED)
def test_translations_keep_the_placeholders(tag, catalogues):
    wrong = []
    for message in catalogues[tag]:
        if not message.id:
            continue
        # The plural msgid when there is one: an English "one day" may drop the number.
        expected = placeholders(message.id[-1] if message.pluralizable else message.id)
        for text in translations(message):
            if text and placeholders(text) != expected:
                wrong.append((msgid(message), text))
    assert not wrong, f"{tag} translations change the placeholders: {wrong}"


class _AnyValue(dict):
    def __missing__(self, key: str) -> int:
        return 1


@pytest.mark.parametrize("tag", SHIPPED)
def test_translations_survive_formatting(tag, catalogues):
    """Jinja's gettext formats every message, so a lone % would break the page."""
    broken = []
    for message in catalogues[tag]:
        for text in translations(message) if message.id else []:
            try:
                text % _AnyValue()
            except (TypeError, ValueError, KeyError) as error:
                broken.append((msgid(message), text, str(error)))
    assert not broken, broken


def test_the_placeholder_pattern_knows_each_kind():
    text = "%(count)s %s %d {name} %%{count} 50%%"
    assert sorted(placeholders(text)) == ["%%{count}", "%(count)s", "%d", "%s", "{name}"]


def test_compiled_catalogues_are_ignored_and_never_committed():
    assert "*.mo" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    assert tracked == []
