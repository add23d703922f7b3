"""One set of words for an enquiry's coded values: the panel, the export and the
command line all read kiosk.enquiries.labels (their own tests check each shows them)."""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.enquiries import labels
from kiosk.enquiries.form import BestTime, Method

ROOT = Path(__file__).resolve().parents[2]


def test_every_choice_of_the_form_has_words() -> None:
    """A method or best time the form can store is never shown as its code."""
    assert set(labels.METHODS) == {m.value for m in Method}
    assert set(labels.BEST_TIMES) == {t.value for t in BestTime}
    # The tablet's three, and the office's two outcomes of a call (kiosk.office.schema).
    assert set(labels.STATUSES) == {"new", "exported", "contacted", "no_answer", "not_interested"}


def test_words_for_known_and_unknown_values() -> None:
    assert labels.method("call") == "Phone call"
    assert labels.best_time("any") == "Any time"
    assert labels.status("contacted") == "Contacted"
    assert labels.method("fax") == "fax"  # from a newer kiosk: shown as stored
    assert labels.topic("", {"a": "A"}) == labels.NO_TOPIC == "General question"
    assert labels.topic("a", {"a": "A"}) == "A"
    assert labels.topic("gone", {"a": "A"}) == "gone"


def test_no_other_module_spells_these_words_out() -> None:
    """The words live only in labels.py: no other module has a literal "Phone call"
    or "Text message" (a second copy is how "Call" and "Phone call" drifted apart)."""
    copies = []
    for path in (ROOT / "kiosk").rglob("*.py"):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ("Phone call", "Text message"):
                copies.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert copies == []
