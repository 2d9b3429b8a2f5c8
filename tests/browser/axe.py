"""Run axe-core in a page and fail with a readable list of what it finds.

The script is injected with ``page.evaluate`` rather than a ``<script>`` tag:
evaluate runs in the page without being subject to its Content Security Policy.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG 2.2 AA and everything below it; best-practice rules are left out.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

#: How long axe may take on one page before the check fails rather than hangs.
TIMEOUT_S = 15

# Started without awaiting, then polled from Python: page.evaluate itself has no timeout.
_START = """(tags) => {
  window.__axeOutcome = null;
  axe.run(document, {runOnly: {type: "tag", values: tags}}).then(results => {
    window.__axeOutcome = {violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({
        target: n.target.map(t => Array.isArray(t) ? t.join(" >> ") : t).join(" | "),
        why: [...n.any, ...n.all, ...n.none].map(check => check.message).filter(Boolean)[0] || "",
      })),
    }))};
  }, error => { window.__axeOutcome = {error: String(error)}; });
}"""

# With JavaScript disabled (a no-JS test) the page's timers never fire and axe.run,
# which waits on them, would never finish: run each timer callback as a promise
# reaction instead (those still run; queueMicrotask callbacks do not).
_TIMERS_WITHOUT_SCRIPTING = """() => {
  const probe = document.createElement("div");
  probe.innerHTML = "<noscript><p></p></noscript>";
  if (probe.querySelector("noscript p") === null) return;  // scripting is on
  const pending = new Set();
  let next = 1;
  window.setTimeout = (callback, _delay, ...args) => {
    const id = next++;
    pending.add(id);
    Promise.resolve().then(() => { if (pending.delete(id)) callback(...args); });
    return id;
  };
  window.clearTimeout = id => { pending.delete(id); };
}"""


@cache
def axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """Return axe's WCAG 2.2 AA violations for the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
        page.evaluate(_TIMERS_WITHOUT_SCRIPTING)
    page.evaluate(_START, list(WCAG_TAGS))
    deadline = time.monotonic() + TIMEOUT_S
    while (outcome := page.evaluate("() => window.__axeOutcome")) is None:
        if time.monotonic() > deadline:
            raise AssertionError(f"axe did not finish on {page.url} within {TIMEOUT_S}s")
        page.wait_for_timeout(20)
    if "error" in outcome:
        raise AssertionError(f"axe failed on {page.url}: {outcome['error']}")
    return outcome["violations"]


def describe(found: list[dict[str, Any]]) -> str:
    """One block per rule: id, impact, help, then each offending element's selector and why."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}" + (f"  ({node['why']})" if node["why"] else ""))
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail, listing every violation, unless axe finds nothing wrong with the page."""
    found = violations(page)
    assert not found, f"axe found {len(found)} violation(s) on {page.url}:\n{describe(found)}"
