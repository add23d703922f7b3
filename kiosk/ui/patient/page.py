"""The page screen: one page of a topic, its dots, Previous / Next and Listen."""

from __future__ import annotations

import html
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QFont,
    QHideEvent,
    QImage,
    QResizeEvent,
    QShowEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Config
from kiosk.content import Page
from kiosk.content.budget import COULD_NOT_SHOW
from kiosk.content.model import PAGE_LINK_PREFIX, REQUEST_SLOT, PageBody, Rendered
from kiosk.ui import i18n
from kiosk.ui.i18n import strings
from kiosk.ui.metrics import BAR_PADDING, CONTROL_GAP, READING_WIDTH, ROW_GAP, SCREEN_MARGIN
from kiosk.ui.patient.render_worker import BodyRenderer
from kiosk.ui.patient.speech import (
    ListenControls,
    PageReader,
    Reader,
    ThreadedReader,
    speech_wanted,
)
from kiosk.ui.pictures import read_picture
from kiosk.ui.touch import TouchScroller
from kiosk.ui.widgets import MoreBelow, ProgressDots, button, centred, relabel, text_label

MAX_DOTS = 12  # a longer topic says "12 of 30" without dots
#: The last page's "Request information" and "Back to topics": added below
#: its text by the page screen (never by content), in a slot like ``[[request]]``'s.
END_SLOT = "kiosk:end"
END_SLOT_HTML = f'<p><a name="{END_SLOT}">\u00a0</a></p>'
#: How tall the "More below" fade is, over the foot of the text.
FADE_PX = 72

#: How long a page's body may take to render (on a worker thread) before the
#: page shows ``COULD_NOT_SHOW``. The shipped pages take 1-4 ms; the worst page
#: ``kiosk.content.budget`` lets through, well under a second.
RENDER_BUDGET_MS = 2000
#: The GUI thread waits this long at most for a page's render, asleep (so the
#: worker has Python's lock), so a normal page shows its text in the same pass
#: as its title: no "Loading…" flash, no layout jump. A longer render goes on
#: while the event loop runs.
SAME_PASS_MS = 50
#: "Loading…" shows only for a render longer than this.
LOADING_AFTER_MS = 150
#: After a page shows, the pages before and after it are rendered in the
#: background, so Next and Previous find them ready (after the paint, not during it).
PREPARE_AFTER_MS = 300
#: Pages whose text is kept laid out after it was shown, the least recently
#: shown dropped first: turning to one again swaps its document in rather than
#: parsing its HTML and laying it out anew (half a page turn). A shipped page's
#: document, laid out, is about 100 KiB (bench: resident memory after 3,000 turns).
KEPT_PAGES = 16
#: No speech engine answered while a page shows: Listen's empty place goes as
#: soon as no finger is on the screen and the text is still (checked this often).
STILL_CHECK_MS = 250

log = logging.getLogger(__name__)


class SlotRow(QWidget):
    """Buttons that sit in a page's text (``[[request]]``, the last page's
    next step): one row, or one above the other where the row does not fit."""

    def __init__(self, buttons: tuple[QPushButton, ...]) -> None:
        super().__init__()
        self.setObjectName("pageActions")
        self.buttons = buttons
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(CONTROL_GAP)
        self._stacked: bool | None = None

    def fit(self, width: int) -> int:
        """Arrange the buttons for ``width``; the height they need."""
        wide = sum(b.sizeHint().width() for b in self.buttons)
        stacked = wide + CONTROL_GAP * (len(self.buttons) - 1) > width
        if stacked != self._stacked:
            self._stacked = stacked
            for b in self.buttons:
                self._grid.removeWidget(b)
            for n, b in enumerate(self.buttons):
                self._grid.addWidget(b, n if stacked else 0, 0 if stacked else n)
            self._grid.setColumnStretch(len(self.buttons), 0 if stacked else 1)
        heights = [b.sizeHint().height() for b in self.buttons]
        return sum(heights) + CONTROL_GAP * (len(heights) - 1) if stacked else max(heights)


