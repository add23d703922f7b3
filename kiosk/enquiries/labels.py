"""The words staff read for an enquiry's coded values, in one place.

The staff panel, the CSV/XLSX export and ``kiosk enquiries list`` all show
these, so a member of staff sees "Phone call" wherever they look. They are in
the clinic's language (English), like the rest of what staff read; the
patients' own words for the same choices are in ``kiosk.ui.i18n``.
"""

from __future__ import annotations

from collections.abc import Mapping

METHODS: Mapping[str, str] = {"call": "Phone call", "text": "Text message", "email": "Email"}
BEST_TIMES: Mapping[str, str] = {
    "morning": "Morning",
    "afternoon": "Afternoon",
    "evening": "Evening",
    "any": "Any time",
}
STATUSES: Mapping[str, str] = {
    "new": "New",
    "exported": "Exported",
    "contacted": "Contacted",
    # The office app's two other outcomes of a call (kiosk.office.schema.STATUSES).
    "no_answer": "No answer",
    "not_interested": "Not interested",
}
#: A question on no topic (the form's "Something else").
NO_TOPIC = "General question"


def method(code: str) -> str:
    """How to contact, in words (an unknown code is shown as stored)."""
    return METHODS.get(code, code)


def best_time(code: str) -> str:
    return BEST_TIMES.get(code, code)


def status(code: str) -> str:
    return STATUSES.get(code, code)


def topic(topic_id: str | None, titles: Mapping[str, str]) -> str:
    """A topic's title; its id when the content no longer has it; NO_TOPIC for none."""
    return titles.get(topic_id, topic_id) if topic_id else NO_TOPIC
