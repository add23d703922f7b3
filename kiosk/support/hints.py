"""Helpful wording for mistakes in files the clinic edits."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, known: Iterable[str], shape: str = "{}") -> str:
    """``'; did you mean "name"?'`` for the closest known word, or ``""``."""
    import difflib  # only when there is a mistake to explain

    hint = difflib.get_close_matches(word, list(known), n=1)
    return f'; did you mean "{shape.format(hint[0])}"?' if hint else ""


#: What Python's TOML reader says (its words' start) → what to do, for someone
#: editing the file by hand (tomllib's messages name the parser's view, not the fix).
_TOML_FIXES = (
    (
        "Illegal character '\\n'",
        "a text in quotes is not closed on its line: end it with its quote mark",
    ),
    ("Unterminated string", "a text in quotes is not closed: end it with its quote marks"),
    ('Expected "\'"', "a text in quotes is not closed: end it with its quote mark"),
    (
        "Invalid value",
        'after "=" comes text in double quotes ("Sunrise Clinic"), a number, or true or false',
    ),
    ("Expected ']'", "a section's name needs its closing bracket: [clinic]"),
    ("Cannot overwrite a value", "this setting is given twice: keep one"),
    ("Cannot declare", "this section is given twice: keep one, with all its settings"),
    (
        "Expected '=' after a key",
        'a setting is its name, "=" and a value: name = "Sunrise Clinic"',
    ),
    (
        "Expected newline or end of document",
        "one setting a line, and its value in one piece (text in double quotes)",
    ),
    (
        "Invalid statement",
        'each line is a setting (name = "…"), a section ([clinic]) or a comment (# …)',
    ),
    ("Unclosed array", "a list in [ ] is not closed: end it with ]"),
    ("Unclosed inline table", "a table in { } is not closed: end it with }"),
)


def toml_problem(why: str) -> str:
    """ "not valid TOML: what to do (the reader's words)" for TOML that did not
    read; the reader's own words alone where there is no plainer way to say it."""
    import re  # only when there is a mistake to explain

    fix = next((fix for start, fix in _TOML_FIXES if why.startswith(start)), "")
    # The problem's line is said before it: the column is what is left to say.
    why = re.sub(r" \(at line \d+, column (\d+)\)$", r", column \1", why)
    return f"not valid TOML: {fix} ({why})" if fix else f"not valid TOML ({why})"
