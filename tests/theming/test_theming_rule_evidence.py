"""Every safeguarding rule carries its evidence: sentences it must catch and
look-alikes it must spare. A rule without both, or one that no longer fires on
its own examples (or fires on its look-alikes), fails here."""

from __future__ import annotations

import pytest

from feedback.theming import Analyser, SafeguardingRule, load_lexicon

RULES = load_lexicon().rules


def _fired(analyser: Analyser, rule: SafeguardingRule, text: str) -> set[str]:
    # A broad word list runs only on comments in its own language: declare it.
    language = rule.language if rule.detected_only else None
    parts = analyser.prepare(text, language)
    return {hit.rule.id for hit in analyser.detector.detect(parts.english, parts.foreign,
                                                            parts.language)}


def test_every_rule_has_both_kinds_of_evidence() -> None:
    bare = [rule.id for rule in RULES if not (rule.catches and rule.spares)]
    assert not bare, f"rules without examples and look-alikes: {bare}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_each_rule_catches_its_examples(analyser: Analyser, rule: SafeguardingRule) -> None:
    missed = [text for text in rule.catches if rule.id not in _fired(analyser, rule, text)]
    assert not missed, f"{rule.id} no longer fires on {missed}"


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_each_rule_spares_its_look_alikes(analyser: Analyser, rule: SafeguardingRule) -> None:
    fired = [text for text in rule.spares if rule.id in _fired(analyser, rule, text)]
    assert not fired, f"{rule.id} fires on its look-alikes {fired}"


def test_a_rule_without_evidence_is_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "extra.toml"
    extra.write_text('[[rules]]\nid = "local-graft"\nreason = "r"\npatterns = ["graft"]\n',
                     encoding="utf-8")
    rule = next(r for r in load_lexicon([extra]).rules if r.id == "local-graft")
    assert not (rule.catches and rule.spares)


def test_negators_live_in_the_data_file_not_in_python() -> None:
    from pathlib import Path

    from feedback.theming import wordlists

    assert {"not", "never", "nobody"} <= wordlists.negators("en")
    package = Path(wordlists.__file__).parent
    for source in package.glob("*.py"):
        assert "never nobody" not in source.read_text(encoding="utf-8"), source.name
