"""Safeguarding: disclosures told through daily life, hints and slang, and their look-alikes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from feedback.theming import Analyser, Analysis, LexiconError, load_lexicon

# One or two fresh sentences per rule family, none taken from a labelled set.
INDIRECT = {
    "neglect: a caregiver who cannot get up": [
        "dad never gets out of bed so i do the shopping and cook for my sisters",
        "mums always asleep when i get in so me and my brother have cereal for tea",
    ],
    "neglect: basic care missing": [
        "my glasses broke at christmas and nobody has got me new ones",
        "the electric ran out on monday and we have been in the dark",
        "we have to wear our coats in the house cos the heating never works",
    ],
    "neglect: food": [
        "the only hot food i get is school dinners",
        "my foster carer keeps the cupboards padlocked so i cant get a snack",
    ],
    "domestic abuse overheard": [
        "the neighbours rang the police cos of the screaming at ours last night",
        "i put my music on loud so i dont have to hear them hitting each other",
        "i took my little sister up to my room when dad started throwing the chairs",
    ],
    "suicidal thoughts said indirectly": [
        "my mates would honestly be fine without me",
        "i have written down who gets my games and my phone",
        "i dont think i will be around for my birthday",
        "i keep thinking about stepping in front of the train",
    ],
    "self-harm said indirectly": [
        "i dig my nails into my hands till they bleed when i get angry",
        "i keep a razor blade in my pencil case",
    ],
    "violence by an adult without the word hit": [
        "my stepdad slammed me against the fridge and it still hurts",
        "she dragged me up the stairs by my jumper, she does that loads",
        "he put his fist through the door right by my face",
    ],
    "afraid of going back": [
        "please dont send me back to my mums flat",
        "if they make me go back to his i will run",
    ],
    "exploitation and going missing": [
        "i keep getting in cars with lads i met through my cousin and we go to other towns",
        "these lads give me a tenner to drop bags off on my scooter",
        "staff reported me missing again, i was in birmingham for two days",
    ],
    "online contact by a stranger": [
        "someone on roblox says hes 12 but he wants my address and a video call",
        "a guy i dont know keeps messaging me from new accounts after i block him",
    ],
    "assault by peers": [
        "some year 10s jumped me by the shops and put the video on snap",
        "they held me down in the changing room and took my trainers",
    ],
    "teenage relationships, images and substances": [
        "my boyfriend checks my phone every night and wont let me see my mates",
        "i think my drink got spiked at the party",
        "he says he will post my pics if i dont send more",
        "i have been smoking weed every day just to cope",
    ],
    # Kinds a fresh labelled set showed were missing, in new words of our own.
    "home: reluctance to go back": [
        "i dont even want to go home at weekends now",
        "uncle gets nasty after the pub so i stay at my mates",
    ],
    "home: an adult's temper": [
        "everyone has to walk on eggshells round my stepdad",
        "we all go dead quiet when he comes in and i hide in my bedroom till it stops",
    ],
    "neglect: a child in charge": [
        "im the one who gets left in charge of the twins when mum goes out at night",
        "i have to keep an eye on my mam at night in case she takes something",
    ],
    "risk: adults outside and online": [
        "a man keeps parking outside our flat in a van and mum wont let us answer",
        "she is 22 and we met on tiktok, she wants to book a room for us",
    ],
    "self-harm: medicine": [
        "i have been saving up my sleeping tablets in a sock",
    ],
    "minimised: in passing": [
        "dads poorly again so its toast for tea for me and my little sisters",
        "i never really get tea at home, breakfast club is the only proper meal i get",
        "i put a hoodie on for pe so nobody sees my arms",
        "we have been sleeping in nans car since we left the flat",
        "told miss i fell off my bike but i havent even got a bike",
        "she wont let me go out or see my friends and i havent been to school for weeks",
        "having a can before college is the only way i can cope at the moment",
        "the older lads make me hold a bag for them or they will smash our windows in",
    ],
    "an adult who changes with drink": [
        "my stepdad is alright as long as he stays off the drink",
        "you never know what mood mum will be in, it depends on the cans",
    ],
    "neglect: a baby's care, clothes, not collected": [
        "the baby's bottles never get made unless i do them",
        "nobody came to get me from nursery club so i waited with the caretaker",
        "my school shoes have got holes and my feet get soaked",
    ],
    "not eating on purpose": [
        "i bin my lunch every day so i can get thinner",
        "sometimes i make myself sick after tea",
    ],
    "hints at ending their life": [
        "i have left notes for my mum and my friends in my bag",
        "you will not have to worry about me much longer",
        "i might do college if i am still here by then",
    ],
    "told what to say": [
        "if the school asks about my eye i have to say i walked into a door",
        "apparently i am accident prone, that is what my dad tells everyone",
        "not saying who bought me the new phone",
    ],
    "afraid at home, ignored or shamed": [
        "i am too scared to go downstairs when he is in",
        "mum blanks me for days if i answer back",
        "my carer read my messages out to her friends and they all laughed",
    ],
    "protecting themselves at night": [
        "i push my drawers against my door before i go to sleep",
        "someone rattles my door handle late at night at the unit",
    ],
    "restraint": ["two staff pinned me on the floor and i could not breathe"],
    "drawn into dealing": [
        "i have got a work phone my nan does not know about",
        "a lad from the estate said i can earn 300 a week just dropping stuff off on my bike",
        "people turn up at our door late at night to buy weed off my cousin",
    ],
    "forced marriage, cutting, trafficking": [
        "im 14 and my dad says ive been promised to a man back home",
        "my aunty says its my turn for the special ceremony back home and im scared",
        "the man who runs the car wash keeps my wages and my passport",
    ],
    "secret games and private time with an adult in trust": [
        "my uncle calls it our special game and says not to tell",
        "the man over the road keeps asking me in for a drink when mum is at work",
        "my tutor makes me go into his car on my own after the lesson",
    ],
}


@pytest.mark.parametrize(("family", "text"), [
    (family, text) for family, texts in INDIRECT.items() for text in texts])
def test_indirect_disclosures_are_flagged(analyse: Callable[..., Analysis], family: str,
                                          text: str) -> None:
    analysis = analyse(text)
    assert analysis.safeguarding.flagged, family
    assert analysis.safeguarding.reasons


# Look-alikes of real risks: each of these once raised an alarm (or nearly did).
LOOK_ALIKES = [
    "i skipped tea cos it was liver and onions, gross lol",
    "my cousin is gonna kill me on call of duty tonight 😂",
    "in first aid club i had to play the person who got stabbed",
    "nan says shes going to kill me if i track mud in again haha",
    "i talk to my dad in prison on video calls, its nice",
    "my rugby coach drives me to matches and my carer is fine with it",
    "at karate we practise kicks and punches on the pads",
    "my personal adviser cancelled our meeting again",
    "i feel safe with my foster family",
    "nobody hits me here",
    "we had an assembly about knife crime",
    "i'd kill for a kebab",
    "i got my hair cut short",
    "my little brother nips me when he is tired haha",
    "dad grabbed me a hot chocolate on the way back",
    "i have been clean from self harm for two years now and im proud",
    "i scraped my knee on the playground and it bled",
    "my mum has a glass of wine on saturdays but shes fine",
    "my dad waits outside in his car to pick me up from football",
    "we stayed in a hotel on holiday with my carers",
    "there is no money for driving lessons yet",
    "my friend told me a secret about her crush",
    "my dad shouts at the telly when city lose",
    "we went camping with scouts and it was freezing in the tent",
    "my little brother will kill me when he sees i ate his sweets",
    "my nan gives me a fiver when i visit cos shes the best",
    "i wear a hoodie to school cos its comfy",
    "i wrote a goodbye card for my teacher on the last day of year 6",
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_flagged(analyse: Callable[..., Analysis], text: str) -> None:
    assert not analyse(text).safeguarding.flagged, analyse(text).safeguarding.reasons


# The same new categories in plain phrases in other languages, written fresh:
# locked in, no food, wanting to disappear, secret photos, hair pulled, pushed,
# scared to go home.
FOREIGN = {
    "pl": ["Ona zamyka mnie w łazience", "Dostaję kolację tylko czasami",
           "Chcę po prostu zniknąć", "Pan z gry chce zdjęć bez ubrania i mówi, że to sekret",
           "Brat ciągnie mnie za włosy", "Popchnął mnie na szafę"],
    "es": ["Mi tía me encierra en el baño", "Paso días sin comer",
           "Quiero desaparecer para siempre", "Un señor me pide fotos sin ropa",
           "Me jala del pelo cuando se enfada", "Me empujó por las escaleras",
           "No quiero volver a casa de mi madre"],
    "pt": ["A minha tia tranca-me no quarto", "Fico sem jantar muitas vezes",
           "Quero desaparecer para sempre", "Um homem quer fotos minhas sem roupa",
           "Ela puxa-me o cabelo", "Ele empurrou-me contra a parede",
           "Não quero voltar para casa do meu pai"],
    "ro": ["Mătușa mă încuie în baie", "Stau fără mâncare zile întregi", "Vreau să dispar",
           "Un bărbat îmi cere poze fără haine", "Mă trage de păr",
           "Nu vreau să mă întorc acasă"],
    "ar": ["خالي يحبسني في الحمام", "أنام بدون عشاء", "أتمنى أن أختفي",
           "رجل يطلب صور بدون ملابس", "أخي يشد شعري", "دفعني على الباب"],
    "ur": ["وہ مجھے کمرے میں بند کر دیتی ہے", "میں غائب ہونا چاہتی ہوں",
           "woh mere baal kheenchti hai", "ek aadmi bina kapron ke tasveeren mangta hai"],
    "cy": ["Mae hi'n fy nghloi yn yr ystafell ymolchi", "Dw i eisiau diflannu",
           "Mae e'n tynnu fy ngwallt", "Mae dyn eisiau lluniau heb ddillad"],
}


@pytest.mark.parametrize(("language", "text"), [
    (language, text) for language, texts in FOREIGN.items() for text in texts])
def test_new_categories_in_other_languages_are_flagged(
        analyse: Callable[..., Analysis], language: str, text: str) -> None:
    assert analyse(text).safeguarding.flagged, (language, text)


def test_broad_word_lists_run_only_on_their_own_language(
        analyse: Callable[..., Analysis]) -> None:
    # "bol" and "zimno" are on the Polish list; English text never reaches it.
    assert not analyse("we went bowling and had a cold drink").safeguarding.flagged
    assert analyse("U taty jest zimno i boli mnie brzuch", "pl").safeguarding.flagged


def test_a_language_with_no_vocabulary_is_flagged_for_a_person(
        analyse: Callable[..., Analysis]) -> None:
    analysis = analyse("Aabbahay wuu i garaacaa markuu cabo", "so")
    assert analysis.safeguarding.reasons == (
        "written in a language the module cannot check for risk",)


def test_detected_only_is_refused_for_english_rules(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('[[rules]]\nid = "x"\nreason = "r"\npatterns = ["x"]\n'
                     'detected_only = true\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="only applies to rules in another language"):
        load_lexicon([extra])


def test_a_named_adult_raises_the_concern_score(analyser: Analyser) -> None:
    plain = analyser.concern.score(analyser.normaliser.normalise("it left a bruise"))[0]
    adult = analyser.concern.score(
        analyser.normaliser.normalise("my uncle left a bruise"))[0]
    assert adult > plain


def test_a_game_damps_the_concern_score(analyser: Analyser) -> None:
    game = analyser.concern.score(analyser.normaliser.normalise("i got stabbed in fortnite"))[0]
    real = analyser.concern.score(analyser.normaliser.normalise("i got stabbed"))[0]
    assert game < real
