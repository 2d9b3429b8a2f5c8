"""Harm told as past and over ("I used to self-harm but I haven't for three
years") is checked by a person instead of alerted; harm that goes on, harm to
someone still near the child and harm by others who may still be around them
always alert."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.theming import Analyser, Analysis, load_lexicon

LEXICON = load_lexicon()
TABLE = LEXICON.past_and_over
RULE_IDS = {rule.id for rule in LEXICON.rules}


def test_the_table_names_only_rules_that_exist_and_carries_its_evidence() -> None:
    assert TABLE.rules and TABLE.rules <= RULE_IDS, sorted(TABLE.rules - RULE_IDS)
    assert TABLE.catches and TABLE.spares


@pytest.mark.parametrize("text", TABLE.catches)
def test_its_examples_are_told_as_over(analyser: Analyser, text: str) -> None:
    assert TABLE.told_as_over(analyser.prepare(text).english), text


@pytest.mark.parametrize("text", TABLE.spares)
def test_its_look_alikes_are_not(analyser: Analyser, text: str) -> None:
    assert not TABLE.told_as_over(analyser.prepare(text).english), text


def test_harm_by_others_who_may_still_be_near_children_is_never_settled() -> None:
    kinds = ("sexual", "groom", "exploit", "secret", "threat", "image", "online", "traffick",
             "marriage", "taken-somewhere", "older", "suicid")
    assert not [rule for rule in TABLE.rules if any(kind in rule for kind in kinds)]


@pytest.mark.parametrize("text", [
    "i used to self harm but i havent done it for two years now, counselling really helped",
    "when i was little my dad used to hit me but ive been with my nan for 6 years now and im safe",
    "I went missing a lot when I was fourteen. I'm eighteen now and I have my own flat.",
])
def test_harm_told_as_over_still_reaches_a_person(analyse: Callable[..., Analysis],
                                                  text: str) -> None:
    analysis = analyse(text)
    assert analysis.needs_review or analysis.safeguarding.flagged, text


@pytest.mark.parametrize("text", [
    "i used to self harm but i havent for a year, i did it again last night",
    "my dad used to hit me when i was little and now he does it to my little sister",
    "mum used to leave us on our own for days when i was 7, she still does sometimes",
    "when i was younger my step dad used to touch me. i am 16 now and safe but i never told anyone",
    "my uncle did stuff to me years ago when i was small. i am 15 now and he still comes round",
])
def test_harm_that_goes_on_or_was_never_told_still_alerts(analyse: Callable[..., Analysis],
                                                          text: str) -> None:
    assert analyse(text).safeguarding.flagged, text
