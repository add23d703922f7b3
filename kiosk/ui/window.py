"""The kiosk's one window: a bar on top, a stack of screens, overlays.

Screens change only through the named methods here (``show_home``,
``show_page``, ``show_next``, ...), so every way of moving (a tap, a swipe, a
link, the idle reset) goes through one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import Config
from kiosk.content import Library, Page
from kiosk.ui import i18n, keynav
from kiosk.ui.i18n import strings
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.lockdown import is_blocked_key
from kiosk.ui.metrics import SCREEN_MARGIN
from kiosk.ui.patient.home import TILE_MIN_WIDTH, HomeScreen
from kiosk.ui.theme import (
    DEFAULT_CONTRAST,
    DEFAULT_SIZE,
    colours,
    document_css,
    style_sheet,
    text_factor,
)
from kiosk.ui.topbar import TopBar
from kiosk.ui.widgets import announce

if TYPE_CHECKING:
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.ui.patient.overlays import CrisisOverlay, DisplayOverlay, IdleOverlay
    from kiosk.ui.patient.page import PageScreen
    from kiosk.ui.patient.request import RequestScreen

log = logging.getLogger(__name__)

NOTICE_MS = 6000
NOTICE_WIDTH = 720  # px at most: a short sentence, low on the screen
NOTICE_LIFT = 120  # px between the notice and the bottom of the screen


class KioskWindow(QWidget):
    """The whole kiosk on screen.

    Signals:
        screen_changed(str): "home", "page:<key>" or "request", after each move.
        was_reset(): the idle reset (or a recovery) has wiped the screens.
        crisis_closed(): the crisis card's Close was tapped.
    """

    screen_changed = Signal(str)
    was_reset = Signal()
    crisis_closed = Signal()
    request_saved = Signal()  # a patient's request is on disk (the office link sends it now)

    def __init__(
        self,
        config: Config,
        library: Library,
        *,
        kiosk_mode: bool = True,
        store: EnquiryStore | None = None,
        open_store: Callable[[], EnquiryStore | None] | None = None,
        logo: Path | None = None,
        idle_ms: int | None = None,
        countdown_s: int | None = None,
        tick_ms: int = 1000,
    ) -> None:
        super().__init__()
        if kiosk_mode:
            # Before any child exists: set after them, the flags re-polish the whole tree.
            self.setWindowFlags(
                Qt.WindowType.Window
                | Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
            )
            self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setObjectName("kioskWindow")
        self.setWindowTitle(config.clinic_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAcceptDrops(False)
        self.config = config
        self.kiosk_mode = kiosk_mode
        self.library = library
        self._pages: tuple[Page, ...] = ()
        self._index = -1
        self._used = False  # anything opened since the last reset?
        # The patient's choices, until the idle reset: text size, contrast, language.
        self.text_size = DEFAULT_SIZE
        self.contrast = DEFAULT_CONTRAST
        self.language = i18n.DEFAULT
        self._view = library  # the library in the patient's language

        # -- the bar on top of every screen --
        self.bar = TopBar(config.clinic_name, logo)
        # The name, where staff mode's hold gesture listens.
        self.clinic_name = self.bar.clinic_name

        # -- screens --
        self.stack = QStackedWidget()
        self.home = HomeScreen(config)
        # The page screen, the overlays and the request screen are built when
        # first needed (or just after the first paint, by app.build:
        # finish_building): none of them is on the way to the home screen.
        self._page: PageScreen | None = None
        self._crisis: CrisisOverlay | None = None
        self._idle_overlay: IdleOverlay | None = None
        self._display: DisplayOverlay | None = None
        self._request: RequestScreen | None = None
        self._store = store
        self._open_store = open_store
        self.stack.addWidget(self.home)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)

        # -- notices --
        self.notice = QLabel(self)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)

        self.idle = IdleMonitor(
            idle_ms if idle_ms is not None else config.idle_seconds * 1000,
            countdown_s if countdown_s is not None else config.countdown_seconds,
            tick_ms=tick_ms,
            should_warn=lambda: not self.is_pristine(),
            parent=self,
        )
        self._connect_signals()
        # Installed on the application by listen(): it has nothing to do while
        # the window is being built.
        self._keys = keynav.KeyNavigation(self, self.open_overlays)
        self._keys_installed = False
        self.home.set_library(self._view)
        self.show_home()

    def finish_building(self) -> None:
        """Build what the first screen does not need, the page screen and the
        overlays: app.build calls it after the first paint (and builds the
        request form then too)."""
        self.home.finish_building()  # its QR code
        self.page  # noqa: B018  (each property builds its part)
        self.crisis  # noqa: B018
        self.idle_overlay  # noqa: B018
        self.display  # noqa: B018

    @property
    def input_filters(self) -> list[QObject]:
        """Its application-wide event filters, in the order installed
        (``listen``): keyboard navigation, then the idle clock."""
        return [self._keys, self.idle] if self._keys_installed else []

    @property
    def page(self) -> PageScreen:
        """The page screen, built on first use."""
        if self._page is None:
            # Not on the way to the home screen; with it, speech's imports.
            from kiosk.ui.patient.page import PageScreen

            page = PageScreen(self.config, document_css(self.config, self.contrast))
            page.dots.set_colour(colours(self.config, self.contrast)["primary"])
            page.previous.connect(self.show_previous)
            page.next.connect(self.show_next)
            page.home.connect(self.show_home)
            # The page's own "Request information", as the bar's: the topic read is chosen.
            page.request.connect(self._request_from_page)
            page.page_link.connect(self.show_page)
            # Someone listening to a page does not touch the screen.
            page.read_aloud.active.connect(self.idle.touch)
            self.stack.addWidget(page)
            self._page = page
        return self._page

    @property
    def crisis(self) -> CrisisOverlay:
        """The crisis card, built on first use."""
        if self._crisis is None:
            from kiosk.ui.patient.overlays import CrisisOverlay  # not on the way to home

            self._crisis = CrisisOverlay(self, self.config)
            self._crisis.close_button.clicked.connect(self.crisis_closed)
        return self._crisis

    @property
    def idle_overlay(self) -> IdleOverlay:
        """ "Are you still there?", built on first use."""
        if self._idle_overlay is None:
            from kiosk.ui.patient.overlays import IdleOverlay  # not on the way to home

            # Over the screens, not the bar: "Need help now?" stays within reach
            # (as it does over the form's "Leave this form?").
            self._idle_overlay = IdleOverlay(self, cover=self.stack)
            self.idle.tick.connect(self._idle_overlay.set_seconds)
            self.idle.resumed.connect(self._idle_overlay.hide)
            self._idle_overlay.still_here.connect(self.idle.touch)
        return self._idle_overlay

    @property
    def display(self) -> DisplayOverlay:
        """Text size and contrast ("Aa"), built on first use."""
        if self._display is None:
            from kiosk.ui.patient.overlays import DisplayOverlay  # not on the way to home

            self._display = DisplayOverlay(self, cover=self.stack)  # the bar within reach
            self._display.set_state(self.text_size, self.contrast)
            self._display.size_chosen.connect(self.set_text_size)
            self._display.contrast_chosen.connect(self.set_contrast)
        return self._display

    def _built_overlays(self) -> list[QWidget]:
        return [o for o in (self._crisis, self._idle_overlay, self._display) if o is not None]

    @property
    def request(self) -> RequestScreen:
        """The request form, built on first use."""
        if self._request is None:
            from kiosk.ui.patient.request import RequestScreen  # (its imports cost start-up time)

            self._request = RequestScreen(self.config, self._store, self._open_store)
            self._request.time_stretch = lambda: self.idle.stretch
            self._request.set_library(self._view)
            self._request.home.connect(self.show_home)
            self._request.finished.connect(self.on_request_finished)
            self._request.saved.connect(self.request_saved)
            self.stack.addWidget(self._request)
        return self._request

    def _connect_signals(self) -> None:
        # Navigation from the screens.
        self.home.page_chosen.connect(self.show_page)
        self.home.topic_chosen.connect(self.show_topic)
        self.home.request_info.connect(self.show_request)
        self.home.language_chosen.connect(self.set_language)
        self.screen_changed.connect(self.home.note_screen)  # ticks and "Continue"
        # The bar.
        self.bar.help_button.clicked.connect(self.show_crisis)
        self.bar.request_button.clicked.connect(self._request_from_page)
        self.bar.display_button.clicked.connect(self.show_display)
        # The idle clock. (The page screen and the overlays connect theirs when built.)
        self.idle.warning.connect(self.on_idle_warning)
        self.idle.expired.connect(self.reset)

    # -- where we are ---------------------------------------------------------
    @property
    def current_screen(self) -> str:
        widget = self.stack.currentWidget()
        if widget is not None and widget is self._page and 0 <= self._index < len(self._pages):
            return f"page:{self._pages[self._index].key}"
        return "request" if widget is not None and widget is self._request else "home"

    @property
    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        if widget is not None and widget is self._page and 0 <= self._index < len(self._pages):
            return self._pages[self._index]
        return None

    def is_at_rest(self) -> bool:
        """Home, with nothing open over it: new content can be swapped in."""
        return self.stack.currentWidget() is self.home and not any(
            overlay.isVisible() for overlay in self._built_overlays()
        )

    def apply_config(self, config: Config, logo: Path | None = None) -> None:
        """New branding, colours (the caller restyles the app), texts and timings."""
        self.config = config
        self.setWindowTitle(config.clinic_name)
        self.bar.set_brand(config.clinic_name, logo)
        self.home.apply_config(config)
        if self._crisis is not None:  # one built later reads self.config
            self._crisis.apply_config(config)
        self.restyle()
        self.idle.idle_ms = config.idle_seconds * 1000
        self.idle.countdown_s = config.countdown_seconds
        if self._request is not None:
            self._request.config = config  # region, thank-you time; the keyboard at restart

    def open_overlays(self) -> list[QWidget]:
        """What is open over the screens, the topmost last: the form's "Leave
        this form?", then the window's own overlays (and staff screens) in
        stacking order. Keyboard focus stays in the topmost."""
        shown: list[QWidget] = []
        if self._request is not None and self._request.leave_overlay.isVisible():
            shown.append(self._request.leave_overlay)
        base = (self.bar, self.stack, self.notice)
        shown += [
            child
            for child in self.children()
            if isinstance(child, QWidget)
            and child not in base
            and not child.isWindow()
            and child.isVisible()
            and child.property(keynav.NOT_AN_OVERLAY) is not True
        ]
        return shown

    def is_pristine(self) -> bool:
        """True when nothing has happened since the last reset that a next patient
        could see: no page, overlay or screen opened (``_used``), home not scrolled."""
        return (
            not self._used
            and self.stack.currentWidget() is self.home
            and self.home.scroll_area.verticalScrollBar().value() == 0
        )

    # -- moving ---------------------------------------------------------------
    def _switch(self, widget: QWidget) -> None:
        if widget is not self.home:
            self._used = True  # the next patient must not inherit what this opened
        self.stack.setCurrentWidget(widget)
        if self._display is not None:  # "Request information" on the bar, beside "Aa"'s card
            self._display.hide()
        on_page = widget is not None and widget is self._page
        if self.bar.request_button.isHidden() == on_page:  # not at each page turn
            self.bar.request_button.setVisible(on_page)
            self.bar.fit(self.width())  # one button more or fewer: the name's room changed
        self.screen_changed.emit(self.current_screen)

    def show_home(self) -> None:
        self._index = -1
        self._switch(self.home)

    def show_topic(self, topic_id: str) -> None:
        for topic in self._view.topics:
            if topic.topic_id == topic_id and topic.pages:
                self.show_page(topic.pages[0].key)
                return
        log.warning("no topic %r to show", topic_id)

    def show_page(self, key: str) -> None:
        page = self._view.page(key)
        if page is None:
            log.warning("no page %r to show", key)
            return
        self._pages = self._view.topic_of(page).pages
        self._index = self._pages.index(page)
        coming = self._pages[self._index + 1 : self._index + 2] + self._pages[: self._index][-1:]
        self.page.show_page(page, self._index, len(self._pages), coming)
        self._switch(self.page)
        announce(self, f"{page.title}. {self.page.progress.accessibleName()}")

    def show_next(self) -> None:
        if self.current_page is not None and self._index + 1 < len(self._pages):
            self.show_page(self._pages[self._index + 1].key)

    def show_previous(self) -> None:
        if self.current_page is not None and self._index > 0:
            self.show_page(self._pages[self._index - 1].key)

    def _current_topic(self) -> str:
        page = self.current_page
        return page.topic_id if page is not None else ""

    def _request_from_page(self) -> None:
        self.show_request(self._current_topic())

    def show_request(self, topic_id: str = "") -> None:
        """The request form; ``topic_id`` (the topic being read) is preselected."""
        self.request.open(topic_id)
        self._switch(self.request)

    def show_crisis(self) -> None:
        self._used = True
        self.idle.touch()  # someone is here: it ends "Are you still there?" too
        self.crisis.open(take_focus=self._keys.by_keyboard)

    def set_library(self, library: Library) -> None:
        self.library = library
        self._view = library.translated(self.language)
        self.home.set_library(self._view)
        if self._request is not None:
            self._request.set_library(self._view)
        self.show_home()

    # -- the patient's choices: text size, contrast, language -----------------
    def show_display(self) -> None:
        self._used = True
        self.display.set_state(self.text_size, self.contrast)
        self.display.open(take_focus=self._keys.by_keyboard)

    def set_text_size(self, size: str) -> None:
        if size != self.text_size:
            self.text_size = size
            self._used = True
            self.restyle()

    def set_contrast(self, contrast: str) -> None:
        if contrast != self.contrast:
            self.contrast = contrast
            self._used = True
            self.restyle()

    def restyle(self) -> None:
        """The app's style sheet, page CSS and dots for the config and the
        patient's text size and contrast; then layouts that depend on them."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyleSheet(style_sheet(self.config, self.text_size, self.contrast))
        if self._page is not None:  # one built later takes them from the window
            self._page.body.set_css(document_css(self.config, self.contrast))
            self._page.dots.set_colour(colours(self.config, self.contrast)["primary"])
        self.home.set_colours(colours(self.config, self.contrast))
        factor = text_factor(self.config, self.text_size)
        self.home.set_tile_width(round(TILE_MIN_WIDTH * max(1.0, factor) ** 1.5))
        page = self.current_page
        if page is not None:  # re-lay the text out under the new sizes
            self.page.show_page(page, self._index, len(self._pages))
        if self._display is not None:
            self._display.set_state(self.text_size, self.contrast)
        self.bar.fit(self.width())

    def set_language(self, language: str) -> None:
        """Every word of the kiosk's own in ``language``, and the content's
        translations where there are any. The form is built again, empty."""
        if language == self.language:
            return
        self.language = language
        self._used = True
        i18n.use(language)
        self._retranslate()
        self._view = self.library.translated(language)
        self.home.set_library(self._view)
        self.home.languages.set_value(language)
        if self._request is not None:
            self._request.wipe()
            self.stack.removeWidget(self._request)
            self._request.deleteLater()
            self._request = None
        if self.stack.currentWidget() is not self.home:
            self.show_home()

    def _retranslate(self) -> None:
        self.bar.retranslate()
        self.home.retranslate()
        # Those not built yet are built in the language of the day.
        if self._page is not None:
            self._page.retranslate()
        if self._crisis is not None:
            self._crisis.retranslate()
        if self._idle_overlay is not None:
            self._idle_overlay.retranslate()
        if self._display is not None:
            self._display.retranslate()
        self.bar.fit(self.width())

    # -- idle, reset, recovery ------------------------------------------------
    def on_request_finished(self) -> None:
        """The thank-you has been read: forget everything, as after idle. If the
        patient opened crisis help meanwhile, it stays open over home."""
        if self._crisis is not None and self._crisis.isVisible():
            if self._request is not None:
                self._request.wipe()
            self.show_home()
            return
        self.reset()

    def on_idle_warning(self, seconds: int) -> None:
        overlay = self.idle_overlay
        # Over crisis help, which covers the bar too: over the whole window, or
        # the card's top would stay bright above the dimmed rest.
        crisis_open = self._crisis is not None and self._crisis.isVisible()
        overlay.set_cover(None if crisis_open else self.stack)
        overlay.set_seconds(seconds)
        overlay.open(take_focus=self._keys.by_keyboard)

    def reset(self) -> None:
        """Forget everything: overlays, page, scroll positions; back home."""
        for overlay in self._built_overlays():
            overlay.hide()
        self.notice.hide()
        self.set_language(i18n.DEFAULT)
        if (self.text_size, self.contrast) != (DEFAULT_SIZE, DEFAULT_CONTRAST):
            self.text_size, self.contrast = DEFAULT_SIZE, DEFAULT_CONTRAST
            self.restyle()
        if self._page is not None:
            self._page.reset()
        self.home.reset()
        if self._request is not None:
            self._request.wipe()
        self._pages, self._index = (), -1
        self.show_home()
        # The window's own focus widget, not QApplication's: that one is None
        # while another window (an on-screen keyboard) is active, and the
        # focus would come back when the kiosk is active again.
        focused = self.focusWidget()
        if focused is not None:
            focused.clearFocus()
        self._rest_focus()
        self._used = False
        self.idle.sleep()
        self.was_reset.emit()

    def _rest_focus(self) -> None:
        """Keep the focus on the window itself: with no focus widget, Qt hands
        the focus to the first button when the window is activated, and a focus
        ring would sit on "Need help now?" for no reason."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def recover(self) -> None:
        """After an unexpected error: go home and say sorry, briefly."""
        self.reset()
        self.show_notice(strings.APOLOGY)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        width = min(self.width() - 2 * SCREEN_MARGIN, NOTICE_WIDTH)
        self.notice.setFixedWidth(max(200, width))
        self.notice.adjustSize()
        self.notice.move(
            (self.width() - self.notice.width()) // 2,
            self.height() - self.notice.height() - NOTICE_LIFT,
        )
        self.notice.show()
        self.notice.raise_()
        announce(self, text)
        self._notice_timer.start(NOTICE_MS)

    # -- layout ---------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.bar.fit(self.width())

    # -- lockdown -------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk_mode:
            log.info("close request ignored (kiosk mode)")
            event.ignore()
            return
        self.idle.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.kiosk_mode and is_blocked_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def cover_screen(self, screen: QScreen | None = None) -> None:
        """Fill the whole screen, with or without a window manager."""
        screen = screen or self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        geometry: QRect = screen.geometry()
        # A bare X server has no window manager to honour "fullscreen": set the
        # geometry ourselves too.
        self.setGeometry(geometry)
        self.showFullScreen()

    def listen(self) -> None:
        """Install its application-wide event filters: keyboard navigation, then
        the idle clock's. Once, after the window is built: they would have seen
        every event of its construction for nothing."""
        if self._keys_installed:
            return
        keynav.install(self._keys)
        self._keys_installed = True
        self.idle.listen()

    def start(self, *, listen: bool = True) -> None:
        """Show the window (fullscreen and frameless in kiosk mode) and start the
        idle clock; with ``listen``, install the input filters too (``listen()``:
        app.build does that after the first paint)."""
        if self.kiosk_mode:  # (the flags were set in the constructor)
            screen = QGuiApplication.primaryScreen()
            if screen is not None:
                screen.geometryChanged.connect(lambda _rect: self.cover_screen(screen))
            self.cover_screen(screen)
        else:
            self.resize(1280, 800)
            self.show()
        self._rest_focus()
        self.idle.touch()  # the clock runs; its filter comes with listen()
        if listen:
            self.listen()
