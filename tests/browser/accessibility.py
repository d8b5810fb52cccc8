"""axe-core on a page: WCAG 2.2 AA, failing on serious or critical violations.

axe comes from npm (``node_modules/axe-core``, installed by ``make assets``). The pages carry
a strict Content Security Policy, so axe is not added as a ``<script>``: it is evaluated
through the DevTools protocol (``page.evaluate``), which the page's policy does not govern.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")


@functools.cache
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run `make assets` (npm ci) first",
                    pytrace=False)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.2 AA violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations']})", WCAG_22_AA)
    return [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]], where: str) -> list[str]:
    """One readable line per violation: the rule, its help, and the failing elements."""
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(map(str, node.get("target", [])))
                            for node in v.get("nodes", [])[:8])
        more = len(v.get("nodes", [])) - 8
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})"
                     f" at {targets}{f' and {more} more' if more > 0 else ''}")
    return lines


def page_problems(page: Any, where: str | None = None) -> list[str]:
    """Everything wrong with the page as it stands: axe violations, then the CSP violations
    and script errors seen since it was opened (``conftest.watch``)."""
    where = where or page.url
    found = describe(axe_violations(page), where)
    found += getattr(page, "problems", [])
    if hasattr(page, "problems"):
        page.problems = []
    return found


def check_page(page: Any, where: str | None = None) -> None:
    """Fail with every problem of the page (see :func:`page_problems`)."""
    problems = page_problems(page, where)
    assert not problems, "\n".join(problems)
