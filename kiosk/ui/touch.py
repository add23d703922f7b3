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
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QScroller,
    QScrollerProperties,
    QWidget,
)

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
        self._stopping = False  # this touch stopped a fling: it is not a tap
        self._viewport.installEventFilter(self)

    def track(self, widget: QWidget) -> None:
        """Also drag-scroll when the finger lands on ``widget`` (a tile inside the
        scroll area, which takes the press before the viewport sees it)."""
        widget.installEventFilter(self)

    def stop(self) -> None:
        """Stop any fling in progress (a page turn or a reset)."""
        self._scroller.stop()
        self._press = None

    @property
    def scrolling(self) -> bool:
        return bool(self._scroller.state() == QScroller.State.Scrolling)

    def _at(self, event: QMouseEvent) -> QPointF:
        """The finger's position in the viewport, whichever widget got the event."""
        return QPointF(self._viewport.mapFromGlobal(event.globalPosition()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not isinstance(event, QMouseEvent):
            return False
        if kind == QEvent.Type.MouseButtonPress:
            # A finger on a coasting page stops it, as on any phone; that touch
            # is not a tap on the link or tile that happens to pass under it,
            # but it may go on to drag.
            self._stopping = self.scrolling
            if self._stopping:
                self._scroller.stop()
            self._press = self._at(event)
            self._press_ms = event.timestamp()
            self._dragged = False
            self._scroller.handleInput(QScroller.Input.InputPress, self._press, event.timestamp())
            return self._stopping  # otherwise let a tap arm the link or button
        if self._press is None:
            return False
        position = self._at(event)
        if kind == QEvent.Type.MouseMove:
            delta = position - self._press
            if not self._dragged and max(abs(delta.x()), abs(delta.y())) > TAP_SLOP_PX:
                self._dragged = True
                if isinstance(watched, QAbstractButton):
                    watched.setDown(False)  # a drag that began on a tile is not a tap
            self._scroller.handleInput(QScroller.Input.InputMove, position, event.timestamp())
            return True  # never select text by dragging
        if kind == QEvent.Type.MouseButtonRelease:
            delta = position - self._press
            elapsed = event.timestamp() - self._press_ms
            self._press = None
            self._scroller.handleInput(QScroller.Input.InputRelease, position, event.timestamp())
            if (
                self._swipes
                and abs(delta.x()) >= SWIPE_MIN_PX
                and abs(delta.x()) >= SWIPE_RATIO * abs(delta.y())
                and elapsed <= SWIPE_MAX_MS
            ):
                self._scroller.stop()
                self.swiped.emit(1 if delta.x() < 0 else -1)
                return True
            # A drag, or the touch that stopped a fling, is not a tap on what
            # lies under the finger.
            return self._dragged or self._stopping
        return False
