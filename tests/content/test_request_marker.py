"""Issue 11 point 3: a line ``[[request]]`` in a page is the kiosk's own
"Request information" button; nothing else in a page can make one."""

from __future__ import annotations

from pathlib import Path

from kiosk.content import load_library
from kiosk.content.check import check
from kiosk.content.model import REQUEST_SLOT
from kiosk.content.render import REQUEST_SLOT_HTML
from kiosk.paths import shipped_content_dir
from tests.conftest import write_page

BODY = """Tap **Request information** and we will call you.

[[request]]

You can also ask at the front desk.
"""


def _html(root: Path, body: str) -> str:
    write_page(root / "t", "01-a.md", "A", 1, body)
    return load_library(root).pages[0].html


def test_a_request_line_becomes_the_slot(tmp_path: Path) -> None:
    html = _html(tmp_path, BODY)
    assert html.count(REQUEST_SLOT_HTML) == 1
    assert "[[request]]" not in html
    # Where the line was: between the two paragraphs.
    assert html.index("call you") < html.index(REQUEST_SLOT) < html.index("front desk")


def test_page_text_and_raw_html_cannot_make_a_slot(tmp_path: Path) -> None:
    """Raw HTML with the slot's own anchor, a link to it and the marker inside
    a sentence or code all stay text; the allowlist drops ``name``."""
    body = (
        f'<p><a name="{REQUEST_SLOT}">x</a></p>\n\n'
        f"[go]({REQUEST_SLOT})\n\n"
        "Tap [[request]] now.\n\n"
        "`[[request]]`\n"
    )
    html = _html(tmp_path, body)
    assert REQUEST_SLOT_HTML not in html
    assert 'name="' not in html
    assert "href" not in html


def test_check_content_names_a_misspelt_marker_with_its_line(tmp_path: Path) -> None:
    page = write_page(tmp_path / "t", "01-a.md", "A", 1, "Hello.\n\n[[requst]]\n")
    problems = [p for p in check(tmp_path).problems if "[[requst]]" in p.message]
    assert len(problems) == 1
    (problem,) = problems
    assert problem.path == page
    assert problem.line == 8  # 4 header lines, a blank, "Hello.", a blank, the marker
    assert problem.severity == "warning"
    assert 'did you mean "[[request]]"' in problem.message
    assert "[[requst]]" in load_library(tmp_path).pages[0].html  # shown as typed


def test_check_content_names_a_marker_inside_a_sentence(tmp_path: Path) -> None:
    write_page(tmp_path / "t", "01-a.md", "A", 1, "[[request]]\n\nTap [[request]] now.\n")
    problems = [p for p in check(tmp_path).problems if "line of its own" in p.message]
    assert [p.line for p in problems] == [8]


def test_the_shipped_talk_to_us_page_carries_the_button() -> None:
    library = load_library(shipped_content_dir())
    with_button = [p.key for p in library.pages if REQUEST_SLOT_HTML in p.html]
    assert with_button == ["ketamine-and-depression/08-talk-to-us"]
    assert not [p for p in check(shipped_content_dir()).problems if "[[" in p.message]
