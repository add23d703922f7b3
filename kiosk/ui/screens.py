"""The screens of the kiosk: pages of the window's QStackedWidget."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal, SignalInstance
from PySide6.QtGui import QImage, QPixmap, QResizeEvent, QShowEvent, QTextDocument
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.content import Library, Page, Topic
from kiosk.content.model import PAGE_LINK_PREFIX
from kiosk.ui import i18n
from kiosk.ui.i18n import LANGUAGE_NAMES, LANGUAGES, strings
from kiosk.ui.speech import ListenControls, PageReader
from kiosk.ui.theme import CONTRASTS, TEXT_SIZES
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import (
    CHOICE_GAP,
    Choices,
    ProgressDots,
    Tile,
    announce,
    button,
    plain_label,
    relabel,
)

TILE_MIN_WIDTH = 360
FIRST_TILES = 24  # built at once; a longer topic's other tiles follow in batches
TILE_BATCH = 48
MAX_COLUMNS = 4
MARGIN = 24
GAP = 16
MAX_DOTS = 12
READING_WIDTH = 1100  # px: about 80 characters of 20 pt text


def _label(text: str, object_name: str, *, wrap: bool = True) -> QLabel:
    """A label for text from content or config (plain text: markup is shown as typed)."""
    label = plain_label(text, object_name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


QR_QUIET_ZONE = 4  # modules of white around the code, as the standard asks
QR_MIN_SCALE = 3  # px per module: smaller is hard for a phone's camera


def qr_target(website: str) -> str:
    """What the QR code holds: the address with https:// when none is given,
    so a phone's camera offers to open it rather than show text."""
    return website if "://" in website else f"https://{website}"


