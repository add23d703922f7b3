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

import contextlib
import functools
import weakref

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication


class _Gate(QObject):
    # Weak references, as Qt's own list is: a filter on the application is not
    # kept alive by it (a window's keyboard navigation holds the window).
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._refs: list[weakref.ref[QObject]] = []  # the order they see an event

    @property
    def filters(self) -> list[QObject]:
        return [watcher for ref in self._refs if (watcher := ref()) is not None]

    def add(self, watcher: QObject) -> None:
        known = self._find(watcher)
        if known is None:
            known = weakref.ref(watcher)
            watcher.destroyed.connect(functools.partial(self._drop, known))
        # A new list each time, never changed in place: an event being handed
        # on goes through the list it started with (see eventFilter).
        self._refs = [known, *(ref for ref in self._refs if ref is not known)]
        if len(self._refs) == 1:
            self._app.installEventFilter(self)

    def remove(self, watcher: QObject) -> None:
        self._drop(self._find(watcher))

    def _find(self, watcher: QObject) -> weakref.ref[QObject] | None:
        return next((ref for ref in self._refs if ref() is watcher), None)

    def _drop(self, ref: weakref.ref[QObject] | None, *_destroyed: object) -> None:
        if ref is None or not any(known is ref for known in self._refs):
            return
        self._refs = [known for known in self._refs if known is not ref]
        if not self._refs:
            # (RuntimeError: the application, and this gate, going first at exit)
            with contextlib.suppress(RuntimeError):
                self._app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        refs = self._refs
        for ref in refs:
            # One removed (or destroyed) by an earlier one, this same event: skipped.
            if self._refs is not refs and not any(known is ref for known in self._refs):
                continue
            watcher = ref()
            if watcher is None:
                self._drop(ref)
            elif watcher.eventFilter(watched, event):
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
    return gate.filters if gate is not None else []
