"""Helpful wording for mistakes in files the clinic edits."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str], shape: str = "{}") -> str:
    """``'; did you mean "name"?'`` for the closest known word, or ``""``."""
    import difflib  # only when there is a mistake to explain

    hint = difflib.get_close_matches(word, list(known), n=1)
    return f'; did you mean "{shape.format(hint[0])}"?' if hint else ""
