"""The idle clock: "Are you still there?", then a reset.

No timer ticks while nobody touches the kiosk: one single-shot timer waits for
the idle time (and re-arms itself for the remainder if there was a touch in
between, so a touch costs a timestamp, not a timer restart), and the one-second
countdown runs only while the warning is up. After a reset the monitor sleeps
until the next touch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QMouseEvent

from kiosk.ui import appfilter

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TouchEnd,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)
#: What an idle clock is handed (``appfilter``): input, and moves (a move only
#: counts with a button down: ``is_input``).
WATCHED_EVENTS = frozenset({*INPUT_EVENTS, QEvent.Type.MouseMove})


def is_input(event: QEvent) -> bool:
    """A person at the screen: a press, a touch, a key, a wheel, or a finger
    (a button) dragging; a mouse hovering is not."""
    kind = event.type()
    if kind in INPUT_EVENTS:
        return True
    return (
        kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and bool(event.buttons())
    )


class IdleMonitor(QObject):
    """Watches every input event of the application.

    Signals:
        warning(int): the idle time is up; the countdown starts at this many seconds.
        tick(int): seconds left in the countdown.
        resumed(): someone touched the screen during the countdown.
        expired(): the countdown ran out: reset now.
    """

    warning = Signal(int)
    tick = Signal(int)
    resumed = Signal()
    expired = Signal()

    def __init__(
        self,
        idle_ms: int,
        countdown_s: int,
        *,
        tick_ms: int = 1000,
        should_warn: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.idle_ms = idle_ms
        self.countdown_s = countdown_s
        self._stretch = 1
        self._should_warn = should_warn
        self._clock = clock
        self._last_input = clock()
        self._left = 0
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self.on_idle_timeout)
        self._countdown = QTimer(self)
        self._countdown.setInterval(tick_ms)
        self._countdown.timeout.connect(self.on_countdown_tick)

    # -- state ----------------------------------------------------------------
    @property
    def armed(self) -> bool:
        return self._idle_timer.isActive() or self._countdown.isActive()

    @property
    def limit_ms(self) -> int:
        """The idle time now: ``idle_ms`` times the stretch."""
        return self.idle_ms * self._stretch

    @property
    def stretch(self) -> int:
        """How many times the clinic's idle time a patient has now (``set_stretch``)."""
        return self._stretch

    def set_stretch(self, factor: int) -> None:
        """Give a patient ``factor`` times the idle time (audio mode: 10); 1 is normal.
        A wait under way is counted again against the new limit."""
        self._stretch = factor
        if self._idle_timer.isActive():
            left_ms = self.limit_ms - (self._clock() - self._last_input) * 1000
            self._idle_timer.start(max(1, int(left_ms)))

    def start(self) -> None:
        """Watch the application's input (``listen``) and start the clock
        (``touch``; the kiosk's start leaves ``listen`` until after its first paint)."""
        self.listen()
        self.touch()

    def listen(self) -> None:
        """Any input anywhere in the application restarts the clock (an
        application-wide event filter)."""
        appfilter.install(self)

    def stop(self) -> None:
        appfilter.remove(self)
        self._idle_timer.stop()
        self._countdown.stop()

    def untouched_s(self) -> float:
        """Seconds since the last tap or key (or ``touch``)."""
        return self._clock() - self._last_input

    @property
    def last_touch(self) -> datetime:
        """When a patient last touched the screen (UTC), for the office's heartbeat."""
        return datetime.now(UTC) - timedelta(seconds=self.untouched_s())

    def touch(self) -> None:
        """Someone is here: restart the idle clock (and cancel a countdown)."""
        self._last_input = self._clock()
        if self._countdown.isActive():
            self._countdown.stop()
            self.resumed.emit()
        if not self._idle_timer.isActive():
            self._idle_timer.start(self.limit_ms)

    def sleep(self) -> None:
        """Nothing to forget: wait for the next touch with no timer running."""
        self._idle_timer.stop()
        self._countdown.stop()

    # -- events ---------------------------------------------------------------
    EVENTS = WATCHED_EVENTS  # what it is handed (``appfilter``)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if is_input(event):
            # A synthesised press reaches several widgets up the chain; one
            # timestamp is all it costs.
            self.touch()
        return False

    def on_idle_timeout(self) -> None:
        elapsed_ms = (self._clock() - self._last_input) * 1000
        if elapsed_ms < self.limit_ms:
            self._idle_timer.start(max(1, int(self.limit_ms - elapsed_ms)))
            return
        if not self._should_warn():
            self.sleep()
            return
        self._left = self.countdown_s
        self._countdown.start()
        self.warning.emit(self._left)

    def on_countdown_tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self.tick.emit(self._left)
            return
        self.sleep()
        self.expired.emit()
