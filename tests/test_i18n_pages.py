"""Pages in the reader's language: the browser's, the case's, or the child's own choice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from apps import ChildActions
from feedback.extensions import db
from feedback.web.i18n import LANGUAGES
from feedback.models import Comment, Role
from feedback.services import codes, questionnaires

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    """Compile any catalogue whose .mo is missing or older, as ``make setup`` does."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parts[-3])
            with mo.open("wb") as target:
                write_mo(target, catalogue, use_fuzzy=True)


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def main(page: str) -> str:
    return re.search(r"<main.*?</main>", page, re.S).group(0)


def heading(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()


def test_a_welsh_browser_gets_the_start_page_in_welsh(client):
    page = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}
                      ).get_data(as_text=True)
    assert 'lang="cy" dir="ltr"' in html_tag(page)
    assert heading(page) == "Dweud dy ddweud"
    assert "Have your say" not in page


@pytest.mark.parametrize("tag", ["ar", "ur"])
def test_a_right_to_left_language_turns_the_page_round(client, tag):
    page = client.get("/", headers={"Accept-Language": tag}).get_data(as_text=True)
    assert f'lang="{tag}" dir="rtl"' in html_tag(page)
    assert "Have your say" not in page


@pytest.mark.parametrize("tag", sorted(t for t in LANGUAGES if t != "en"))
def test_every_language_has_its_own_start_page(client, tag):
    english = heading(client.get("/").get_data(as_text=True))
    page = client.get("/", headers={"Accept-Language": tag}).get_data(as_text=True)
    assert f'lang="{tag}"' in html_tag(page)
    assert heading(page) != english


def test_an_unknown_language_falls_back_to_english(client):
    page = client.get("/", headers={"Accept-Language": "fr, de;q=0.8"}).get_data(as_text=True)
    assert 'lang="en" dir="ltr"' in html_tag(page)
    assert heading(page) == "Have your say"


def test_each_language_is_offered_by_its_own_name_with_hreflang(client):
    page = client.get("/").get_data(as_text=True)
    for tag, language in LANGUAGES.items():
        if tag != "en":
            assert re.search(rf'<a [^>]*href="/language/{tag}\?[^"]*"[^>]*hreflang="{tag}" '
                             rf'lang="{tag}">{language.name}</a>', page), tag


def test_a_chosen_language_sticks_for_the_session(client):
    response = client.get("/language/pl?next=/help", headers={"Accept-Language": "cy"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/help")
    for path in ("/help", "/"):
        page = client.get(path, headers={"Accept-Language": "cy"}).get_data(as_text=True)
        assert 'lang="pl"' in html_tag(page), path
    assert "Wpisz swój kod" in page


def test_an_unknown_language_choice_changes_nothing(client):
    client.get("/language/xx")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html_tag(page)


def test_the_language_menu_sends_nobody_to_another_site(client):
    response = client.get("/language/cy?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_a_case_in_polish_opens_in_polish(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(language="pl"), "how-are-things"))
    page = child.client.get("/welcome").get_data(as_text=True)
    assert 'lang="pl"' in html_tag(page)
    assert heading(page) == "Jak leci?"


def test_the_childs_choice_beats_the_cases_language(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(language="pl"), "how-are-things"))
    child.client.get("/language/ro")
    page = child.client.get("/questions/1").get_data(as_text=True)
    assert 'lang="ro"' in html_tag(page)
    assert "Foarte trist" in page  # the faces speak Romanian too


def test_a_question_in_arabic_needs_no_english_fallback(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(language="ar"), "my-meeting"))
    page = child.client.get("/questions/2").get_data(as_text=True)
    assert 'dir="rtl"' in html_tag(page)
    assert 'lang="en"' not in main(page)  # the language menu names English in English


def test_an_untranslated_question_is_marked_as_english(child, create_case):
    version = questionnaires.save(db.session, {
        "slug": "english-only", "title": {"en": "Just English"},
        "questions": [{"key": "q", "type": "text", "text": {"en": "What is on your mind?"}},
                      {"key": "r", "type": "text", "text": {"en": "Anything else?"}}]})
    _, code = codes.create_access_code(db.session, create_case(language="cy"),
                                       version.questionnaire, None, 4)
    db.session.commit()
    child.enter_code(code)
    page = child.client.get("/questions/1").get_data(as_text=True)
    assert re.search(r'<label [^>]*id="question-text"[^>]*lang="en"[^>]*>What is on your mind\?',
                     page)
    assert "Cwestiwn 1 o 2" in page  # the rest of the page stays Welsh


def test_a_comment_in_arabic_is_stored_with_its_language(app, create_session):
    event = create_session()
    tablet = ChildActions(app.test_client())
    tablet.client.get("/language/ar")
    tablet.enter_code(event.join_code)
    tablet.answer(2, answer="4")
    tablet.answer(3, answer="أشعر بالأمان عندما أكون مع أصدقائي")
    page = tablet.client.get("/check").get_data(as_text=True)
    assert '<span dir="auto" class="app-answer">أشعر بالأمان' in page
    tablet.send()
    comment = db.session.scalar(select(Comment))
    assert (comment.language, comment.text) == ("ar", "أشعر بالأمان عندما أكون مع أصدقائي")


def test_staff_pages_speak_welsh_with_welsh_dates(client, auth, create_case, create_user,
                                                  create_response):
    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    create_response(case, "mae popeth yn iawn", submitted_at=datetime(2026, 3, 14, 10, 30,
                                                                      tzinfo=UTC))
    auth.sign_in(worker.email)
    page = client.get(f"/staff/cases/{case.reference}",
                      headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert 'lang="cy"' in html_tag(page)
    assert "14 Mawrth 2026" in page and "March" not in page and "14 Mar 2026" not in page
    assert "Marcio fel wedi'i ddarllen" in page


def test_staff_pages_are_english_for_a_language_they_do_not_have(client, auth, create_user):
    auth.sign_in(create_user(Role.WORKER).email)
    page = client.get("/staff/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert 'lang="en"' in html_tag(page)
    assert heading(page) == "Inbox"


def test_the_shared_parts_of_a_childs_page_follow_each_readers_language_and_page(client):
    """Header, footer and language links are rendered once and reused: each reader
    still gets their own language, and links that bring them back to their own page."""
    welsh = client.get("/help", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    english = client.get("/help", headers={"Accept-Language": "en"}).get_data(as_text=True)
    start = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Mae angen help arna i nawr" in welsh and "I need help now" not in welsh
    assert "I need help now" in english and "Mae angen help arna i nawr" not in english
    assert 'href="/language/cy?next=/help"' in english
    assert 'href="/language/cy?next=/"' in start
    assert 'href="/language/en?next=/help"' in welsh
