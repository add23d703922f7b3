"""Published revisions into live reload: the GUI thread's half of
``kiosk.office.apply``.

The updater verifies and checks a revision on the sender's thread and hands it
over here through a queued signal; live reload reads it like any change and
applies it at a safe moment (home with nothing open, the idle reset, crisis help
closed: never under a patient reading). What live reload did with it goes back
to the updater: on screen (``on_screen``), or refused (``not_applied``: rolled
back). Made only on an enrolled kiosk, after the first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.ui.reload import LiveReload

if TYPE_CHECKING:
    from kiosk.office.apply import Staged, Updater


class RevisionSwitch(QObject):
    """Signals:
    staged(Staged): from the sender's thread; queued to this (the GUI) thread.
    """

    staged = Signal(object)

    def __init__(self, reload: LiveReload) -> None:
        super().__init__(reload)
        self._reload = reload
        self.updater: Updater | None = None  # set on the link's start thread, before it runs
        self._waiting: Staged | None = None  # switched to, not yet applied or refused
        # Queued even from this thread: a rollback handed over while live reload is
        # still in its check must not start another check inside it.
        self.staged.connect(self._switch, Qt.ConnectionType.QueuedConnection)
        reload.applied.connect(self._applied)
        reload.refused.connect(self._refused)

    def hand_over(self, staged: Staged) -> None:
        """Any thread: ``staged`` is to be shown."""
        self.staged.emit(staged)

    @Slot(object)
    def _switch(self, staged: Staged) -> None:
        self._waiting = staged
        self._reload.switch(staged.paths)

    def _applied(self) -> None:
        staged, self._waiting = self._waiting, None
        if staged is not None and self.updater is not None:
            self.updater.on_screen(staged.number, self._reload.window.library)

    def _refused(self, why: str) -> None:
        staged, self._waiting = self._waiting, None
        if staged is not None and staged.number is not None and self.updater is not None:
            self.updater.not_applied(staged.number, why)
