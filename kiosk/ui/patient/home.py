"""The home screen: the topic's tiles and the clinic's details."""

from __future__ import annotations

import io
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.content import Library, Page, Topic
from kiosk.ui.i18n import LANGUAGE_NAMES, LANGUAGES, strings
from kiosk.ui.metrics import CHOICE_GAP, CONTROL_GAP, ROW_GAP, SCREEN_MARGIN, TILE_PADDING
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import Choices, Tile, button, centred, plain_label, relabel, text_label

TILE_MIN_WIDTH = 360
FIRST_TILES = 24  # built at once; a longer topic's other tiles follow in batches
TILE_BATCH = 48
MAX_COLUMNS = 4

QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks
QR_MIN_SCALE = 3  # px per module: smaller is hard for a phone's camera


def qr_target(website: str) -> str:
    """What the QR code holds: the address with https:// when none is given,
    so a phone's camera offers to open it rather than show text."""
    return website if "://" in website else f"https://{website}"


def qr_pixmap(text: str, size: int) -> QPixmap:
    """A QR code for ``text`` (segno, no network), drawn crisp near ``size`` px."""
    import segno  # here: its import is start-up time, paid only with a website configured

    # A full QR code, never a Micro QR (segno's choice for short text such as
    # "tel:988"): phones' cameras do not read Micro QR.
    code = segno.make_qr(text, error="m")
    buffer = io.BytesIO()
    modules = code.symbol_size(border=QR_QUIET_ZONE)[0]
    scale = max(QR_MIN_SCALE, size // modules)
    code.save(buffer, kind="png", scale=scale, border=QR_QUIET_ZONE)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class ClinicInfo(QWidget):
    """Phone, opening hours and website (as text and a QR code to scan), when
    the config gives them; hidden when it gives none."""

    QR_PX = 132

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.setObjectName("clinicInfo")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(self)
        row.setContentsMargins(*TILE_PADDING, *TILE_PADDING)
        row.setSpacing(CONTROL_GAP * 2)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.lines: list[QLabel] = []
        for template, value in (
            (strings.INFO_PHONE, config.clinic_phone),
            (strings.INFO_HOURS, config.clinic_hours),
            (strings.INFO_WEBSITE, config.clinic_website),
        ):
            if value:
                line = text_label(template.format(value), "clinicInfoLine")
                self.lines.append(line)
                column.addWidget(line)
        column.addStretch(1)
        row.addLayout(column, 1)
        self.qr: QLabel | None = None
        if config.clinic_website:
            self.qr = plain_label("", "clinicQr")
            self.qr.setPixmap(qr_pixmap(qr_target(config.clinic_website), self.QR_PX))
            self.qr.setAccessibleName(strings.INFO_QR.format(config.clinic_website))
            row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        if not self.lines:
            # hide() only: show() on a widget with no parent yet would open it
            # as a window of its own; a child is shown with its parent.
            self.hide()


class HomeScreen(QWidget):
    """The start: welcome, a tile per page (or per topic), "Request information".

    Signals:
        page_chosen(str): the key of a page tile tapped.
        topic_chosen(str): the id of a topic tile tapped.
        request_info(): the big "Request information" button.
    """

    page_chosen = Signal(str)
    topic_chosen = Signal(str)
    request_info = Signal()
    language_chosen = Signal(str)

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.setObjectName("homeScreen")
        self.config = config
        self._tiles: list[Tile] = []
        self._columns = 0
        self.tile_min_width = TILE_MIN_WIDTH
        self._generation = 0  # which set_library the tiles being built belong to

        self.scroll_area = QScrollArea()
        # A viewport made here: the first viewport() of one Qt made costs about
        # 40 ms of PySide6's lazy wrapper loading at start-up.
        self.scroll_area.setViewport(QWidget())
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller = TouchScroller(self.scroll_area)
        inner = QWidget()
        inner.setObjectName("homeInner")
        column = QVBoxLayout(inner)
        column.setContentsMargins(SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN)
        column.setSpacing(CONTROL_GAP)
        # English / Español, each named in its own language; the patient's
        # choice lasts until the idle reset.
        self.languages = Choices(
            [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES], "languageChoices"
        )
        self.languages.min_choice_width = 0  # side by side whenever they fit
        self.languages.setAccessibleName(strings.LANGUAGE_LABEL)
        self.languages.set_value(LANGUAGES[0])
        self.languages.picked.connect(self.language_chosen)
        self.welcome = text_label(self._welcome_text(config), "welcome")
        top = QHBoxLayout()
        top.setSpacing(CONTROL_GAP)
        top.addWidget(self.welcome, 1)
        top.addWidget(self.languages, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(CONTROL_GAP)
        self.grid.setVerticalSpacing(CONTROL_GAP)
        column.addLayout(self.grid)
        self.empty = text_label(strings.NO_CONTENT, "welcome")
        self.empty.hide()
        column.addWidget(self.empty)
        column.addStretch(1)
        self.disclaimer = text_label(strings.DISCLAIMER, "disclaimer")
        column.addWidget(self.disclaimer)
        self.info = ClinicInfo(config)
        column.addWidget(self.info)
        self.scroll_area.setWidget(inner)

        self.request_button = button(strings.REQUEST_INFO, "big", "homeRequest")
        self.request_button.clicked.connect(self.request_info)
        bottom = centred(self.request_button)
        bottom.setContentsMargins(SCREEN_MARGIN, ROW_GAP, SCREEN_MARGIN, SCREEN_MARGIN)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)

    @staticmethod
    def _welcome_text(config: Config) -> str:
        """The clinic's own welcome as written; the built-in one in the patient's language."""
        if config.welcome == Config.welcome:
            return strings.DEFAULT_WELCOME
        return config.welcome

    def retranslate(self) -> None:
        """The kiosk's own words again, after ``i18n.use`` (tiles come with the library)."""
        self.welcome.setText(self._welcome_text(self.config))
        self.empty.setText(strings.NO_CONTENT)
        self.disclaimer.setText(strings.DISCLAIMER)
        self.languages.setAccessibleName(strings.LANGUAGE_LABEL)
        relabel(self.request_button, strings.REQUEST_INFO)
        self.apply_config(self.config)

    def set_tile_width(self, width: int) -> None:
        """Wider tiles for larger text: fewer columns, titles that still fit."""
        self.tile_min_width = width
        self._columns = 0
        self._relayout()
        self._fit_languages()

    def _fit_languages(self) -> None:
        """English and Español side by side, however large the text."""
        buttons = self.languages.buttons()
        widest = max(b.sizeHint().width() for b in buttons)
        self.languages.setMinimumWidth(len(buttons) * (widest + CHOICE_GAP) - CHOICE_GAP)

    def apply_config(self, config: Config) -> None:
        self.config = config
        self.welcome.setText(self._welcome_text(config))
        holder = self.info.parentWidget()
        layout = holder.layout() if holder is not None else None
        fresh = ClinicInfo(config)
        if layout is not None:
            layout.replaceWidget(self.info, fresh)
        self.info.hide()
        self.info.deleteLater()
        self.info = fresh

    @property
    def tiles(self) -> list[Tile]:
        return list(self._tiles)

    def set_library(self, library: Library) -> None:
        for tile in self._tiles:
            self.grid.removeWidget(tile)
            tile.hide()  # gone now, not when the event loop gets round to deleting it
            tile.deleteLater()
        self._tiles = []
        self._generation += 1
        specs: list[tuple[Callable[[], Tile], Callable[[], None]]] = []
        if len(library.topics) == 1:
            for number, page in enumerate(library.topics[0].pages, start=1):
                specs.append(
                    (self._page_tile(page, number), self._emit(self.page_chosen, page.key))
                )
        else:
            for topic in library.topics:
                specs.append(
                    (self._topic_tile(topic), self._emit(self.topic_chosen, topic.topic_id))
                )
        self._add_tiles(specs[:FIRST_TILES])
        if len(specs) > FIRST_TILES:
            # A long topic's other tiles come on the next passes of the event
            # loop, after the first screenful is painted: start-up and a
            # reload stay quick with hundreds of pages.
            self._more_tiles(specs[FIRST_TILES:], self._generation)
        self.empty.setVisible(not specs)

    @staticmethod
    def _emit(signal: SignalInstance, value: str) -> Callable[[], None]:
        return lambda *_args: signal.emit(value)

    @staticmethod
    def _page_tile(page: Page, number: int) -> Callable[[], Tile]:
        def make() -> Tile:
            # Pages: number and title only, so a topic fits on one screen;
            # the summary is still there for a screen reader.
            tile = Tile(page.title, number=number)
            if page.summary:
                tile.setAccessibleDescription(page.summary)
            return tile

        return make

    @staticmethod
    def _topic_tile(topic: Topic) -> Callable[[], Tile]:
        def make() -> Tile:
            cover = QPixmap(str(topic.cover)) if topic.cover is not None else None
            return Tile(topic.title, topic.summary, cover=cover)

        return make

    def _add_tiles(self, specs: list[tuple[Callable[[], Tile], Callable[[], None]]]) -> None:
        for make, chosen in specs:
            tile = make()
            tile.clicked.connect(chosen)
            self.scroller.track(tile)
            self._tiles.append(tile)
        self._columns = 0
        self._relayout()

    def _more_tiles(
        self, specs: list[tuple[Callable[[], Tile], Callable[[], None]]], generation: int
    ) -> None:
        def next_batch() -> None:
            if generation != self._generation:
                return  # a newer library came meanwhile
            self._add_tiles(specs[:TILE_BATCH])
            if len(specs) > TILE_BATCH:
                self._more_tiles(specs[TILE_BATCH:], generation)

        QTimer.singleShot(0, self, next_batch)

    def reset(self) -> None:
        self.scroller.stop()
        self.scroll_area.verticalScrollBar().setValue(0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_languages()  # size hints are known once the style sheet applies

    def _relayout(self) -> None:
        usable = max(1, self.width() - 2 * SCREEN_MARGIN)
        gap = CONTROL_GAP
        columns = max(1, min(MAX_COLUMNS, (usable + gap) // (self.tile_min_width + gap)))
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self._tiles:
            self.grid.removeWidget(tile)
        for index, tile in enumerate(self._tiles):
            self.grid.addWidget(tile, index // columns, index % columns)
        for c in range(MAX_COLUMNS):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
