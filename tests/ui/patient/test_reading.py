"""Issue 11 point 3, reading a page: the last page's next step, the
``[[request]]`` button, "More below". A real window with the shipped content."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import load_library
from kiosk.ui.i18n import strings
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow, write_page
from tests.ui.helpers import find_button, swipe, tap


def _open(window: KioskWindow, number: int) -> None:
    window.show_page(window.library.topics[0].pages[number - 1].key)
    QApplication.processEvents()


def _scroll_to_end(window: KioskWindow) -> None:
    bar = window.page.body.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()


def test_the_last_page_ends_with_request_and_back_to_topics(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    _open(window, 9)
    _scroll_to_end(window)
    body = window.page.body
    ask = find_button(body.viewport(), strings.REQUEST_INFO)
    back = find_button(body.viewport(), strings.BACK_TO_TOPICS)
    for widget in (ask, back):
        assert widget.accessibleName() == widget.text()
        # Under the last line of text, inside the view once scrolled to the end.
        row = widget.parentWidget()
        assert row is not None
        assert body.viewport().rect().contains(widget.geometry().translated(row.pos()))
    tap(qtbot, back)
    assert window.stack.currentWidget() is window.home
    _open(window, 9)
    _scroll_to_end(window)
    tap(qtbot, find_button(window.page.body.viewport(), strings.REQUEST_INFO))
    assert window.stack.currentWidget() is window.request


def test_only_the_last_page_has_them(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window()
    _open(window, 2)
    assert window.page.body.slot_rows() == []
    _open(window, 9)
    assert [b.text() for b in window.page.body.slot_rows()[0].buttons] == [
        strings.REQUEST_INFO,
        strings.BACK_TO_TOPICS,
    ]
    window.page.reset()
    assert window.page.body.slot_rows() == []


def test_a_request_line_is_a_working_button_where_it_stands(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    _open(window, 8)  # "Talk to us": [[request]] under "Tap Request information ..."
    body = window.page.body
    (row,) = body.slot_rows()
    (ask,) = row.buttons
    assert ask.text() == ask.accessibleName() == strings.REQUEST_INFO
    document = body.document()
    above = document.find("Tap Request information")
    below = document.find("You can also ask")
    assert not above.isNull() and not below.isNull()
    top = body.cursorRect(above).bottom()
    bottom = body.cursorRect(below).top()
    assert top < row.y() and row.y() + row.height() < bottom  # between the two lines
    assert ask.height() >= 48
    tap(qtbot, ask)
    assert window.stack.currentWidget() is window.request


def test_the_button_scrolls_with_the_text(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window((800, 1280))
    window.set_text_size("largest")
    _open(window, 8)
    body = window.page.body
    (row,) = body.slot_rows()
    bar = body.verticalScrollBar()
    assert bar.maximum() > 0  # at the largest text the page is taller than the view
    was = row.y()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert bar.value() > 0
    assert row.y() == was - bar.value()


def test_more_below_shows_on_a_long_page_and_goes_at_its_end(
    make_window: MakeWindow, qtbot: QtBot
) -> None:
    window = make_window()
    _open(window, 9)  # longer than the screen at 1280x800
    body = window.page.body
    cue = body.more_below
    assert body.verticalScrollBar().maximum() > 0
    assert cue.isVisible()
    assert cue.label.text().startswith(strings.MORE_BELOW)
    assert cue.geometry().bottom() == body.viewport().geometry().bottom()
    swipe(body.viewport(), 0, -2000, live=True)
    qtbot.waitUntil(lambda: body.verticalScrollBar().value() == body.verticalScrollBar().maximum())
    assert not cue.isVisible()
    bar = body.verticalScrollBar()
    bar.setValue(0)
    QApplication.processEvents()
    assert cue.isVisible()


def test_no_cue_on_a_page_that_fits(make_window: MakeWindow, qtbot: QtBot) -> None:
    window = make_window((1920, 1080))
    _open(window, 2)
    assert window.page.body.verticalScrollBar().maximum() == 0
    assert not window.page.body.more_below.isVisible()


def test_the_cue_lets_taps_through(make_window: MakeWindow, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    window = make_window()
    _open(window, 9)
    cue = window.page.body.more_below
    assert cue.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    assert cue.label.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_a_last_page_with_its_own_request_line_ends_with_back_to_topics_alone(
    make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """A clinic admin's last page that ends "[[request]]" had two "Request
    information" buttons, one under the other (the line's, and the end's)."""
    folder = tmp_path / "content" / "talk"
    folder.mkdir(parents=True)
    (folder / "topic.toml").write_text('title = "Talk"\n', encoding="utf-8")
    write_page(folder, "a.md", "First", 1)
    write_page(folder, "b.md", "Last", 2, body="Ask us anything.\n\n[[request]]\n")
    window = make_window(library=load_library(tmp_path / "content"))
    _open(window, 2)
    rows = [[b.text() for b in row.buttons] for row in window.page.body.slot_rows()]
    assert rows == [[strings.REQUEST_INFO], [strings.BACK_TO_TOPICS]]
    find_button(window.page.body.viewport(), strings.REQUEST_INFO)  # one, not two
    tap(qtbot, find_button(window.page.body.viewport(), strings.BACK_TO_TOPICS))
    assert window.stack.currentWidget() is window.home
    _open(window, 1)  # a page without a line of its own: no slot at all
    assert window.page.body.slot_rows() == []
