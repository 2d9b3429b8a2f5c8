"""The board paper's first page: what children raised most, what moved, what was done.

Everything here is taken from the report's own shown (suppressed) figures, so
page 1 can never say more than the tables after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from feedback.exports.tabular import Cell
from feedback.services.summaries import Summary
from feedback.web.board.definitions import ImpactRow
from feedback.web.board.tables import Table, dimension_titles, short_label

#: How many themes page 1 names, and how many quotes it carries.
TOP_THEMES = 3
KEY_QUOTES = 2
#: The golden-thread figures on page 1, in order.
THREAD = ("linked", "actions_done", "replied")
DIMENSIONS = ("pod", "age_band", "questionnaire", "session")


@dataclass(frozen=True)
class ThemeMessage:
    """One of the themes children raised most, with how it moved since the last period."""

    theme: str
    responses: int
    movement: str


@dataclass(frozen=True)
class KeyMessages:
    themes: tuple[ThemeMessage, ...]
    thread: tuple[ImpactRow, ...]
    #: (theme, approved quote) pairs, from different themes where there are enough.
    quotes: tuple[tuple[str, str], ...]
    previous: str


def _movement(change: Cell, previous: str) -> str:
    if not isinstance(change, int):
        return _("Change since %(period)s not shown: one of the counts is small.",
                 period=previous)
    if change > 0:
        return _("Up %(number)s since %(period)s.", number=change, period=previous)
    if change < 0:
        return _("Down %(number)s since %(period)s.", number=-change, period=previous)
    return _("The same as in %(period)s.", period=previous)


def _top_themes(themes: Table, previous: str) -> tuple[ThemeMessage, ...]:
    shown = [(label, cells) for label, cells in themes.rows
             if isinstance(cells[0], int) and cells[0] > 0]
    ranked = sorted(shown, key=lambda row: -int(row[1][0]))[:TOP_THEMES]
    return tuple(ThemeMessage(label, int(cells[0]), _movement(cells[3], previous))
                 for label, cells in ranked)


def _key_quotes(quotes: Sequence[tuple[str, Sequence[str]]]) -> tuple[tuple[str, str], ...]:
    """Two quotes: the first of each theme first, so they show different themes."""
    firsts = [(theme, texts[0]) for theme, texts in quotes if texts]
    rest = [(theme, text) for theme, texts in quotes for text in texts[1:]]
    return tuple((firsts + rest)[:KEY_QUOTES])


def key_messages(summary: Summary, tables: Mapping[str, Table],
                 impact: Sequence[ImpactRow],
                 quotes: Sequence[tuple[str, Sequence[str]]]) -> KeyMessages:
    previous = short_label(summary.period.previous())
    by_code = {row.code: row for row in impact}
    return KeyMessages(themes=_top_themes(tables["themes"], previous),
                       thread=tuple(by_code[code] for code in THREAD if code in by_code),
                       quotes=_key_quotes(quotes), previous=previous)


def _is_empty(cells: Sequence[Cell]) -> bool:
    return all(cell in (None, 0, "–") for cell in cells)


def empty_breakdowns(summary: Summary) -> tuple[str, ...]:
    """Keys of the breakdown tables with nothing to show: left out, with one sentence.

    A one-way breakdown is empty when none of its real groups (those that are not
    "not given" or "not a session") has a response shown; its cross-tabulation
    with it. A cross-tabulation is also empty when no theme is broken down.
    """
    empty = []
    for dim in DIMENSIONS:
        breakdown = summary.breakdowns.get(dim)
        if breakdown is None:
            continue
        groups = [g for g in breakdown.groups if g is not None]
        # A withdrawn breakdown (responses None) is not empty: its table says why.
        if breakdown.responses is not None and _is_empty(
                [breakdown.responses[g].shown for g in groups]):
            empty += [f"by_{dim}", f"themes_by_{dim}"]
        elif not breakdown.themed_groups or all(
                _is_empty([cells[g].shown for g in breakdown.themed_groups])
                if cells is not None else True for cells in breakdown.by_theme.values()):
            empty.append(f"themes_by_{dim}")
    return tuple(empty)


def left_out_sentence(keys: Sequence[str]) -> str | None:
    """One sentence naming the breakdowns left out because they had nothing to show."""
    titles = []
    for key in keys:
        dim = key.removeprefix("themes_by_").removeprefix("by_")
        titles.append(dimension_titles(dim)[4 if key.startswith("themes_by_") else 2])
    if not titles:
        return None
    return _("Left out because they had nothing to show in this period: %(tables)s.",
             tables="; ".join(title[:1].lower() + title[1:] for title in titles))
