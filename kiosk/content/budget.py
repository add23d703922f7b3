"""How much a page may ask of the renderer, checked cheaply before it runs.

Python-Markdown is quadratic on some inputs (thousands of unclosed ``[`` or
``![``: 2,000 take 4 s, 10,000 over two minutes) and Qt's rich-text layout
on deep nesting (``<table>`` nested 500 deep: minutes), and both run on the
GUI thread when a page is first shown. A frozen GUI thread means no idle
reset and no SIGTERM, so no page may get near that: each check here is one
linear pass over the text, and a page over any budget is never given to
Markdown (it shows ``COULD_NOT_SHOW``; ``kiosk check-content`` and live
reload see an error with its line). The limits are far above what a page a
patient reads needs (the longest shipped page is about 4 KB with a dozen
links) and far below where rendering gets slow: see ``tests/content/test_budget.py``
for the worst page inside the budget, timed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A page's file, in bytes: about 6,000 words, an hour of reading.
MAX_PAGE_BYTES = 40_000
#: ``[`` in a page (links, pictures, and what Markdown tries as one).
MAX_BRACKETS = 500
#: ``<`` in a page (raw HTML and what Markdown tries as it).
MAX_ANGLES = 1000
#: Markdown looks for the end of each ``[``, ``(`` and ``<`` it meets, up to the
#: end of its paragraph: its cost is the characters from each to its end (or to
#: the paragraph's end when it has none), about 1 microsecond each here. A
#: paragraph with a dozen links costs a few hundred.
MAX_SPAN = 250_000
#: Elements inside one another, in the page's raw HTML and in the HTML that
#: reaches Qt (a list in a list in a quote... is 6 or so).
MAX_DEPTH = 24

#: What a patient sees instead of a page over budget.
COULD_NOT_SHOW = "This page could not be shown."

_BLOCK = re.compile(r"\n[ \t]*\n")
_PAIRS = (("[", "]"), ("(", ")"), ("<", ">"))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass(frozen=True)
class OverBudget:
    """Why a page is over budget, and the line where it went over."""

    line: int | None
    message: str


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _nth(text: str, needle: str, n: int) -> int:
    """Offset of the ``n``th ``needle`` (1-based); the caller knows there are that many."""
    at = -1
    for _ in range(n):
        at = text.index(needle, at + 1)
    return at


def tag_depth_over(text: str, limit: int = MAX_DEPTH) -> int | None:
    """Offset of the first tag that nests deeper than ``limit``, or None.
    Unclosed tags count as open (a browser, and Qt, nest them)."""
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > limit:
            return match.start()
    return None


def span_cost(block: str) -> int:
    """The characters Markdown scans for the ends of ``block``'s brackets
    (see ``MAX_SPAN``): only the brackets are visited, not every character."""
    cost = 0
    for opening, closing in _PAIRS:
        stack: list[int] = []
        for match in re.finditer(re.escape(opening) + "|" + re.escape(closing), block):
            if match.group() == opening:
                stack.append(match.start())
            elif stack:
                cost += match.start() - stack.pop()
        cost += sum(len(block) - at for at in stack)
    return cost


def check_size(size: int) -> OverBudget | None:
    """A file's size, before it is read (a 50 MB page is never read whole)."""
    if size > MAX_PAGE_BYTES:
        return OverBudget(
            None,
            f"the page is {size:,} bytes, more than the {MAX_PAGE_BYTES:,} a page may have; "
            "split it into shorter pages",
        )
    return None


def check_source(text: str) -> OverBudget | None:
    """A page's text: too long, too many brackets or tags, or nested too deep."""
    size = len(text.encode("utf-8"))
    if size > MAX_PAGE_BYTES:
        over = check_size(size)
        assert over is not None
        return OverBudget(_line_at(text, MAX_PAGE_BYTES), over.message)
    for needle, limit, what in (
        ("[", MAX_BRACKETS, "links or pictures"),
        ("<", MAX_ANGLES, "HTML tags"),
    ):
        if text.count(needle) > limit:
            return OverBudget(
                _line_at(text, _nth(text, needle, limit + 1)),
                f'more than {limit} "{needle}" ({what}) in one page; split it into shorter pages',
            )
    start = total = 0
    for block in _BLOCK.split(text):
        total += span_cost(block)
        if total > MAX_SPAN:
            return OverBudget(
                _line_at(text, text.index(block, start)),
                "too many unclosed brackets or tags ([, ( or <) for one page by this paragraph; "
                "close them, or split the page",
            )
        start += len(block)
    deep = tag_depth_over(text)
    if deep is not None:
        return OverBudget(
            _line_at(text, deep),
            f"HTML nested more than {MAX_DEPTH} deep; the page cannot be shown",
        )
    return None


def check_output(html: str) -> OverBudget | None:
    """The rendered, sanitised HTML, before Qt lays it out: Markdown's own
    nesting (lists in lists, quotes in quotes) is only known after it runs."""
    if tag_depth_over(html) is not None:
        return OverBudget(None, f"nested more than {MAX_DEPTH} deep; the page cannot be shown")
    return None


__all__ = [
    "COULD_NOT_SHOW",
    "MAX_ANGLES",
    "MAX_BRACKETS",
    "MAX_DEPTH",
    "MAX_PAGE_BYTES",
    "MAX_SPAN",
    "OverBudget",
    "check_output",
    "check_size",
    "check_source",
    "span_cost",
    "tag_depth_over",
]
