"""Templates carry no English: every word a person can see or hear goes through gettext.

The scan reads each template with Jinja's own lexer. Between the Jinja tags lies
the HTML (``data`` tokens); a small HTML reader walks it and reports

* text between tags with two or more ASCII letters in a row (``Send``, ``to``);
* attribute values with letters, unless the attribute is one a browser never
  shows or speaks (``class``, ``href``, ``id``…, the allow-list below). So
  ``aria-label``, ``title``, ``alt``, ``placeholder``, ``data-i18n.*`` and the
  ``value`` of a submit button are checked, and so is any attribute nobody has
  thought about yet;
* string literals inside ``{{ }}``/``{% %}`` that read as English words
  (``forms.button("Send now")``), unless they are the message of a gettext call.

Jinja comments, HTML comments and ``<script>``/``<style>`` bodies are not shown to
anyone and are skipped; so is text inside ``{% trans %}``. A false positive is
fixed by teaching the scanner, never by allow-listing real English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
GETTEXT_CALLS = frozenset({"_", "gettext", "ngettext", "pgettext", "npgettext", "_l",
                           "lazy_gettext"})
#: Calls whose string arguments are patterns or names, never words for people.
PATTERN_CALLS = frozenset({"format_date", "format_datetime", "format_time", "format_timedelta",
                           "format_number", "format_decimal", "format_percent", "url_for"})
#: Attributes a browser never shows or reads out: their values are markup, not words.
MACHINE_ATTRIBUTES = frozenset({
    "accept", "accept-charset", "action", "aria-activedescendant", "aria-atomic",
    "aria-busy", "aria-controls", "aria-current", "aria-describedby", "aria-disabled",
    "aria-expanded", "aria-haspopup", "aria-hidden", "aria-invalid", "aria-labelledby",
    "aria-level", "aria-live", "aria-modal", "aria-owns", "aria-pressed", "aria-relevant",
    "aria-required", "aria-selected", "aria-sort", "autocapitalize", "autocomplete",
    "autofocus", "charset", "checked", "class", "cols", "colspan", "crossorigin", "cx", "cy",
    "d", "datetime", "decoding", "dir", "disabled", "draggable", "enctype", "fill",
    "fill-opacity", "focusable", "font-size", "font-weight", "for", "form", "headers",
    "height", "hidden", "href", "hreflang", "http-equiv", "id", "inputmode", "integrity",
    "lang", "loading", "max", "maxlength", "media", "method", "min", "minlength", "multiple",
    "name", "nonce", "novalidate", "open", "pattern", "points", "preserveaspectratio", "r",
    "readonly", "referrerpolicy", "rel", "required", "reversed", "role", "rows", "rowspan",
    "rx", "ry", "scope", "selected", "size", "span", "spellcheck", "src", "srcset", "start",
    "step", "stroke", "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "stroke-width",
    "style", "tabindex", "target", "text-anchor", "transform", "translate", "type",
    "viewbox", "width", "x", "x1", "x2", "xmlns", "y", "y1", "y2",
})
#: ``<input type=…>`` whose value is the button's visible label.
LABELLED_INPUTS = frozenset({"submit", "button", "reset"})
RAW_TEXT_ELEMENTS = frozenset({"script", "style"})
_LETTERS = re.compile(r"[A-Za-z]{2,}")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_PLACEHOLDER = "\x00"
# An English word on its own: letters, maybe an apostrophe part, maybe end punctuation.
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?[.,:;!?…]?")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+(?:['’][a-z]+)?[.:!?…]?")


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.where}: {self.text!r}"


def has_words(text: str) -> bool:
    """Say whether markup text has letters a reader would see (entities aside)."""
    return bool(_LETTERS.search(_ENTITY.sub(" ", text)))


def reads_as_english(literal: str) -> bool:
    """Say whether a string literal in a Jinja expression reads as words, not markup."""
    words = literal.split()
    if len(words) == 1:
        return bool(_CAPITALISED_WORD.fullmatch(words[0]))
    return any(_WORD.fullmatch(a) and _WORD.fullmatch(b) and has_words(a + b)
               for a, b in zip(words, words[1:]))


def is_shown(tag: str, attribute: str, attributes: dict[str, str]) -> bool:
    """Say whether a browser shows or speaks this attribute's value."""
    if attribute == "value":
        return tag == "input" and attributes.get("type", "").lower() in LABELLED_INPUTS
    if attribute == "content":
        return tag == "meta" and attributes.get("name", "").lower() == "description"
    if attribute.startswith("data-"):
        return attribute.startswith("data-i18n")
    return attribute not in MACHINE_ATTRIBUTES


