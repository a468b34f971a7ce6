"""What the browser tests measure in a page: axe-core's violations and horizontal overflow.

Plain functions on a Playwright ``Page``, so any browser test can use them:

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
"""

from dataclasses import dataclass
from pathlib import Path

AXE_DIR = Path(__file__).parent / "vendor" / "axe-core"
AXE_JS = AXE_DIR / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

# WCAG 2.0 and 2.1, levels A and AA: what the site promises. axe's "best-practice" rules
# (and WCAG 2.2 and AAA) are left out on purpose: they are advice, not the standard.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN_AXE = """
async ([context, options]) => {
    const results = await window.axe.run(context || document, options);
    return results.violations.map((rule) => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        nodes: rule.nodes.map((node) => ({
            target: node.target.map((part) => [].concat(part).join(" >>> ")).join(" "),
            html: node.html,
        })),
    }));
}
"""


@dataclass(frozen=True)
class Violation:
    """One axe rule that failed, with the elements that fail it."""

    id: str
    impact: str
    help: str
    nodes: tuple  # ((css selector, html snippet), ...)

    def __str__(self):
        lines = [f"{self.id} [{self.impact}] {self.help} ({len(self.nodes)})"]
        for target, html in self.nodes[:8]:
            snippet = " ".join(html.split())
            lines.append(f"    {target}  {snippet[:140]}")
        if len(self.nodes) > 8:
            lines.append(f"    … and {len(self.nodes) - 8} more")
        return "\n".join(lines)


def axe_violations(page, context=None):
    """Run the vendored axe-core on the page (or on ``context``, a CSS selector or axe's
    include/exclude object) against WCAG 2.0/2.1 A and AA; return its violations.

    axe is evaluated through the browser's DevTools protocol, not added as a ``<script>``
    element: the site's Content-Security-Policy (no inline scripts) stays enforced while axe
    runs, so every browser test also meets the policy the visitors get.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    found = page.evaluate(_RUN_AXE, [context, options])
    return [
        Violation(
            id=rule["id"],
            impact=rule["impact"] or "",
            help=rule["help"],
            nodes=tuple((node["target"], node["html"]) for node in rule["nodes"]),
        )
        for rule in found
    ]


def describe_violations(violations, url=""):
    """A readable assertion message: each rule, its impact and help, the failing elements."""
    heading = f"axe found {len(violations)} violated rule(s)" + (f" on {url}" if url else "")
    return "\n".join([heading, *map(str, violations)])


def horizontal_overflow(page):
    """Whether the page scrolls sideways: the document is wider than the viewport."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def overflowing_elements(page, limit=8):
    """The outermost elements that stick out past the viewport's right edge (and are not
    clipped by a scrolling or hidden-overflow ancestor), as short CSS paths with their right
    edge in CSS px: what to fix when a page overflows."""
    return page.evaluate(
        """(limit) => {
            const width = document.documentElement.clientWidth;
            const path = (el) => {
                const parts = [];
                for (let node = el; node && node !== document.body; node = node.parentElement) {
                    let part = node.localName;
                    if (node.id) { parts.unshift(part + "#" + node.id); break; }
                    if (node.classList.length) part += "." + [...node.classList].join(".");
                    parts.unshift(part);
                }
                return parts.slice(-4).join(" > ");
            };
            const clipped = (el) => {
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== "visible") return true;
                }
                return false;
            };
            const found = [];
            for (const el of document.body.querySelectorAll("*")) {
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.right <= width + 1) continue;
                if (found.some((outer) => outer.contains(el)) || clipped(el)) continue;
                found.push(el);
            }
            return found.slice(0, limit).map((el) =>
                `${path(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
        }""",
        limit,
    )
