"""Issue 18 point 4: spreadsheets safe in every locale. A real export read back
the way spreadsheets in other locales split it (on ";", on tabs, on lines, on
"," ignoring quotes): no cell starts with a formula, fullwidth triggers count,
every field is quoted. And a name of only invisible characters is blank."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from kiosk.enquiries.export import ExportOptions, export_enquiries, inert
from kiosk.enquiries.form import NAME_MISSING, FormInput, Method, check
from kiosk.enquiries.store import EnquiryStore

from .conftest import Keys, save

FORMULA = tuple("=+-@\uff1d\uff0b\uff0d\uff20")
SKIPPED = " \t\r\n\"'"  # what a spreadsheet may skip before a formula (the ' is ours)

#: The attack run's kinds of payload, each at the start, after each separator and after a quote.
CORES = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff201"]
PAYLOADS = [
    *CORES,
    *(f"Smith{sep}{core}{sep}" for core in CORES for sep in (",", ";", "\t", '"', "\n")),
    *(f"Smith{sep} \t{core}" for core in CORES for sep in (",", ";")),
    "\t=1",
    "\r=1",
]


def _live_cells(text: str) -> list[str]:
    """Cells that would start with a formula in any of the ways a file is split."""
    live = []
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            live += [cell for cell in row if cell.lstrip(" \t\r\n").startswith(FORMULA)]
    for piece in re.split(r'[,;\t\r\n"]', text):  # no quotes honoured at all
        if piece.lstrip(" \t").startswith(FORMULA):
            live.append(piece)
    return live


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_cell_starts_a_formula_in_any_locale(
    store: EnquiryStore, keys: Keys, tmp_path: Path, payload: str
) -> None:
    save(store, name=payload, message=payload)
    out = tmp_path / "out.csv"
    export_enquiries(store, keys.opener, out, "csv", ExportOptions(include_all=True))
    text = out.read_text(encoding="utf-8-sig")
    assert not _live_cells(text), payload
    # every field quoted, the header's too
    for row in text.splitlines()[:1]:
        assert all(f.startswith('"') and f.endswith('"') for f in row.split(","))


def test_the_inner_apostrophe_goes_just_before_the_trigger() -> None:
    assert inert("Smith;=1+1;") == "Smith;'=1+1;"
    assert inert("a, \t-b") == "a, \t'-b"
    assert inert('say "@here"') == 'say "\'@here"'
    assert inert("\uff1d1") == "'\uff1d1"
    assert inert("line one\r\nline two") == "line one\r\nline two"  # no trigger: left be
    assert inert("(801) 555-0100") == "(801) 555-0100"


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u200b\u200c\u200d", "\ufeff\u2060", "\u061c", "\u3164", "\u2800", " \u00a0 "],
)
def test_a_name_of_only_invisible_characters_is_blank(name: str) -> None:
    form = FormInput(
        name=name, phone="", email="ana@example.org", method=Method.EMAIL, consent=True
    )
    _enquiry, problems = check(form)
    assert problems.get("name") == NAME_MISSING