@dataclass
class HtmlReader:
    """Walk a template's HTML, told where Jinja inserts something (a placeholder)."""

    template: str
    findings: list[Finding] = field(default_factory=list)
    state: str = "text"
    line: int = 1
    buffer: str = ""
    buffer_line: int = 1
    tag: str = ""
    attribute: str = ""
    attribute_line: int = 1
    quote: str = ""
    attributes: list[tuple[str, str, int]] = field(default_factory=list)
    raw_until: str = ""

    def feed(self, data: str, line: int) -> None:
        self.line = line
        for char in data:
            self._step(char)
            if char == "\n":
                self.line += 1

    def placeholder(self, line: int) -> None:
        """Something Jinja renders: a value inside an attribute, a break in text."""
        self.line = line
        if self.state == "text" and not self.raw_until:
            self._text(_PLACEHOLDER)
        elif self.state in ("quoted", "unquoted"):
            self.buffer += _PLACEHOLDER
        elif self.state == "before_value":
            self.state, self.buffer = "unquoted", _PLACEHOLDER
        elif self.state in ("attribute", "after_attribute"):
            self._end_attribute(None)
            self.state = "attributes"
        elif self.state == "open":
            self.state, self.tag = "attributes", ""

    def enter_block(self, context: tuple[str, str, str, str] | None) -> bool:
        """Start a child's block where the parent put it; say whether that is an attribute."""
        if context is None or context[0] not in ("quoted", "unquoted", "before_value"):
            return False
        self._flush_text()
        _, self.tag, self.attribute, self.quote = context
        self.state, self.buffer, self.attributes = "quoted", "", []
        self.attribute_line = self.line
        return True

    def leave_block(self) -> None:
        """End a block that filled in an attribute: judge that value, then back to text."""
        self._end_attribute(self.buffer.rstrip(_PLACEHOLDER))  # the {% endblock %} itself
        self._end_tag()

    def close(self) -> None:
        self._flush_text()

    def _text(self, chars: str) -> None:
        if not self.buffer:
            self.buffer_line = self.line
        self.buffer += chars

    def _flush_text(self) -> None:
        if self.state == "text" and has_words(self.buffer):
            text = " ".join(self.buffer.replace(_PLACEHOLDER, " … ").split())
            self.findings.append(Finding(self.template, self.buffer_line, "text", text))
        self.buffer = ""

    def _step(self, char: str) -> None:  # noqa: C901 - one branch per HTML state
        state = self.state
        if state == "text":
            if self.raw_until:
                self.buffer += char
                if self.buffer.lower().endswith("</" + self.raw_until):
                    self.buffer, self.raw_until, self.state = "", "", "end_tag"
            elif char == "<":
                self._flush_text()
                self.state = "lt"
            else:
                self._text(char)
        elif state == "lt":
            if char.isalpha():
                self.state, self.tag, self.attributes = "open", char.lower(), []
            elif char == "/":
                self.state = "end_tag"
            elif char == "!":
                self.state, self.buffer = "bang", ""
            else:
                self.state = "text"
                self._text("<" + char)
        elif state == "end_tag":
            if char == ">":
                self.state = "text"
        elif state == "bang":
            self.buffer += char
            if self.buffer.startswith("--"):
                if len(self.buffer) > 4 and self.buffer.endswith("-->"):
                    self.state, self.buffer = "text", ""
            elif char == ">":
                self.state, self.buffer = "text", ""
        elif state == "open":
            if char == ">":
                self._end_tag()
            elif char.isspace() or char == "/":
                self.state = "attributes"
            else:
                self.tag += char.lower()
        elif state == "attributes":
            if char == ">":
                self._end_tag()
            elif not char.isspace() and char != "/":
                self.state, self.attribute, self.attribute_line = "attribute", char, self.line
        elif state == "attribute":
            if char == "=":
                self.state = "before_value"
            elif char == ">":
                self._end_attribute(None)
                self._end_tag()
            elif char.isspace():
                self.state = "after_attribute"
            else:
                self.attribute += char
        elif state == "after_attribute":
            if char == "=":
                self.state = "before_value"
            elif char == ">":
                self._end_attribute(None)
                self._end_tag()
            elif not char.isspace():
                self._end_attribute(None)
                self.state, self.attribute, self.attribute_line = "attribute", char, self.line
        elif state == "before_value":
            if char in "\"'":
                self.state, self.quote, self.buffer = "quoted", char, ""
            elif char == ">":
                self._end_attribute("")
                self._end_tag()
            elif not char.isspace():
                self.state, self.buffer = "unquoted", char
        elif state == "quoted":
            if char == self.quote:
                self._end_attribute(self.buffer)
                self.state = "attributes"
            else:
                self.buffer += char
        elif state == "unquoted":
            if char.isspace() or char == ">":
                self._end_attribute(self.buffer)
                self.state = "attributes"
                if char == ">":
                    self._end_tag()
            else:
                self.buffer += char

    def _end_attribute(self, value: str | None) -> None:
        self.attributes.append((self.attribute.lower(), value or "", self.attribute_line))
        self.buffer = ""

    def _end_tag(self) -> None:
        values = {name: value for name, value, _ in self.attributes}
        for name, value, line in self.attributes:
            if is_shown(self.tag, name, values) and has_words(value):
                text = value.replace(_PLACEHOLDER, "…")
                self.findings.append(Finding(self.template, line, f"<{self.tag} {name}>", text))
        self.state, self.buffer = "text", ""
        if self.tag in RAW_TEXT_ELEMENTS:
            self.raw_until = self.tag


