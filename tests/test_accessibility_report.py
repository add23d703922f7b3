"""docs/accessibility.md stays true to the tests: every test it names exists,
and every WCAG 2.2 A and AA criterion has its row."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "accessibility.md"

#: WCAG 2.2 Levels A and AA (4.1.1 is obsolete in 2.2 and reported as such).
WCAG_22_A_AA = [
    "1.1.1",
    "1.2.1",
    "1.2.2",
    "1.2.3",
    "1.2.4",
    "1.2.5",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "1.3.4",
    "1.3.5",
    "1.4.1",
    "1.4.2",
    "1.4.3",
    "1.4.4",
    "1.4.5",
    "1.4.10",
    "1.4.11",
    "1.4.12",
    "1.4.13",
    "2.1.1",
    "2.1.2",
    "2.1.4",
    "2.2.1",
    "2.2.2",
    "2.3.1",
    "2.4.1",
    "2.4.2",
    "2.4.3",
    "2.4.4",
    "2.4.5",
    "2.4.6",
    "2.4.7",
    "2.4.11",
    "2.5.1",
    "2.5.2",
    "2.5.3",
    "2.5.4",
    "2.5.7",
    "2.5.8",
    "3.1.1",
    "3.1.2",
    "3.2.1",
    "3.2.2",
    "3.2.3",
    "3.2.4",
    "3.2.6",
    "3.3.1",
    "3.3.2",
    "3.3.3",
    "3.3.4",
    "3.3.7",
    "3.3.8",
    "4.1.1",
    "4.1.2",
    "4.1.3",
]


def test_every_test_the_report_names_exists() -> None:
    text = REPORT.read_text(encoding="utf-8")
    named = sorted(set(re.findall(r"(tests/[\w/]+\.py)::(\w+)", text)))
    assert len(named) > 50
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).exists()
        or not re.search(rf"^\s*def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == [], "renamed or gone: update docs/accessibility.md"


def test_every_wcag_22_a_and_aa_criterion_has_a_row() -> None:
    rows = re.findall(r"^\| (\d\.\d\.\d+) ", REPORT.read_text(encoding="utf-8"), re.M)
    assert set(WCAG_22_A_AA) <= set(rows), set(WCAG_22_A_AA) - set(rows)
    levels = ("Supports", "Partially Supports", "Does Not Support", "Not Applicable")
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\| \d\.\d\.\d+ ", line):
            assert any(level in line.split("|")[2] for level in levels), line
