"""The kiosk's application-wide event filters, as one filter on the application.

Qt hands every event of the GUI thread to each filter installed on the
application; a filter written in Python costs a crossing from C++ into
Python each time, with the event and its receiver wrapped. The running
kiosk has up to six (keyboard navigation, the idle clock, lockdown, the
staff gesture, the keypad and touch exploration): six crossings for each
paint, layout and timer event of a page turn. Installed through ``install``,
they are one filter on the application, which hands each event to each of
them in Python, in Qt's own order: the last installed sees an event first,
and one that takes it (returns True) ends it for the rest. A filter
destroyed is forgotten, as Qt forgets its own.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication


class _Gate(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self.filters: list[QObject] = []  # the order they see an event
        self._tracked: list[QObject] = []  # whose destruction drops them

    def add(self, watcher: QObject) -> None:
        if self._has(self.filters, watcher):
            self._drop_from(self.filters, watcher)
        if not self._has(self._tracked, watcher):
            self._tracked.append(watcher)
            watcher.destroyed.connect(functools.partial(self._destroyed, watcher))
        self.filters.insert(0, watcher)
        if len(self.filters) == 1:
            self._app.installEventFilter(self)

    def remove(self, watcher: QObject) -> None:
        if not self._has(self.filters, watcher):
            return
        self._drop_from(self.filters, watcher)
        if not self.filters:
            self._app.removeEventFilter(self)

    def _destroyed(self, watcher: QObject, *_args: object) -> None:
        self._drop_from(self._tracked, watcher)
        try:
            self.remove(watcher)
        except RuntimeError:  # the application (and this gate) going first, at exit
            self.filters = []

    @staticmethod
    def _has(items: list[QObject], watcher: QObject) -> bool:
        return any(item is watcher for item in items)

    @staticmethod
    def _drop_from(items: list[QObject], watcher: QObject) -> None:
        items[:] = [item for item in items if item is not watcher]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        filters = self.filters
        for watcher in tuple(filters):
            # One removed (or destroyed) by an earlier one, this same event: skipped.
            if self.filters is filters and not self._has(filters, watcher):
                continue
            if watcher.eventFilter(watched, event):
                return True
        return False


def _gate(create: bool) -> _Gate | None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    found = app.findChild(_Gate, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if found is None and create:
        found = _Gate(app)
    return found


def install(watcher: QObject) -> None:
    """``watcher.eventFilter`` sees every event of the application, before
    those installed earlier (``QApplication.installEventFilter``'s order)."""
    gate = _gate(create=True)
    if gate is not None:
        gate.add(watcher)


def remove(watcher: QObject) -> None:
    """``watcher`` sees no more events; nothing when it was not installed."""
    gate = _gate(create=False)
    if gate is not None:
        gate.remove(watcher)


def installed() -> list[QObject]:
    """The filters installed, the one that sees an event first first."""
    gate = _gate(create=False)
    return list(gate.filters) if gate is not None else []