def qr_pixmap(text: str, size: int) -> QPixmap:
    """A QR code for ``text`` (segno, no network), drawn crisp near ``size`` px."""
    import io

    import segno  # only when a website is configured

    code = segno.make(text, error="m")
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
        row.setContentsMargins(20, 16, 20, 16)
        row.setSpacing(GAP * 2)
        column = QVBoxLayout()
        column.setSpacing(6)
        self.lines: list[QLabel] = []
        for template, value in (
            (strings.INFO_PHONE, config.clinic_phone),
            (strings.INFO_HOURS, config.clinic_hours),
            (strings.INFO_WEBSITE, config.clinic_website),
        ):
            if value:
                line = _label(template.format(value), "clinicInfoLine")
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
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller = TouchScroller(self.scroll_area)
        inner = QWidget()
        inner.setObjectName("homeInner")
        column = QVBoxLayout(inner)
        column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        column.setSpacing(GAP)
        # English / Español, each named in its own language; the patient's
        # choice lasts until the idle reset.
        self.languages = Choices(
            [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES], "languageChoices"
        )
        self.languages.min_choice_width = 0  # side by side whenever they fit
        self.languages.setAccessibleName(strings.LANGUAGE_LABEL)
        self.languages.set_value(LANGUAGES[0])
        self.languages.picked.connect(self.language_chosen)
        self.welcome = _label(self._welcome_text(config), "welcome")
        top = QHBoxLayout()
        top.setSpacing(GAP)
        top.addWidget(self.welcome, 1)
        top.addWidget(self.languages, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(GAP)
        self.grid.setVerticalSpacing(GAP)
        column.addLayout(self.grid)
        self.empty = _label(strings.NO_CONTENT, "welcome")
        self.empty.hide()
        column.addWidget(self.empty)
        column.addStretch(1)
        self.disclaimer = _label(strings.DISCLAIMER, "disclaimer")
        column.addWidget(self.disclaimer)
        self.info = ClinicInfo(config)
        column.addWidget(self.info)
        self.scroll_area.setWidget(inner)

        self.request_button = button(strings.REQUEST_INFO, "big", "homeRequest")
        self.request_button.clicked.connect(self.request_info)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(MARGIN, 8, MARGIN, MARGIN)
        bottom.addStretch(1)
        bottom.addWidget(self.request_button)
        bottom.addStretch(1)

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
        usable = max(1, self.width() - 2 * MARGIN)
        columns = max(1, min(MAX_COLUMNS, (usable + GAP) // (self.tile_min_width + GAP)))
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self._tiles:
            self.grid.removeWidget(tile)
        for index, tile in enumerate(self._tiles):
            self.grid.addWidget(tile, index // columns, index % columns)
        for c in range(MAX_COLUMNS):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)


class PageBrowser(QTextBrowser):
    """A page's text: read-only, no selection, no context menu, nothing loaded
    from outside the page's own verified pictures, links handled by the kiosk.

    Signals:
        page_link(str): a link to another page was tapped (its key).
    """

    page_link = Signal(str)

    def __init__(self, css: str) -> None:
        super().__init__()
        # Set once: the document keeps it across setHtml() and clear().
        self.document().setDefaultStyleSheet(css)
        self.setObjectName("pageBody")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.anchorClicked.connect(self.on_anchor_clicked)
        self._images: dict[str, QImage] = {}

    def show_page(self, page: Page) -> None:
        self._images = {name: QImage(str(path)) for name, path in page.images.items()}
        self.setHtml(page.html)
        self.verticalScrollBar().setValue(0)

    def forget_images(self) -> None:
        self._images = {}

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        # Only the pictures the content loader verified; never a file: or http: URL.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            image = self._images.get(name.toString() if isinstance(name, QUrl) else name)
            if image is not None and not image.isNull():
                return image
        return None

    def on_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith(PAGE_LINK_PREFIX):
            self.page_link.emit(target.removeprefix(PAGE_LINK_PREFIX))


class PageScreen(QWidget):
    """One page: title, text, where you are, Previous / Home / Next, swipes.

    Signals:
        previous(), next(), home(): the navigation buttons or a swipe.
        page_link(str): a link inside the text to another page.
    """

    previous = Signal()
    next = Signal()
    home = Signal()
    page_link = Signal(str)

    def __init__(self, config: Config, css: str) -> None:
        super().__init__()
        self.setObjectName("pageScreen")
        self.title = _label("", "pageTitle")
        # "Not translated yet": a page shown in English in another language's view.
        self.note = _label(strings.NOT_TRANSLATED, "pageNote")
        self.note.hide()
        self.body = PageBrowser(css)
        self.body.page_link.connect(self.page_link)
        self.scroller = TouchScroller(self.body, swipes=True)
        self.scroller.swiped.connect(self.on_swiped)

        self.previous_button = button(strings.PREVIOUS, "quiet", "previousButton")
        self.home_button = button(strings.HOME, "quiet", "homeButton")
        self.next_button = button(strings.NEXT, None, "nextButton")
        self.previous_button.clicked.connect(self.previous)
        self.home_button.clicked.connect(self.home)
        self.next_button.clicked.connect(self.next)
        self.dots = ProgressDots()
        self.dots.set_colour(config.colours.primary)
        self.progress = _label("", "pageProgress", wrap=False)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.where = QWidget()  # the dots and "3 of 9"
        where = QVBoxLayout(self.where)
        where.setContentsMargins(0, 0, 0, 0)
        where.setSpacing(4)
        where.addWidget(self.dots, 0, Qt.AlignmentFlag.AlignHCenter)
        where.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)

        nav = QWidget()
        nav.setObjectName("navBar")
        self._nav = QGridLayout(nav)
        self._nav.setContentsMargins(MARGIN, 12, MARGIN, 12)
        self._nav.setHorizontalSpacing(GAP)
        self._nav.setVerticalSpacing(8)
        self._nav_stacked: bool | None = None
        self._layout_nav(stacked=False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The title and text in one column of at most READING_WIDTH, centred:
        # lines across a 1920 px screen are too long to read.
        column = QWidget()
        column.setMaximumWidth(READING_WIDTH)
        reading = QVBoxLayout(column)
        reading.setContentsMargins(MARGIN, MARGIN, MARGIN, 0)
        reading.setSpacing(8)
        reading.addWidget(self.title)
        # Read aloud: hidden until app.py gives it a speech engine (after the
        # first paint; none on a machine without one).
        self.listen = ListenControls()
        self._voice = i18n.DEFAULT
        self.read_aloud = PageReader(
            None, self.listen, self.body, title=self.title.text, parent=self
        )
        reading.addWidget(self.listen)
        reading.addWidget(self.note)
        reading.addWidget(self.body, 1)
        centre = QHBoxLayout()
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addStretch(1)
        centre.addWidget(column, 100)
        centre.addStretch(1)
        layout.addLayout(centre, 1)
        layout.addWidget(nav)

    def show_page(self, page: Page, index: int, count: int) -> None:
        self.read_aloud.stop()
        # The voice of the page's own language: an English page shown for
        # want of a translation is read in English.
        voice = page.language
        reader = self.read_aloud.reader
        if reader is not None and voice != self._voice:
            reader.set_language(voice)
            self._voice = voice
        self.scroller.stop()
        self.title.setText(page.title)
        self.title.setAccessibleName(page.title)
        self.body.show_page(page)
        self.body.setAccessibleName(page.title)
        self.note.setVisible(page.fallback)
        self.dots.set_position(index, count)
        self._fit_dots()
        self.progress.setText(strings.PAGE_OF.format(index=index + 1, count=count))
        self.progress.setAccessibleName(
            strings.PAGE_OF_ACCESSIBLE.format(index=index + 1, count=count)
        )
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)

    def retranslate(self) -> None:
        relabel(self.previous_button, strings.PREVIOUS)
        relabel(self.home_button, strings.HOME)
        relabel(self.next_button, strings.NEXT)
        self.note.setText(strings.NOT_TRANSLATED)
        self.read_aloud.set_language(i18n.current())
        self._voice = i18n.current()

    def _layout_nav(self, *, stacked: bool) -> None:
        """Previous, Home, where you are, Next in one row; where you are on a
        row of its own above the buttons when the text is too large for one."""
        if stacked == self._nav_stacked:
            return
        self._nav_stacked = stacked
        for widget in (self.previous_button, self.home_button, self.where, self.next_button):
            self._nav.removeWidget(widget)
        centre = Qt.AlignmentFlag.AlignHCenter
        if stacked:
            self._nav.addWidget(self.where, 0, 0, 1, 4, centre)
            row = 1
        else:
            self._nav.addWidget(self.where, 0, 2, centre)
            row = 0
        self._nav.addWidget(self.previous_button, row, 0)
        self._nav.addWidget(self.home_button, row, 1)
        self._nav.addWidget(self.next_button, row, 3)
        for column, stretch in enumerate((0, 0, 1, 0)):
            self._nav.setColumnStretch(column, stretch)

    def _fit_dots(self) -> None:
        """Dots only where they fit: on a narrow screen, with large text or a long
        topic they would push Previous / Next off the screen; "12 of 30" says it.
        When even that does not fit beside the buttons, it goes above them."""
        _index, count = self.dots.position()
        buttons = (self.previous_button, self.home_button, self.next_button)
        room = self.width() - 2 * MARGIN - 3 * GAP - sum(b.sizeHint().width() for b in buttons)
        self._layout_nav(stacked=room < self.progress.sizeHint().width())
        dots_room = self.width() - 2 * MARGIN if self._nav_stacked else room
        self.dots.setVisible(count <= MAX_DOTS and self.dots.sizeHint().width() <= dots_room)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_dots()

    def reset(self) -> None:
        self.read_aloud.stop()
        self.scroller.stop()
        self.note.hide()
        self.body.clear()
        self.body.forget_images()
        self.title.clear()

    def on_swiped(self, direction: int) -> None:
        if direction > 0 and self.next_button.isEnabled():
            self.next.emit()
        elif direction < 0 and self.previous_button.isEnabled():
            self.previous.emit()


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
        self.card.setMaximumWidth(760)
        self.card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(36, 32, 36, 32)
        self.card_layout.setSpacing(20)
        self.title = _label(title, "overlayTitle")
        self.card_layout.addWidget(self.title)
        self.body = _label("", "overlayBody")
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
        self.buttons.setSpacing(GAP)
        self.card_layout.addLayout(self.buttons)
        # Stretches around the card rather than an alignment flag: an aligned
        # widget gets its plain size hint, and a wrapped label in it would be
        # cut short (Qt ignores heightForWidth for aligned items).
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.card, 100)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.addStretch(1)
        outer.addLayout(middle)
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
        needed = sum(w.sizeHint().width() for w in shown) + GAP * max(0, len(shown) - 1)
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
            import html

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
        self.size_label = _label(strings.TEXT_SIZE_LABEL, "overlayBody")
        self.sizes = Choices(
            [(name, strings.SIZE_NAMES[name]) for name in TEXT_SIZES], "sizeChoices"
        )
        self.contrast_label = _label(strings.CONTRAST_LABEL, "overlayBody")
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
