"""Touch exploration in audio mode (issue 15): one finger moving over the
screen speaks what is under it, which takes the focus (audio mode speaks the
focus wherever it goes); a double tap chooses it, as VoiceOver and TalkBack
do. A single tap chooses nothing, so a patient who cannot see may feel their
way round the screen safely.

What is under the finger is the control there (a focusable widget, or one of
the on-screen keyboard's keys, which never take the focus: the text box keeps
it), found as keyboard navigation would reach it (``keynav.focusable``). A
double tap anywhere chooses the control last found, or else the one with the
focus (moved there by the keypad, say). A quick flick sideways (right: the
next control, left: the previous) moves the focus as Tab does, so "swipe to
move" (the welcome's words) works wherever the finger is.

Only while audio mode is on; otherwise touches are passed on as always (taps,
kinetic scrolling, swipes). Qt makes mouse events of the touches for widgets
that do not take touches themselves, which the patient's screens do not: those
are what is handled. A widget that does take touches (the clinic's name,
where staff mode's hold listens) still gets them, so staff mode stays within
reach.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.ui import keynav
from kiosk.ui.patient.audio import Voice
from kiosk.ui.patient.keyboard import GO_KEYS, SHIFT, Key
from kiosk.ui.touch import SWIPE_MIN_PX, SWIPE_RATIO

#: A flick is quick: a finger sliding sideways slower than this explores.
FLICK_MAX_MS = 300

_TOUCH_AS_MOUSE = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
    }
)


def control_at(window: QWidget, position: QPoint) -> QWidget | None:
    """The control under ``position`` (in ``window``'s coordinates), or None.
    ``childAt`` passes over what takes no mouse input (the privacy screen)."""
    widget = window.childAt(position)
    while widget is not None and widget is not window:
        if keynav.focusable(widget):
            return widget
        if isinstance(widget, QAbstractButton) and widget.isVisible() and widget.isEnabled():
            return widget  # an on-screen key: a control, though it never takes the focus
        widget = widget.parentWidget()
    return None


class TouchExplorer(QObject):
    """The application-wide filter for one window. ``activity`` is called for
    each touch it takes (the idle clock: a patient exploring is there)."""

    def __init__(
        self, window: QWidget, voice: Voice, *, activity: Callable[[], None] = lambda: None
    ) -> None:
        super().__init__(window)
        self._window = window
        self._voice = voice
        self._activity = activity
        #: The control last found under the finger, spoken already.
        self.found: QWidget | None = None
        # Where and when the finger came down, and what had the focus before
        # (a flick gives it back, then moves on from it).
        self._down: tuple[QPoint, int, QWidget | None] | None = None

    #: What it is handed (``appfilter``).
    EVENTS = frozenset(_TOUCH_AS_MOUSE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _TOUCH_AS_MOUSE or not isinstance(event, QMouseEvent):
            return False
        if not self._voice.audible or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._window:
            return False
        if not self._voice.speaks_for(watched):
            return False  # staff mode: touched as ever, and nothing said
        if watched.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents):
            return False  # it takes touches itself (staff mode's hold on the name)
        if kind == QEvent.Type.MouseMove and not event.buttons():
            return False  # a mouse hovering: no finger on the screen
        self._activity()
        at = self._window.mapFromGlobal(event.globalPosition().toPoint())
        if kind == QEvent.Type.MouseButtonDblClick:
            self.choose()
        elif kind == QEvent.Type.MouseButtonRelease:
            self._lifted(at, event.timestamp())
        else:
            if kind == QEvent.Type.MouseButtonPress:
                self.found = None  # a new touch speaks what it lands on, even the same
                self._down = (at, event.timestamp(), self._window.focusWidget())
            self.explore(at)
        # Taken, whatever it was: no press, click or drag reaches the widget.
        return True

    def explore(self, position: QPoint) -> None:
        """Speak the control at ``position`` (the window's coordinates) once the
        finger comes onto it; it takes the focus if it can."""
        control = control_at(self._window, position)
        if control is None or control is self.found:
            return
        self.found = control
        if keynav.focusable(control) and not control.hasFocus():
            control.setFocus(Qt.FocusReason.OtherFocusReason)  # audio mode says it, as it follows
            return
        self._voice.say(self._voice.describe(control))

    def _lifted(self, at: QPoint, timestamp: int) -> None:
        """A quick sideways flick: the focus back where it was, then on as Tab
        (or Shift+Tab) takes it, through keyboard navigation."""
        down, self._down = self._down, None
        if down is None:
            return
        start, since, before = down
        dx, dy = at.x() - start.x(), at.y() - start.y()
        if abs(dx) < SWIPE_MIN_PX or abs(dx) < SWIPE_RATIO * abs(dy):
            return
        if timestamp - since > FLICK_MAX_MS:
            return
        if before is not None and before.isVisible():
            before.setFocus(Qt.FocusReason.OtherFocusReason)
        self.found = None
        key = Qt.Key.Key_Tab if dx > 0 else Qt.Key.Key_Backtab
        target = self._window.focusWidget() or self._window
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # as a key sends them
            QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))

    def _type(self, key: Key) -> None:
        """A key of the on-screen keyboard double-tapped: it types, and what it
        typed is said ("capital A", "dot", "Delete"), as the keypad says it;
        Shift with its state; Next and Done move the focus, which is said there."""
        said = key.spoken()  # before a one-shot Shift relabels the keys
        key.click()
        if key.identity == SHIFT:
            said = self._voice.describe(key)
        if key.identity not in GO_KEYS:
            self._voice.say(said)

    def choose(self) -> None:
        """The double tap: press the control found (or the focused one)."""
        target = self.found
        if target is None or not target.isVisible():
            target = self._window.focusWidget()
        if isinstance(target, Key) and target.isEnabled():
            self._type(target)
        elif isinstance(target, QAbstractButton) and target.isEnabled():
            target.click()
        # A text box has the focus (and its keyboard) already: nothing more.
        self.found = None  # what the choice brought (a new screen) is explored anew
