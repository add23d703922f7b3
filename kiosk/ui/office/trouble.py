"""An office database error as the front desk reads it: what went wrong, in a
sentence (``kiosk.office.trouble``), then the driver's own first line for
whoever looks after the server, never the driver's text alone."""

from __future__ import annotations

from kiosk.office.trouble import first_line, trouble_of
from kiosk.ui.office import words as w


def said(exc: BaseException) -> str:
    """``exc`` in words: "The office server does not answer: … (it said: …)"."""
    return f"{w.DB_TROUBLE[trouble_of(exc)]} {w.DB_DETAIL.format(detail=first_line(exc))}"
