"""The "What patients read" tab tells staff how many pages need a clinician's
review, from the real content's headers (issue 12), and says nothing once none do."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from kiosk.content import load_library
from kiosk.ui.i18n import staff_strings as s
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv


def _review_all(content: Path, reviewer: str, until: str) -> None:
    """Mark every English page reviewed, as a clinic's clinician would in the header."""
    for page in content.rglob("*.md"):
        if page.name.endswith(".es.md"):
            continue
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^reviewed_by:.*$", f"reviewed_by: {reviewer}", text)
        text = re.sub(r"(?m)^review_by:.*$", "", text)
        text = text.replace(
            f"reviewed_by: {reviewer}", f"reviewed_by: {reviewer}\nreview_by: {until}"
        )
        page.write_text(text, encoding="utf-8")


def test_the_summary_counts_pages_that_need_a_review_and_goes_quiet_when_none_do(
    make_staff: MakeStaff, staff_env: StaffEnv, content_copy: Path
) -> None:
    """Shipped pages carry no reviewer: all are counted; reviewed ones are not."""
    window, mode = make_staff()
    shipped = window.library
    due = len(shipped.needing_review(date.today()))
    assert due > 0
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    assert mode.panel is not None
    summary = mode.panel.summary_tab
    summary.refresh()
    assert summary.review_note.text() == s.review_needed(due)
    assert f"{due} pages need a clinical review" in summary.review_note.text()

    _review_all(content_copy, "Dr Rivera", "2099-01-01")
    reviewed = load_library(content_copy)
    assert not reviewed.problems or all(p.severity != "error" for p in reviewed.problems)
    window.set_library(reviewed)
    summary.refresh()
    assert summary.review_note.text() == ""

    _review_all(content_copy, "Dr Rivera", "2000-01-01")  # the review date has passed
    window.set_library(load_library(content_copy))
    summary.refresh()
    assert summary.review_note.text() == s.review_needed(due)
