"""Server-drawn SVG charts: readable without JavaScript, each with a title and a description.

Every label is escaped here, so the result is safe to put in a page as is.
Suppressed values (anything not an ``int``) are drawn as their text ("c")
with no bar or point, so a chart never shows more than its table.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

INK = "#0b0c0c"
BAR = "#1d70b8"
GRID = "#b1b4b6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

Value = int | str


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__svg" role="img" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{escape(chart_id)}-title" '
            f'aria-describedby="{escape(chart_id)}-desc" font-family="{FONT}">'
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>')


def _text(x: float, y: float, text: object, size: int = 14, anchor: str = "start",
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" '
            f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>')


def bar_chart(chart_id: str, title: str, description: str,
              bars: Sequence[tuple[str, Value]], width: int = 640) -> Markup:
    """Draw horizontal bars, each label above its bar and the value at its end."""
    row, top, room = 46, 8, width - 80
    height = top + row * len(bars) + 4
    largest = max([v for _, v in bars if isinstance(v, int)] + [1])
    parts = [_open(chart_id, width, height, title, description)]
    for n, (label, value) in enumerate(bars):
        y = top + n * row
        parts.append(_text(0, y + 14, label))
        length = room * value / largest if isinstance(value, int) else 0
        if length:
            parts.append(f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="18" '
                         f'fill="{BAR}"/>')
        parts.append(_text(length + 6, y + 34, value, weight="bold"))
    parts.append(f'<line x1="0" y1="{top}" x2="0" y2="{height - 4}" stroke="{INK}"/>')
    # Every label and title went through escape() above; the rest is numbers.
    return Markup("".join(parts) + "</svg>")  # nosec B704 # built from escaped parts


def line_chart(chart_id: str, title: str, description: str, labels: Sequence[str],
               values: Sequence[Value], width: int = 300, height: int = 150) -> Markup:
    """Draw one trend line: a point per period, with a gap where a value is suppressed."""
    left, right, top, bottom = 12, 12, 26, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max([v for v in values if isinstance(v, int)] + [1])
    step = plot_w / max(len(values) - 1, 1)
    x = [left + n * step for n in range(len(values))]
    y = [top + plot_h - plot_h * v / largest if isinstance(v, int) else None for v in values]
    parts = [_open(chart_id, width, height, title, description),
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
             f'y2="{top + plot_h}" stroke="{GRID}"/>']
    for n in range(len(values) - 1):
        if y[n] is not None and y[n + 1] is not None:
            parts.append(f'<line x1="{x[n]:.1f}" y1="{y[n]:.1f}" x2="{x[n + 1]:.1f}" '
                         f'y2="{y[n + 1]:.1f}" stroke="{BAR}" stroke-width="3"/>')
    for n, value in enumerate(values):
        anchor = "start" if n == 0 else "end" if n == len(values) - 1 else "middle"
        point_y = y[n]
        if point_y is not None:
            parts.append(f'<circle cx="{x[n]:.1f}" cy="{point_y:.1f}" r="4" fill="{BAR}"/>')
        parts.append(_text(x[n], (point_y if point_y is not None else top + plot_h) - 8,
                           value, size=12, anchor=anchor, weight="bold"))
        if n in (0, len(values) - 1):
            parts.append(_text(x[n], height - 10, labels[n], size=12, anchor=anchor))
    # Every label and title went through escape() above; the rest is numbers.
    return Markup("".join(parts) + "</svg>")  # nosec B704 # built from escaped parts
