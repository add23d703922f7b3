"""Pieces the staff screens share: the full-window overlay they sit in, an
inactivity clock, durations and times in words, labels, rows of choices."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from kiosk.ui import appfilter, widgets
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.idle import WATCHED_EVENTS, is_input
from kiosk.ui.metrics import FORM_GAP, SCREEN_MARGIN
from kiosk.ui.widgets import Choices, relabel

# The staff screens are as dense as the request form (kiosk/ui/metrics.py).
GAP = FORM_GAP
MARGIN = SCREEN_MARGIN


def in_words(seconds: float) -> str:
    """A wait as people say it: "4 seconds", "1 second", "4 min 58 s"."""
    whole = max(0, math.ceil(seconds))
    if whole < 60:
        return s.seconds(whole)
    minutes, rest = divmod(whole, 60)
    return s.MIN_SEC.format(m=minutes, s=rest) if rest else s.MINUTES.format(m=minutes)


def local_time(stamp: str, fmt: str = "%a %d %b %H:%M") -> str:
    """A stored UTC time (ISO 8601) in the kiosk's local time; as stored if unreadable."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return when.astimezone().strftime(fmt)


def text_label(text: str = "", object_name: str = "staffText", *, wrap: bool = True) -> QLabel:
    """``widgets.text_label`` with the staff screens' style name: what a patient
    typed is shown as typed."""
    return widgets.text_label(text, object_name, wrap=wrap)


class Inactivity(QObject):
    """Emits ``expired`` after ``timeout_ms`` without any input anywhere in the
    application. As the patients' idle clock, a touch costs a timestamp: the
    one single-shot timer re-arms itself for what is left when it fires.

    With ``warn_ms``, ``warning`` comes that long before ``expired``, and
    ``resumed`` when a touch comes after it.

    Signals:
        warning(int): ``expired`` comes in this many seconds without a touch.
        resumed(): someone touched the screen after ``warning``.
        expired(): nobody has touched the screen for ``timeout_ms``.
    """

    warning = Signal(int)
    resumed = Signal()
    expired = Signal()

    def __init__(
        self,
        timeout_ms: int,
        *,
        warn_ms: int = 0,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.timeout_ms = max(1, timeout_ms)
        self.warn_ms = max(0, min(warn_ms, self.timeout_ms - 1))
        self.warned = False
        self._clock = clock
        self._last = clock()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.on_timeout)
        self._watching = False

    def start(self) -> None:
        if not self._watching:
            appfilter.install(self)
            self._watching = True
        self.touch()

    def stop(self) -> None:
        if self._watching:
            appfilter.remove(self)
        self._watching = False
        self._timer.stop()
        self.warned = False

    def touch(self) -> None:
        self._last = self._clock()
        if self.warned:
            self.warned = False
            self.resumed.emit()
        if not self._timer.isActive():
            self._timer.start(self.timeout_ms - self.warn_ms)

    EVENTS = WATCHED_EVENTS  # what it is handed (``appfilter``), as the patients' clock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if is_input(event):
            self.touch()
        return False

    def on_timeout(self) -> None:
        left_ms = self.timeout_ms - (self._clock() - self._last) * 1000
        if left_ms < 1:
            self.stop()
            self.expired.emit()
            return
        if self.warn_ms and not self.warned and left_ms <= self.warn_ms + 1:
            self.warned = True
            self._timer.start(int(left_ms))
            self.warning.emit(max(1, math.ceil(left_ms / 1000)))
            return
        # Touched since: on to the warning's time (or the end, once warned).
        until = left_ms if self.warned else left_ms - self.warn_ms
        self._timer.start(max(1, int(until)))


class StaffOverlay(QWidget):
    """A full-window layer over everything, the top bar included: a child of
    the kiosk's window (no window of its own for the system to move), kept at
    the window's size and raised when shown."""

    def __init__(self, parent: QWidget, object_name: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAutoFillBackground(True)
        self.setGeometry(parent.rect())
        parent.installEventFilter(self)

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and watched is self.parentWidget()
            and isinstance(watched, QWidget)
        ):
            self.setGeometry(watched.rect())
        return False

    def detach(self) -> None:
        """Stop following the window (before the layer is deleted)."""
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)


class ChoiceRow(Choices):
    """The patients' ``Choices`` (exclusive toggle buttons that wrap), for the
    staff panel: something is always chosen (the first, or what was chosen
    before new options came), and wider cells.

    Signals:
        picked(str): a choice was tapped.
    """

    MIN_WIDTH = 220  # px: a choice narrower than this moves to the next row

    def __init__(self, options: Iterable[tuple[str, str]], object_name: str) -> None:
        super().__init__(options, object_name)
        self.min_choice_width = self.MIN_WIDTH
        self._choose_one()

    def set_options(self, options: Iterable[tuple[str, str]]) -> None:
        chosen = self.value()
        super().set_options(options)
        self._choose_one(chosen)

    def _choose_one(self, chosen: str = "") -> None:
        if chosen in self._buttons:
            self.set_value(chosen)
        elif not self.value() and self._buttons:
            self.buttons()[0].setChecked(True)

    def relabel(self, value: str, text: str) -> None:
        relabel(self.button_for(value), text)
        self._columns = 0
        self._relayout()
