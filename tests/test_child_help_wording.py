"""A child who asks for help, or sends worrying words, is told the truth about when a
person will read them: at every hour, in their language, with who to call meanwhile.

Each test freezes the clock at one moment, starts a journey with a real code and reads
the real page through the test client.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine

from apps import ChildActions

DUTY_PHONE = "0300 123 4567"


def london(*args: int) -> datetime:
    return datetime(*args).replace(tzinfo=UTC)  # December: London keeps UTC


@dataclass(frozen=True)
class Moment:
    at: datetime
    #: what the help page promises, in English and Welsh
    promise: dict[str, str]
    #: the thank-you page's promise about worrying words: case, then session
    case_safety: dict[str, str]
    session_safety: dict[str, str]
    #: the duty team's line: "tonight" or "now"
    duty: dict[str, str]


TONIGHT = {
    "en": f"If you need help tonight, call our duty team on {DUTY_PHONE}.",
    "cy": f"Os oes angen help arnat ti heno, ffonia ein tîm dyletswydd brys ar {DUTY_PHONE}.",
}
NOW = {
    "en": f"If you need help now, call our duty team on {DUTY_PHONE}.",
    "cy": f"Os oes angen help arnat ti nawr, ffonia ein tîm dyletswydd brys ar {DUTY_PHONE}.",
}

MOMENTS = {
    "weekday afternoon": Moment(  # Wednesday 9 December 2026, 14:00
        london(2026, 12, 9, 14, 0),
        {"en": "Our team is at work now. A worker will read this today.",
         "cy": "Mae ein swyddfa ar agor nawr. Bydd gweithiwr yn darllen hwn heddiw."},
        {"en": "If what you wrote makes us worried about your safety, a worker will "
               "read it today. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am dy ddiogelwch, bydd "
               "gweithiwr yn ei ddarllen heddiw ac yn siarad â phobl sy'n gallu helpu."},
        {"en": "If what you wrote makes us worried about someone's safety, a worker "
               "will read it today. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am ddiogelwch rhywun, "
               "bydd gweithiwr yn ei ddarllen heddiw ac yn siarad â phobl sy'n gallu helpu."},
        NOW),
    "weekday night": Moment(  # Friday 4 December 2026, 22:33
        london(2026, 12, 4, 22, 33),
        {"en": "Our team is not at work now. A worker will read this on Monday morning.",
         "cy": "Mae ein swyddfa ar gau nawr. Bydd gweithiwr yn darllen hwn fore Dydd Llun."},
        {"en": "If what you wrote makes us worried about your safety, a worker will "
               "read it on Monday morning. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am dy ddiogelwch, bydd "
               "gweithiwr yn ei ddarllen fore Dydd Llun ac yn siarad â phobl sy'n gallu "
               "helpu."},
        {"en": "If what you wrote makes us worried about someone's safety, a worker "
               "will read it on Monday morning. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am ddiogelwch rhywun, "
               "bydd gweithiwr yn ei ddarllen fore Dydd Llun ac yn siarad â phobl sy'n gallu "
               "helpu."},
        TONIGHT),
    "sunday": Moment(  # Sunday 6 December 2026, 22:33: the child in the report
        london(2026, 12, 6, 22, 33),
        {"en": "Our team is not at work now. A worker will read this the next morning.",
         "cy": "Mae ein swyddfa ar gau nawr. Bydd gweithiwr yn darllen hwn bore yfory."},
        {"en": "If what you wrote makes us worried about your safety, a worker will "
               "read it the next morning. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am dy ddiogelwch, bydd "
               "gweithiwr yn ei ddarllen bore yfory ac yn siarad â phobl sy'n gallu helpu."},
        {"en": "If what you wrote makes us worried about someone's safety, a worker "
               "will read it the next morning. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am ddiogelwch rhywun, "
               "bydd gweithiwr yn ei ddarllen bore yfory ac yn siarad â phobl sy'n gallu "
               "helpu."},
        TONIGHT),
    "bank holiday": Moment(  # Christmas Day, Friday 2026; Monday 28th is a holiday too
        london(2026, 12, 25, 11, 0),
        {"en": "Our team is not at work now. A worker will read this on Tuesday morning.",
         "cy": "Mae ein swyddfa ar gau nawr. Bydd gweithiwr yn darllen hwn fore Dydd Mawrth."},
        {"en": "If what you wrote makes us worried about your safety, a worker will "
               "read it on Tuesday morning. They will talk to people who can help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am dy ddiogelwch, bydd "
               "gweithiwr yn ei ddarllen fore Dydd Mawrth ac yn siarad â phobl sy'n gallu "
               "helpu."},
        {"en": "If what you wrote makes us worried about someone's safety, a worker "
               "will read it on Tuesday morning. They will talk to people who can "
               "help.",
         "cy": "Os yw rhywbeth ysgrifennaist ti'n gwneud i ni boeni am ddiogelwch rhywun, "
               "bydd gweithiwr yn ei ddarllen fore Dydd Mawrth ac yn siarad â phobl sy'n "
               "gallu helpu."},
        NOW),
}

TELL_THE_ADULT = {
    "en": "Tell the adult running this session too, if you can. They can help you "
          "straight away.",
    "cy": "Dywed wrth yr oedolyn sy'n cynnal y sesiwn hon hefyd, os gelli di. Maen nhw'n "
          "gallu dy helpu di ar unwaith.",
}
SESSION_WORRY = {
    "en": "If you feel unsafe now, tell the adult who runs this session, if you can.",
    "cy": "Os wyt ti'n poeni am dy ddiogelwch nawr, dywed wrth yr oedolyn sy'n cynnal y "
          "sesiwn hon os gelli di.",
}
SOCIAL_WORKER = {"en": "social worker", "cy": "gweithiwr cymdeithasol"}
CHILDLINE = {"en": "Childline is free and always there: call 0800 1111",
             "cy": "Mae Childline am ddim ac yno bob amser: ffonia 0800 1111"}


def visible_text(response) -> str:
    """Return what the page shows, as a child reads it: no tags, spaces made plain."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"</?(a|span|strong|abbr)\b[^>]*>", "", page)  # inside a sentence
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def moment(request) -> Moment:
    return MOMENTS[request.param]


