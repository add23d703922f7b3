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

A filter names the events it acts on in a class attribute, ``EVENTS`` (a
frozenset of ``QEvent.Type``): the others (a page turn's paints, layouts and
timers, nine in ten of its events) are not handed to it, and an event none of
the filters names costs one look at its type. A filter without ``EVENTS`` is
handed every event.
"""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Set

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication


class _Gate(QObject):
    # Weak references, as Qt's own list is: a filter on the application is not
    # kept alive by it (a window's keyboard navigation holds the window).
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        # Each filter's reference and its EVENTS (None: every event), in the
        # order they see an event; and the union of their EVENTS.
        self._entries: list[tuple[weakref.ref[QObject], Set[QEvent.Type] | None]] = []
        self._wanted: Set[QEvent.Type] | None = frozenset()
        # Those whose ``destroyed`` is connected already: installed again after
        # a remove, a filter is not connected once more (weakref.ref(x) is the
        # same reference each time, and each connection would call _drop).
        self._watched: weakref.WeakSet[QObject] = weakref.WeakSet()

    @property
    def filters(self) -> list[QObject]:
        return [watcher for ref, _ in self._entries if (watcher := ref()) is not None]

    def add(self, watcher: QObject) -> None:
        known = self._find(watcher) or weakref.ref(watcher)
        if watcher not in self._watched:
            self._watched.add(watcher)
            watcher.destroyed.connect(functools.partial(self._drop, known))
        events = getattr(watcher, "EVENTS", None)
        entry = (known, frozenset(events) if events is not None else None)
        self._swap([entry, *(kept for kept in self._entries if kept[0] is not known)])
        if len(self._entries) == 1:
            self._app.installEventFilter(self)

    def remove(self, watcher: QObject) -> None:
        self._drop(self._find(watcher))

    def _find(self, watcher: QObject) -> weakref.ref[QObject] | None:
        return next((ref for ref, _ in self._entries if ref() is watcher), None)

    def _drop(self, ref: weakref.ref[QObject] | None, *_destroyed: object) -> None:
        if ref is None or not any(known is ref for known, _ in self._entries):
            return
        self._swap([kept for kept in self._entries if kept[0] is not ref])
        if not self._entries:
            # (RuntimeError: the application, and this gate, going first at exit)
            with contextlib.suppress(RuntimeError):
                self._app.removeEventFilter(self)

    def _swap(self, entries: list[tuple[weakref.ref[QObject], Set[QEvent.Type] | None]]) -> None:
        # A new list each time, never changed in place: an event being handed
        # on goes through the list it started with (see eventFilter).
        self._entries = entries
        wanted: set[QEvent.Type] = set()
        for _, events in entries:
            if events is None:
                self._wanted = None
                return
            wanted |= events
        self._wanted = frozenset(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        wanted = self._wanted
        if wanted is not None and kind not in wanted:
            return False
        entries = self._entries
        for ref, events in entries:
            if events is not None and kind not in events:
                continue
            # One removed (or destroyed) by an earlier one, this same event: skipped.
            if self._entries is not entries and not any(k is ref for k, _ in self._entries):
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
    """``watcher.eventFilter`` sees the application's events of the types in
    its ``EVENTS`` (every event, without one), before the filters installed
    earlier (``QApplication.installEventFilter``'s order)."""
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