class PageDocument(QTextDocument):
    """One page's text (or a line of ours), kept while its page may come back.

    It loads nothing but the page's own verified pictures: never a file: or
    http: URL (its parent is not the browser, whose ``loadResource`` Qt would
    otherwise ask).
    """

    def __init__(
        self, parent: QObject, css: str, font: QFont, html_text: str, pictures: Rendered | None
    ) -> None:
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setDefaultStyleSheet(css)
        self.setDefaultFont(font)
        #: The render shown (None: a line of ours): what the document was made from.
        self.rendered = pictures
        self._images = (
            {name: read_picture(path) for name, path in pictures.images.items()} if pictures else {}
        )
        self._fitted_width = -1.0  # the width its pictures were fitted to (fit_pictures)
        #: The rows of buttons over its slots, made when it is first shown.
        self.rows: list[tuple[QTextBlock, SlotRow]] = []
        self.filled = False
        self.setHtml(html_text)

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        if kind == QTextDocument.ResourceType.ImageResource.value:
            image = self._images.get(name.toString() if isinstance(name, QUrl) else name)
            if image is not None and not image.isNull():
                return image
            if image is not None:
                # A picture the kiosk will not show (read_picture says why, in the
                # log): nothing in its place, not Qt's broken-file icon.
                nothing = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
                nothing.fill(Qt.GlobalColor.transparent)
                return nothing
        return None

    def fit_pictures(self, width: float) -> None:
        """Each picture no wider than ``width`` (its height in proportion): drawn
        at its own size, a picture wider than the text (1600 px, as the guide
        suggests, in a column of at most 1,100) was cut off at the right."""
        width = max(1.0, width)
        if width == self._fitted_width or not self._images:
            return  # a page turn back to a page seen at this width: nothing to walk
        self._fitted_width = width
        changes: list[tuple[int, int, QTextImageFormat]] = []
        block = self.begin()
        while block.isValid():
            pieces = block.begin()
            while not pieces.atEnd():
                fragment = pieces.fragment()
                pieces += 1
                if not fragment.charFormat().isImageFormat():
                    continue
                shape = fragment.charFormat().toImageFormat()
                image = self._images.get(shape.name())
                if image is None or image.isNull():
                    continue
                ratio = image.devicePixelRatio() or 1.0
                natural_w, natural_h = image.width() / ratio, image.height() / ratio
                shown_w = min(natural_w, width)
                shown_h = natural_h * shown_w / natural_w
                if abs(shape.width() - shown_w) > 0.5 or abs(shape.height() - shown_h) > 0.5:
                    shape.setWidth(shown_w)
                    shape.setHeight(shown_h)
                    changes.append((fragment.position(), fragment.length(), shape))
            block = block.next()
        for position, length, shape in changes:
            cursor = QTextCursor(self)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(shape)

    def drop(self) -> None:
        """No longer kept: its rows and then itself are deleted."""
        for _block, row in self.rows:
            row.hide()
            row.deleteLater()
        self.rows = []
        self.deleteLater()