@pytest.fixture(params=["en", "cy"])
def language(request) -> str:
    return request.param


@pytest.fixture()
def tablet(app_factory) -> ChildActions:
    return ChildActions(app_factory(DUTY_PHONE=DUTY_PHONE).test_client())


@pytest.fixture()
def start_case(tablet, create_case, create_access_code):
    """Enter a worker's code for a case, in the child's language."""

    def start(language: str) -> None:
        tablet.enter_code(create_access_code(create_case()))
        tablet.client.get(f"/language/{language}")

    return start


@pytest.fixture()
def start_session(tablet, create_session):
    """Join a participation session open today, in the child's language."""

    def start(language: str) -> None:
        tablet.enter_code(create_session().join_code)
        tablet.client.get(f"/language/{language}")

    return start


def press_help(tablet: ChildActions) -> str:
    return visible_text(tablet.client.post("/help", data={"message": "i am scared"}))


def send_answers(tablet: ChildActions, *answers: tuple[int, str]) -> str:
    for number, value in answers:
        tablet.answer(number, answer=value)
    response = tablet.send()
    assert response.headers["Location"] == "/thank-you"
    return visible_text(tablet.client.get("/thank-you"))


def assert_who_to_call(page: str, moment: Moment, language: str) -> None:
    assert "999" in page
    assert CHILDLINE[language] in page
    assert moment.duty[language] in page


def test_a_case_child_who_asks_for_help_is_told_when_a_worker_will_read_it(
        tablet, start_case, moment, language):
    with time_machine.travel(moment.at, tick=False):
        start_case(language)
        page = press_help(tablet)
    assert moment.promise[language] in page
    assert_who_to_call(page, moment, language)


def test_a_session_child_who_asks_for_help_is_told_to_tell_the_adult_running_it(
        tablet, start_session, moment, language):
    with time_machine.travel(moment.at, tick=False):
        start_session(language)
        page = press_help(tablet)
    assert moment.promise[language] in page
    assert TELL_THE_ADULT[language] in page
    assert SOCIAL_WORKER[language] not in page
    assert_who_to_call(page, moment, language)


def test_before_pressing_the_button_a_case_child_is_told_the_same_time(
        tablet, start_case, moment, language):
    with time_machine.travel(moment.at, tick=False):
        start_case(language)
        page = visible_text(tablet.client.get("/help"))
    assert moment.promise[language] in page
    assert_who_to_call(page, moment, language)


def test_before_pressing_the_button_a_session_child_hears_of_the_adult_not_a_worker(
        tablet, start_session, moment, language):
    with time_machine.travel(moment.at, tick=False):
        start_session(language)
        page = visible_text(tablet.client.get("/help"))
    assert moment.promise[language] in page
    assert SOCIAL_WORKER[language] not in page
    assert_who_to_call(page, moment, language)


def test_the_thank_you_page_of_a_case_gives_the_same_promise_for_worrying_words(
        tablet, start_case, moment, language):
    with time_machine.travel(moment.at, tick=False):
        start_case(language)
        page = send_answers(tablet, (1, "3"), (2, "3"))
    assert moment.case_safety[language] in page
    assert_who_to_call(page, moment, language)


def test_the_thank_you_page_of_a_session_gives_the_same_promise_and_names_the_adult(
        tablet, start_session, moment, language):
    with time_machine.travel(moment.at, tick=False):
        start_session(language)
        page = send_answers(tablet, (2, "3"))
    assert moment.session_safety[language] in page
    assert SESSION_WORRY[language] in page
    assert SOCIAL_WORKER[language] not in page
    assert_who_to_call(page, moment, language)


def test_ordinary_comments_on_a_case_are_still_read_within_two_working_days(
        tablet, start_case):
    with time_machine.travel(MOMENTS["sunday"].at, tick=False):
        start_case("en")
        page = send_answers(tablet, (1, "3"), (2, "3"))
    assert ("Your social worker or someone in their team will read what you wrote within "
            "2 working days.") in page
