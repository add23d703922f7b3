"""Cards over the screen: crisis help, the idle warning, the text size and contrast."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QPixmap, QResizeEvent, QTextDocumentFragment
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.paths import resource_dir
from kiosk.ui import i18n
from kiosk.ui.i18n import strings
from kiosk.ui.metrics import CARD_WIDTH, CONTROL_GAP, CRISIS_CARD_WIDTH, SCREEN_MARGIN, TILE_PADDING
from kiosk.ui.theme import CONTRASTS, TEXT_SIZES
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import (
    Choices,
    MoreBelow,
    announce,
    button,
    centred,
    plain_label,
    relabel,
    text_label,
)

#: How far the text fades out above "More below" on a card.
MORE_BELOW_PX = 56


class _FillParent(QObject):
    """Keeps an overlay over what it covers: its parent, or one of the parent's
    children (the screens, below the bar)."""

    def __init__(self, overlay: QWidget, cover: QWidget | None = None) -> None:
        super().__init__(overlay)
        self._overlay = overlay
        parent = overlay.parentWidget()
        assert parent is not None
        self._parent = parent
        self._cover = parent
        self.set_cover(cover)

    def set_cover(self, cover: QWidget | None) -> None:
        """Cover ``cover`` (one of the parent's children), or the whole parent."""
        self._cover.removeEventFilter(self)
        self._cover = cover if cover is not None else self._parent
        self._cover.installEventFilter(self)
        if self._overlay.isVisible():
            self._overlay.setGeometry(self.area())

    def area(self) -> QRect:
        """Where the overlay goes, in its parent's coordinates."""
        if self._cover is self._parent:
            return self._parent.rect()
        return QRect(self._cover.mapTo(self._parent, QPoint(0, 0)), self._cover.size())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._overlay.setGeometry(self.area())
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

    #: Called after each resize (the overlay places its "More below" cue).
    resized: Callable[[], None] | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.resized is not None:
            self.resized()

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # QScrollArea does not pass its content's new height on (new words, the
        # crisis actions rearranged): the card's layout must ask again.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


def _shown(row: QBoxLayout) -> list[QWidget]:
    """The widgets of ``row`` not hidden."""
    shown: list[QWidget] = []
    for index in range(row.count()):
        item = row.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None and not widget.isHidden():
            shown.append(widget)
    return shown


def _set_direction(row: QBoxLayout, *, side_by_side: bool) -> None:
    direction = (
        QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
    )
    if row.direction() != direction:
        row.setDirection(direction)


class Overlay(QWidget):
    """A card over a dimmed screen, inside the kiosk's own window (no dialog
    window the operating system could show elsewhere)."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        role: str | None = None,
        width: int = CARD_WIDTH,
        *,
        cover: QWidget | None = None,
    ) -> None:
        """``cover``: a child of ``parent`` to cover rather than all of it (the
        screens: the bar, and "Need help now?" on it, stay within reach)."""
        super().__init__(parent)
        self.setObjectName("scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._fill = _FillParent(self, cover)
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
        #: What scrolls with the body (crisis help's actions go here too).
        self.body_layout = QVBoxLayout(holder)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(CONTROL_GAP)
        self.body_layout.addWidget(self.body)
        self.body_area.setWidget(holder)
        # "More below" over the foot of a body that scrolls (crisis help at the
        # largest text: its QR codes below the card's first screenful), faded
        # into the card's own colour, as a page's text is.
        self.more_below = MoreBelow(
            self.body_area, base=lambda: self.card.palette().color(QPalette.ColorRole.Window)
        )
        bar = self.body_area.verticalScrollBar()
        bar.valueChanged.connect(self._place_more_below)
        bar.rangeChanged.connect(self._place_more_below)
        self.body_area.resized = self._place_more_below
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
        outer.addLayout(centred(self.card, width))
        outer.addStretch(1)
        self.setGeometry(self._fill.area())
        self.hide()

    def add_button(self, widget: QPushButton) -> None:
        self.buttons.addStretch(1)
        self.buttons.addWidget(widget)
        self.buttons.addStretch(1)

    def _room(self) -> int:
        """The width inside the card's margins."""
        margins = self.card_layout.contentsMargins()
        return self.card.width() - margins.left() - margins.right()

    def _fit_buttons(self) -> None:
        shown = _shown(self.buttons)
        needed = sum(w.sizeHint().width() for w in shown) + CONTROL_GAP * max(0, len(shown) - 1)
        _set_direction(self.buttons, side_by_side=needed <= self._room())

    def spoken(self) -> str:
        """What a screen reader says when the card opens."""
        title = self.title.text().strip()
        if title and title[-1] not in ".?!:":
            title += "."  # not "Are you still there?." (found in review)
        return f"{title} {self.body.text() if self.body.isVisible() else ''}".strip()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_buttons()

    def _place_more_below(self, *_args: object) -> None:
        self.more_below.place(self.body_area, MORE_BELOW_PX)

    def set_cover(self, cover: QWidget | None) -> None:
        """What it covers from now on: ``cover``, or its whole parent (None)."""
        self._fill.set_cover(cover)

    def open(self, *, take_focus: bool = False) -> None:
        """Show the card; ``take_focus`` (opened from the keyboard) puts the
        focus on its first button."""
        self.setGeometry(self._fill.area())
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
        announce(self, self.spoken())


#: What crisis help's QR codes hold: the patient's own phone calls or texts 988.
CALL_988 = "tel:988"
TEXT_988 = "sms:988"


def crisis_qr_file(target: str) -> Path:
    """The shipped picture of the QR code for ``target`` (``tel:988`` ->
    ``resources/qr/tel-988.png``). The crisis card's codes never change, so
    they are made once by segno (scripts/crisis_qr.py; a test checks each
    matches segno's code): the card costs no QR encoder, whose import alone
    raised the kiosk's peak memory by about 10 MiB."""
    return resource_dir() / "qr" / f"{target.replace(':', '-')}.png"


class QrAction(QWidget):
    """One of crisis help's actions: a QR code the patient scans with their own
    phone, and the words that say what it does. Nothing happens on the kiosk:
    the phone makes the call, so the card never claims anything was done."""

    QR_PX = 180  # 29 modules of 6 px (about 2 cm of code on a tablet): an easy scan
    #: A tile's sides; less above and below (the code has its own white margin),
    #: so the card fits 1280 x 800 without scrolling at the clinic's text scale 1.2.
    PADDING = (TILE_PADDING[0], 10)

    def __init__(self, target: str, caption: str, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setProperty("role", "crisisAction")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        #: What the code holds (tel:988, sms:988).
        self.target = target
        row = QHBoxLayout(self)
        row.setContentsMargins(*self.PADDING, *self.PADDING)
        row.setSpacing(CONTROL_GAP)
        self.code = plain_label("", "crisisQr")
        self.code.setPixmap(QPixmap(str(crisis_qr_file(target))))
        self.caption = text_label(caption, "crisisActionLabel")
        row.addWidget(self.code, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.caption, 1)
        self.set_caption(caption)

    def set_caption(self, caption: str) -> None:
        """Its words (another language); the code and the action are named by them."""
        self.caption.setText(caption)
        self.code.setAccessibleName(caption)
        self.setAccessibleName(caption)

    def fits_in(self, width: int) -> bool:
        """Whether, ``width`` px wide, its words fit beside the code in a column
        at least as wide as the code and at most half as tall again."""
        row = self.layout()
        assert row is not None
        margins = row.contentsMargins()
        code = self.code.sizeHint()
        words = width - margins.left() - margins.right() - row.spacing() - code.width()
        return (
            words >= code.width() and self.caption.heightForWidth(words) <= code.height() * 3 // 2
        )


def _first_paragraph(rich: str) -> tuple[str, str]:
    """Our rich text's first ``<p>`` (988's line) and the rest; a translation
    without paragraphs stays whole."""
    end = rich.find("</p>")
    if end < 0:
        return rich, ""
    end += len("</p>")
    return rich[:end], rich[end:].strip()


class StaffAlerter(Protocol):
    """What "Get a staff member" needs from the office link (``kiosk.office.alert.Alerter``;
    named here so the card never imports the PostgreSQL driver)."""

    timeout_s: float

    def available(self) -> bool: ...

    def start(self, done: Callable[[bool], None]) -> None: ...

    def cancel(self) -> None: ...


#: Where a patient's alert is: none raised, waiting, acknowledged, not reached.
AlertState = Literal["none", "waiting", "told", "unreached"]


class CrisisOverlay(Overlay):
    """Crisis help, one tap from every screen. First, in the card's first
    screenful at every size and text size: 988 in words (``body``: our first
    paragraph, or the clinic's own text, shown as plain text), 911 in words (an
    emergency gets no QR code to fumble with), the clinic's own line
    (``[crisis] front_desk``) and, where offered, "Get a staff member" with its
    answer. Then the rest of our words (``more``: 988 in Spanish, Crisis Text
    Line; in another language, the clinic's text after them) and QR codes to
    call or text 988 from the patient's own phone.

    The actions are a list (``action_row``, ``add_action``): side by side when
    each one's words fit, one above the other when not.

    On a kiosk linked to the office whose last heartbeat went through
    (``set_alerter``), the front desk's line is followed by "Get a staff
    member": it raises an alert on the link's thread (a tap never waits), says
    it is trying, and says the front desk was told only once the office
    acknowledged; after ``timeout_s`` without that, that it could not reach
    them, and the button is there again for another try. Each answer is
    scrolled into view. Elsewhere the button is not there at all.
    """

    #: (which alert, acknowledged): from the alert's thread, queued to the GUI's.
    _answered = Signal(int, bool)

    def __init__(self, parent: QWidget, config: Config) -> None:
        super().__init__(parent, strings.CRISIS_TITLE, role="crisis", width=CRISIS_CARD_WIDTH)
        self.config = config
        # The first screenful, at every size and text size: 988 (``body``, its
        # first paragraph), 911, the front desk and "Get a staff member" with
        # its answer; then the rest of the words (``more``) and the QR codes.
        self.emergency = text_label(strings.CRISIS_EMERGENCY, "crisisEmergency")
        self.front_desk = text_label("", "crisisFrontDesk")
        self.body_layout.addWidget(self.emergency)
        self.body_layout.addWidget(self.front_desk)
        self.alerter: StaffAlerter | None = None
        self.alert_state: AlertState = "none"
        self._alert_number = 0  # an answer for an alert since forgotten is ignored
        self.staff_button = button(strings.CRISIS_GET_STAFF, None, "crisisGetStaff")
        self.staff_button.clicked.connect(self.get_staff)
        self.alert_status = text_label("", "crisisAlertStatus")
        self.body_layout.addWidget(self.staff_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body_layout.addWidget(self.alert_status)
        #: The built-in words after the 988 line (Spanish, Crisis Text Line), and
        #: the clinic's own in another language than the patient's.
        self.more = text_label("", "overlayBody")
        self.body_layout.addWidget(self.more)
        self.action_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.action_row.setSpacing(CONTROL_GAP)
        self.body_layout.addLayout(self.action_row)
        self.call_qr = QrAction(CALL_988, strings.CRISIS_CALL_QR, "crisisCall")
        self.text_qr = QrAction(TEXT_988, strings.CRISIS_TEXT_QR, "crisisText")
        self.add_action(self.call_qr)
        self.add_action(self.text_qr)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(lambda: self._answer(self._alert_number, False))
        self._answered.connect(self._answer)
        self.close_button = button(strings.CLOSE, None, "crisisClose")
        self.close_button.clicked.connect(self.hide)
        self.add_button(self.close_button)
        self._show_words()

    def add_action(self, widget: QWidget) -> None:
        """One more thing a patient can do now, after those already there."""
        self.action_row.addWidget(widget)

    def apply_config(self, config: Config) -> None:
        """The clinic's text and front-desk line from a (re)loaded config."""
        self.config = config
        self._show_words()

    def retranslate(self) -> None:
        self.more_below.retranslate()
        self._show_words()

    def _show_words(self) -> None:
        self.title.setText(strings.CRISIS_TITLE)
        clinic_text = self.config.crisis_text.strip()
        if clinic_text and i18n.current() != i18n.DEFAULT:
            # The clinic wrote its crisis text in its own language: a patient
            # who chose another still gets the built-in lines in theirs (988's
            # Spanish option), then the clinic's.
            paragraphs = [p.strip() for p in clinic_text.split("\n\n") if p.strip()]
            clinic_html = "".join(
                f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs
            )
            first, rest = _first_paragraph(strings.CRISIS_BODY)
            self._set_body(first, rest + clinic_html)
        elif clinic_text:
            # Config text, never markup: the clinic's words, whole, where 988's line goes.
            self._set_body(clinic_text, "", plain=True)
        else:
            self._set_body(*_first_paragraph(strings.CRISIS_BODY))  # ours
        self.call_qr.set_caption(strings.CRISIS_CALL_QR)
        self.text_qr.set_caption(strings.CRISIS_TEXT_QR)
        self.emergency.setText(strings.CRISIS_EMERGENCY)
        # The clinic's own line as written; the built-in one in the patient's language.
        own = self.config.crisis_front_desk
        self.front_desk.setText(
            strings.CRISIS_FRONT_DESK if own == Config.crisis_front_desk else own
        )
        relabel(self.close_button, strings.CLOSE)
        relabel(self.staff_button, strings.CRISIS_GET_STAFF)
        self._show_alert()
        self._fit_actions()

    # -- "Get a staff member" -------------------------------------------------------------

    def set_alerter(self, alerter: StaffAlerter | None) -> None:
        """The office link's alerts (None: not enrolled; the card as it always was)."""
        self.forget_alert()
        self.alerter = alerter
        self._show_alert()

    def get_staff(self) -> None:
        """Raise an alert: the first, or again after the front desk could not be reached."""
        if self.alerter is None or self.alert_state not in ("none", "unreached"):
            return
        self._alert_number += 1
        number = self._alert_number
        self.alert_state = "waiting"
        self._deadline.start(round(self.alerter.timeout_s * 1000))
        self.alerter.start(lambda acknowledged: self._answered.emit(number, acknowledged))
        self._show_alert()
        self._reveal_status()
        announce(self, self.alert_status.text())

    def _answer(self, number: int, acknowledged: bool) -> None:
        """The office's answer, or the deadline: whichever comes first decides."""
        if number != self._alert_number or self.alert_state != "waiting":
            return
        self._deadline.stop()
        self.alert_state = "told" if acknowledged else "unreached"
        if self.alerter is not None:
            self.alerter.cancel()
        self._show_alert()
        self._reveal_status()
        announce(self, self.alert_status.text())

    def forget_alert(self) -> None:
        """The next patient: no message about the last one's alert (the office keeps it)."""
        if self.alerter is not None:
            self.alerter.cancel()
        self._alert_number += 1
        self._deadline.stop()
        self.alert_state = "none"
        self._show_alert()

    def _show_alert(self) -> None:
        alerter = self.alerter
        # Offered again after "could not reach" (never while waiting, nor once told),
        # while the link's last heartbeat went through.
        self.staff_button.setVisible(
            alerter is not None
            and self.alert_state in ("none", "unreached")
            and alerter.available()
        )
        words = {
            "none": "",
            "waiting": strings.CRISIS_ALERT_WAITING,
            "told": strings.CRISIS_ALERT_TOLD,
            "unreached": strings.CRISIS_ALERT_FAILED,
        }[self.alert_state]
        self.alert_status.setText(words)
        self.alert_status.setVisible(bool(words))

    def _reveal_status(self) -> None:
        """Scroll the alert's new words (and the button above them) into view
        once the card's layout has made room for them: a tap is always answered
        where the patient can see it."""
        QTimer.singleShot(0, self, self._scroll_to_status)  # not after the card is gone

    def _scroll_to_status(self) -> None:
        if not (self.isVisible() and self.alert_status.isVisible()):
            return
        holder = self.body_area.widget()
        layout = holder.layout() if holder is not None else None
        if layout is not None:
            layout.activate()  # the new words' place, now
        self.body_area.ensureWidgetVisible(self.alert_status, 0, CONTROL_GAP)

    def _set_body(self, first: str, more: str, *, plain: bool = False) -> None:
        """``first`` above 911 (``plain``: the clinic's own text, never markup),
        ``more`` (rich text, ours) below the front desk's line and its button."""
        self.body.setTextFormat(Qt.TextFormat.PlainText if plain else Qt.TextFormat.RichText)
        self.body.setText(first)
        self.more.setTextFormat(Qt.TextFormat.RichText)
        self.more.setText(more)
        self.more.setVisible(bool(more))

    def _fit_actions(self) -> None:
        """Side by side while each action's words fit beside its code (default
        text on a landscape screen); one above the other at larger text or on a
        narrow screen."""
        shown = _shown(self.action_row)
        if not shown:
            return
        # Less the body's scroll bar, which may appear at the largest text.
        room = self._room() - self.body_area.verticalScrollBar().sizeHint().width()
        each = (room - CONTROL_GAP * (len(shown) - 1)) // len(shown)
        side_by_side = all(
            w.fits_in(each) if isinstance(w, QrAction) else w.sizeHint().width() <= each
            for w in shown
        )
        _set_direction(self.action_row, side_by_side=side_by_side)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_actions()

    def open(self, *, take_focus: bool = False) -> None:
        self._show_alert()  # the link may have gone down (or come up) since
        self._fit_actions()
        super().open(take_focus=take_focus)

    def spoken(self) -> str:
        body = self.body.text()
        if self.body.textFormat() == Qt.TextFormat.RichText:
            body = QTextDocumentFragment.fromHtml(body).toPlainText()
        more = QTextDocumentFragment.fromHtml(self.more.text()).toPlainText()
        lines = (  # in the card's order
            self.title.text(),
            body,
            self.emergency.text(),
            self.front_desk.text(),
            self.alert_status.text(),
            more,
            self.call_qr.caption.text(),
            self.text_qr.caption.text(),
        )
        return " ".join(line.strip() for line in lines if line.strip())


class IdleOverlay(Overlay):
    """ "Are you still there?" with a countdown and "I'm still here".

    Signals:
        still_here(): the button was tapped.
    """

    still_here = Signal()

    def __init__(self, parent: QWidget, *, cover: QWidget | None = None) -> None:
        super().__init__(parent, strings.STILL_THERE_TITLE, cover=cover)
        self.still_button = button(strings.STILL_HERE, "big", "stillHere")
        self.still_button.clicked.connect(self.still_here)
        self.add_button(self.still_button)

    def set_seconds(self, seconds: int) -> None:
        self.body.setText(strings.still_there_body(seconds))

    def retranslate(self) -> None:
        self.more_below.retranslate()
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

    def __init__(self, parent: QWidget, *, cover: QWidget | None = None) -> None:
        # As wide as crisis help's card: the three sizes on one row on a landscape
        # screen, so the card fits below the bar at the largest text.
        super().__init__(parent, strings.DISPLAY_TITLE, width=CRISIS_CARD_WIDTH, cover=cover)
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
        self.more_below.retranslate()
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
