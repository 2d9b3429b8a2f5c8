"""Fragments are rendered once and shown to every child: nothing of one child may reach
another (``feedback/web/fragments.py``)."""

import re
from pathlib import Path

import pytest
from jinja2 import Environment, meta

from apps import ChildActions
from feedback.web.caches import caches
from feedback.web.fragments import VARY

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FRAGMENT_CALL = re.compile(r"""fragment\(\s*["']([^"']+)["']([^)]*)\)""")
#: What a fragment may read: translation, links and the page's language. Nothing per child.
ALLOWED = frozenset({"_", "gettext", "ngettext", "url_for", "link", "language", "languages"})


def fragment_calls() -> list[tuple[str, str, str]]:
    calls = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for match in FRAGMENT_CALL.finditer(path.read_text(encoding="utf-8")):
            calls.append((str(path.relative_to(TEMPLATES)), match.group(1), match.group(2)))
    return calls


def test_the_child_pages_use_fragments():
    assert {name for _, name, _ in fragment_calls()} >= {
        "child/_header.html", "child/_footer.html", "child/_languages.html"}


@pytest.mark.parametrize("caller, name, arguments", fragment_calls())
def test_a_fragment_reads_nothing_that_differs_between_children(caller, name, arguments):
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    # A bare environment: the app's reports no free names once its globals are set.
    parsed = Environment(extensions=["jinja2.ext.i18n"]).parse(source)
    assert list(meta.find_referenced_templates(parsed)) == [], (
        f"{name} includes or extends another template; fragments must be self-contained")
    read = meta.find_undeclared_variables(parsed)
    assert read <= ALLOWED | VARY, (
        f"{name} (a fragment shared by every child) reads {sorted(read - ALLOWED - VARY)}")
    passed = set(re.findall(r"(\w+)\s*=", arguments))
    assert passed <= VARY, f"{caller} renders {name} with {sorted(passed - VARY)}"


def test_a_fragment_refuses_other_variables(app):
    from feedback.web.fragments import fragment
    with app.test_request_context("/"), pytest.raises(ValueError):
        fragment("child/_footer.html", name="Sam")


def header_and_footer(page: str) -> str:
    start = page.index('<div class="govuk-exit-this-page')
    return page[start:page.index("</header>", start)] + page[page.index('<footer'):]


def test_two_children_on_two_tablets_see_nothing_of_each_other(
        app, create_case, create_access_code):
    first, second = ChildActions(app.test_client()), ChildActions(app.test_client())
    first_code = create_access_code(create_case(reference="CASE-FIRST"), "how-are-things")
    second_code = create_access_code(create_case(reference="CASE-SECOND"), "how-are-things")
    first.enter_code(first_code)
    first.answer(1, answer="4")
    first.answer(3, answer="zebra crossing words of the first child")
    first_page = first.client.get("/check").get_data(as_text=True)
    assert "zebra crossing words of the first child" in first_page
    assert len(caches().bounded("fragments.html", 1)) > 0, "the page did not use the cache"

    second.enter_code(second_code)
    for path in ("/questions/1", "/questions/3", "/check"):
        page = second.client.get(path).get_data(as_text=True)
        assert "zebra crossing" not in page
        assert first_code not in page and "CASE-FIRST" not in page
    assert header_and_footer(page) == header_and_footer(first_page)
