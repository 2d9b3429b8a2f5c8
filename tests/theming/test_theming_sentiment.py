"""Sentiment: the child's overall feeling in four classes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.theming import Analysis


@pytest.mark.parametrize(("text", "label"), [
    ("the climbing wall trip was dead good", "positive"),
    ("new trainers are sick", "positive"),
    ("youth club was class last night", "positive"),
    ("buzzing for the holidays", "positive"),
    ("proper good day at college", "positive"),
    ("i miss my dog from my old house", "negative"),
    ("i'm worried about moving again", "negative"),
    ("scared of the older kids at the bus stop", "negative"),
    ("lonely at weekends", "negative"),
    ("i hate maths", "negative"),
    ("i live with my aunt and two cousins", "neutral"),
    ("i am in year 10", "neutral"),
    ("the meeting is on tuesday", "neutral"),
])
def test_sentiment_label(analyse: Callable[..., Analysis], text: str, label: str) -> None:
    assert analyse(text).sentiment.label == label


def test_contrast_with_opposite_feelings_is_mixed(analyse: Callable[..., Analysis]) -> None:
    assert analyse("college is ok but i miss my brother").sentiment.label == "mixed"
    assert analyse("my room is lovely though the food is awful").sentiment.label == "mixed"


def test_negation_flips_the_feeling(analyse: Callable[..., Analysis]) -> None:
    assert analyse("i don't like my new school").sentiment.label == "negative"
    assert analyse("i am not sad anymore, i feel happy").sentiment.label == "positive"


def test_idioms_of_eagerness_are_positive(analyse: Callable[..., Analysis]) -> None:
    assert analyse("i'm dying to go to the cinema on friday").sentiment.label == "positive"


def test_a_harm_that_has_stopped_is_good_news(analyse: Callable[..., Analysis]) -> None:
    assert analyse("the name calling has stopped now").sentiment.label == "positive"


def test_sarcasm_openers_turn_praise_negative(analyse: Callable[..., Analysis]) -> None:
    assert analyse("oh great, another new social worker, amazing").sentiment.label == "negative"


def test_a_flat_disclosure_of_harm_is_negative(analyse: Callable[..., Analysis]) -> None:
    assert analyse("my uncle punches me").sentiment.label == "negative"


def test_polarity_is_a_number_between_minus_one_and_one(
        analyse: Callable[..., Analysis]) -> None:
    for text in ("amazing amazing amazing best ever", "awful horrible worst hate"):
        assert -1.0 <= analyse(text).sentiment.polarity <= 1.0


@pytest.mark.parametrize(("text", "label"), [
    # a contrast set against a plain clause still turns the feeling
    ("the food here is rank but my carer tries", "mixed"),
    ("i got a new scooter but i cant ride it yet", "mixed"),
    # an emoji with no listed polarity goes with a happy comment
    ("we made a den in the garden 🌳", "positive"),
    ("🤷", "neutral"),
    # wanting more of, or back, something you have is missing it
    ("i want to see my cousins more", "negative"),
    ("i wish i lived nearer my brother", "negative"),
    # a new skill and a small treat are good news
    ("i can tie my own laces now", "positive"),
    ("i came 2nd in the spelling bee", "positive"),
    # a plain sentence about services that says something is missing or repeated
    ("my pathway plan has not been looked at since last year", "negative"),
    ("i had to tell my story again to the new worker", "negative"),
    # a double negative is still a negative
    ("i dont have no friends in my class", "negative"),
    # a negated harm is good news
    ("nobody shouts at me in this house", "positive"),
    # plain facts stay neutral
    ("i dont know what to write", "neutral"),
    ("my review is on the 12th", "neutral"),
])
def test_feelings_that_need_no_feeling_word(analyse: Callable[..., Analysis], text: str,
                                            label: str) -> None:
    assert analyse(text).sentiment.label == label


def test_a_flat_disclosure_of_grooming_is_not_forced_negative(
        analyse: Callable[..., Analysis]) -> None:
    analysis = analyse("a man on a game gives me skins and asks for photos")
    assert analysis.safeguarding.flagged
    assert analysis.sentiment.label == "neutral"
