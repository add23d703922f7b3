"""Cards over the screen: crisis help, the idle warning, the text size and contrast."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import i18n
from kiosk.ui.i18n import strings
from kiosk.ui.metrics import CARD_WIDTH, CONTROL_GAP, SCREEN_MARGIN
from kiosk.ui.theme import CONTRASTS, TEXT_SIZES
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import Choices, announce, button, centred, relabel, text_label


class _FillParent(QObject):
    """Keeps an overlay the size of its parent."""

    def __init__(self, overlay: QWidget) -> None:
        super().__init__(overlay)
        self._overlay = overlay
        parent = overlay.parentWidget()
        assert parent is not None
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self._overlay.setGeometry(watched.rect())
        return False


class _FitScrollArea(QScrollArea):
    """A scroll area as tall as its content wants (height for width), so a
    short text needs no scrolling; the layout may squeeze it, and then it scrolls."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setObjectName("overlayBodyArea")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard goes to the buttons
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        content = self.widget()
        return content.heightForWidth(width) if content is not None else 0

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint()
        return QSize(hint.width(), self.heightForWidth(max(hint.width(), self.width())))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 96)


class Overlay(QWidget):
    """A card over a dimmed screen, inside the kiosk's own window (no dialog
    window the operating system could show elsewhere)."""

    def __init__(self, parent: QWidget, title: str, role: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._fill = _FillParent(self)
        self.card = QWidget()
        self.card.setObjectName("overlayCard")
        self.card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        if role:
            self.card.setProperty("role", role)
        self.card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(36, 32, 36, 32)
        self.card_layout.setSpacing(20)
        self.title = text_label(title, "overlayTitle")
        self.card_layout.addWidget(self.title)
        self.body = text_label("", "overlayBody")
        # The body scrolls when it is taller than the screen leaves room for
        # (crisis help at the largest text size); otherwise it is simply shown.
        self.body_area = _FitScrollArea()
        holder = QWidget()
        holder.setObjectName("overlayBodyHolder")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.body)
        self.body_area.setWidget(holder)
        # Its finger scrolling is set up on first open: three overlays' worth
        # of QScroller is not on the way to the first screen.
        self._body_scroller: TouchScroller | None = None
        self.card_layout.addWidget(self.body_area, 1)
        # Buttons side by side, or one above the other when they do not fit.
        self.buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.buttons.setSpacing(CONTROL_GAP)
        self.card_layout.addLayout(self.buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN)
        outer.addStretch(1)
        outer.addLayout(centred(self.card, CARD_WIDTH))
        outer.addStretch(1)
        self.setGeometry(parent.rect())
        self.hide()

    def add_button(self, widget: QPushButton) -> None:
        self.buttons.addStretch(1)
        self.buttons.addWidget(widget)
        self.buttons.addStretch(1)

    def _fit_buttons(self) -> None:
        shown: list[QWidget] = []
        for index in range(self.buttons.count()):
            item = self.buttons.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and not widget.isHidden():
                shown.append(widget)
        margins = self.card_layout.contentsMargins()
        room = self.card.width() - margins.left() - margins.right()
        needed = sum(w.sizeHint().width() for w in shown) + CONTROL_GAP * max(0, len(shown) - 1)
        direction = (
            QBoxLayout.Direction.TopToBottom if needed > room else QBoxLayout.Direction.LeftToRight
        )
        if self.buttons.direction() != direction:
            self.buttons.setDirection(direction)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_buttons()

    def open(self, *, take_focus: bool = False) -> None:
        """Show the card; ``take_focus`` (opened from the keyboard) puts the
        focus on its first button."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.body_area.verticalScrollBar().setValue(0)
        if self._body_scroller is None:
            self._body_scroller = TouchScroller(self.body_area)
        self.show()
        self.raise_()
        self._fit_buttons()
        if take_focus:
            # Opened from the keyboard: the focus goes in, on the first button.
            first = next((b for b in self.findChildren(QPushButton) if b.isVisible()), None)
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)
        announce(self, f"{self.title.text()}. {self.body.text() if self.body.isVisible() else ''}")


class CrisisOverlay(Overlay):
    """Crisis help: 988, 911, Crisis Text Line (or the clinic's own text, shown
    as plain text). One tap from every screen."""

    def __init__(self, parent: QWidget, body_html: str, clinic_text: str = "") -> None:
        super().__init__(parent, strings.CRISIS_TITLE, role="crisis")
        self.set_text(body_html, clinic_text)
        self.close_button = button(strings.CLOSE, None, "crisisClose")
        self.close_button.clicked.connect(self.hide)
        self.add_button(self.close_button)

    def retranslate(self, clinic_text: str = "") -> None:
        self.title.setText(strings.CRISIS_TITLE)
        if clinic_text.strip() and i18n.current() != i18n.DEFAULT:
            # The clinic wrote its crisis text in its own language: a patient
            # who chose another still gets the built-in lines in theirs (988's
            # Spanish option), then the clinic's.
            paragraphs = [p.strip() for p in clinic_text.strip().split("\n\n") if p.strip()]
            clinic_html = "".join(
                f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs
            )
            self.set_text(strings.CRISIS_BODY + clinic_html)
        else:
            self.set_text(strings.CRISIS_BODY, clinic_text)
        relabel(self.close_button, strings.CLOSE)

    def set_text(self, body_html: str, clinic_text: str = "") -> None:
        if clinic_text.strip():
            self.body.setTextFormat(Qt.TextFormat.PlainText)  # config text: never markup
            self.body.setText(clinic_text.strip())
        else:
            self.body.setTextFormat(Qt.TextFormat.RichText)  # ours
            self.body.setText(body_html)


class IdleOverlay(Overlay):
    """ "Are you still there?" with a countdown and "I'm still here".

    Signals:
        still_here(): the button was tapped.
    """

    still_here = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, strings.STILL_THERE_TITLE)
        self.still_button = button(strings.STILL_HERE, "big", "stillHere")
        self.still_button.clicked.connect(self.still_here)
        self.add_button(self.still_button)

    def set_seconds(self, seconds: int) -> None:
        self.body.setText(strings.still_there_body(seconds))

    def retranslate(self) -> None:
        self.title.setText(strings.STILL_THERE_TITLE)
        relabel(self.still_button, strings.STILL_HERE)


class DisplayOverlay(Overlay):
    """The "Aa" card: text size (default, large, largest) and contrast.

    Signals:
        size_chosen(str): one of ``theme.TEXT_SIZES``.
        contrast_chosen(str): one of ``theme.CONTRASTS``.
    """

    size_chosen = Signal(str)
    contrast_chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, strings.DISPLAY_TITLE)
        self.body.hide()
        self.size_label = text_label(strings.TEXT_SIZE_LABEL, "overlayBody")
        self.sizes = Choices(
            [(name, strings.SIZE_NAMES[name]) for name in TEXT_SIZES], "sizeChoices"
        )
        self.contrast_label = text_label(strings.CONTRAST_LABEL, "overlayBody")
        self.contrasts = Choices(self._contrast_options(), "contrastChoices")
        self.sizes.setAccessibleName(strings.TEXT_SIZE_LABEL)
        self.contrasts.setAccessibleName(strings.CONTRAST_LABEL)
        for widget in (self.size_label, self.sizes, self.contrast_label, self.contrasts):
            self.card_layout.insertWidget(self.card_layout.count() - 1, widget)
        self.sizes.picked.connect(self.size_chosen)
        self.contrasts.picked.connect(self.contrast_chosen)
        self.close_button = button(strings.CLOSE, None, "displayClose")
        self.close_button.clicked.connect(self.hide)
        self.add_button(self.close_button)

    @staticmethod
    def _contrast_options() -> list[tuple[str, str]]:
        names = {"standard": strings.CONTRAST_STANDARD, "high": strings.CONTRAST_HIGH}
        return [(name, names[name]) for name in CONTRASTS]

    def set_state(self, size: str, contrast: str) -> None:
        self.sizes.set_value(size)
        self.contrasts.set_value(contrast)

    def retranslate(self) -> None:
        size, contrast = self.sizes.value(), self.contrasts.value()
        self.title.setText(strings.DISPLAY_TITLE)
        self.size_label.setText(strings.TEXT_SIZE_LABEL)
        self.contrast_label.setText(strings.CONTRAST_LABEL)
        self.sizes.set_options([(name, strings.SIZE_NAMES[name]) for name in TEXT_SIZES])
        self.contrasts.set_options(self._contrast_options())
        self.sizes.setAccessibleName(strings.TEXT_SIZE_LABEL)
        self.contrasts.setAccessibleName(strings.CONTRAST_LABEL)
        self.set_state(size, contrast)
        relabel(self.close_button, strings.CLOSE)
