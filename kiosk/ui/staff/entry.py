"""The hidden ways into staff mode, gestures no patient makes by accident:
``HoldGesture`` (hold the clinic's name) and ``CornerTaps`` (tap the top-left
corner); how they behave: docs/architecture.md, "Staff mode on the tablet"."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui import appfilter

SLOP_PX = 20  # a finger that moves further than this is not holding still
CORNER_PX = 96  # the top-left square that counts taps
CORNER_TAPS = 5
CORNER_WITHIN_S = 3.0

_TOUCH_EVENTS = {
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
}


class StaffGesture(QObject):
    """A gesture that opens the PIN pad.

    Signals:
        triggered(): the gesture was completed.
    """

    triggered = Signal()

    def uninstall(self) -> None:
        """Stop watching; the object can then be dropped."""
        raise NotImplementedError


class HoldGesture(StaffGesture):
    """Press and hold ``target`` for ``hold_ms`` without moving more than ``SLOP_PX``."""

    def __init__(self, target: QWidget, hold_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self._press: QPointF | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, hold_ms))
        self._timer.timeout.connect(self.on_held)
        # Touch events come to the name itself (rather than as mouse events
        # made up by Qt), so a hold works whatever the platform does with an
        # unaccepted touch.
        target.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        target.installEventFilter(self)

    @property
    def holding(self) -> bool:
        return self._timer.isActive()

    def uninstall(self) -> None:
        self.cancel()
        self.target.removeEventFilter(self)
        self.target.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, False)

    def cancel(self) -> None:
        self._timer.stop()
        self._press = None

    def _begin(self, position: QPointF) -> None:
        self._press = QPointF(position)
        self._timer.start()

    def _moved(self, position: QPointF) -> None:
        if self._press is None:
            return
        delta = position - self._press
        if abs(delta.x()) > SLOP_PX or abs(delta.y()) > SLOP_PX:
            self.cancel()

    def on_held(self) -> None:
        self._press = None
        self.triggered.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _TOUCH_EVENTS and isinstance(event, QTouchEvent):
            points = event.points()
            if kind == QEvent.Type.TouchBegin and len(points) == 1:
                self._begin(points[0].globalPosition())
            elif kind == QEvent.Type.TouchUpdate and len(points) == 1:
                self._moved(points[0].globalPosition())
            else:  # lifted, cancelled, or a second finger: not a hold
                self.cancel()
            event.accept()
            return True
        if not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress:
            if event.button() == Qt.MouseButton.LeftButton:
                self._begin(event.globalPosition())
            else:
                self.cancel()
        elif kind == QEvent.Type.MouseMove:
            self._moved(event.globalPosition())
        elif kind == QEvent.Type.MouseButtonRelease:
            self.cancel()
        return False


class CornerTaps(StaffGesture):
    """``CORNER_TAPS`` presses inside the top-left ``CORNER_PX`` square of
    ``window`` within ``CORNER_WITHIN_S`` seconds.

    Watches the application's input, since the press goes to whatever widget
    is in the corner (the logo, the name, an overlay); a press that climbs
    from a widget to its parents is counted once.
    """

    def __init__(
        self,
        window: QWidget,
        *,
        taps: int = CORNER_TAPS,
        within_s: float = CORNER_WITHIN_S,
        corner_px: int = CORNER_PX,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self._taps = taps
        self._within = within_s
        self._corner = corner_px
        self._clock = clock
        self._times: list[float] = []
        self._last: tuple[int, float, float] | None = None
        appfilter.install(self)

    def uninstall(self) -> None:
        appfilter.remove(self)
        self._times = []

    #: What it is handed (``appfilter``).
    EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if isinstance(event, QMouseEvent):
            self._pressed(event.timestamp(), event.globalPosition())
        elif isinstance(event, QTouchEvent) and len(event.points()) == 1:
            self._pressed(event.timestamp(), event.points()[0].globalPosition())
        return False

    def _pressed(self, timestamp: int, global_position: QPointF) -> None:
        key = (timestamp, global_position.x(), global_position.y())
        if key == self._last:
            return  # the same press, passed on to a parent
        self._last = key
        where = self.window.mapFromGlobal(global_position)
        if not (0 <= where.x() < self._corner and 0 <= where.y() < self._corner):
            self._times = []  # a tap elsewhere breaks the series
            return
        now = self._clock()
        self._times = [t for t in self._times if now - t <= self._within]
        self._times.append(now)
        if len(self._times) >= self._taps:
            self._times = []
            self.triggered.emit()


def make_gesture(kind: str, window: QWidget, target: QWidget, hold_seconds: float) -> StaffGesture:
    """The gesture the config names: "hold-name" (default) or "corner-taps"."""
    if kind == "corner-taps":
        return CornerTaps(window, parent=window)
    return HoldGesture(target, int(hold_seconds * 1000), parent=window)
