"""What the office sees of this kiosk's screen (issue 16, point 4): a picture that
cannot leak what a patient typed.

The sender's thread (``kiosk.office.look.Looks``) calls ``RemoteLook.take``, which
asks the GUI thread through a queued signal and waits for the answer:

- staff mode open (the panel shows enquiries; the PIN pad a PIN): its name only;
- the request form with any typing in it (any text field not empty, on any step,
  whatever is over it): the screen's name and "a patient is typing: no picture";
- otherwise the screen's name and the window rendered (``QWidget.grab``) with every
  form field, the check step's answers, the thank-you's sentences, the on-screen
  keyboard and any editable text painted over as solid grey bars in the image: the
  pixels under them are gone, not merely hidden text.

The names are in English for the office, whatever the patient's language.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPoint, QRect, Qt, Signal, Slot
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from kiosk.ui.patient.overlays import CrisisOverlay, DisplayOverlay, IdleOverlay, Overlay
from kiosk.ui.patient.request import STEPS, RequestScreen
from kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)

#: The bars' colour: one solid grey, so a blanked field is the same pixels whatever
#: was in it.
BAR = QColor(128, 128, 128)
TAKE_TIMEOUT_S = 5.0
STAFF_PANEL = "staff panel"
STAFF_SIGN_IN = "staff sign-in"
TYPING = "{screen} (a patient is typing: no picture)"


@dataclass(frozen=True)
class Look:
    """The screen's name, and the blanked picture (PNG), or None."""

    screen: str
    picture: bytes | None


class StaffScreens(Protocol):
    """What staff mode has open (``kiosk.ui.staff.mode.StaffMode``), read here without
    importing it."""

    @property
    def pad(self) -> object | None: ...

    @property
    def setup(self) -> object | None: ...

    @property
    def panel(self) -> object | None: ...


def staff_screen(staff: StaffScreens | None) -> str | None:
    """The name of what staff mode shows over the kiosk (None: nothing)."""
    if staff is None:
        return None
    if staff.panel is not None:
        return STAFF_PANEL
    if staff.pad is not None or staff.setup is not None:
        return STAFF_SIGN_IN
    return None


def _overlay_name(overlay: Overlay) -> str:
    if isinstance(overlay, CrisisOverlay):
        return "crisis help"
    if isinstance(overlay, IdleOverlay):
        return '"Are you still there?"'
    if isinstance(overlay, DisplayOverlay):
        return "text size and contrast"
    return '"Leave this form?"'  # the one overlay of the form's own


def screen_name(window: KioskWindow) -> str:
    """ "home", "page: Ketamine and depression", "request form, step 2", with what is
    open over it ("…, with crisis help open")."""
    page = window.current_page
    forms = [r for r in window.findChildren(RequestScreen) if r is window.stack.currentWidget()]
    if page is not None:
        name = f"page: {page.title}"
    elif forms and forms[0].views.currentWidget() is forms[0].thanks_view:
        name = "request form, thank-you"
    elif forms:
        name = f"request form, step {forms[0].step + 1} of {len(STEPS)}"
    else:
        name = "home"
    over = [_overlay_name(o) for o in window.open_overlays() if isinstance(o, Overlay)]
    return f"{name}, with {' and '.join(over)} open" if over else name


def _private_widgets(window: KioskWindow) -> Iterator[QWidget]:
    """Every widget whose pixels could show what a patient typed or chose."""
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLineEdit) or (
            isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly()
        ):
            yield widget
    for form in window.findChildren(RequestScreen):
        yield from (f.control for f in form.fields.values())  # choices and consent too
        yield from (row.answer for row in form.answers.values())
        yield from (form.thanks_text, form.thanks_when, form.count_label)
        if form.keyboard is not None:
            yield form.keyboard


def _on_screen(widget: QWidget, window: KioskWindow) -> QRect:
    """The part of ``widget`` the window shows, in the window's coordinates: its
    rectangle clipped by each parent (a field half scrolled out of its viewport is
    barred only where it shows, never over the bar below)."""
    if not widget.isVisibleTo(window):
        return QRect()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(window.rect())


def blanked(window: KioskWindow) -> QImage:
    """The window as it is on screen, with every private widget a solid grey bar."""
    image = window.grab().toImage()
    painter = QPainter(image)
    try:
        for widget in _private_widgets(window):
            rect = _on_screen(widget, window)
            if not rect.isEmpty():
                painter.fillRect(rect, BAR)
    finally:
        painter.end()
    return image


def png(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # A writer rather than QImage.save, whose format PySide takes only as str at run
    # time and only as bytes in its stubs.
    if not QImageWriter(buffer, QByteArray(b"PNG")).write(image):
        raise OSError("the screen could not be written as PNG")
    return bytes(buffer.data().data())


def look(window: KioskWindow, staff: str | None) -> Look:
    """What the office gets: ``staff`` (what staff mode shows) alone; with typing in
    the form, its name alone; otherwise the name and the blanked picture."""
    if staff is not None:
        return Look(staff, None)
    name = screen_name(window)
    if any(form.has_typing() for form in window.findChildren(RequestScreen)):
        return Look(TYPING.format(screen=name), None)
    return Look(name, png(blanked(window)))


@dataclass
class _Pending:
    """One request crossing from the sender's thread to the GUI thread and back."""

    done: threading.Event = field(default_factory=threading.Event)
    look: Look | None = None


class RemoteLook(QObject):
    """Made on the GUI thread; ``take`` is called from the sender's."""

    _asked = Signal(object)

    def __init__(self, window: KioskWindow, staff: Callable[[], str | None]) -> None:
        super().__init__(window)
        self._window = window
        self._staff = staff
        self._asked.connect(self._answer, Qt.ConnectionType.QueuedConnection)

    def take(self, timeout_s: float = TAKE_TIMEOUT_S) -> Look | None:
        """The screen now, from the GUI thread (None: no answer within ``timeout_s``)."""
        pending = _Pending()
        self._asked.emit(pending)
        return pending.look if pending.done.wait(timeout_s) else None

    @Slot(object)
    def _answer(self, pending: _Pending) -> None:
        try:
            pending.look = look(self._window, self._staff())
        except Exception:
            # Logged here, not left to the kiosk's recovery hook: a failed look must
            # never reset the screen under a patient. The office is told none came.
            log.exception("office look: the screen could not be taken")
        finally:
            pending.done.set()
