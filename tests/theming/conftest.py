"""Fixtures for the theming tests: one analyser for the whole run (it is slow to build)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.theming import Analyser, Analysis


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    """Return an analyser with the built-in lexicon."""
    return Analyser()


@pytest.fixture(scope="session")
def analyse(analyser: Analyser) -> Callable[..., Analysis]:
    """Return the analyse method of the shared analyser."""
    return analyser.analyse
