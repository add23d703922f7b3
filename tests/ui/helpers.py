"""Finding and touching controls the way a person does: by their label."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
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
