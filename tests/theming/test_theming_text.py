"""Children's writing: text-speak, misspellings, plurals and language identification."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.theming import Analyser, Analysis
from feedback.theming.language import detect_language


@pytest.mark.parametrize(("written", "normalised"), [
    ("my sw is coming 2moro", "my social worker is coming tomorrow"),
    ("i dunno wen skool starts", "i do not know when school starts"),
    ("cant go b4 nite", "can not go before night"),
    ("im gonna ask ur mum cuz u r late", "i am going to ask your mum because you are late"),
    ("my socail worker bcos she wanna help tho",
     "my social worker because she want to help though"),
    ("dont wont isnt", "do not will not is not"),
    ("my bro is safe bruv", "my brother is safe bruv"),
])
def test_text_speak_is_expanded(analyser: Analyser, written: str, normalised: str) -> None:
    assert " ".join(analyser.normaliser.normalise(written).words) == normalised


def test_common_misspellings_are_corrected(analyser: Analyser) -> None:
    words = analyser.normaliser.normalise("my frend is scard of the docter").words
    assert words == ("my", "friend", "is", "scared", "of", "the", "doctor")


def test_unknown_words_are_left_alone_not_guessed(analyser: Analyser) -> None:
    words = analyser.normaliser.normalise("i felt trapped, he called me a snitch").words
    assert "trapped" in words and "snitch" in words


@pytest.mark.parametrize(("written", "normalised"), [
    ("nt eatin since friday", "not eating since friday"),
    ("some1 touchd me and grabd my arm", "someone touched me and grabbed my arm"),
    ("kevin and robin went to berlin", "kevin and robin went to berlin"),
    ("my da was on da phone", "my dad was on the phone"),
])
def test_dropped_letters_are_restored_only_into_english(
        analyser: Analyser, written: str, normalised: str) -> None:
    assert " ".join(analyser.normaliser.normalise(written).words) == normalised


def test_plurals_match_singular_terms(analyse: Callable[..., Analysis]) -> None:
    assert "home" in analyse("the residential workers and foster carers").theme_codes
    assert "family" in analyse("my grandparents and cousins came").theme_codes


def test_possessives_without_apostrophes_name_the_person(analyser: Analyser) -> None:
    assert analyser.normaliser.normalise("my mums fella").words[:2] == ("my", "mum")


def test_ill_before_a_verb_is_i_will(analyser: Analyser) -> None:
    assert analyser.normaliser.normalise("ill tell her").words[:2] == ("i", "will")
    assert "ill" in analyser.normaliser.normalise("my nan is ill").words


def test_tokeniser_needs_no_downloaded_data(analyser: Analyser) -> None:
    words = analyser.normaliser.normalise("Wow!! step-dad's car... 😂 ok?").words
    assert words == ("wow", "!!", "step", "dad", "car", "...", "😂", "ok", "?")


@pytest.mark.parametrize(("text", "language"), [
    ("I really like my new school and my teacher", "en"),
    ("Dw i'n hoffi mynd i'r ysgol gyda fy ffrindiau", "cy"),
    ("Bardzo lubię moją szkołę i moich kolegów", "pl"),
    ("Îmi place școala și prietenii mei sunt foarte buni", "ro"),
    ("Me gusta mucho jugar al fútbol con mis amigos", "es"),
    ("Eu gosto muito da minha escola e dos meus amigos", "pt"),
    ("أحب مدرستي وأصدقائي كثيرا", "ar"),
    ("مجھے اپنا اسکول بہت پسند ہے", "ur"),
    ("mujhe apna school bohat acha lagta hai", "ur"),
    ("Мені подобається моя школа", "uk"),
    ("Em thích trường mới và cô giáo của em", "vi"),
    ("Më pëlqen shkolla e re dhe mësuesit janë të mirë", "sq"),
    ("Noël était super avec ma famille d'accueil", "fr"),
    # One Portuguese word ("uma") in a longer Somali comment is chance, not Portuguese.
    ("Ninkaas ayaa i dila marka ay hooyo maqan tahay, cidna uma sheegin", "und"),
])
def test_language_is_identified_offline(analyser: Analyser, text: str, language: str) -> None:
    assert detect_language(text, analyser.lexicon.stopwords, analyser.known) == language


def test_emoji_only_comments_are_not_sent_for_translation(
        analyse: Callable[..., Analysis]) -> None:
    assert analyse("👍😊").language == "en"


def test_a_given_language_tag_wins_and_is_shortened(analyse: Callable[..., Analysis]) -> None:
    assert analyse("hello", "en-GB").language == "en"
    assert analyse("hello", "PL").language == "pl"


@pytest.mark.parametrize(("written", "normalised"), [
    ("i dont no why", "i do not know why"),
    ("it was good to no", "it was good to know"),
    ("i have no one to play with", "i have no one to play with"),
    ("sumtimes i go agen", "sometimes i go again"),
    ("pleas help me", "please help me"),
])
def test_younger_childrens_spellings(analyser: Analyser, written: str, normalised: str) -> None:
    assert " ".join(analyser.normaliser.normalise(written).words) == normalised
