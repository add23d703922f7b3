"""One-finger kinetic scrolling and swipes for a scroll area.

Why not ``QScroller.grabGesture``: its gesture recogniser swallows and delays
the press, so a swipe detector on the same viewport never sees the drag. Here
one event filter feeds the viewport's QScroller by hand (``handleInput``) and
watches the same drag for a horizontal swipe. A touch screen's touches reach
us as synthesised mouse events (Qt's default for widgets that do not accept
touch), so mouse events are all there is to handle. Qt's QSwipeGesture needs
three fingers, hence a swipe of our own.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractScrollArea, QScroller, QScrollerProperties

TAP_SLOP_PX = 12  # a finger moving less than this is still a tap
SWIPE_MIN_PX = 90  # horizontal travel that turns a page
SWIPE_MAX_MS = 900  # a slower drag is reading, not a swipe
SWIPE_RATIO = 1.6  # horizontal travel must beat vertical travel by this much


class TouchScroller(QObject):
    """Kinetic scrolling on ``area``; emits ``swiped(+1)`` for a swipe to the
    left (next) and ``swiped(-1)`` for a swipe to the right (previous).

    Signals:
        swiped(int): +1 for next, -1 for previous.
    """

    swiped = Signal(int)

    def __init__(self, area: QAbstractScrollArea, *, swipes: bool = False) -> None:
        super().__init__(area)
        self._viewport = area.viewport()
        self._swipes = swipes
        self._scroller = QScroller.scroller(self._viewport)
        props = self._scroller.scrollerProperties()
        off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        props.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.DragStartDistance, 0.002)
        self._scroller.setScrollerProperties(props)
        self._press: QPointF | None = None
        self._press_ms = 0
        self._dragged = False
        self._swallow = False  # the rest of a touch that stopped a fling
        self._viewport.installEventFilter(self)

    def stop(self) -> None:
        """Stop any fling in progress (a page turn or a reset)."""
        self._scroller.stop()
        self._press = None
        self._swallow = False

    @property
    def scrolling(self) -> bool:
        return bool(self._scroller.state() == QScroller.State.Scrolling)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if self._scroller.state() == QScroller.State.Scrolling:
                # A finger on a coasting page stops it, as on any phone; it is
                # not a tap on the link that happens to pass under it.
                self._scroller.stop()
                self._swallow = True
                return True
            self._press = event.position()
            self._press_ms = event.timestamp()
            self._dragged = False
            self._scroller.handleInput(
                QScroller.Input.InputPress, event.position(), event.timestamp()
            )
            return False  # let a tap on a link arm the click
        if self._swallow and kind in (QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease):
            if kind == QEvent.Type.MouseButtonRelease:
                self._swallow = False
            return True
        if self._press is None or not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseMove:
            delta = event.position() - self._press
            if abs(delta.x()) > TAP_SLOP_PX or abs(delta.y()) > TAP_SLOP_PX:
                self._dragged = True
            self._scroller.handleInput(
                QScroller.Input.InputMove, event.position(), event.timestamp()
            )
            return True  # never select text by dragging
        if kind == QEvent.Type.MouseButtonRelease:
            delta = event.position() - self._press
            elapsed = event.timestamp() - self._press_ms
            self._press = None
            self._scroller.handleInput(
                QScroller.Input.InputRelease, event.position(), event.timestamp()
            )
            if (
                self._swipes
                and abs(delta.x()) >= SWIPE_MIN_PX
                and abs(delta.x()) >= SWIPE_RATIO * abs(delta.y())
                and elapsed <= SWIPE_MAX_MS
            ):
                self._scroller.stop()
                self.swiped.emit(1 if delta.x() < 0 else -1)
                return True
            return self._dragged  # a drag is not a tap on what lies under the finger
        return False
