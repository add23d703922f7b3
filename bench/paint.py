"""A paint spy the page-turn and first-tap benches share: installed on a
widget, it notes that the widget painted (``painted``), so a bench can spin
the event loop until the change it made is on screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class PaintSpy(QObject):
    """``painted`` turns True at the next paint of a widget it watches; the
    bench sets it back to False before each change."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False
