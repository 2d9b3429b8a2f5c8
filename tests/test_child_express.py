"""Express, for ages 5-8: picture cards to tap, words if the child wants, into the same
themes, alerts and reports as every other questionnaire."""

import copy

import pytest
from sqlalchemy import select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import Alert, Comment, ResponseTheme, Role, TagOrigin
from feedback.services import questionnaires

DISCLOSURE = "when my stepdad has been drinking he shouts and i hide in my wardrobe"
EXPRESS = next(d for d in questionnaires.builtin_definitions() if d["slug"] == "express")


@pytest.fixture()
def express(app, auth, create_case, create_user, create_access_code):
    """A worker signed in on ``client``, and a child on a tablet with an Express code."""
    case = create_case()
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(case, "express"))
    return case, child


def tap(child: ChildActions, number: int, *cards: str, words: str = ""):
    return child.client.post(f"/questions/{number}", data={"cards": list(cards), "words": words})


def test_each_card_is_a_checkbox_with_a_picture_and_a_word(express):
    _, child = express
    page = child.client.get("/questions/1").get_data(as_text=True)
    assert page.count('type="checkbox" value=') == 7
    assert page.count("data-speak-on-tap") == 7
    assert page.count('<svg class="app-card-picture"') == 7
    assert 'aria-hidden="true"' in page
    for word in ("Home", "Family", "Friends", "School", "Feelings", "My worker",
                 "Something else"):
        assert f'<span class="app-cards__text">{word}</span>' in page


def test_taps_alone_send_and_a_worry_about_home_raises_no_alert(client, express):
    case, child = express
    tap(child, 1, "friends", "school")
    tap(child, 2, "home", "family")
    assert "Home, Family" in child.client.get("/check").get_data(as_text=True)
    assert child.send().headers["Location"] == "/thank-you"
    assert db.session.scalar(select(Alert)) is None
    worry = db.session.scalar(select(Comment).where(Comment.question_key == "worrying"))
    assert worry.text == ""
    assert {(t.theme, t.origin) for t in worry.tags} == {
        ("home", TagOrigin.CHILD), ("family", TagOrigin.CHILD)}
    page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Home, Family" in page and "Friends, School" in page
    assert "Chosen by the child" in page


def test_the_cards_themes_count_in_the_board_rows(express):
    _, child = express
    tap(child, 1, "worker", "other")
    tap(child, 2)
    child.send()
    themes = set(db.session.scalars(select(ResponseTheme.theme)))
    assert themes == {"social_worker"}  # "something else" has no theme


def test_words_beside_the_cards_are_checked_like_any_comment(express):
    case, child = express
    tap(child, 1)
    tap(child, 2, "home", words=DISCLOSURE)
    child.send()
    alert = db.session.scalar(select(Alert))
    assert alert is not None and alert.case_id == case.id
    assert alert.comment.text == DISCLOSURE
    assert "home" in {t.theme for t in alert.comment.tags}


def test_a_skipped_express_sends_nothing_but_the_response(express):
    _, child = express
    tap(child, 1)
    tap(child, 2)
    assert child.send().headers["Location"] == "/thank-you"
    assert db.session.scalar(select(Comment)) is None


def test_a_card_not_on_the_page_is_refused(express):
    _, child = express
    page = tap(child, 1, "home", "pony").get_data(as_text=True)
    assert "Choose the pictures that fit" in page


@pytest.mark.parametrize("change, message", [
    (lambda card: card.update(theme="weather"), "use a code from the taxonomy"),
    (lambda card: card.update(picture="pony"), "needs a picture"),
    (lambda card: card.update(value="not_say"), "every card needs a value"),
])
def test_a_card_must_have_a_known_theme_picture_and_value(change, message):
    definition = copy.deepcopy(EXPRESS)
    change(definition["questions"][0]["cards"][0])
    with pytest.raises(questionnaires.QuestionnaireError, match=message):
        questionnaires.validate(definition)


def test_every_card_maps_to_a_theme_except_something_else():
    for question in EXPRESS["questions"]:
        themes = {card["value"]: card["theme"] for card in question["cards"]}
        assert themes == {"home": "home", "family": "family", "friends": "friends",
                          "school": "school", "feelings": "health",
                          "worker": "social_worker", "other": None}
