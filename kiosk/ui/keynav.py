"""The kiosk without a touch: Tab, Enter and the arrow keys alone.

A switch or keypad accessory (or a keyboard under the counter) sends Tab,
Shift+Tab, Enter and arrows. Qt already moves the focus with Tab; this filter
adds what a kiosk needs on top:

- Enter (or Return) presses the focused button, tile or check box; in a
  one-line field it does what the field says Enter does (its returnPressed:
  the form's Continue, the PIN's Sign in), and only in a field that says
  nothing moves on to the next control.
- The arrow keys move the focus like Tab and Shift+Tab, except where they
  already mean something: inside a text field, and Up/Down in the page's text
  (they scroll it).
- Tab reaches every control, the unchosen one of a pair of choices too, and
  those of a bar hidden for a while (``REVEAL_ON_TAB``: the form's Back /
  Continue while the on-screen keyboard is open), which it shows.
- While an overlay (crisis help, "Are you still there?", the "Aa" card) is
  open, the focus stays inside it, as in a dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SIGNAL, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui import appfilter

_FORWARD = {Qt.Key.Key_Down, Qt.Key.Key_Right}
_BACKWARD = {Qt.Key.Key_Up, Qt.Key.Key_Left}
_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
#: A widget with this property set to True is hidden only for a while (the
#: form's bar, while the on-screen keyboard takes its room): Tab still reaches
#: its controls, and shows it on the way in.
REVEAL_ON_TAB = "revealOnTab"
#: A child of the window with this property set to True is drawn over the
#: screens but is no overlay: the focus stays with the controls under it (the
#: privacy screen, kiosk/ui/patient/keypad.py).
NOT_AN_OVERLAY = "notAnOverlay"


def _hidden_for_a_while(widget: QWidget) -> QWidget | None:
    """The hidden ``REVEAL_ON_TAB`` ancestor that alone hides ``widget``, or None."""
    holder = widget.parentWidget()
    while holder is not None:
        if holder.property(REVEAL_ON_TAB) is True and holder.isHidden():
            outer = holder.parentWidget()
            shown = outer is None or outer.isVisible()
            return holder if shown and widget.isVisibleTo(holder) else None
        holder = holder.parentWidget()
    return None


def focusable(widget: QWidget) -> bool:
    """A control the keyboard may reach. Qt takes the focus policy away from
    the unchosen buttons of an exclusive group (as for radio buttons), so a
    switch user with Tab alone could never reach "Español": they count too."""
    if not widget.isEnabled():
        return False
    if not widget.isVisible() and _hidden_for_a_while(widget) is None:
        return False
    if isinstance(widget, QAbstractButton) and widget.group() is not None:
        return True
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


class KeyNavigation(QObject):
    """Installed on the application for one window; ``overlays`` says which of
    the window's overlays are open (the topmost last)."""

    def __init__(self, window: QWidget, overlays: Callable[[], list[QWidget]]) -> None:
        super().__init__(window)
        self._window = window
        self._overlays = overlays
        #: Was the last thing the patient did a key press (not a tap)? An
        #: overlay opened from the keyboard takes the focus; one opened by a
        #: tap must not (a focus ring would be left for the next patient).
        self.by_keyboard = False

    #: What it is handed (``appfilter``).
    EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.by_keyboard = False
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        self.by_keyboard = True
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if event.modifiers() & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        ):
            return False
        return self._handle(event)

    def _handle(self, event: QKeyEvent) -> bool:
        # At a key press, not at import: the text widgets' classes (about 1.5 ms)
        # are not on the way to the first painted screen, which has none.
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextBrowser

        key = Qt.Key(event.key())
        focused = self._window.focusWidget()
        overlay = self._top_overlay()
        if overlay is not None and (focused is None or not overlay.isAncestorOf(focused)):
            # An overlay just opened over the control that opened it: go in.
            if key in _ENTER | _FORWARD | _BACKWARD | {Qt.Key.Key_Tab, Qt.Key.Key_Backtab}:
                self._move(overlay, None, forward=True)
                return True
            return False
        if key in _ENTER:
            if isinstance(focused, QAbstractButton) and focused.isEnabled():
                focused.animateClick()
                return True
            if isinstance(focused, QLineEdit):
                if focused.receivers(SIGNAL("returnPressed()")) > 0:
                    return False  # the field's own Enter (the form's Continue)
                self._step(overlay, focused, forward=True)
                return True
            return False
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if isinstance(focused, (QTextBrowser, QPlainTextEdit)):
                return False  # Tab goes through the page's links, then on
            backward = key == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            # Our own walk of the focus chain: Qt's skips the unchosen buttons
            # of a group (English / Español), which Tab alone could then not reach.
            self._step(overlay, focused, forward=not backward)
            return True
        if key in _FORWARD | _BACKWARD:
            if isinstance(focused, (QLineEdit, QPlainTextEdit)):
                return False  # the cursor moves in the text
            if isinstance(focused, QTextBrowser) and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                return False  # scrolls the page's text
            self._step(overlay, focused, forward=key in _FORWARD)
            return True
        return False

    def _top_overlay(self) -> QWidget | None:
        shown = self._overlays()
        return shown[-1] if shown else None

    def _step(self, overlay: QWidget | None, focused: QWidget | None, *, forward: bool) -> None:
        if overlay is not None:
            self._move(overlay, focused, forward=forward)
            return
        start = focused or self._window
        target = start.nextInFocusChain() if forward else start.previousInFocusChain()
        for _ in range(1000):  # the chain is a ring; stop at the first control we can use
            if target is None or target is start:
                return
            if focusable(target) and target.window() is self._window:
                holder = _hidden_for_a_while(target)
                if holder is not None:
                    holder.show()  # a hidden widget cannot take the focus
                target.setFocus(
                    Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
                )
                return
            target = target.nextInFocusChain() if forward else target.previousInFocusChain()

    @staticmethod
    def _move(overlay: QWidget, focused: QWidget | None, *, forward: bool) -> None:
        """Round the overlay's own controls, in their order on screen."""
        controls = [w for w in overlay.findChildren(QWidget) if focusable(w)]
        if not controls:
            return
        controls.sort(
            key=lambda w: (
                w.mapTo(overlay, w.rect().topLeft()).y(),
                w.mapTo(overlay, w.rect().topLeft()).x(),
            )
        )
        if focused in controls:
            index = controls.index(focused) + (1 if forward else -1)
        else:
            index = 0 if forward else -1
        controls[index % len(controls)].setFocus(Qt.FocusReason.TabFocusReason)


def install(nav: KeyNavigation) -> None:
    """On the application: keys pressed in any of the window's widgets."""
    appfilter.install(nav)
