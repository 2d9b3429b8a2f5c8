"""Harm told as past and over: "I used to self-harm but I haven't for three years".

TAXONOMY.md flags harm happening now or recently, not harm a child describes
as finished ("I was scared of the dog but it's fine now"). A rule cannot tell
the two apart: it finds "self-harm" either way. This module reads the comment
around it. The comment counts as told-as-over only when it places the harm in
the past, says it is over, and says nothing that it goes on (still, again, last
week, scared, nobody knows, my little brother). The decision it feeds is in
``pipeline.py`` step 2: for the rules the table lists, such a comment is no
explicit disclosure; the reader decides its tier as for any comment no rule
fired on, and a person checks the reading.

The patterns live in ``safeguarding.toml`` under ``[past_and_over]`` (read and
checked by ``lexicon.py`` with the rules); they run on normalised English.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedback.theming.patterns import PhrasePattern
from feedback.theming.text import Tokens


@dataclass(frozen=True)
class PastAndOver:
    """The rules whose harm can be told as over, and how a comment tells it."""

    rules: frozenset[str] = frozenset()
    past: tuple[PhrasePattern, ...] = ()
    over: tuple[PhrasePattern, ...] = ()
    not_over: tuple[PhrasePattern, ...] = ()
    #: Evidence, as for a rule: comments told as over, and look-alikes that are not.
    catches: tuple[str, ...] = ()
    spares: tuple[str, ...] = ()

    def told_as_over(self, tokens: Tokens) -> bool:
        """Return whether the comment puts its harm in the past and says it is over."""
        text = tokens.text
        return (_found(self.past, text) and _found(self.over, text)
                and not _found(self.not_over, text))


def _found(patterns: tuple[PhrasePattern, ...], text: str) -> bool:
    return any(pattern.found(text) for pattern in patterns)
