"""The home screen: a guide through the topic, and the clinic's details.

"Start here" opens the first page; a tile per page a patient would ask about
(its summary and icon), the others (``tile: footer``) as small links under the
tiles; a tick on the pages read and "Continue where you left off" after going
home from a page, both forgotten at the idle reset. The clinic's phone, hours
and QR code sit outside the scrolling part, so they are always in sight: at
the side on a landscape screen, below on a portrait one.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.content import Library, Page, Topic
from kiosk.content.model import FOOTER
from kiosk.ui.i18n import LANGUAGE_NAMES, LANGUAGES, strings
from kiosk.ui.icons import DEFAULT_ICON, builtin, icon_pixmap
from kiosk.ui.metrics import CHOICE_GAP, CONTROL_GAP, ROW_GAP, SCREEN_MARGIN, TILE_PADDING
from kiosk.ui.pictures import read_picture
from kiosk.ui.theme import colours
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import Choices, Tile, breakable, button, plain_label, relabel, text_label

TILE_MIN_WIDTH = 360
FIRST_TILES = 24  # built at once; a longer topic's other tiles follow in batches
TILE_BATCH = 48
MAX_COLUMNS = 4
ICON_PX = 48  # a tile's icon
TICK_PX = 28  # the quiet tick on a page read
SIDE_WIDTH = 400  # the clinic's details beside the tiles, on a landscape screen
FADE_PX = 56  # how far the text fades out at a scroll edge
#: On a portrait screen the clinic's details, below the tiles, take at most this
#: share of home's height (then scroll): at the largest text their card was 548 px
#: of 1104, and no tile showed at all.
PORTRAIT_DETAILS_SHARE = 0.25

QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks
QR_MIN_SCALE = 3  # px per module: smaller is hard for a phone's camera
QR_PX = 132  # the code's size aimed at; a longer text takes more


def qr_target(website: str) -> str:
    """What the QR code holds: the address with https:// when none is given,
    so a phone's camera offers to open it rather than show text."""
    return website if "://" in website else f"https://{website}"


def contact_card(name: str, phone: str, website: str = "") -> str:
    """A vCard with the clinic's name, phone and website: a phone's camera
    offers to save it as a contact ("Scan to save our number")."""

    def escaped(value: str) -> str:
        for plain, escape in (("\\", "\\\\"), (",", "\\,"), (";", "\\;"), ("\n", " ")):
            value = value.replace(plain, escape)
        return value

    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{escaped(name)};;;;", f"FN:{escaped(name)}"]
    lines.append(f"TEL;TYPE=WORK,VOICE:{escaped(phone)}")
    if website:
        lines.append(f"URL:{escaped(qr_target(website))}")
    lines.append("END:VCARD")
    return "\r\n".join(lines)


def qr_pixmap(text: str, size: int) -> QPixmap:
    """A QR code for ``text`` (segno, no network), drawn crisp near ``size`` px."""
    pixmap = QPixmap()
    pixmap.loadFromData(_qr_png(text, size), "PNG")
    return pixmap