#: Where a ``{% block %}`` sits in the page that defines it: the reader's state, tag,
#: attribute and quote there. A child template's block starts in that place.
BlockContexts = dict[str, tuple[str, str, str, str]]


def scan(source: str, template: str = "<string>",
         load=None) -> tuple[list[Finding], BlockContexts]:  # noqa: C901 - a token loop
    """Return the English in a template that does not go through gettext, and its blocks.

    ``load(name)`` returns the source of a template this one extends, so that a
    block filling in a parent's attribute (``<body class="{% block … %}">``) is read
    as that attribute, not as text.
    """
    env = Environment(extensions=["jinja2.ext.i18n"])
    reader = HtmlReader(template)
    expression_findings: list[Finding] = []
    inherited: BlockContexts = {}
    contexts: BlockContexts = {}
    blocks: list[bool] = []  # for each open block: did it switch the reader into an attribute?
    calls: list[str | None] = []
    statement: list[str] = []
    in_tag = in_trans = False
    previous = None
    for token in env.lexer.tokenize(source, template):
        if token.type == "data":
            if not in_trans:
                reader.feed(token.value, token.lineno)
        elif token.type in ("variable_begin", "block_begin"):
            in_tag, calls, statement = True, [], []
            reader.placeholder(token.lineno)
        elif token.type in ("variable_end", "block_end"):
            in_tag = False
            keyword = statement[0] if statement else ""
            if keyword == "extends" and len(statement) > 1 and load is not None:
                inherited = {**block_contexts(statement[1], load)}
            elif keyword == "block" and len(statement) > 1:
                name = statement[1]
                contexts[name] = (reader.state, reader.tag, reader.attribute, reader.quote)
                blocks.append(reader.enter_block(inherited.get(name)))
            elif keyword == "endblock" and blocks:
                if blocks.pop():
                    reader.leave_block()
            in_trans = keyword in ("trans", "pluralize") or (in_trans and keyword != "endtrans")
        elif token.type in ("lparen", "lbracket", "lbrace"):
            calls.append(previous.value if token.type == "lparen" and previous is not None
                         and previous.type == "name" else None)
        elif token.type in ("rparen", "rbracket", "rbrace") and calls:
            calls.pop()
        elif token.type == "string" and not (calls and calls[-1] in GETTEXT_CALLS | PATTERN_CALLS) \
                and reads_as_english(token.value):
            expression_findings.append(Finding(template, token.lineno, "expression",
                                               token.value))
        if in_tag and token.type in ("name", "string") and len(statement) < 2:
            statement.append(token.value)
        previous = token
    reader.close()
    return reader.findings + expression_findings, {**inherited, **contexts}


def block_contexts(name: str, load) -> BlockContexts:
    """Return where each block of template ``name`` (and those it extends) sits."""
    return scan(load(name), name, load)[1]


