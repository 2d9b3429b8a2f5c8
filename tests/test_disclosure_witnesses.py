"""Kept whole solutions only spare the solver: the year's protection is the same without them.

``disclosure._Protector`` answers "not pinned" from a kept witness (whole,
non-negative atoms that fit everything published) before it runs a linear
program. A witness is a proof, so the outcome must be exactly what the
programs alone decide; this compares the two over generated years.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from feedback.services import disclosure, year_disclosure
from feedback.services.reports import DIMENSIONS
from feedback.theming import THEME_CODES
from test_disclosure_audit import ONE_BREAKDOWN_MINUS_ANOTHER, QUARTER_MINUS_MONTHS, data_sets


def _protected(counts, monkeypatch, witnesses: bool):
    with monkeypatch.context() as patch:
        if not witnesses:
            patch.setattr(disclosure._Protector, "_witnessed", lambda *_args: False)
        made = year_disclosure.protect_year(counts, THEME_CODES, 6, 10, len(DIMENSIONS))
    return made.themes, made.feelings, made.responses, made.comments


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data_sets())
def test_witnesses_change_nothing_that_is_decided(monkeypatch, counts):
    assert _protected(counts, monkeypatch, True) == _protected(counts, monkeypatch, False)


def test_witnesses_answer_some_questions_without_a_program(monkeypatch):
    asked = []
    real = disclosure._System.is_pinned

    def counting(self, *args):
        asked.append(1)
        return real(self, *args)

    monkeypatch.setattr(disclosure._System, "is_pinned", counting)
    for counts in (QUARTER_MINUS_MONTHS, ONE_BREAKDOWN_MINUS_ANOTHER):
        _protected(counts, monkeypatch, True)
    with_witnesses, asked[:] = len(asked), []
    for counts in (QUARTER_MINUS_MONTHS, ONE_BREAKDOWN_MINUS_ANOTHER):
        _protected(counts, monkeypatch, False)
    assert with_witnesses < len(asked)
