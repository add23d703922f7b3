"""Small widgets the screens share."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.i18n import strings
from kiosk.ui.metrics import CHOICE_GAP, CONTROL_GAP, DOT_GAP, TILE_PADDING

#: Buttons take focus from the keyboard (a switch or keypad accessory) but not
#: from a tap: a focus ring left on the tile a patient tapped would tell the
#: next patient what they read.
BUTTON_FOCUS = Qt.FocusPolicy.TabFocus
CHOICE_MIN_WIDTH = 190  # px: a choice button narrower than this wraps to the next row


def plain_label(text: str = "", object_name: str | None = None) -> QLabel:
    """A label that shows text as typed: never rich text from content or config."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if object_name:
        label.setObjectName(object_name)
    return label


def labelled(label: str, widget: QWidget) -> QLabel:
    """The visible label of a field (its buddy), whose accessible name is the label."""
    widget.setAccessibleName(label)
    shown = plain_label(label)
    shown.setBuddy(widget)
    return shown


def text_label(text: str, object_name: str, *, wrap: bool = True) -> QLabel:
    """A label for reading: plain text (markup from content or config is shown
    as typed), wrapped unless told, never selectable (a finger dragging over it
    scrolls)."""
    label = plain_label(text, object_name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


#: A place where a line may break, taking no room (Unicode's ZERO WIDTH SPACE).
BREAK = "\u200b"
#: The least characters between two breaks ``breakable`` adds in a long word.
_LONGEST_RUN = 16


def breakable(text: str, after: str = "/", *, longest: int = 0) -> str:
    """Text that may wrap after each character of ``after`` (a zero-width space
    follows it): a path after its "/", an email address after its "@" and
    dots. With ``longest``, also within any run of more characters than that
    with no place to break (a name or an address typed as one long word): a
    label never widens the screen, and never cuts what it shows."""
    marked = "".join(f"{ch}{BREAK}" if ch in after else ch for ch in text)
    if longest <= 0:
        return marked
    return re.sub(rf"[^\s{BREAK}]{{{longest}}}(?=[^\s{BREAK}])", rf"\g<0>{BREAK}", marked)


def typed(text: str) -> str:
    """What a patient typed (a name, an address, a message), ready for a
    wrapped label: it breaks after an "@", a dot, a "/" or a "-", and inside
    a very long word, so no width cuts it."""
    return breakable(text, "@./-_", longest=_LONGEST_RUN)


def unbroken(text: str) -> str:
    """Text kept on one line (a phone number, "(801) 555-0100"): its spaces
    become no-break spaces."""
    return text.replace(" ", "\u00a0")


def plain_text(shown: str) -> str:
    """What ``typed`` or ``unbroken`` made of a text, as it was: for a screen
    reader's name, and for anything that compares words."""
    return shown.replace(BREAK, "").replace("\u00a0", " ")


def centred(content: QWidget, max_width: int | None = None) -> QHBoxLayout:
    """A row with ``content`` in its middle: with ``max_width``, a column (a
    page's text, a card, the form) that grows up to that width; without, a
    control at its own size.

    Stretches either side rather than an alignment flag: an aligned widget gets
    its plain size hint, and a wrapped label in it would be cut short (Qt
    ignores heightForWidth for aligned items)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    if max_width is None:
        row.addWidget(content)
    else:
        content.setMaximumWidth(max_width)
        row.addWidget(content, 100)
    row.addStretch(1)
    return row


#: Who hears ``announce`` besides a screen reader: audio mode speaks it
#: (kiosk/ui/patient/audio.py).
_listeners: list[Callable[[QWidget, str], None]] = []


def hear_announcements(listener: Callable[[QWidget, str], None]) -> Callable[[], None]:
    """Call ``listener(widget, text)`` at each ``announce``; returns what stops it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def sentences(parts: Iterable[str]) -> str:
    """``parts`` said one after another, each ended as a sentence ("Step 1 of 4.
    Your name, text box, blank"): run together, "1 thing to fix Your name"
    sounded like an order to fix one's name (found in review)."""
    said = [p.strip() for p in parts if p.strip()]
    ended = [p if p[-1] in ".?!:…" else f"{p}." for p in said[:-1]]
    return " ".join([*ended, *said[-1:]])


def announce(widget: QWidget, text: str) -> None:
    """Have a screen reader say ``text`` now (a notice, a new page, the
    thank-you) without moving the focus. Nothing happens when no assistive
    technology is listening."""
    if not text:
        return
    # Here, not at the top: QAccessible's Python type (some 2-4 ms of PySide6's
    # lazy type creation, its enums) is kept off the way to the first screen.
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    for listener in tuple(_listeners):
        listener(widget, text)
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))


def relabel(widget: QPushButton | QLabel, text: str) -> None:
    """New words on a control (another language): its accessible name follows."""
    widget.setText(text)
    widget.setAccessibleName(text)


def button(text: str, role: str | None = None, object_name: str | None = None) -> QPushButton:
    """A push button whose accessible name is its visible label."""
    return _dressed(QPushButton(text), text, role, object_name)


