"""The office app's window: sign in, then the inbox (``kiosk.ui.office.inbox``: the
enquiries newest first with filters and search, the chosen one beside them), the
kiosks' health, the revisions published to them, and crisis alerts above everything.
Idle for ``lock_after_s``, it locks: back to sign-in, the clinic key and every opened
row dropped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSettings, QSize, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.staff.accounts import say_seconds
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.office import words as w
from kiosk.ui.office.alerts import AlertBanner
from kiosk.ui.office.chime import CHIME_KEY, Chime, chime_wanted
from kiosk.ui.office.inbox import CONNECTION_GONE, InboxPage
from kiosk.ui.office.kiosks import KiosksPage, ViewSwitch
from kiosk.ui.office.listener import Listener
from kiosk.ui.office.revisions import RevisionsPage
from kiosk.ui.office.session import Session
from kiosk.ui.office.signin import SignInPage

LOCK_AFTER_S = 5 * 60.0  # idle seconds before the window locks (--lock-after, in minutes)
#: The size it opens at on a large screen: the list and the detail side by side
#: without a line across a whole 1920-px desk screen.
PREFERRED = QSize(1400, 900)
SCREEN_SHARE = 0.9  # at most this much of the screen: its edges, the task bar stay in sight
#: A desktop app used with a mouse, not a touch screen: buttons 32 px high (24 px
#: of content and the style's frame), easy to hit without the kiosk's 48 px. On the
#: window, so a button added anywhere in it later (an alert's) is as high.
STYLE = "QPushButton { min-height: 24px; }"


def opening_rect(available: QRect) -> QRect:
    """Where the window opens on a screen whose free area is ``available``:
    ``PREFERRED`` or 90 % of that area, whichever is smaller, in its middle.
    Nothing is remembered between runs: every desk PC opens it the same way."""
    share = QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))
    size = PREFERRED.boundedTo(share)
    rect = QRect(available.topLeft(), size)
    rect.moveCenter(available.center())
    return rect


class OfficeWindow(QMainWindow):
    """Sign-in, then the inbox; ``refresh()`` rereads the first page (a new enquiry).

    ``lock_after_s``: idle seconds before it locks; ``settings``: where the chime
    choice is kept (this PC's, by default); ``clock``: the sign-in lock's (tests).
    """

    def __init__(
        self,
        url: str,
        *,
        listen: bool = True,
        lock_after_s: float = LOCK_AFTER_S,
        settings: QSettings | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__()
        self.url = url
        self.session: Session | None = None
        self.sign_in_page = SignInPage(url, clock=clock)
        self.inbox = InboxPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in_page)
        self.stack.addWidget(self.inbox)
        self.setWindowTitle(w.APP_TITLE)
        self.setStyleSheet(STYLE)
        self.listen = listen
        self.listener: Listener | None = None
        self._add_alerts_and_kiosks()
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(opening_rect(screen.availableGeometry()))
        self.lock_after_s = lock_after_s
        self.idle = IdleMonitor(max(1, round(lock_after_s * 1000)), 0, parent=self)
        self.idle.warning.connect(self.lock)
        self.settings = settings if settings is not None else QSettings("kiosk", "office")
        self.chime: Chime | None = None  # made when first wanted (it loads Qt Multimedia)
        self._newest: int | None = None  # the newest enquiry shown: a newer one chimes
        self.inbox.chime.setChecked(chime_wanted(self.settings))
        self._want_chime(self.inbox.chime.isChecked())
        self.sign_in_page.signed_in.connect(self._signed_in)
        self.inbox.chime.toggled.connect(self._chime_toggled)
        self.inbox.sign_out.clicked.connect(lambda: self.sign_out())
        self.inbox.changed.connect(self._title)
        # Signed out on the loop's next pass: not from inside the inbox's own call.
        self.inbox.lost.connect(lambda: QTimer.singleShot(0, self.connection_lost))

    def _add_alerts_and_kiosks(self) -> None:
        """Crisis alerts above everything, and the Kiosks view beside the inbox."""
        self.alerts = AlertBanner(lambda: self.session)
        self.kiosks = KiosksPage(lambda: self.session, self.url)
        self.revisions = RevisionsPage(lambda: self.session, self.url)
        self.views = ViewSwitch()
        self.views.hide()
        self.stack.addWidget(self.kiosks)
        self.stack.addWidget(self.revisions)
        top = QWidget()
        column = QVBoxLayout(top)
        column.addWidget(self.alerts)
        column.addWidget(self.views)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(top)
        self.views.chosen.connect(self.show_view)
        # From the moment the window opens: an office on the sign-in page still sounds.
        self.alert_listener: Listener | None = None
        if self.listen:
            self.alert_listener = Listener(self.url, enquiries=False, alerts=True)
            self.alert_listener.alerts.connect(self.alerts.show_alerts)
            self.alert_listener.start()

    def show_view(self, key: str) -> None:
        """Show the enquiries, the kiosks or the revisions (signed in only)."""
        if self.session is None:
            return
        self.views.mark(key)
        pages: dict[str, QWidget] = {"kiosks": self.kiosks, "revisions": self.revisions}
        self.stack.setCurrentWidget(pages.get(key, self.inbox))

    # -- signing in and out ----------------------------------------------------------------

    def _signed_in(self, session: object) -> None:
        if not isinstance(session, Session):
            return
        self.session = session
        self._newest = None
        self.stack.setCurrentWidget(self.inbox)
        self.views.mark("enquiries")
        self.views.show()
        self.inbox.start(session, self.url)
        self._title()
        self._chime_for(session.newest_id())
        self.alerts.signed_in_or_out()
        if self.listen:
            self.listener = Listener(self.url)
            self.listener.arrived.connect(self.refresh)
            self.listener.start()
        self.idle.start()

    def sign_out(self, why: str = "signed out", message: str = "") -> None:
        """Drop the key and every opened row (they were in memory only); audited."""
        self.idle.stop()
        self._stop_listening()
        session, self.session = self.session, None
        if session is not None:
            session.close(why)
        self._newest = None
        self.inbox.clear()
        self.kiosks.clear()
        self.revisions.clear()
        self.setWindowTitle(w.APP_TITLE)
        self.alerts.signed_in_or_out()
        self.views.hide()
        self.stack.setCurrentWidget(self.sign_in_page)
        self.sign_in_page.show_locked(message)

    def lock(self) -> None:
        """Nobody used the window for ``lock_after_s``: sign out, and say why."""
        if self.session is not None:
            self.sign_out("idle", w.AUTO_LOCKED.format(idle=say_seconds(self.lock_after_s)))

    def _stop_listening(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sign_out("closed")
        if self.alert_listener is not None:
            self.alert_listener.stop()
            self.alert_listener = None
        super().closeEvent(event)

    # -- the chime --------------------------------------------------------------------------

    def _chime_toggled(self, on: bool) -> None:
        self.settings.setValue(CHIME_KEY, on)
        self.settings.sync()
        self._want_chime(on)

    def _want_chime(self, on: bool) -> None:
        """Load the sound as soon as it is wanted, so the first new enquiry is heard."""
        if on and self.chime is None:
            self.chime = Chime(self)

    def _chime_for(self, newest: int) -> None:
        """Chime when a newer enquiry than the last shown arrived (not at sign-in)."""
        if self._newest is not None and newest > self._newest and self.inbox.chime.isChecked():
            assert self.chime is not None  # made when the box was ticked
            self.chime.play()
        self._newest = max(newest, self._newest or 0)

    # -- the inbox --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Something arrived: the inbox rereads (keeping the chosen enquiry), the title
        counts, and the chime sounds for a newer enquiry."""
        if self.session is None:
            return
        self.inbox.refresh()
        if self.session is None:  # the connection was gone: signed out
            return
        try:
            self._title()
            self._chime_for(self.session.newest_id())
        except CONNECTION_GONE:
            self.connection_lost()

    def connection_lost(self) -> None:
        """The database connection is gone: signed out, saying so; the sign-in page
        says when the server cannot be reached, and works once it is back."""
        if self.session is not None:
            self.sign_out("connection lost", w.CONNECTION_LOST)

    def _title(self) -> None:
        if self.session is not None:
            try:
                count = self.session.new_count()
            except CONNECTION_GONE:
                QTimer.singleShot(0, self.connection_lost)
                return
            self.setWindowTitle(w.TITLE_NEW.format(new=count))
