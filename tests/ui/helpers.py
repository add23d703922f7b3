"""Finding and touching controls the way a person does: by their label."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot


def application() -> QApplication:
    """The running QApplication (``QApplication.instance()`` is typed as maybe none)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def visible_label(widget: QAbstractButton) -> str:
    label = getattr(widget, "label_text", None)
    return label() if callable(label) else widget.text()


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    return [b for b in root.findChildren(QAbstractButton) if b.isVisibleTo(root) and b.isVisible()]


# -- layout: where a control is, whether its text fits, whether it is clear of the next ----------


def rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def scrolled_in(window: QWidget, widget: QWidget) -> tuple[QRect, QRect]:
    """Where ``widget`` must fit, and the part of the window where it can be seen:
    the window and the window, or, inside a scroll area (a form taller than the
    screen), the scrolled content and the scroll area's viewport."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        holder = parent.parentWidget()
        if holder is not None and isinstance(holder.parentWidget(), QAbstractScrollArea):
            return rect_in(window, parent), rect_in(window, holder)
        parent = holder
    return window.rect(), window.rect()


def bounds(window: QWidget, widget: QWidget) -> QRect:
    return scrolled_in(window, widget)[0]


def whole_and_seen(window: QWidget, widget: QWidget, label: str) -> QRect:
    """Assert ``widget`` lies inside the window (or its scrolled content) and is as wide
    as its words need, or as its maximum width (set to elide a long choice); return the
    part of it on screen (empty: scrolled out of sight)."""
    rect = rect_in(window, widget)
    inside = bounds(window, widget)
    assert inside.contains(rect), (label, rect, inside)
    need = min(widget.minimumSizeHint().width(), widget.maximumWidth())
    assert need <= widget.width(), f"{label!r} is cut off"
    return rect.intersected(scrolled_in(window, widget)[1])


def assert_text_fits(window: QWidget, label: QLabel) -> None:
    """The label has the room its text needs (wrapped: the height for its width; on one
    line: its width), inside the window."""
    if label.wordWrap():
        need = label.heightForWidth(label.width())
        assert need <= label.height() + 1, (label.text()[:40], need, label.height())
    else:
        assert label.sizeHint().width() <= label.width() + 1, label.text()[:40]
    assert bounds(window, label).contains(rect_in(window, label)), label.text()[:40]


def assert_apart(rects: Mapping[QWidget, QRect], gap: int) -> None:
    """No two of the rectangles (controls on screen) closer than ``gap`` px (0: not
    overlapping)."""
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        # Grow one by the gap minus a pixel of rounding; it must still not touch.
        grown = ra.adjusted(-(gap - 1), -(gap - 1), gap - 1, gap - 1) if gap else ra
        assert not grown.intersects(rb), (_name(a), ra, _name(b), rb)


def _name(widget: QWidget) -> str:
    return visible_label(widget) if isinstance(widget, QAbstractButton) else widget.accessibleName()


def find_button(root: QWidget, label: str) -> QAbstractButton:
    """The one visible control whose label a patient reads as ``label``."""
    matches = [b for b in visible_buttons(root) if visible_label(b) == label]
    assert len(matches) == 1, f"{len(matches)} visible controls labelled {label!r}"
    return matches[0]


def tap(qtbot: QtBot, widget: QWidget) -> None:
    """A finger's tap in the middle of a widget."""
    assert widget.isVisible() and widget.isEnabled(), f"cannot tap {widget}"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())


def swipe(
    widget: QWidget,
    dx: int,
    dy: int = 0,
    steps: int = 8,
    ms_per_step: int = 15,
    *,
    live: bool = False,
) -> None:
    """One finger dragged across ``widget``: press, moves, release.

    ``ms_per_step`` sets the events' timestamps (what a swipe's speed is judged
    by). ``live`` also runs the event loop between moves, as a real drag does,
    so the kinetic scroller follows the finger while it moves.
    """
    start = widget.rect().center()
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, steps + 1):
        point = start + QPoint(dx * i // steps, dy * i // steps)
        QTest.mouseMove(widget, point, ms_per_step)
        if live:
            QTest.qWait(ms_per_step)
    QTest.mouseRelease(
        widget,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        start + QPoint(dx, dy),
        ms_per_step,
    )
