"""The taxonomy and lexicon are data; bad extra files fail with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback.theming import THEME_CODES, Analyser, LexiconError, load_lexicon, load_taxonomy


def test_taxonomy_has_every_theme_in_order_with_its_plan_section() -> None:
    themes = load_taxonomy()
    assert tuple(theme.code for theme in themes) == THEME_CODES
    assert THEME_CODES == ("safety", "home", "family", "friends", "school", "health",
                           "social_worker", "being_heard", "activities", "identity", "future")
    by_code = {theme.code: theme for theme in themes}
    assert by_code["school"].plan_section == "Education"
    assert by_code["being_heard"].label == "Being listened to and having a say"
    assert all(theme.description and theme.terms for theme in themes)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_administrators_terms_are_merged_on_top(tmp_path: Path, analyser: Analyser) -> None:
    extra = write(tmp_path, '[themes.activities]\nterms = ["the kettle shed", "zumba"]\n')
    extended = Analyser(load_lexicon([extra]))
    assert "activities" not in analyser.analyse("i go to the kettle shed on mondays").theme_codes
    assert "activities" in extended.analyse("i go to the kettle shed on mondays").theme_codes
    # The built-in terms are still there.
    assert "activities" in extended.analyse("i go to football").theme_codes


def test_an_administrators_safeguarding_rule_is_added(tmp_path: Path) -> None:
    extra = write(tmp_path, '[[rules]]\nid = "local-slang"\n'
                  'reason = "uses local slang for being made to sell drugs"\n'
                  'patterns = ["(doing|do|did) (graft|grafting) for (him|them)"]\n')
    analysis = Analyser(load_lexicon([extra])).analyse("i been doing graft for them")
    assert analysis.safeguarding.reasons == ("uses local slang for being made to sell drugs",)


def test_an_administrators_text_speak_is_used(tmp_path: Path) -> None:
    extra = write(tmp_path, '[textspeak]\nskewl = "school"\n')
    assert "school" in Analyser(load_lexicon([extra])).analyse("skewl is ok").theme_codes


@pytest.mark.parametrize(("content", "message"), [
    ('[themes.sport]\nterms = ["rugby"]\n', "themes.sport: unknown theme code 'sport'"),
    ('[themes.school]\nterms = "maths"\n', "themes.school.terms: must be a list of strings"),
    ('[themes.school]\nterms = ["maths", 3]\n', "themes.school.terms[1]: must be a string"),
    ('[themes.school]\nterms = ["maths", " "]\n', "themes.school.terms[1]: empty term"),
    ('[themes.school]\npatterns = ["(maths|english"]\n',
     "themes.school.patterns[0]: bad pattern: unbalanced brackets"),
    ('[themes.school]\npatterns = ["(maths)? lesson"]\n', "write optional words as [word]"),
    ('[themes.school]\ncolour = "blue"\n', "themes.school.colour: unknown key"),
    ('[[rules]]\nid = "x"\npatterns = ["hit me"]\n', "rules[0].reason: must be a non-empty"),
    ('[[rules]]\nid = "self-harm"\nreason = "r"\npatterns = ["cut"]\n',
     "duplicate rule id 'self-harm'"),
    ('[[rules]]\nid = "x"\nreason = "r"\npatterns = []\n', "needs at least one pattern"),
    ('[[rules]]\nid = "x"\nreason = "r"\npatterns = ["a"]\nthemes = ["fun"]\n',
     "unknown theme code 'fun'"),
    ('[sentiment]\nbrill = 3\n', "must be a number from -1 to 1"),
    ('[concern.signals.fear]\nspooky = 2\n', "must be a number from 0 to 1"),
    ('[colours]\nred = 1\n', "unknown section 'colours'"),
    ('[themes.school\n', "not valid TOML"),
])
def test_invalid_files_name_the_file_entry_and_problem(tmp_path: Path, content: str,
                                                       message: str) -> None:
    extra = write(tmp_path, content)
    with pytest.raises(LexiconError) as caught:
        load_lexicon([extra])
    assert str(extra) in str(caught.value)
    assert message in str(caught.value)


def test_a_missing_file_is_a_lexicon_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read lexicon file"):
        load_lexicon([tmp_path / "nowhere.toml"])
