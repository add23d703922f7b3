"""Where a file nests deepest: the line to name when a parser gives up on depth.

``tomllib`` recurses on nested arrays and inline tables, so a kiosk.toml or
topic.toml with 3,000 ``[`` raises RecursionError with no line number; the
line where the brackets are deepest is where the admin should look.
"""

from __future__ import annotations


def deepest_line(text: str) -> int | None:
    """The 1-based line where ``[``/``{`` nest deepest, or None with none."""
    depth = deepest = 0
    line = at = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif char in "]}":
            depth -= 1
    return at if deepest else None


def parser_failure(exc: BaseException) -> str:
    """What a parser's unexpected exception means, in words."""
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return f"{type(exc).__name__}: {exc}"


__all__ = ["deepest_line", "parser_failure"]
