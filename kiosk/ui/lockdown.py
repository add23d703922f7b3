"""What a patient must not reach: context menus, drag and drop, Escape, Alt+F4.

The window's own close is refused in ``KioskWindow.closeEvent``; keys the
operating system grabs first (Ctrl+Alt+Del, Alt+Tab, the Super key) are the
deployment's job: see docs/deploy.md.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

BLOCKED_EVENTS = frozenset(
    {
        QEvent.Type.ContextMenu,
        QEvent.Type.DragEnter,
        QEvent.Type.DragMove,
        QEvent.Type.Drop,
    }
)


def is_blocked_key(event: QKeyEvent) -> bool:
    key = event.key()
    mods = event.modifiers()
    if key == Qt.Key.Key_Escape:
        return True
    if key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier:
        return True
    # Ctrl+Q / Ctrl+W: nothing handles them, but no widget should either.
    return bool(mods & Qt.KeyboardModifier.ControlModifier and key in (Qt.Key.Key_Q, Qt.Key.Key_W))


class LockdownFilter(QObject):
    """An application-wide event filter that swallows what a patient must not use."""

    #: What it is handed (``appfilter``).
    EVENTS = frozenset({*BLOCKED_EVENTS, QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in BLOCKED_EVENTS:
            event.ignore()
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            return is_blocked_key(event)
        return False
