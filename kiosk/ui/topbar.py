"""The bar on top of every screen: the clinic's logo and name, "Need help
now?", "Request information" and "Aa".

The bar only shows and arranges them; ``KioskWindow`` connects the buttons to
where they lead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.ui.i18n import strings
from kiosk.ui.metrics import (
    BAR_PADDING,
    CONTROL_GAP,
    NARROW_BAR_PADDING,
    NARROW_MARGIN,
    ROW_GAP,
    SCREEN_MARGIN,
)
from kiosk.ui.widgets import button, plain_label, relabel

log = logging.getLogger(__name__)

LOGO_PX = 56  # the logo's height in the bar
NARROW_PX = 1000  # below this width the bar takes two rows
NAME_FLOOR_PT = 18.0  # the clinic's name never gets smaller (ADA 707.7.2's floor)
NAME_STEP_PT = 1.0
NAME_LINES = 2


class ClinicName(QLabel):
    """The clinic's name, never cut off: one line at the style sheet's size
    when it fits; else one line a point smaller at a time, down to 18 pt; else
    two lines, at the largest size that fits. Only a name too long for two
    lines at 18 pt (longer than the config allows, on the narrowest bar) loses
    its end to "…". The label's font is the style sheet's; the name is drawn
    at the size that fits (a style sheet's font cannot be overridden)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.setObjectName("clinicName")
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The bar gives the name the room the buttons leave.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(80)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self.text()

    def set_full_text(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()
        self.update()

    def fits(self, width: int) -> bool:
        """Whether the whole name fits ``width`` px: on one line, or two at the floor."""
        metrics = QFontMetricsF(self._font(NAME_FLOOR_PT))
        return _wrapped(self.text(), metrics, width) is not None

    def fitted(self) -> tuple[QFont, tuple[str, ...]]:
        """The font and lines the name is drawn in at the label's size."""
        text, width = self.text(), self.width()
        sizes = self._sizes()
        for size in sizes:
            font = self._font(size)
            if QFontMetricsF(font).horizontalAdvance(text) <= width:
                return font, (text,)
        for size in sizes:
            font = self._font(size)
            metrics = QFontMetricsF(font)
            lines = _wrapped(text, metrics, width)
            if lines is not None and len(lines) * metrics.lineSpacing() <= self.height() + 1:
                return font, lines
        # The last resort: two lines at the floor, the second shortened.
        font = self._font(sizes[-1])
        metrics = QFontMetricsF(font)
        first, rest = text, ""
        words = text.split(" ")
        for count in range(len(words) - 1, 0, -1):
            if metrics.horizontalAdvance(" ".join(words[:count])) <= width:
                first, rest = " ".join(words[:count]), " ".join(words[count:])
                break
        line = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
        return font, (metrics.elidedText(first, Qt.TextElideMode.ElideRight, width), line)

    def is_whole(self) -> bool:
        """Every letter of the name is drawn (nothing elided)."""
        _font, lines = self.fitted()
        return " ".join(lines) == self.text()

    def _sizes(self) -> list[float]:
        """The style sheet's size, then a point smaller at a time down to the floor."""
        top = self.font().pointSizeF()
        sizes = [top]
        while sizes[-1] - NAME_STEP_PT > NAME_FLOOR_PT:
            sizes.append(sizes[-1] - NAME_STEP_PT)
        if top > NAME_FLOOR_PT:
            sizes.append(NAME_FLOOR_PT)
        return sizes

    def _font(self, size: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(size)
        return font

    def _height(self) -> int:
        one = QFontMetricsF(self.font()).lineSpacing()
        two = NAME_LINES * QFontMetricsF(self._font(NAME_FLOOR_PT)).lineSpacing()
        return int(max(one, two)) + 2

    def sizeHint(self) -> QSize:
        return QSize(
            int(QFontMetricsF(self.font()).horizontalAdvance(self.text())) + 4, self._height()
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self._height())

    def paintEvent(self, event: QPaintEvent) -> None:
        font, lines = self.fitted()
        metrics = QFontMetricsF(font)
        painter = QPainter(self)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        top = (self.height() - len(lines) * metrics.lineSpacing()) / 2
        for index, line in enumerate(lines):
            row = QRectF(
                0, top + index * metrics.lineSpacing(), self.width(), metrics.lineSpacing()
            )
            painter.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        painter.end()


def _wrapped(text: str, metrics: QFontMetricsF, width: int) -> tuple[str, ...] | None:
    """``text`` broken between words into at most two lines ``width`` px wide,
    or None when it does not fit so."""
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and metrics.horizontalAdvance(candidate) <= width:
            lines[-1] = candidate
        elif metrics.horizontalAdvance(word) <= width:
            lines.append(word)
        else:
            return None
    return tuple(lines) if len(lines) <= NAME_LINES else None


class TopBar(QWidget):
    """The clinic's brand and the three buttons every screen has.

    Wide, on one row; narrow (portrait), in two or three (``fit``).
    """

    def __init__(self, clinic_name: str, logo: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("topBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.clinic_name = ClinicName(clinic_name)
        self.logo = plain_label("", "clinicLogo")
        self.logo.hide()
        self.set_logo(logo, clinic_name)
        self.brand = QWidget()  # the logo and the name, kept together in the bar
        brand = QHBoxLayout(self.brand)
        brand.setContentsMargins(0, 0, 0, 0)
        brand.setSpacing(CONTROL_GAP)
        brand.addWidget(self.logo)
        brand.addWidget(self.clinic_name, 1)
        self.help_button = button(strings.NEED_HELP, "crisis", "helpButton")
        self.request_button = button(strings.REQUEST_INFO, "onbar", "barRequest")
        self.display_button = button(strings.TEXT_SIZE, "onbar", "displayButton")
        self.display_button.setAccessibleDescription(strings.DISPLAY_TITLE)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(SCREEN_MARGIN, BAR_PADDING, SCREEN_MARGIN, BAR_PADDING)
        self._grid.setHorizontalSpacing(CONTROL_GAP)
        self._grid.setVerticalSpacing(ROW_GAP)
        self._shape: tuple[bool, bool] | None = None
        self._arrange(narrow=False, stacked=False)

    def set_brand(self, clinic_name: str, logo: Path | None) -> None:
        """Another clinic name or logo (a reloaded config)."""
        self.clinic_name.set_full_text(clinic_name)
        self.set_logo(logo, clinic_name)

    def set_logo(self, path: Path | None, clinic_name: str) -> None:
        """The clinic's logo beside its name; a picture that does not load is
        left out (and logged), never a broken image."""
        if path is None:
            self.logo.hide()
            return
        image = QImage(str(path))
        if image.isNull():
            log.error("config: the logo %s could not be read; showing the name only", path)
            self.logo.hide()
            return
        pixmap = QPixmap.fromImage(image).scaledToHeight(
            LOGO_PX, Qt.TransformationMode.SmoothTransformation
        )
        if pixmap.width() > 4 * LOGO_PX:  # a very wide logo: keep the name's room
            pixmap = pixmap.scaledToWidth(4 * LOGO_PX, Qt.TransformationMode.SmoothTransformation)
        self.logo.setPixmap(pixmap)
        self.logo.setAccessibleName(clinic_name)
        self.logo.show()

    def retranslate(self) -> None:
        """The buttons' words in the patient's language (``fit`` them after)."""
        relabel(self.help_button, strings.NEED_HELP)
        relabel(self.request_button, strings.REQUEST_INFO)
        relabel(self.display_button, strings.TEXT_SIZE)
        self.display_button.setAccessibleDescription(strings.DISPLAY_TITLE)

    def fit(self, width: int) -> None:
        """Arrange for a window ``width`` px wide; again after a change of
        text size or language, which changes the buttons' widths. Wide screens: name and
        buttons on one row. Narrow (portrait): the name and "Aa" get a row of
        their own, so the name is never cut to a few letters; "Need help now?"
        and "Request information" share the next row, or take a row each when
        large text or a long translation needs it."""
        narrow = width < NARROW_PX or not self._name_fits_beside_buttons(width)
        self._arrange(narrow=narrow, stacked=narrow and self._buttons_overflow(width))

    def _name_fits_beside_buttons(self, width: int) -> bool:
        """Whether, on one row, the buttons shown leave the whole name room (at
        Largest text in Spanish, with "Request information" on a page, they do not:
        the bar takes two rows then rather than cut the name)."""
        shown = [
            b
            for b in (self.help_button, self.request_button, self.display_button)
            if not b.isHidden()
        ]
        room = width - 2 * SCREEN_MARGIN
        room -= sum(b.sizeHint().width() + CONTROL_GAP for b in shown)
        if not self.logo.isHidden():
            room -= self.logo.sizeHint().width() + CONTROL_GAP
        return self.clinic_name.fits(room)

    def _buttons_overflow(self, width: int) -> bool:
        needed = (
            self.help_button.sizeHint().width()
            + self.request_button.sizeHint().width()
            + self._grid.horizontalSpacing()
            + 2 * NARROW_MARGIN
        )
        return needed > width

    def _arrange(self, *, narrow: bool, stacked: bool) -> None:
        if (narrow, stacked) == self._shape:
            return
        self._shape = (narrow, stacked)
        grid = self._grid
        for widget in (self.brand, self.help_button, self.request_button, self.display_button):
            grid.removeWidget(widget)
        if narrow:
            grid.setContentsMargins(
                NARROW_MARGIN, NARROW_BAR_PADDING, NARROW_MARGIN, NARROW_BAR_PADDING
            )
            grid.addWidget(self.brand, 0, 0, 1, 2)
            grid.addWidget(self.display_button, 0, 2)
            if stacked:
                grid.addWidget(self.help_button, 1, 0, 1, 3)
                grid.addWidget(self.request_button, 2, 0, 1, 3)
            else:
                grid.addWidget(self.help_button, 1, 0)
                grid.addWidget(self.request_button, 1, 1, 1, 2)
            stretches = (0, 1, 0, 0)
        else:
            grid.setContentsMargins(SCREEN_MARGIN, BAR_PADDING, SCREEN_MARGIN, BAR_PADDING)
            grid.addWidget(self.brand, 0, 0)
            grid.addWidget(self.help_button, 0, 1)
            grid.addWidget(self.request_button, 0, 2)
            grid.addWidget(self.display_button, 0, 3)
            stretches = (1, 0, 0, 0)
        for column, stretch in enumerate(stretches):
            grid.setColumnStretch(column, stretch)