@functools.lru_cache(maxsize=8)
def _qr_png(text: str, size: int) -> bytes:
    """The PNG of ``qr_pixmap``, kept: the same card's code is not worked out again
    (segno takes about 10 ms) when a window is built again or a reload keeps the card."""
    import segno  # here: its import costs start-up time, paid after the first paint

    # A full QR code, never a Micro QR (segno's choice for short text such as
    # "tel:988"): phones' cameras do not read Micro QR.
    code = segno.make_qr(text, error="m")
    buffer = io.BytesIO()
    modules = code.symbol_size(border=QR_QUIET_ZONE)[0]
    scale = max(QR_MIN_SCALE, size // modules)
    code.save(buffer, kind="png", scale=scale, border=QR_QUIET_ZONE)
    return buffer.getvalue()


class ClinicInfo(QWidget):
    """Phone, opening hours and website, and a QR code to scan ("Scan to save
    our number": a contact card; the website's address when no phone is
    given); hidden when the config gives none. Lines and code side by side
    (the code's caption under the lines), or the code and its caption below
    the lines (``set_stacked``) in a narrow column.

    The code is drawn by ``build_qr`` after the first paint (segno's import
    costs start-up time); its room is kept meanwhile."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.setObjectName("clinicInfo")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.config = config
        self._row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._row.setContentsMargins(*TILE_PADDING, *TILE_PADDING)
        self._row.setSpacing(CONTROL_GAP)
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
                if value is config.clinic_website:
                    # It may wrap after its dots and slashes: never wider than the screen.
                    line.setText(template.format(breakable(value, "/.")))
                    line.setAccessibleName(template.format(value))
                elif value is config.clinic_phone:  # a number is read whole: never split
                    line.setText(template.format(value.replace(" ", "\u00a0")))
                    line.setAccessibleName(template.format(value))
                self.lines.append(line)
                column.addWidget(line)
        column.addStretch(1)
        self._lines_column = column
        self._row.addLayout(column, 1)
        self._stacked = False
        self._code: QVBoxLayout | None = None
        self.qr: QLabel | None = None
        self.qr_caption: QLabel | None = None
        self._qr_text = ""
        if config.clinic_phone:
            self._qr_text = contact_card(config.clinic_name, config.clinic_phone)
            caption, name = strings.QR_SAVE_NUMBER, config.clinic_phone
            if config.clinic_website:
                self._qr_text = contact_card(
                    config.clinic_name, config.clinic_phone, config.clinic_website
                )
        elif config.clinic_website:
            self._qr_text = qr_target(config.clinic_website)
            caption, name = strings.QR_OPEN_WEBSITE, config.clinic_website
        if self._qr_text:
            code = QVBoxLayout()
            code.setSpacing(6)
            self.qr = plain_label("", "clinicQr")
            self.qr.setAccessibleName(strings.INFO_QR.format(name))
            self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.qr.setMinimumSize(QR_PX, QR_PX)  # kept for the code, drawn after the first paint
            self.qr_caption = text_label(caption, "qrCaption")
            self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            code.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
            code.addWidget(self.qr_caption)
            code.addStretch(1)
            self._row.addLayout(code, 0)
            self._code = code
        self._place_caption()
        #: Anything to show: a card with nothing in it is left out.
        self.has_details = bool(self.lines) or self.qr is not None

    def build_qr(self) -> None:
        """Draw the code (once), now that the first screen is painted."""
        if self.qr is not None and self.qr.pixmap().isNull():
            pixmap = qr_pixmap(self._qr_text, QR_PX)
            self.qr.setPixmap(pixmap)
            self.qr.setMinimumSize(pixmap.size())

    def set_stacked(self, stacked: bool) -> None:
        """The code below the lines (a narrow column) or beside them."""
        self._stacked = stacked
        self._row.setDirection(
            QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        )
        # Stacked, the code follows the lines and the room left is below it.
        self._row.setStretch(0, 0 if stacked else 1)
        self._row.setStretch(1, 1 if stacked else 0)
        self._place_caption()

    def _place_caption(self) -> None:
        """The caption under the code in a column (landscape); beside the code,
        under the lines, in a strip (portrait): under a code that narrow it
        took five lines at the largest text, and the strip as much of the
        screen as the topics."""
        caption, code = self.qr_caption, self._code
        if caption is None or code is None:
            return
        for layout in (code, self._lines_column):
            layout.removeWidget(caption)
        if self._stacked:
            code.insertWidget(1, caption)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:  # before the column's stretch: right under the lines
            self._lines_column.insertWidget(self._lines_column.count() - 1, caption)
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)


class EdgeFade(QWidget):
    """The top or bottom edge of a scroll area's view, fading its text into the
    background where there is more to scroll: a line of text is never seen
    cut through its letters. Shown only while there is more that way; taps go
    through it to what is under it."""

    def __init__(self, area: QScrollArea, edge: Qt.Edge) -> None:
        super().__init__(area)
        self.area = area
        self.edge = edge
        self.colour = QColor("#ffffff")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        bar = area.verticalScrollBar()
        bar.valueChanged.connect(self.follow)
        bar.rangeChanged.connect(self.follow)
        area.installEventFilter(self)
        self.hide()

    def set_colour(self, colour: str) -> None:
        self.colour = QColor(colour)
        self.update()

    def more_to_scroll(self) -> bool:
        bar = self.area.verticalScrollBar()
        if self.edge == Qt.Edge.TopEdge:
            return bar.value() > bar.minimum()
        return bar.value() < bar.maximum()

    def follow(self) -> None:
        view = self.area.viewport().geometry()
        height = min(FADE_PX, view.height() // 4)
        top = view.top() if self.edge == Qt.Edge.TopEdge else view.bottom() + 1 - height
        self.setGeometry(QRect(view.left(), top, view.width(), height))
        self.setVisible(self.more_to_scroll())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.follow()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        clear = QColor(self.colour)
        clear.setAlpha(0)
        gradient = QLinearGradient(0, 0, 0, self.height())
        # Opaque at the edge itself: the cut through a line is never seen.
        inner, outer = (clear, self.colour)
        if self.edge == Qt.Edge.TopEdge:
            inner, outer = outer, inner
        gradient.setColorAt(0, inner)
        gradient.setColorAt(1, outer)
        painter = QPainter(self)
        painter.fillRect(self.rect(), gradient)
        painter.end()


class FittingScrollArea(QScrollArea):
    """A scroll area as tall as its content when there is room (the clinic's
    details), scrolling only when the screen is too short for them."""

    def __init__(self) -> None:
        super().__init__()
        # A viewport made here, as home's own (PySide6's lazy wrappers).
        self.setViewport(QWidget())
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._width = -1

    def set_content(self, content: QWidget) -> None:
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(content)
        content.installEventFilter(self)
        self.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The content's layout changed (the QR code came): the hint did too.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.width() != self._width:  # another width, another height for it
            self._width = self.width()
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        width = self.viewport().width() if self.isVisible() else content.sizeHint().width()
        height = (
            content.heightForWidth(width)
            if content.hasHeightForWidth() and width > 0
            else content.sizeHint().height()
        )
        return QSize(content.sizeHint().width(), max(height, content.minimumSizeHint().height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, min(self.sizeHint().height(), 2 * FADE_PX))


def _picture_label(object_name: str, px: int) -> QLabel:
    """A square for an icon on a tile: the tile takes the taps."""
    label = plain_label("", object_name)
    label.setFixedSize(px, px)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


class PageTile(Tile):
    """A page's tile: its icon, title and summary, and a quiet tick once read."""

    def __init__(self, page: Page) -> None:
        super().__init__(page.title, page.summary)
        self.page = page
        self.picture = _picture_label("tileIcon", ICON_PX)
        self.tick = _picture_label("tileTick", TICK_PX)
        self.tick.setAccessibleName(strings.PAGE_READ)
        self.tick.hide()
        row = self.layout()
        assert isinstance(row, QHBoxLayout)
        row.insertWidget(0, self.picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.tick, 0, Qt.AlignmentFlag.AlignTop)
        self.read = False

    def set_read(self, read: bool) -> None:
        self.read = read
        self.tick.setVisible(read)
        words = [strings.PAGE_READ] if read else []
        self.setAccessibleDescription(" ".join([*words, self.page.summary]).strip())

    def paint_icons(self, colour: str, ratio: float) -> None:
        self.picture.setPixmap(
            icon_pixmap(self.page.icon or builtin(DEFAULT_ICON), ICON_PX, colour, ratio)
        )
        self.tick.setPixmap(icon_pixmap(builtin("tick"), TICK_PX, colour, ratio))


class CardTile(Tile):
    """ "Start here" and "Continue where you left off": a tile in the clinic's
    colour with an icon, the first thing on home."""

    def __init__(self, title: str, icon: str) -> None:
        super().__init__(title, " ")
        self.setProperty("role", "card")
        self._icon_name = icon
        self.picture = _picture_label("tileIcon", ICON_PX)
        row = self.layout()
        assert isinstance(row, QHBoxLayout)
        row.insertWidget(0, self.picture, 0, Qt.AlignmentFlag.AlignTop)
        self.summary_label = self.findChild(QLabel, "tileSummary")

    def set_words(self, title: str, summary: str) -> None:
        self.title_label.setText(title)
        self.setAccessibleName(title)
        if isinstance(self.summary_label, QLabel):
            self.summary_label.setText(summary)
        self.setAccessibleDescription(summary)

    def paint_icons(self, colour: str, ratio: float) -> None:
        self.picture.setPixmap(icon_pixmap(builtin(self._icon_name), ICON_PX, colour, ratio))


class HomeScreen(QWidget):
    """The start: welcome, "Start here", a tile per page (or per topic), the
    clinic's details and "Request information".

    Signals:
        page_chosen(str): the key of a page to open (a tile, a link, a card).
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
        self._links: list[QPushButton] = []
        self._columns = 0
        self.tile_min_width = TILE_MIN_WIDTH
        self._generation = 0  # which set_library the tiles being built belong to
        self._library: Library | None = None
        self._qr_ready = False  # past the first paint: a new ClinicInfo draws its code at once
        self._colours = colours(config)
        # This visit's reading, forgotten at the idle reset (``reset``): the
        # pages read, the last one shown, and where "Continue" leads.
        self._read: set[str] = set()
        self._last_page = ""
        self._left_off = ""

        self.scroll_area = QScrollArea()
        # A viewport made here: the first viewport() of one Qt made costs about
        # 40 ms of PySide6's lazy wrapper loading at start-up.
        self.scroll_area.setViewport(QWidget())
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a Tab stop: it has nothing to say (a silent stop for a patient
        # listening) and nothing to choose; the tiles in it take the focus, and
        # the area scrolls each into view as it does.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
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
        # Side by side; the languages go above the welcome when beside it the
        # welcome would be squeezed into a narrow column (large Spanish text).
        self._top = QBoxLayout(QBoxLayout.Direction.RightToLeft)
        self._top.setSpacing(CONTROL_GAP)
        self._top.addWidget(self.languages, 0, Qt.AlignmentFlag.AlignTop)
        self._top.addWidget(self.welcome, 1)
        column.addLayout(self._top)
        self.continue_card = CardTile(strings.CONTINUE_READING, "continue")
        self.continue_card.clicked.connect(lambda: self.page_chosen.emit(self._left_off))
        self.continue_card.hide()
        self.start_card = CardTile(strings.START_HERE, "start")
        self.start_card.clicked.connect(self._start)
        self.start_card.hide()
        self.cards = QGridLayout()
        self.cards.setSpacing(CONTROL_GAP)
        column.addLayout(self.cards)
        for index, card in enumerate((self.continue_card, self.start_card)):
            # In the layout now: shown before it had a parent, a card would
            # open as a window of its own.
            self.cards.addWidget(card, index, 0)
            self.scroller.track(card)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(CONTROL_GAP)
        self.grid.setVerticalSpacing(CONTROL_GAP)
        column.addLayout(self.grid)
        self.footer = QGridLayout()
        self.footer.setHorizontalSpacing(CONTROL_GAP)
        self.footer.setVerticalSpacing(ROW_GAP)
        column.addLayout(self.footer)
        self.empty = text_label(strings.NO_CONTENT, "welcome")
        self.empty.hide()
        column.addWidget(self.empty)
        column.addStretch(1)
        self.disclaimer = text_label(strings.DISCLAIMER, "disclaimer")
        column.addWidget(self.disclaimer)
        self.scroll_area.setWidget(inner)
        self.fades = (
            EdgeFade(self.scroll_area, Qt.Edge.TopEdge),
            EdgeFade(self.scroll_area, Qt.Edge.BottomEdge),
        )

        # The clinic's details and "Request information": never scrolled out of sight.
        self.side = QWidget()
        self.side.setObjectName("homeSide")
        side = self._side = QVBoxLayout(self.side)
        side.setSpacing(CONTROL_GAP)
        self.info_area = FittingScrollArea()
        self.info_area.setObjectName("infoArea")
        self.info_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its lines are not controls
        self.info_scroller = TouchScroller(self.info_area)
        self.info = ClinicInfo(config)
        self.info_area.set_content(self.info)
        self.info_fades = (
            EdgeFade(self.info_area, Qt.Edge.TopEdge),
            EdgeFade(self.info_area, Qt.Edge.BottomEdge),
        )
        side.addWidget(self.info_area)
        self._show_info()
        self.request_button = button(strings.REQUEST_INFO, "big", "homeRequest")
        self.request_button.clicked.connect(self.request_info)
        # At the column's foot, under the clinic's details or, with none, alone
        # there (not afloat in the middle of an empty column).
        side.addWidget(self.request_button, 0, Qt.AlignmentFlag.AlignBottom)

        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.scroll_area, 1)
        self._layout.addWidget(self.side)
        self._wide: bool | None = None
        self._arrange()
        self.set_colours(self._colours)

    @staticmethod
    def _welcome_text(config: Config) -> str:
        """The clinic's own welcome as written; the built-in one in the patient's language."""
        if config.welcome == Config.welcome:
            return strings.DEFAULT_WELCOME
        return config.welcome

    def retranslate(self) -> None:
        """The kiosk's own words again, after ``i18n.use`` (tiles come with the library)."""
        self.welcome.setText(self._welcome_text(self.config))
        self._fit_languages()
        self.empty.setText(strings.NO_CONTENT)
        self.disclaimer.setText(strings.DISCLAIMER)
        self.languages.setAccessibleName(strings.LANGUAGE_LABEL)
        relabel(self.request_button, strings.REQUEST_INFO)
        self.apply_config(self.config)

    def set_tile_width(self, width: int) -> None:
        """Wider tiles for larger text: fewer columns, titles that still fit."""
        self.tile_min_width = width
        self._columns = 0
        self._wide = None
        self._arrange()
        self._relayout()
        self._fit_languages()

    def _fit_languages(self) -> None:
        """English and Español side by side, however large the text; beside the
        welcome while it keeps two lines or fewer there, else above it."""
        buttons = self.languages.buttons()
        widest = max(b.sizeHint().width() for b in buttons)
        self.languages.setMinimumWidth(len(buttons) * (widest + CHOICE_GAP) - CHOICE_GAP)
        self.welcome.ensurePolished()  # its height in the style sheet's font
        beside = self._tiles_width() - self.languages.minimumWidth() - CONTROL_GAP
        lines = self.welcome.heightForWidth(beside) / self.welcome.fontMetrics().lineSpacing()
        stacked = beside < self.tile_min_width // 2 or lines > 2.5
        self._top.setDirection(
            QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.RightToLeft
        )
        self._top.setAlignment(
            self.languages,
            Qt.AlignmentFlag.AlignRight if stacked else Qt.AlignmentFlag.AlignTop,
        )

    def set_colours(self, theme: dict[str, str]) -> None:
        """The theme's colours for what is drawn rather than styled: icons, the fades."""
        self._colours = theme
        for fade in (*self.fades, *self.info_fades):
            fade.set_colour(theme["background"])
        self.info_fades[0].set_colour(theme["surface"])
        self.info_fades[1].set_colour(theme["surface"])
        self._paint_icons()

    def _paint_icons(self) -> None:
        ratio = self.devicePixelRatioF()
        for card in (self.continue_card, self.start_card):
            card.paint_icons(self._colours["on_primary"], ratio)
        for tile in self._tiles:
            if isinstance(tile, PageTile):
                tile.paint_icons(self._colours["primary"], ratio)

    def apply_config(self, config: Config) -> None:
        self.config = config
        self.welcome.setText(self._welcome_text(config))
        fresh = ClinicInfo(config)
        self.info_area.set_content(fresh)
        self.info = fresh
        self._show_info()
        if self._qr_ready:
            fresh.build_qr()
        self._wide = None
        self._arrange()

    def _show_info(self) -> None:
        # setVisible(False) only: show() on a widget with no parent yet would
        # open it as a window of its own; a child is shown with its parent.
        self.info.setVisible(self.info.has_details)
        self.info_area.setVisible(self.info.has_details)

    def finish_building(self) -> None:
        """What the first paint did not need: the QR code (``app.build`` calls
        this through the window after the first paint)."""
        self._qr_ready = True
        self.info.build_qr()
        self._wide = None
        self._arrange()

    @property
    def tiles(self) -> list[Tile]:
        return list(self._tiles)

    @property
    def links(self) -> list[QPushButton]:
        """The small links under the tiles (pages marked ``tile: footer``)."""
        return list(self._links)

    # -- this visit's reading ---------------------------------------------------
    def note_screen(self, screen: str) -> None:
        """The window moved to ``screen`` ("home", "page:<key>", "request"):
        a page shown is read (its tile gets a tick); back home after a page,
        "Continue where you left off" leads to it."""
        if screen.startswith("page:"):
            key = screen.removeprefix("page:")
            self._read.add(key)
            self._last_page = key
            for tile in self._tiles:
                if isinstance(tile, PageTile) and tile.page.key == key:
                    tile.set_read(True)
        elif screen == "home" and self._last_page:
            self._left_off = self._last_page
            self._show_continue()

    def _show_continue(self) -> None:
        page = self._library.page(self._left_off) if self._library else None
        if page is None:
            self._left_off = ""
            self.continue_card.hide()
        else:
            self.continue_card.set_words(strings.CONTINUE_READING, page.title)
            self.continue_card.show()
        self._arrange_cards()

    def _start(self) -> None:
        if self._library is not None and self._library.topics:
            self.page_chosen.emit(self._library.topics[0].pages[0].key)

    # -- the library --------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        for widget in (*self._tiles, *self._links):
            self.grid.removeWidget(widget)
            self.footer.removeWidget(widget)
            widget.hide()  # gone now, not when the event loop gets round to deleting it
            widget.deleteLater()
        self._tiles = []
        self._links = []
        self._library = library
        self._generation += 1
        specs: list[tuple[Callable[[], Tile], Callable[[], None]]] = []
        single = len(library.topics) == 1
        if single:
            topic = library.topics[0]
            for page in topic.pages:
                chosen = self._emit(self.page_chosen, page.key)
                if page.tile == FOOTER:
                    self._add_link(page, chosen)
                else:
                    specs.append((self._page_tile(page), chosen))
            self.start_card.set_words(
                strings.START_HERE, strings.START_HERE_SUMMARY.format(topic=topic.title)
            )
        else:
            for topic in library.topics:
                specs.append(
                    (self._topic_tile(topic), self._emit(self.topic_chosen, topic.topic_id))
                )
        self.start_card.setVisible(single)
        self._add_tiles(specs[:FIRST_TILES])
        if len(specs) > FIRST_TILES:
            # A long topic's other tiles come on the next passes of the event
            # loop, after the first screenful is painted: start-up and a
            # reload stay quick with hundreds of pages.
            self._more_tiles(specs[FIRST_TILES:], self._generation)
        self.empty.setVisible(not specs and not self._links)
        if self._left_off:
            self._show_continue()  # the page's title in the new language, or gone
        else:
            self._arrange_cards()

    @staticmethod
    def _emit(signal: SignalInstance, value: str) -> Callable[[], None]:
        return lambda *_args: signal.emit(value)

    def _page_tile(self, page: Page) -> Callable[[], Tile]:
        def make() -> Tile:
            tile = PageTile(page)
            tile.set_read(page.key in self._read)
            tile.paint_icons(self._colours["primary"], self.devicePixelRatioF())
            return tile

        return make

    @staticmethod
    def _topic_tile(topic: Topic) -> Callable[[], Tile]:
        def make() -> Tile:
            cover = (
                QPixmap.fromImage(read_picture(topic.cover)) if topic.cover is not None else None
            )
            return Tile(topic.title, topic.summary, cover=cover)

        return make

    def _add_link(self, page: Page, chosen: Callable[[], None]) -> None:
        link = button(page.title, "link", "footerLink")
        if page.summary:
            link.setAccessibleDescription(page.summary)
        link.clicked.connect(chosen)
        self.scroller.track(link)
        self._links.append(link)

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
        """Forget this visit: the ticks, "Continue", the scroll positions."""
        self.scroller.stop()
        self.info_scroller.stop()
        self.scroll_area.verticalScrollBar().setValue(0)
        self.info_area.verticalScrollBar().setValue(0)
        self._read.clear()
        self._last_page = self._left_off = ""
        for tile in self._tiles:
            if isinstance(tile, PageTile):
                tile.set_read(False)
        self.continue_card.hide()
        self._arrange_cards()

    # -- layout -------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()
        self._cap_details()
        self._relayout()
        self._fit_languages()

    def _cap_details(self) -> None:
        """Portrait: the details' card no taller than ``PORTRAIT_DETAILS_SHARE``
        of home, so the tiles keep the screen; landscape: its whole column."""
        tallest = (
            16777215
            if self._wide
            else max(2 * FADE_PX, int(self.height() * PORTRAIT_DETAILS_SHARE))
        )
        if self.info_area.maximumHeight() != tallest:
            self.info_area.setMaximumHeight(tallest)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_languages()  # size hints are known once the style sheet applies

    def _arrange(self) -> None:
        """Landscape: the clinic's details in a column beside the tiles;
        portrait: below them, the QR code beside the lines."""
        wide = self.width() > self.height()
        if wide == self._wide:
            return
        self._wide = wide
        side = self._side
        self.info.set_stacked(wide)
        # A tall column: the details' card fills it down to "Request information";
        # a short strip below the tiles: the card as tall as its lines and code.
        side.setStretchFactor(self.info_area, 1 if wide else 0)
        if wide:
            self._layout.setDirection(QBoxLayout.Direction.LeftToRight)
            side.setContentsMargins(0, SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN)
            self.request_button.ensurePolished()  # its size hint in the style sheet's font
            width = max(SIDE_WIDTH, self.request_button.sizeHint().width()) + SCREEN_MARGIN
            self.side.setFixedWidth(width)
        else:
            self._layout.setDirection(QBoxLayout.Direction.TopToBottom)
            side.setContentsMargins(SCREEN_MARGIN, ROW_GAP, SCREEN_MARGIN, SCREEN_MARGIN)
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(16777215)
        self.side.setSizePolicy(
            QSizePolicy.Policy.Fixed if wide else QSizePolicy.Policy.Preferred,
            QSizePolicy.Policy.Preferred if wide else QSizePolicy.Policy.Maximum,
        )
        self.info_area.updateGeometry()
        self._columns = 0

    def _tiles_width(self) -> int:
        side = self.side.width() if self._wide else 0
        return max(1, self.width() - side - 2 * SCREEN_MARGIN)

    def _arrange_cards(self) -> None:
        """ "Continue" and "Start here" side by side when both fit, else one above the other."""
        shown = [c for c in (self.continue_card, self.start_card) if not c.isHidden()]
        for card in (self.continue_card, self.start_card):
            self.cards.removeWidget(card)
        across = len(shown) > 1 and self._tiles_width() >= 2 * self.tile_min_width + CONTROL_GAP
        for index, card in enumerate(shown):
            self.cards.addWidget(card, 0 if across else index, index if across else 0)
        for c in range(2):
            self.cards.setColumnStretch(c, 1 if (across or c == 0) else 0)

    def _relayout(self) -> None:
        usable = self._tiles_width()
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
        self._arrange_links(usable)
        self._arrange_cards()

    def _arrange_links(self, usable: int) -> None:
        """The footer's links on one row when they fit, else one under another."""
        for link in self._links:
            self.footer.removeWidget(link)
            link.ensurePolished()  # its size in the style sheet's font
        for column in range(len(self._links) + 1):
            self.footer.setColumnStretch(column, 0)
        widths = sum(link.sizeHint().width() for link in self._links)
        one_row = widths + CONTROL_GAP * max(0, len(self._links) - 1) <= usable
        for index, link in enumerate(self._links):
            if one_row:
                self.footer.addWidget(link, 0, index)
            else:
                # Each as wide as its words, at the left: stretched to the longest
                # one's width, a short title sat centred under a long one, and
                # its tap area ran on past its words.
                self.footer.addWidget(link, index, 0, Qt.AlignmentFlag.AlignLeft)
        self.footer.setColumnStretch(len(self._links) if one_row else 1, 1)
