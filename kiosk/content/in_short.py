"""A page's "In short": two to four key points in plain words, from the page's
header (``in_short:`` and a ``- point`` line each), shown in a highlighted box
above the clinic's own text.

The box is built here from the points as plain text (escaped, never Markdown
or HTML), after the page's Markdown has been sanitised: nothing an author
writes can change its markup. The page's CSS (``kiosk.ui.theme.document_css``)
styles it by its class; Qt's rich-text engine draws a one-cell table's
background and border, which a ``div`` does not get.
"""

from __future__ import annotations

from types import MappingProxyType

from kiosk.content.model import DEFAULT_LANGUAGE

#: The header key, and how many points the checker asks for.
IN_SHORT_KEY = "in_short"
MIN_POINTS = 2
MAX_POINTS = 4
#: The box's heading in each language a page can be written in (the page's
#: language, not the kiosk's: an English page shown for want of a translation
#: says "In short"). A test keeps the languages equal to TRANSLATION_LANGUAGES.
HEADINGS = MappingProxyType({"en": "In short", "es": "En resumen"})
#: The class the page's CSS styles the box (a table) and its heading by.
BOX_CLASS = "in-short"
HEADING_CLASS = "in-short-heading"


def heading(language: str) -> str:
    return HEADINGS.get(language, HEADINGS[DEFAULT_LANGUAGE])


def box_html(points: tuple[str, ...], language: str) -> str:
    """The highlighted box for ``points`` ("" when there are none)."""
    if not points:
        return ""
    import html  # html.entities' table (1 ms): when a page is shown, not at start-up

    items = "".join(f"<li>{html.escape(point)}</li>" for point in points)
    return (
        f'<table class="{BOX_CLASS}" width="100%" cellspacing="0" cellpadding="16">'
        f'<tr><td><p class="{HEADING_CLASS}">{html.escape(heading(language))}</p>'
        f"<ul>{items}</ul></td></tr></table>"
    )


__all__ = [
    "BOX_CLASS",
    "HEADINGS",
    "HEADING_CLASS",
    "IN_SHORT_KEY",
    "MAX_POINTS",
    "MIN_POINTS",
    "box_html",
    "heading",
]
