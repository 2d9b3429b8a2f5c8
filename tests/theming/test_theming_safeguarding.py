"""Safeguarding: recall first, with a reason for every flag, and no alarm for plain talk."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.theming import Analysis

DISCLOSURES = [
    # an adult who shouts or drinks, and the child hides
    "when my stepdad has been on the cans he goes mad and i stay under my duvet",
    "mam gets wasted at weekends and screams the house down so i lock my door",
    # an older person with gifts or money who wants errands or secrets
    "an older lad buys me trainers and now he wants me to take a parcel to manchester",
    "a man at the shop gives me free stuff and says it's our secret",
    # not wanting to be alive
    "honestly i just want to go to sleep and not wake up",
    "everyone would be better off if i wasnt around",
    # hurting themselves
    "i scratch my arms with a compass when it gets too much",
    "been harming myself again",
    # no food at home
    "there's no food in our flat most days",
    "i go to school starving cos there's nothing for breakfast",
    # staying out, going missing, sleeping elsewhere
    "i didn't come home for three nights and stayed at some guy's place",
    "i've been sofa surfing since christmas",
    # an adult in their room at night
    "my mum's boyfriend sneaks into my bedroom at night",
    # being hit, hurt or touched
    "my foster dad slapped me across the face",
    "my cousin touched me where i didn't want him to",
    # asking for help now
    "can somebody phone me please it's urgent",
    # domestic abuse
    "dad kicked mum in the stomach and she couldn't get up",
    # exploitation
    "i have to pay back what i owe them by doing drops",
]


@pytest.mark.parametrize("text", DISCLOSURES)
def test_disclosures_are_flagged_with_a_reason(analyse: Callable[..., Analysis],
                                               text: str) -> None:
    analysis = analyse(text)
    assert analysis.safeguarding.flagged
    assert analysis.safeguarding.reasons and all(
        isinstance(reason, str) and reason for reason in analysis.safeguarding.reasons)
    # needs_review now means the machine is unsure of its reading, not "flagged"


NON_RISKS = [
    "I feel safe where I live now",
    "nobody hurts me here",
    "we had a talk about knife crime in assembly",
    "I'd kill for a pizza right now",
    "I cut my hair short for summer",
    "I was scared of the dog but it's fine now",
    "this lesson is killing me",
    "my little brother will kill me when he sees i ate his sweets",
    "my dad has never hit me",
    "we learned about county lines and drugs in pshe",
    "i hurt myself playing football",
    "got a bruise from netball lol",
    "my carer helps me with my homework",
    "we went camping and slept in a tent",
    "my dad drinks way too much coffee",
    "my friend told me a secret about her crush",
    "i was so hungry after swimming",
    "we watched a film about a boy who ran away",
]


@pytest.mark.parametrize("text", NON_RISKS)
def test_plain_talk_is_not_flagged(analyse: Callable[..., Analysis], text: str) -> None:
    assert not analyse(text).safeguarding.flagged


def test_staff_reasons_are_plain_english(analyse: Callable[..., Analysis]) -> None:
    reasons = analyse("sometimes i wish i was dead").safeguarding.reasons
    assert "mentions not wanting to be alive" in reasons


def test_disclosure_about_the_body_adds_the_health_theme(
        analyse: Callable[..., Analysis]) -> None:
    assert "health" in analyse("i want to kill myself").theme_codes


def test_disclosure_of_violence_adds_the_safety_theme(
        analyse: Callable[..., Analysis]) -> None:
    assert "safety" in analyse("my uncle hits me with a belt").theme_codes


# Plain disclosure phrases in each language the detector knows, written fresh:
# "he hits me", "I want to die", "I'm scared at home", "help me",
# "I don't feel safe", "he touches me", "I hurt myself", "there is no food".
PHRASES = {
    "cy": ["Mae e'n fy nharo i", "Dw i eisiau marw", "Mae ofn arna i gartref", "Helpwch fi",
           "Dw i ddim yn teimlo'n ddiogel", "Mae e'n fy nghyffwrdd i", "Dw i'n brifo fy hun",
           "Does dim bwyd yn y tŷ"],
    "pl": ["On mnie bije", "Chcę umrzeć", "Boję się w domu", "Pomóż mi",
           "Nie czuję się bezpiecznie", "On mnie dotyka", "Robię sobie krzywdę",
           "Nie ma jedzenia w domu"],
    "ar": ["هو يضربني", "أريد أن أموت", "أنا خائف في البيت", "ساعدني", "لا أشعر بالأمان",
           "هو يلمسني", "أنا أؤذي نفسي", "لا يوجد طعام"],
    "ro": ["El mă bate", "Vreau să mor", "Mi-e frică acasă", "Ajutați-mă",
           "Nu mă simt în siguranță", "El mă atinge", "Îmi fac rău", "Nu avem mâncare"],
    "ur": ["وہ مجھے مارتا ہے", "میں مرنا چاہتا ہوں", "مجھے گھر میں ڈر لگتا ہے", "میری مدد کرو",
           "میں محفوظ نہیں ہوں", "وہ مجھے چھوتا ہے", "میں خود کو نقصان پہنچاتا ہوں",
           "گھر میں کھانا نہیں ہے"],
    "es": ["Él me pega", "Quiero morir", "Tengo miedo en casa", "Ayúdame",
           "No me siento seguro", "Él me toca", "Me hago daño", "No hay comida en casa"],
    "pt": ["Ele bate-me", "Quero morrer", "Tenho medo em casa", "Ajuda-me",
           "Não me sinto segura", "Ele toca-me", "Eu machuco-me", "Não há comida em casa"],
}


@pytest.mark.parametrize(("language", "text"), [
    (language, text) for language, texts in PHRASES.items() for text in texts])
def test_disclosures_in_other_languages_are_flagged(analyse: Callable[..., Analysis],
                                                    language: str, text: str) -> None:
    analysis = analyse(text)
    assert analysis.safeguarding.flagged, (language, text)
    assert analysis.needs_review


@pytest.mark.parametrize(("language", "text"), [
    (language, text) for language, texts in PHRASES.items() for text in texts])
def test_accents_left_out_still_flag(analyse: Callable[..., Analysis], language: str,
                                     text: str) -> None:
    from feedback.theming.patterns import fold_accents
    assert analyse(fold_accents(text), language).safeguarding.flagged, (language, text)


def test_roman_urdu_disclosures_are_flagged(analyse: Callable[..., Analysis]) -> None:
    for text in ("abbu mujhe maarte hain", "mujhe ghar mein dar lagta hai",
                 "meri madad karo", "main marna chahti hoon"):
        assert analyse(text).safeguarding.flagged, text


def test_every_comment_not_in_english_goes_to_a_person(
        analyse: Callable[..., Analysis]) -> None:
    for text in ("Me encanta el fútbol", "Lubię szkołę", "Ti tawm tsam kuv kev kawm ntawv"):
        analysis = analyse(text)
        assert analysis.language != "en" and analysis.needs_review, text


def test_an_unknown_language_is_undetermined_and_reviewed(
        analyse: Callable[..., Analysis]) -> None:
    analysis = analyse("Waxaan jeclahay dugsigayga iyo saaxiibadayda")
    assert (analysis.language, analysis.needs_review) == ("und", True)


@pytest.mark.parametrize("text", [
    # Somali with the English-looking words "in", "i" and "la": not English.
    "Waan ka cabsanayaa in la ii diro guriga adeerkay, wuu i dilaa",
    "Naa ka i baqdin in aan guriga ku laabto markay i garaacaan",
])
def test_a_language_without_a_list_is_not_read_as_english_from_a_few_short_words(
        analyse: Callable[..., Analysis], text: str) -> None:
    analysis = analyse(text)
    assert analysis.language != "en" and analysis.needs_review
    assert analysis.safeguarding.flagged


def test_english_full_of_unknown_names_and_slang_stays_english(
        analyse: Callable[..., Analysis]) -> None:
    for text in ("i swimmed 10 meters with no armbands", "me and kayden went 2 nandos wiv tyreece",
                 "Ms Okonkwo is in Leeds now"):
        assert analyse(text).language == "en", text


def test_a_bare_cry_for_help_is_flagged(analyse: Callable[..., Analysis]) -> None:
    assert analyse("HELP").safeguarding.flagged
    assert analyse("help me pls").safeguarding.flagged