def load_template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def findings_in(source: str, name: str = "<string>") -> list[Finding]:
    return scan(source, name, load_template)[0]


def template_files() -> Iterable[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_the_template_has_no_english_outside_gettext(path):
    name = path.relative_to(TEMPLATES).as_posix()
    findings = findings_in(load_template(name), name)
    assert not findings, "English outside gettext; wrap it in _():\n" + "\n".join(
        map(str, findings))


@pytest.mark.parametrize("source", [
    "<p>Send your answers</p>",
    "<td>{{ first }} to {{ last }}</td>",
    '<button type="button" aria-label="Close the menu">×</button>',
    '<img src="/face.svg" alt="A happy face">',
    '<input type="submit" value="Send">',
    '<input value="Send" type="submit">',
    '<abbr title="Local safeguarding children board">LSCB</abbr>',
    '<input type="text" placeholder="Type here">',
    '<div data-module="govuk-character-count" data-i18n.characters-at-limit="No more">',
    '<meta name="description" content="Tell us what you think">',
    '<nav aria-label="{{ _(\'Main\') }} menu">',
    "<title>{% block title %}Home{% endblock %}</title>",
    '{{ forms.button("Send now") }}',
    '{{ forms.input(form.code, hint="Ask your worker") }}',
    "{{ _('Hello %(name)s', name=shout('Good day')) }}",
    '{% set heading = "Thank you" %}',
    "{{ 'Never' if x else '' }}",
    '<div lang="en" data-x="{{ y }}" tooltip="Unknown attributes count as shown">',
], ids=lambda s: s[:40])
def test_the_scanner_catches_english_wherever_a_person_meets_it(source):
    assert findings_in(source), f"missed the English in {source!r}"


@pytest.mark.parametrize("source", [
    "<p>{{ _('Send your answers') }}</p>",
    "<td>{{ _('%(first)s to %(last)s', first=a, last=b) }}</td>",
    "{{ ngettext('%(num)s day', '%(num)s days', n) }}",
    "{% trans %}Hello world{% endtrans %}",
    "{# Translators: a comment in English #}<p>{{ _('Hi') }}</p>",
    "<!-- an HTML comment in English -->",
    '<!DOCTYPE html><html lang="{{ lang }}" dir="{{ dir }}" class="govuk-template">',
    '<a class="govuk-link app-phone" href="tel:08001111" dir="ltr">0800 1111</a>',
    '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">',
    '<input class="govuk-radios__input" type="radio" value="very sad">',
    '<button type="submit" name="decision" value="confirm">{{ _("Confirm") }}</button>',
    '<option value="{{ code }}">{{ label }}</option>',
    '<input {% if checked %}checked{% endif %} type="radio" value="{{ v }}">',
    '<label class="govuk-label {{ \'govuk-label--l\' if h else \'\' }}" for="{{ id }}">',
    '<span aria-hidden="true">🔊</span>&nbsp;&ndash;<span>c</span>',
    '<div data-module="govuk-exit-this-page" data-read-aloud="question-text">',
    '<svg viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path d="M0 0h13l20 20z"/></svg>',  # noqa: E501
    '<script type="module" src="{{ src }}">const words = "not shown";</script>',
    '<meta name="robots" content="noindex, nofollow">',
    '{% extends "child/base.html" %}{% import "macros/forms.html" as forms %}',
    "{{ forms.button(_('Show summary'), 'govuk-button--secondary') }}",
    "{% if current_user.role in ('worker', 'manager') %}{% endif %}",
    "{{ format_date(day, 'MMMM yyyy') }}",
], ids=lambda s: s[:40])
def test_the_scanner_leaves_markup_and_translated_text_alone(source):
    assert findings_in(source) == []


def test_a_block_is_read_where_the_parent_template_puts_it():
    parents = {"page.html": '<body class="{% block classes %}{% endblock %}" '
                            'title="{% block tooltip %}{% endblock %}">{% block main %}{% endblock %}'}  # noqa: E501
    child = ('{% extends "page.html" %}{% block classes %}app-child wide{% endblock %}'
             '{% block tooltip %}Your voice{% endblock %}{% block main %}{{ _("Hi") }}{% endblock %}')  # noqa: E501
    findings, _ = scan(child, "child.html", parents.__getitem__)
    assert [(f.where, f.text) for f in findings] == [("<body title>", "Your voice")]
