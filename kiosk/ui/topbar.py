"""The bar on top of every screen: the clinic's logo and name, "Need help
now?", "Request information" and "Aa".

The bar only shows and arranges them; ``KioskWindow`` connects the buttons to
where they lead.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kiosk.ui.i18n import strings
from kiosk.ui.metrics import (
    BAR_PADDING,
    CONTROL_GAP,
    NARROW_BAR_PADDING,
    NARROW_MARGIN,
    ROW_GAP,
    SCREEN_MARGIN,
)
from kiosk.ui.widgets import ElidedLabel, button, plain_label, relabel

log = logging.getLogger(__name__)

LOGO_PX = 56  # the logo's height in the bar
NARROW_PX = 1000  # below this width the bar takes two rows


class TopBar(QWidget):
    """The clinic's brand and the three buttons every screen has.

    Wide, on one row; narrow (portrait), in two or three (``fit``).
    """

    def __init__(self, clinic_name: str, logo: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("topBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.clinic_name = ElidedLabel(clinic_name)
        self.clinic_name.setObjectName("clinicName")
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
        narrow = width < NARROW_PX
        self._arrange(narrow=narrow, stacked=narrow and self._buttons_overflow(width))

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