def _dressed(
    widget: QPushButton, text: str, role: str | None, object_name: str | None
) -> QPushButton:
    """What every button of ours has: its name, Tab focus only, its role for the style sheet."""
    widget.setAccessibleName(text)
    widget.setFocusPolicy(BUTTON_FOCUS)
    widget.setAutoDefault(False)
    if role:
        widget.setProperty("role", role)
    if object_name:
        widget.setObjectName(object_name)
    return widget


class WrapButton(QPushButton):
    """A push button whose words wrap onto more lines when it is narrower than
    them (a QPushButton's own text never wraps, and is cut): an item of the
    form's list of things to fix, a whole question long, on a portrait screen.
    ``label_text`` and the accessible name are the words, without the breaks."""

    def __init__(self, text: str, role: str | None = None, object_name: str | None = None) -> None:
        super().__init__()
        self._words = ""
        _dressed(self, text, role, object_name)
        # Narrower than its words where it must be, and as tall as its lines
        # (a QPushButton's own policy keeps it at its one-line size).
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._words = text
        self._wrap()

    def label_text(self) -> str:
        return self._words

    def _hint(self, text: str) -> QSize:
        """The button's size around ``text``, as QPushButton.sizeHint counts it."""
        # Imported here: QStyle's 17 enums cost some 4 ms, and no WrapButton is on
        # the way to the first painted screen (the request form's list has them).
        from PySide6.QtWidgets import QStyle, QStyleOptionButton

        option = QStyleOptionButton()
        self.initStyleOption(option)
        contents = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text)
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, option, contents, self
        )

    def _lines(self, width: int) -> list[str]:
        """The words in lines no wider than a ``width`` px button holds."""
        metrics = self.fontMetrics()

        def wide(text: str) -> int:
            return metrics.size(Qt.TextFlag.TextShowMnemonic, text).width()

        # The padding and border (or the style's least width): what the one-line
        # hint holds beyond its words, so at that width the words stay on one line.
        room = width - (self._hint(self._words).width() - wide(self._words))
        lines: list[str] = []
        for word in self._words.split():
            if lines and wide(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        return lines

    def _wrap(self) -> None:
        text = "\n".join(self._lines(self.width())) if self.width() > 0 else self._words
        if text != self.text():
            super().setText(text)
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return self._hint(self._words)  # on one line, where there is room

    def minimumSizeHint(self) -> QSize:
        widest = max(self._words.split(), key=self.fontMetrics().horizontalAdvance, default="")
        return QSize(self._hint(widest).width(), self._hint(self._words).height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._hint("\n".join(self._lines(width))).height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._wrap()  # larger text: the same width holds fewer words


class Tile(QPushButton):
    """A large home-screen button: a title, an optional number and a summary line.

    The labels inside are transparent to the mouse, so the whole tile is one
    target; ``accessibleName`` is the title, as shown.
    """

    COVER_PX = 88  # a topic's cover picture, square, beside its title

    def __init__(
        self,
        title: str,
        summary: str = "",
        number: int | None = None,
        cover: QPixmap | None = None,
    ) -> None:
        super().__init__()
        self.setProperty("role", "tile")
        self.setAccessibleName(title)
        if summary:
            self.setAccessibleDescription(summary)
        self.setFocusPolicy(BUTTON_FOCUS)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        row = QHBoxLayout(self)
        row.setContentsMargins(*TILE_PADDING, *TILE_PADDING)
        row.setSpacing(CONTROL_GAP)
        if number is not None:
            badge = plain_label(str(number), "tileNumber")
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        self.cover: QLabel | None = None
        if cover is not None and not cover.isNull():
            self.cover = plain_label("", "tileCover")
            self.cover.setPixmap(
                cover.scaled(
                    self.COVER_PX,
                    self.COVER_PX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.cover.setFixedSize(self.COVER_PX, self.COVER_PX)
            self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.cover.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            row.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.title_label = plain_label(title, "tileTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        column.addWidget(self.title_label)
        if summary:
            text = plain_label(summary, "tileSummary")
            text.setWordWrap(True)
            text.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(text)
        column.addStretch(1)
        row.addLayout(column, 1)

    def label_text(self) -> str:
        return self.title_label.text()

    def sizeHint(self) -> QSize:
        # QPushButton's own hint ignores the layout inside; use the layout's.
        layout = self.layout()
        hint = layout.sizeHint() if layout else super().sizeHint()
        return hint.expandedTo(QSize(120, 96))

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return max(96, layout.heightForWidth(width) if layout else 96)


class ProgressDots(QWidget):
    """ "3 of 7" as dots; the current one filled. Not a control: it cannot be tapped."""

    DOT = 14

    def __init__(self) -> None:
        super().__init__()
        self._count = 0
        self._index = 0
        self._colour = QColor("#1d5c63")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_colour(self, colour: str) -> None:
        self._colour = QColor(colour)
        self.update()

    def set_position(self, index: int, count: int) -> None:
        self._index, self._count = index, count
        self.setAccessibleName(strings.PAGE_OF_ACCESSIBLE.format(index=index + 1, count=count))
        self.updateGeometry()
        self.update()

    def position(self) -> tuple[int, int]:
        return self._index, self._count

    def sizeHint(self) -> QSize:
        width = self._count * self.DOT + max(0, self._count - 1) * DOT_GAP
        return QSize(max(width, 1), self.DOT + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        y = (self.height() - self.DOT) / 2
        for i in range(self._count):
            x = i * (self.DOT + DOT_GAP)
            painter.setPen(self._colour)
            painter.setBrush(self._colour if i == self._index else Qt.GlobalColor.transparent)
            painter.drawEllipse(int(x) + 1, int(y) + 1, self.DOT - 2, self.DOT - 2)
        painter.end()


class Choices(QWidget):
    """A set of large, exclusive toggle buttons (how to contact, best time,
    topic) that wraps onto more rows on a narrow screen.

    Signals:
        picked(str): the patient tapped a choice (not emitted for ``set_value``).
    """

    picked = Signal(str)

    def __init__(self, options: Iterable[tuple[str, str]], object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(CHOICE_GAP)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.buttonClicked.connect(lambda _button: self.picked.emit(self.value()))
        self._buttons: dict[str, QPushButton] = {}
        self._columns = 0
        self.min_choice_width = CHOICE_MIN_WIDTH
        self.set_options(options)

    def set_options(self, options: Iterable[tuple[str, str]]) -> None:
        for old in self._buttons.values():
            self._group.removeButton(old)
            self._grid.removeWidget(old)
            old.hide()
            old.deleteLater()
        self._buttons = {}
        for value, label in options:
            choice = button(label, "choice")
            choice.setCheckable(True)
            self._group.addButton(choice)
            self._buttons[value] = choice
        self._columns = 0
        self._relayout()

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons.values())

    def button_for(self, value: str) -> QPushButton:
        return self._buttons[value]

    def value(self) -> str:
        for value, choice in self._buttons.items():
            if choice.isChecked():
                return value
        return ""

    def set_value(self, value: str) -> None:
        """Choose ``value``; "" (or a value not offered) chooses nothing."""
        chosen = self._buttons.get(value)
        if chosen is not None:
            chosen.setChecked(True)
            return
        # An exclusive group cannot be emptied by unchecking: lift it briefly.
        self._group.setExclusive(False)
        for choice in self._buttons.values():
            choice.setChecked(False)
        self._group.setExclusive(True)

    def _relayout(self) -> None:
        count = len(self._buttons)
        if not count:
            return
        columns = max(
            1, min(count, (self.width() + CHOICE_GAP) // (self.min_choice_width + CHOICE_GAP))
        )
        widest = max(b.sizeHint().width() for b in self._buttons.values())
        while columns > 1 and columns * (widest + CHOICE_GAP) - CHOICE_GAP > self.width():
            columns -= 1
        rows = -(-count // columns)
        columns = -(-count // rows)  # even rows: 4 choices as 2 + 2, not 3 + 1
        if columns == self._columns:
            return
        self._columns = columns
        for choice in self._buttons.values():
            self._grid.removeWidget(choice)
        for index, choice in enumerate(self._buttons.values()):
            self._grid.addWidget(choice, index // columns, index % columns)
        for column in range(count):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()


class MoreBelow(QWidget):
    """A fade over the foot of a scrolling text and "More below": there is more
    to scroll to. Never in the way of a finger (taps and drags go through).
    ``base``: the colour the text sits on (default: its parent's Base)."""

    def __init__(self, parent: QWidget, base: Callable[[], QColor] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moreBelow")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._base = base
        self.label = text_label(strings.MORE_BELOW + " \u2193", "moreBelowLabel", wrap=False)
        self.label.setAccessibleName(strings.MORE_BELOW)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.hide()

    def place(self, area: QAbstractScrollArea, fade_px: int) -> None:
        """Over the foot of ``area``'s view (its parent), shown while there is more below."""
        bar = area.verticalScrollBar()
        self.label.setFont(area.font())
        view = area.viewport().geometry()
        height = max(fade_px, self.label.sizeHint().height() + 8)
        self.setGeometry(view.left(), view.bottom() + 1 - height, view.width(), height)
        self.setVisible(bar.maximum() > 0 and bar.value() < bar.maximum())
        self.raise_()

    def retranslate(self) -> None:
        self.label.setText(strings.MORE_BELOW + " \u2193")
        self.label.setAccessibleName(strings.MORE_BELOW)

    def paintEvent(self, event: QPaintEvent) -> None:
        # The text's own background, from clear to solid: the lines under it fade out.
        view = self.parentWidget()
        if self._base is not None:
            base = self._base()
        else:
            palette = (view or self).palette()  # its class: no QPalette import at start
            base = palette.color(palette.ColorRole.Base)
        clear = QColor(base)
        clear.setAlpha(0)
        # Imported here: QGradient's 180 presets cost some 1.5 ms at import, and
        # no "more below" is painted on the first screen.
        from PySide6.QtGui import QLinearGradient

        fade = QLinearGradient(QPointF(0, 0), QPointF(0, self.height()))
        fade.setColorAt(0.0, clear)
        fade.setColorAt(0.6, base)
        painter = QPainter(self)
        painter.fillRect(self.rect(), fade)
        painter.end()
