"""The third safeguarding net: everyday words that together describe harm.

Every sentence here was written for this test; none comes from a labelled set.
Each one is checked on the net itself (the rules and weighted signals might
also catch it) and through the whole analyser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback.theming import Analyser, LexiconError, load_lexicon

COMBINED = [
    ("an adult and an act of hurting", "my mums boyfriend twisted my wrist behind me"),
    ("self-harm told as doing things to yourself",
     "i do things to my arms when nobody is around, it helps for a bit"),
    ("not wanting to live, said twice over", "i cant cope anymore and i have got a plan"),
    ("going without while left alone", "dad has gone out again and the fridge is empty"),
    ("going without, twice over", "no hot water and no food in the cupboards all week"),
    ("a young carer under strain",
     "i do my mums injections and cook for my brothers, i keep missing school"),
    ("made to carry things", "my cousins mate makes me take packages across town"),
    ("someone online and a secret", "this boy on snapchat says delete our chats so nobody knows"),
    ("an adult, gifts and a private place",
     "the man next door gives me cigs and lets me go in his flat upstairs"),
    ("asking to talk about night-time at home", "i need to talk to someone about nights at home"),
]

ORDINARY = [
    "my foster dad picks me up from football and buys me chips",
    "i help feed the baby sometimes, she is so cute",
    "i was nervous about my first night here but i love my room now",
    "we did a lesson on county lines and how older kids get you to carry stuff",
    "me and my brother play fight and he pins me down but its just for fun",
    "my nan gives me money for my birthday every year",
    "nobody at my carers house shouts or hits anyone",
    "i want to send a photo of my drawing to my mum",
]


@pytest.mark.parametrize(("kind", "text"), COMBINED, ids=[k for k, _ in COMBINED])
def test_everyday_words_together_flag_the_comment(analyser: Analyser, kind: str,
                                                  text: str) -> None:
    combination = analyser.concern.combination(analyser.prepare(text).english)
    assert combination is not None, f"{kind}: no combination of cues in {text!r}"
    analysis = analyser.analyse(text)
    assert analysis.safeguarding.flagged and analysis.safeguarding.reasons


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_comments_complete_no_combination(analyser: Analyser, text: str) -> None:
    assert analyser.concern.combination(analyser.prepare(text).english) is None


def test_a_negated_cue_counts_for_nothing(analyser: Analyser) -> None:
    flagged = "mums boyfriend hits me when she goes out"
    negated = "mums boyfriend never hits me, he is kind"
    assert analyser.concern.combination(analyser.prepare(flagged).english) is not None
    assert analyser.concern.combination(analyser.prepare(negated).english) is None


def test_a_negator_inside_a_cue_does_not_cancel_the_next_cue(analyser: Analyser) -> None:
    # "not eaten" is itself a cue; it must not negate "since friday" after it.
    cues = analyser.concern.cues(analyser.prepare("we have not eaten since friday").english)
    assert set(cues) >= {"deprivation", "absence"}


def test_the_reason_names_the_combination(analyser: Analyser) -> None:
    text = "my cousins mate makes me take packages across town"
    combination = analyser.concern.combination(analyser.prepare(text).english)
    assert combination is not None and "carry" in combination.reason


def test_an_administrator_can_add_cues_and_combinations(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('[concern.cues]\nplace = ["the garages"]\n\n'
                     '[[concern.combinations]]\nneeds = ["place", "adult"]\n'
                     'reason = "an adult at the garages"\n', encoding="utf-8")
    analyser = Analyser(load_lexicon([extra]))
    tokens = analyser.prepare("my uncle takes me to the garages").english
    combination = analyser.concern.combination(tokens)
    assert combination is not None and combination.reason == "an adult at the garages"
    # The cues are features the reader weighs, not a decision of their own.
    assert "cue:place" in analyser.describe("my uncle takes me to the garages").features.words


@pytest.mark.parametrize(("content", "message"), [
    ('[[concern.combinations]]\nneeds = ["adult", "nowhere"]\nreason = "r"\n',
     "unknown cue category 'nowhere'"),
    ('[[concern.combinations]]\nneeds = ["adult"]\nreason = "r"\n',
     "must list at least two cue categories"),
    ('[[concern.combinations]]\nneeds = ["adult", "harm"]\n', "must be a non-empty string"),
    ('[concern.cues]\nplace = "the garages"\n', "must be a list of non-empty strings"),
])
def test_bad_cues_fail_with_a_clear_message(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_lexicon([extra])