class PageBrowser(QTextBrowser):
    """A page's text: read-only, no selection, no context menu, nothing loaded
    from outside the page's own verified pictures, links handled by the kiosk.

    A ``[[request]]`` line of the page, and on a topic's last page its end,
    are slots: an empty paragraph the height of a row of real buttons, which
    sit over it on the viewport and scroll with the text (one document, so
    scrolling, reading aloud and the word highlight are as on any page).

    Signals:
        page_link(str): a link to another page was tapped (its key).
        request(): "Request information" in the text was tapped.
        topics(): "Back to topics" at the end of the last page was tapped.
    """

    page_link = Signal(str)
    request = Signal()
    topics = Signal()

    def __init__(self, css: str) -> None:
        super().__init__()
        self._css = css
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
        # The bar always has its place, so the text keeps one width from page
        # to page: a bar that came and went with a page's length changed the
        # width the text is laid out at, and a turn from a short page to a
        # long one laid the text out again (the slowest turns). With nothing
        # to scroll it is disabled, and shows nothing (the style sheet).
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalScrollBar().rangeChanged.connect(self._range_changed)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.anchorClicked.connect(self.on_anchor_clicked)
        # Set by the page screen: a drag that starts on a button in the text
        # scrolls it (the button takes the press before the viewport sees it).
        self.track: Callable[[QWidget], None] | None = None
        self.more_below = MoreBelow(self)
        # Placed once a document is in, not at each step of its layout.
        self._placing = True
        # The documents' owner: setDocument() deletes one whose parent is the browser.
        self._documents = QObject(self)
        #: Pages' documents by (render, last page), the least recently shown first.
        self._kept: OrderedDict[tuple[int, bool], PageDocument] = OrderedDict()
        self._message = self._document("", None)  # "Loading…", "could not show", nothing
        self._shown = self._message
        self.setDocument(self._message)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._place)
        bar.rangeChanged.connect(self._place)

    def _document(self, text: str, rendered: Rendered | None) -> PageDocument:
        document = PageDocument(self._documents, self._css, self.font(), text, rendered)
        document.documentLayout().documentSizeChanged.connect(self._place)
        return document

    def show_page(self, rendered: Rendered, *, last: bool = False) -> None:
        """The page's text; ``last``: the topic's last page, so it ends with
        "Request information" and "Back to topics". A page shown lately comes
        back as it was laid out (``KEPT_PAGES``)."""
        key = (id(rendered), last)
        document = self._kept.pop(key, None)
        if document is None or document.rendered is not rendered:
            document = self._document(rendered.html + (END_SLOT_HTML if last else ""), rendered)
        self._kept[key] = document
        while len(self._kept) > KEPT_PAGES:
            _key, oldest = self._kept.popitem(last=False)
            self._release(oldest)
        self._use(document)

    def show_message(self, text: str) -> None:
        """A line of ours instead of the page's text ("" for none)."""
        self._message.setHtml(f"<p>{html.escape(text)}</p>" if text else "")
        self._use(self._message)

    def clear(self) -> None:
        self.show_message("")

    def set_css(self, css: str) -> None:
        """New page CSS (colours, contrast): pages are made again when next shown."""
        self._css = css
        self._message.setDefaultStyleSheet(css)
        self._shown.setDefaultStyleSheet(css)
        self.forget_pages()

    def forget_pages(self) -> None:
        """Keep no page's document (and so none of its pictures)."""
        for document in self._kept.values():
            self._release(document)
        self._kept.clear()

    def slot_rows(self) -> list[SlotRow]:
        return [row for _block, row in self._shown.rows]

    def _use(self, document: PageDocument) -> None:
        """Show ``document``, its buttons over its slots, scrolled to the top."""
        old = self._shown
        self._placing = False
        for _block, row in old.rows:
            row.hide()
        self._shown = document
        if document is not old:
            self.setDocument(document)
        document.fit_pictures(self._picture_width())
        if not document.filled:
            self._fill_slots(document)
        for _block, row in document.rows:
            row.show()
        self.verticalScrollBar().setValue(0)
        self._placing = True
        self._place()
        kept = any(old is document_kept for document_kept in self._kept.values())
        if old is not document and old is not self._message and not kept:
            old.drop()

    def _release(self, document: PageDocument) -> None:
        """A document no longer kept: deleted now, or when another replaces it on screen."""
        if document is not self._shown:
            document.drop()

    # -- the buttons in the text ------------------------------------------------------
    def _slot_row(self, name: str, *, asked: bool) -> SlotRow:
        """The row of a slot. ``asked``: the page already has a ``[[request]]``
        button, so its end offers "Back to topics" alone (two "Request
        information" buttons on one page read as two different things)."""
        buttons: tuple[QPushButton, ...] = ()
        if name == REQUEST_SLOT or not asked:
            ask = button(strings.REQUEST_INFO, None, "pageRequestButton")
            ask.clicked.connect(self.request)
            buttons = (ask,)
        if name == END_SLOT:
            back = button(strings.BACK_TO_TOPICS, "quiet", "backToTopicsButton")
            back.clicked.connect(self.topics)
            buttons = (*buttons, back)
        row = SlotRow(buttons)
        row.setParent(self.viewport())
        return row

    def _fill_slots(self, document: PageDocument) -> None:
        slots = []
        block = document.firstBlock()
        while block.isValid():
            fragment = block.begin()
            names = fragment.fragment().charFormat().anchorNames() if not fragment.atEnd() else []
            name = next((n for n in names if n in (REQUEST_SLOT, END_SLOT)), None)
            if name is not None:
                slots.append((block, name))
            block = block.next()
        asked = any(name == REQUEST_SLOT for _block, name in slots)
        for block, name in slots:
            row = self._slot_row(name, asked=asked)
            if self.track is not None:
                for widget in row.buttons:
                    self.track(widget)
            document.rows.append((block, row))
        document.filled = True

    def _place(self) -> None:
        """Each row over its slot (the slot as tall as the row needs), and
        "More below" while the end of the text is out of view."""
        if not self._placing:
            return
        document = self._shown
        margin = int(document.documentMargin())
        width = self.viewport().width() - 2 * margin
        scrolled = self.verticalScrollBar().value()
        for block, row in document.rows:
            height = row.fit(width)
            if block.blockFormat().lineHeight() != height:
                cursor = QTextCursor(block)
                shape = QTextBlockFormat(block.blockFormat())
                shape.setLineHeight(height, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
                cursor.setBlockFormat(shape)  # lays the text out again, and calls back here
                return
            # The slot's box (laid out on demand), less the paragraph's margin above.
            box = document.documentLayout().blockBoundingRect(block)
            top = box.top() + block.blockFormat().topMargin()
            row.setGeometry(margin, int(top) - scrolled, width, height)
        self._place_more_below()

    def _place_more_below(self) -> None:
        self.more_below.place(self, FADE_PX)

    def _range_changed(self, low: int, high: int) -> None:
        self.verticalScrollBar().setEnabled(high > low)

    def _picture_width(self) -> float:
        return self.viewport().width() - 2 * self._shown.documentMargin()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._shown.fit_pictures(self._picture_width())
        self._place()

    def showEvent(self, event: QShowEvent) -> None:
        # QTextEdit's first show scrolls its cursor into view. The cursor is at
        # the start, before a page's top picture: a line as tall as the picture,
        # whose foot it scrolled to, so the page opened halfway down. The page
        # chose its place (the top) when it was shown; it keeps it.
        bar = self.verticalScrollBar()
        kept = bar.value()
        super().showEvent(event)
        bar.setValue(kept)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Qt gives the shown document the new font; the kept others are made again.
            self._message.setDefaultFont(self.font())
            shown = [(key, doc) for key, doc in self._kept.items() if doc is self._shown]
            self.forget_pages()
            self._kept.update(shown)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._place()

    def retranslate(self) -> None:
        self.more_below.retranslate()
        labels = (strings.REQUEST_INFO, strings.BACK_TO_TOPICS)
        for document in {id(d): d for d in (*self._kept.values(), self._shown)}.values():
            for _block, row in document.rows:
                for widget, text in zip(row.buttons, labels, strict=False):
                    relabel(widget, text)
        self._place()

    def on_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith(PAGE_LINK_PREFIX):
            self.page_link.emit(target.removeprefix(PAGE_LINK_PREFIX))


class PageScreen(QWidget):
    """One page: title, text, where you are, Previous / Home / Next, swipes.

    Signals:
        previous(), next(), home(): the navigation buttons or a swipe.
        page_link(str): a link inside the text to another page.
        text_shown(): the page's text (or why it is missing) is in place, in
            the same pass as ``show_page`` or after its rendering worker.
    """

    previous = Signal()
    next = Signal()
    home = Signal()
    request = Signal()
    page_link = Signal(str)
    text_shown = Signal()

    def __init__(self, config: Config, css: str) -> None:
        super().__init__()
        self.setObjectName("pageScreen")
        self.title = text_label("", "pageTitle")
        # "Not translated yet": a page shown in English in another language's view.
        self.note = text_label(strings.NOT_TRANSLATED, "pageNote")
        self.note.hide()
        self.body = PageBrowser(css)
        self.body.page_link.connect(self.page_link)
        self.body.request.connect(self.request)
        self.body.topics.connect(self.home)
        # The body's render runs on a worker; the page waiting for it (None
        # when none is). A result for any other page, or one that comes after
        # the budget or a reset, is never shown.
        self.renderer = BodyRenderer(self)
        self.renderer.rendered.connect(self._on_rendered)
        self._waiting: Page | None = None
        self._last = False  # the page shown is its topic's last
        self._budget = self._timer(self._over_budget)
        self._loading = self._timer(lambda: self.body.show_message(strings.LOADING))
        self._coming: tuple[Page, ...] = ()
        self._prepare = self._timer(self._prepare_coming)
        self.scroller = TouchScroller(self.body, swipes=True)
        self.body.track = self.scroller.track
        self.scroller.swiped.connect(self.on_swiped)

        self.previous_button = button(strings.PREVIOUS, "quiet", "previousButton")
        self.home_button = button(strings.HOME, "quiet", "homeButton")
        self.next_button = button(strings.NEXT, None, "nextButton")
        self.previous_button.clicked.connect(self.previous)
        self.home_button.clicked.connect(self.home)
        self.next_button.clicked.connect(self.next)
        self.dots = ProgressDots()
        self.dots.set_colour(config.colours.primary)
        self.progress = text_label("", "pageProgress", wrap=False)
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
        self._nav.setContentsMargins(SCREEN_MARGIN, BAR_PADDING, SCREEN_MARGIN, BAR_PADDING)
        self._nav.setHorizontalSpacing(CONTROL_GAP)
        self._nav.setVerticalSpacing(ROW_GAP)
        self._nav_stacked: bool | None = None
        self._layout_nav(stacked=False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # The title and text in one column of at most READING_WIDTH, centred:
        # lines across a 1920 px screen are too long to read.
        column = QWidget()
        reading = QVBoxLayout(column)
        reading.setContentsMargins(SCREEN_MARGIN, SCREEN_MARGIN, SCREEN_MARGIN, 0)
        reading.setSpacing(ROW_GAP)
        reading.addWidget(self.title)
        # Read aloud: its place kept, Listen hidden, until app.py's
        # SpeechStarter finds an engine (none on a machine without one).
        self.listen = ListenControls()
        self.listen.keep_place(speech_wanted())  # no empty place when speech is off
        # What the speech thread found, kept while it cannot be used yet: an
        # engine until the next page, none until nobody touches the page.
        self._coming_reader: list[Reader | ThreadedReader | None] = []
        self._still = self._timer(self._give_back_when_still)
        self._voice = i18n.DEFAULT
        self.read_aloud = PageReader(
            None, self.listen, self.body, title=self.title.text, parent=self
        )
        reading.addWidget(self.listen)
        reading.addWidget(self.note)
        reading.addWidget(self.body, 1)
        layout.addLayout(centred(column, READING_WIDTH), 1)
        layout.addWidget(nav)

    def speech_found(self, reader: Reader | ThreadedReader | None) -> None:
        """The speech thread found an engine (``reader``) or, for now, none.

        None: Listen's empty place is given back to the text, as when speech
        is off, rather than a gap or a Listen that does nothing; on a page
        being shown, once no finger is on the screen and the text is still (it
        moves up, never under a finger). An engine found a minute later takes
        the place again at the next page: the text being read does not move
        down."""
        self._still.stop()
        if not self.isVisible():
            self._coming_reader.clear()
            self._use_reader(reader)
            return
        self._coming_reader[:] = [reader]
        if reader is None:
            self._give_back_when_still()

    def _give_back_when_still(self) -> None:
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton or self.scroller.scrolling:
            self._still.start(STILL_CHECK_MS)
        elif self._coming_reader == [None]:
            self._use_reader(self._coming_reader.pop())

    def _use_reader(self, reader: Reader | ThreadedReader | None) -> None:
        if reader is None:
            self.listen.keep_place(False)
        else:
            self.listen.keep_place(True)
            self.read_aloud.set_reader(reader)

    def _timer(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    def show_page(self, page: Page, index: int, count: int, coming: tuple[Page, ...] = ()) -> None:
        """Show ``page``, ``index`` of ``count`` in its topic; ``coming`` are the
        pages a tap may open next, rendered in the background once it shows."""
        if self._coming_reader:
            self._still.stop()
            self._use_reader(self._coming_reader.pop())
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
        self._last = index == count - 1
        self._show_body(page)
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
        self._coming = coming
        self._prepare.start(PREPARE_AFTER_MS)

    def _show_body(self, page: Page) -> None:
        """The page's text now if it renders within ``SAME_PASS_MS``; else
        nothing (then "Loading…") until its worker is done or the budget is spent."""
        self._stop_waiting()
        started = time.monotonic()
        future = self.renderer.render(page.body)
        try:
            rendered = future.result(timeout=SAME_PASS_MS / 1000)
        except FutureTimeout:
            # Never the last page's text under this page's title.
            self.body.show_message("")
            self._waiting = page
            spent = int((time.monotonic() - started) * 1000)
            self._loading.start(max(0, LOADING_AFTER_MS - spent))
            self._budget.start(max(0, RENDER_BUDGET_MS - spent))
            return
        except Exception as exc:  # the loader's render does not raise; if it did, no text
            log.error("%s: could not be rendered: %r", page.source, exc)
            self.body.show_message(COULD_NOT_SHOW)
        else:
            self.body.show_page(rendered, last=self._last)
        self.text_shown.emit()

    @property
    def waiting(self) -> bool:
        """The page's text is still being rendered (``text_shown`` comes later)."""
        return self._waiting is not None

    def _on_rendered(self, body: PageBody, future: Future[Rendered]) -> None:
        page = self._waiting
        if page is None or page.body is not body:
            return  # another page, a reset or the budget came first: not this one's text
        self._stop_waiting()
        error = future.exception()
        if error is None:
            self.body.show_page(future.result(), last=self._last)
        else:  # the loader's render does not raise; if it did, the page is not shown
            log.error("%s: could not be rendered: %r", page.source, error)
            self.body.show_message(COULD_NOT_SHOW)
        self.text_shown.emit()

    def _over_budget(self) -> None:
        page = self._waiting
        if page is None:
            return
        self._stop_waiting()
        # Its worker runs on (a thread cannot be stopped): its result is dropped.
        log.error(
            "%s: rendering took more than %.1f s; the page shows %r",
            page.source,
            RENDER_BUDGET_MS / 1000,
            COULD_NOT_SHOW,
        )
        self.body.show_message(COULD_NOT_SHOW)
        self.text_shown.emit()

    def _stop_waiting(self) -> None:
        self._waiting = None
        self._budget.stop()
        self._loading.stop()

    def _prepare_coming(self) -> None:
        for page in self._coming:
            if not page.body.rendered:
                self.renderer.render(page.body)

    def hideEvent(self, event: QHideEvent) -> None:
        """Left: the voice back to the patient's language. The engine is shared
        with audio mode, which went on in English after an English page shown
        for want of a translation (found in review)."""
        super().hideEvent(event)
        reader = self.read_aloud.reader
        if reader is not None and self._voice != i18n.current():
            reader.set_language(i18n.current())
            self._voice = i18n.current()

    def retranslate(self) -> None:
        relabel(self.previous_button, strings.PREVIOUS)
        relabel(self.home_button, strings.HOME)
        relabel(self.next_button, strings.NEXT)
        self.note.setText(strings.NOT_TRANSLATED)
        self.body.retranslate()
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
        width = self.width() - 2 * SCREEN_MARGIN
        room = width - 3 * CONTROL_GAP - sum(b.sizeHint().width() for b in buttons)
        self._layout_nav(stacked=room < self.progress.sizeHint().width())
        dots_room = width if self._nav_stacked else room
        self.dots.setVisible(count <= MAX_DOTS and self.dots.sizeHint().width() <= dots_room)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_dots()

    def reset(self) -> None:
        self.read_aloud.stop()
        self.scroller.stop()
        self._stop_waiting()
        self._prepare.stop()
        self._coming = ()
        self.note.hide()
        self.body.clear()
        self.body.forget_pages()
        self.title.clear()

    def on_swiped(self, direction: int) -> None:
        if direction > 0 and self.next_button.isEnabled():
            self.next.emit()
        elif direction < 0 and self.previous_button.isEnabled():
            self.previous.emit()
