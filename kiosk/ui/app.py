"""Builds and wires the running kiosk: application, theme, window, logging,
error recovery and signals. ``run()`` is the one entry point."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    QObject,
    QSocketNotifier,
    Qt,
    QTimer,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import APP_NAME, __version__
from kiosk.config import load_config
from kiosk.content import load_library
from kiosk.paths import Paths
from kiosk.ui import appfilter, i18n
from kiosk.ui.lockdown import LockdownFilter
from kiosk.ui.theme import style_sheet
from kiosk.ui.window import KioskWindow

#: The work after the first paint starts at the latest this long after the
#: window is shown, painted or not (``_FirstPaint``).
FIRST_PAINT_WAIT_MS = 2000
SPEECH_DELAY_MS = 3000  # after the first paint: speech-dispatcher can take seconds to answer
#: For the tests only (tests/ui/kiosk_process.py): the speech delay in a kiosk
#: process the tests start, so a test that stops the kiosk while the speech engine
#: is looked for need not wait the 3 s first. Not a setting: unset, it is 3000.
SPEECH_DELAY_ENV = "KIOSK_TEST_SPEECH_DELAY_MS"

if TYPE_CHECKING:
    from kiosk.enquiries.opener import StoreOpener
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.office.outbox import Sender
    from kiosk.page_views import PageViews
    from kiosk.ui.patient.audio import AudioMode, Watch
    from kiosk.ui.patient.speech import SpeechStarter
    from kiosk.ui.reload import LiveReload
    from kiosk.ui.staff.mode import StaffMode

log = logging.getLogger("kiosk")


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(kind, logging.WARNING)
    logging.getLogger("qt").log(level, "%s", message)


class Recovery:
    """sys.excepthook for the running kiosk: log the error, go home, say sorry.

    PySide6 hands an exception raised in a slot or an event handler to
    sys.excepthook and carries on; without this the kiosk would sit there on a
    half-updated screen.
    """

    def __init__(self, window: KioskWindow) -> None:
        self.window = window
        self._busy = False

    def __call__(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if self._busy:  # an error while recovering: do not loop
            return
        self._busy = True
        try:
            self.window.recover()
        except Exception:
            log.exception("recovery failed")
        finally:
            self._busy = False


def _quit_on_signals(app: QApplication) -> QSocketNotifier:
    """SIGTERM (systemd stop) and SIGINT (Ctrl+C in a terminal) quit cleanly.

    Python runs signal handlers only between bytecodes, and Qt's event loop may
    sleep for hours; a pipe (a socket pair on Windows, which wakes only through
    a socket) wakes it without a polling timer.
    """
    keep: tuple[object, ...] = ()
    if sys.platform == "win32":
        import socket  # Windows only: elsewhere a pipe does, without the socket module's 1 MiB

        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        read_fd, write_fd = reader.fileno(), writer.fileno()
        keep = (reader, writer)  # open as long as the notifier

        def drain() -> None:
            with contextlib.suppress(OSError):
                reader.recv(64)

    else:
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)

        def drain() -> None:
            with contextlib.suppress(OSError):
                os.read(read_fd, 64)

    signal.set_wakeup_fd(write_fd)
    # exit(), not quit(): since Qt 6, quit() first asks every window to close,
    # and the kiosk window refuses, which cancels the quit. Through a timer:
    # exit() does nothing before the loop runs, and a signal may come first.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, lambda: app.exit(0)))
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, app)
    notifier.activated.connect(drain)
    notifier._kept = keep  # type: ignore[attr-defined]  # (Windows) the sockets live as long as it
    return notifier


class _FirstPaint(QObject):
    """Runs ``then`` once, on the event loop's next pass after the first paint
    of the window or one of its own widgets (the kiosk's screen: one frame), and
    removes itself; at the latest ``wait_ms`` after it is made, painted or not
    (a screen that is off or never shows the window): the input filters,
    lockdown among them, and the store never wait on a paint.

    It watches those widgets, not the application: an application-wide Python
    filter has PySide wrap every object an event goes to, Qt's own among them,
    and the style sheet's style alone costs some 4 ms of type creation."""

    def __init__(
        self, window: QWidget, then: Callable[[], None], wait_ms: int = FIRST_PAINT_WAIT_MS
    ) -> None:
        super().__init__(window)
        self._then = then
        # children(), not findChildren(QWidget, "", ...): PySide's "" matches only
        # the children with no object name, and the bar has one.
        self._watched: list[QObject] = [
            window,
            *(child for child in window.children() if child.isWidgetType()),
        ]
        for widget in self._watched:
            widget.installEventFilter(self)
        self._late = QTimer(self)
        self._late.setSingleShot(True)
        self._late.timeout.connect(self._go)
        self._late.start(wait_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._watched:
            QTimer.singleShot(0, self._go)
        return False

    def _go(self) -> None:
        if not self._watched:
            return  # already run (the paint and the timer both came)
        for widget in self._watched:
            widget.removeEventFilter(self)
        self._watched = []
        self._late.stop()
        self.deleteLater()
        self._then()


@contextlib.contextmanager
def _filters_off(filters: list[QObject]) -> Iterator[None]:
    """The application-wide event filters out of the way while parts are built
    on this thread, put back in the same order after. They act on input only,
    and none comes in meanwhile (the event loop is not running); left on, each
    would see the thousands of events of the building for nothing."""
    for kept in filters:
        appfilter.remove(kept)
    try:
        yield
    finally:
        for kept in filters:
            appfilter.install(kept)


class _Stores:
    """``StoreOpener`` imported and made on first use: its imports (libsodium,
    sqlite3) are not on the way to the first painted screen."""

    def __init__(self, paths: Paths) -> None:
        self._paths = paths
        self._opener: StoreOpener | None = None

    def get(self) -> EnquiryStore | None:
        if self._opener is None:
            from kiosk.enquiries.opener import StoreOpener  # libsodium, sqlite3: see above

            self._opener = StoreOpener(self._paths)
        return self._opener.get()

    def close(self) -> None:
        if self._opener is not None:
            self._opener.close()


class Kiosk:
    """The running kiosk's parts, built and wired by ``build``."""

    def __init__(
        self,
        app: QApplication,
        window: KioskWindow,
        notifier: QSocketNotifier,
        lockdown: LockdownFilter | None,
        stores: _Stores,
    ) -> None:
        self.app = app
        self.window = window
        self.stores = stores
        self.reload: LiveReload | None = None
        self.staff: StaffMode | None = None
        self.page_views: PageViews | None = None
        self.sender: Sender | None = None
        self.speech: SpeechStarter | None = None
        self.audio: AudioMode | None = None
        self.headphones: Watch | None = None
        self._notifier = notifier
        self._lockdown = lockdown

    def exec(self) -> int:
        code = self.app.exec()
        if self.staff is not None:
            self.staff.shutdown()
        self.window.idle.stop()
        if self.headphones is not None:
            self.headphones.stop()  # its pactl processes go with it
        if self.sender is not None:
            self.sender.stop()
        self.stores.close()
        if self.page_views is not None:
            self.page_views.close()
        # Also when the quit came before the speech thread was made (a SIGTERM
        # during the start-up's last steps): aboutToQuit was over by then.
        if self.speech is not None and not self.speech.close():
            # An engine stuck mid-start: Python's exit would destroy its running
            # QThread, and Qt aborts the process for that. Leave without it.
            logging.shutdown()
            os._exit(int(code))
        return int(code)


def build(paths: Paths, *, windowed: bool = False) -> Kiosk:
    """Read config and content, make the application and the window, wire them, show it."""
    paths.ensure()
    # The published revision this kiosk runs, if any (light: a small JSON file).
    from kiosk.office.published import at_start

    base, paths = paths, at_start(paths)
    config, problems = load_config(paths.config_file)
    for problem in problems:
        log.error("config: %s", problem)
    library = load_library(paths.content_dir)
    log.info(
        "content: %d topic(s), %d page(s) from %s",
        len(library.topics),
        sum(len(t.pages) for t in library.topics),
        paths.content_dir,
    )

    # Should a dialog ever open, it is Qt's own, inside the kiosk's session,
    # never the operating system's file or print dialog.
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    QGuiApplication.setApplicationName(APP_NAME)
    QGuiApplication.setApplicationDisplayName(config.clinic_name)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    qInstallMessageHandler(_qt_message)
    app.setStyleSheet(style_sheet(config))

    stores = _Stores(paths)
    window = KioskWindow(
        config,
        library,
        kiosk_mode=not windowed,
        open_store=stores.get,
        logo=paths.logo_file(config.logo),
    )
    sys.excepthook = Recovery(window)
    notifier = _quit_on_signals(app)
    # The application-wide input filters (keyboard navigation, the idle clock's,
    # lockdown) go on after the first paint, first thing: no input is handled
    # before the event loop runs, none comes before there is a screen to touch,
    # and before then they would see the building's and the first paint's
    # thousands of events, and have PySide wrap Qt's own objects they go to.
    window.start(listen=False)
    lockdown = None if windowed else LockdownFilter(app)

    kiosk = Kiosk(app, window, notifier, lockdown, stores)

    def after_first_paint() -> None:
        window.listen()
        if lockdown is not None:
            appfilter.install(lockdown)  # last: it sees each event first
        # Keys, database checks, the page screen, the overlays, the form and
        # the content watcher (a walk of every content folder) are not on the
        # way to the first screen; they are ready a moment later, before
        # anyone can tap.
        from kiosk.ui.reload import LiveReload  # after the first paint, as said above

        # Outside _filters_off: its file watcher's private engine, handed to the
        # filters, has PySide make a Python type for each Qt class now (some 50 ms
        # and 4 MiB, once), not at a patient's first fling or crisis card.
        kiosk.reload = LiveReload(window, paths)
        filters = window.input_filters + ([lockdown] if lockdown is not None else [])
        with _filters_off(filters):
            store = stores.get()
            window.finish_building()  # the page screen and the overlays
            window.request  # noqa: B018  (builds the request screen)
        log.info("request form ready; enquiry store %s", "open" if store else "NOT available")
        # What an export killed half-way left (patients' names in the clear);
        # imported here: it brings libsodium, not needed for the first screen
        from kiosk.enquiries.leftovers import ExportPlaces

        ExportPlaces(paths.data_dir).sweep()
        _start_staff_mode(kiosk, paths)
        kiosk.speech = _start_speech(window)
        _start_audio(kiosk, config.audio_mode)
        _start_keypad(kiosk)
        _start_office_link(kiosk, base)

    _FirstPaint(window, after_first_paint)
    log.info(
        "kiosk started (%s mode), data in %s", "windowed" if windowed else "kiosk", paths.data_dir
    )
    return kiosk


def _speech_delay_ms() -> int:
    """``SPEECH_DELAY_MS``, or what a test set in ``SPEECH_DELAY_ENV`` (read only there)."""
    return int(os.environ.get(SPEECH_DELAY_ENV, SPEECH_DELAY_MS))


def _start_speech(window: KioskWindow) -> SpeechStarter | None:
    """Listen, once an engine answers: probed, made and driven in a speech
    thread, tried again each minute while there is none
    (kiosk.ui.patient.speech.SpeechStarter). None: speech is off."""
    from kiosk.ui.patient.speech import (  # after the paint, with the page screen
        Reader,
        SpeechStarter,
        speech_wanted,
    )

    if not speech_wanted():
        log.info("read aloud is off: KIOSK_SPEECH_ENGINE=off")
        return None
    # Runs in the speech thread: the reader is not the window's child.
    starter = SpeechStarter(lambda: Reader.create(language=i18n.current()), parent=window)
    starter.ready.connect(window.page.speech_found)
    starter.missing.connect(lambda: window.page.speech_found(None))
    # Still a moment after the first paint: the probe's import is not in the
    # way of the first screen.
    QTimer.singleShot(_speech_delay_ms(), starter.start)
    return starter


def _start_audio(kiosk: Kiosk, mode: str) -> None:
    """Audio mode as ``[audio] mode`` says, speaking through the speech
    thread's engine once it answers (kiosk.ui.patient.audio)."""
    if mode == "off":
        return
    from kiosk.ui.patient.audio import start_audio  # after the paint, with speech

    speech = kiosk.speech
    kiosk.audio, kiosk.headphones = start_audio(
        kiosk.window,
        mode,
        speech.ready if speech is not None else None,
        lambda: speech.voice if speech is not None else None,
    )


def _start_keypad(kiosk: Kiosk) -> None:
    """The tactile keypad and touch exploration (kiosk.ui.patient.keypad,
    explore), speaking through audio mode; with ``[audio] mode = "off"`` through
    one never turned on: the keypad still moves, chooses and explains its keys."""
    from kiosk.ui.patient.audio import AudioMode  # after the paint, with speech
    from kiosk.ui.patient.keypad import install  # after the paint, with the form

    voice = kiosk.audio if kiosk.audio is not None else AudioMode(kiosk.window)
    install(kiosk.window, voice)


# After the first paint, the sender a few seconds later: importing psycopg and
# libpq (about 0.3 s and 29 MiB) and the TLS connection run on a thread of their
# own, but take turns with the GUI thread for the interpreter, so they wait until
# the first taps are answered. Saved requests wait in the outbox meanwhile.
OFFICE_LINK_DELAY_MS = 5000


#: A test knob: the heartbeat's interval in seconds (and so how soon a published
#: revision is fetched); unset, ``kiosk.office.heartbeat.INTERVAL_S``.
HEARTBEAT_ENV = "KIOSK_TEST_HEARTBEAT_S"


def _start_office_link(kiosk: Kiosk, paths: Paths, delay_ms: int = OFFICE_LINK_DELAY_MS) -> None:
    """An enrolled kiosk's sender (its own thread), ``delay_ms`` from now; a kiosk
    that is not enrolled never imports the PostgreSQL driver. A fault is logged;
    the kiosk runs on. ``paths`` are the kiosk's own (before any published
    revision), which published revisions replace."""
    from kiosk.office import link  # light: the enrolment file only

    try:
        found = link.load(paths.data_dir)
    except link.LinkError as exc:
        log.critical("The office link is off: %s", exc)
        return
    if found is None:
        return
    idle = kiosk.window.idle
    started = _LinkStarted(kiosk)
    # Made here, on the GUI thread it answers on; the sender's thread asks it.
    from kiosk.ui.remote_look import RemoteLook, staff_screen  # enrolled kiosks only

    remote_look = RemoteLook(kiosk.window, lambda: staff_screen(kiosk.staff))
    switch = None
    if kiosk.reload is not None:
        from kiosk.ui.revisions import RevisionSwitch  # enrolled kiosks only

        switch = RevisionSwitch(kiosk.reload)  # made here: it lives on the GUI thread

    def start() -> None:
        # Importing psycopg takes about 0.3 s: on this thread, not the GUI's, so a
        # tap just after the first paint is not held behind it.
        from kiosk.enquiries.keys import Sealer  # libsodium: enrolled kiosks only
        from kiosk.office import published  # light: the state file only
        from kiosk.office.apply import Updater  # psycopg: enrolled kiosks only
        from kiosk.office.heartbeat import INTERVAL_S, KioskFacts  # psycopg: as above
        from kiosk.office.look import Looks  # psycopg: enrolled kiosks only
        from kiosk.office.outbox import Sender  # psycopg: enrolled kiosks only
        from kiosk.page_views import PageViews  # sqlite3: not on the way to the first screen

        updater = None
        if switch is not None:
            updater = Updater(paths, found.publish_key, switch.hand_over)
            switch.updater = updater

        def running() -> str:
            # The updater's state is the state file's, kept in memory; without live
            # reload (so no updater) the file says what at_start chose.
            state = updater.state if updater is not None else published.read(paths.data_dir)
            return published.running(state.current)

        facts = KioskFacts(
            version=__version__,
            data_dir=paths.data_dir,
            content_fingerprint=running,
            last_touch=lambda: idle.last_touch,
            # A reader of its own: its SQLite connection opens on, and stays with, the
            # sender's thread (the counting one is the GUI thread's).
            page_views=PageViews(paths.stats_file).counts_since,
            # Read from the sender's thread: the library is replaced whole on reload,
            # never changed.
            topic_titles=lambda: {t.topic_id: t.title for t in kiosk.window.library.topics},
        )
        looks = Looks(remote_look.take, Sealer(found.public_key))
        beat_s = float(os.environ.get(HEARTBEAT_ENV) or INTERVAL_S)
        sender = Sender(
            found, paths.store_file, facts, heartbeat_s=beat_s, looks=looks, revisions=updater
        )
        sender.start()
        started.started.emit(sender)  # queued: the crisis card is the GUI thread's
        log.info("office link: sending to %s as kiosk %r", found.server, found.kiosk_name)

    # A timer the window owns: QTimer.singleShot holds a bound method only weakly.
    later = QTimer(kiosk.window)
    later.setSingleShot(True)
    later.timeout.connect(
        lambda: threading.Thread(target=start, name="office-link-start", daemon=True).start()
    )
    later.start(delay_ms)


class _LinkStarted(QObject):
    """The sender made on the start thread, handed to the GUI thread (a queued
    signal: its receiver lives there) for crisis help's "Get a staff member"."""

    started = Signal(object)

    def __init__(self, kiosk: Kiosk) -> None:
        super().__init__(kiosk.window)
        self._kiosk = kiosk
        self.started.connect(self._started)

    @Slot(object)
    def _started(self, sender: Sender) -> None:
        self._kiosk.sender = sender
        # Sent at once rather than at the sender's next look (up to a second).
        self._kiosk.window.request_saved.connect(sender.wake)
        _offer_staff_alerts(self._kiosk.window, sender)


def _offer_staff_alerts(window: KioskWindow, sender: Sender) -> None:
    """Crisis help's "Get a staff member" (shown while the link's heartbeat goes
    through); a new patient sees nothing of the last one's alert."""
    from kiosk.office.alert import Alerter  # psycopg: enrolled kiosks only

    window.crisis.set_alerter(Alerter(sender))
    window.was_reset.connect(window.crisis.forget_alert)


def _start_staff_mode(kiosk: Kiosk, paths: Paths) -> None:
    """Page-view counts and staff mode (the hidden gesture, the PIN pad, the
    panel). A fault here is logged and leaves the patients' kiosk running."""
    from kiosk.page_views import PageViews  # sqlite3: not on the way to the first screen

    views = PageViews(paths.stats_file)
    kiosk.page_views = views

    def count_page(screen: str) -> None:
        if screen.startswith("page:"):
            views.record(screen.removeprefix("page:"))  # never raises

    kiosk.window.screen_changed.connect(count_page)
    try:
        from kiosk.ui.staff.mode import StaffMode  # all of staff mode: after the first paint

        kiosk.staff = StaffMode(
            kiosk.window,
            paths,
            stores=kiosk.stores.get,
            reload=lambda: kiosk.reload,
            page_views=views,
            # The sender starts after this, on its own thread: asked each time.
            office_link=lambda: kiosk.sender.status if kiosk.sender is not None else None,
        )
    except Exception:
        log.exception("staff mode could not be started; the kiosk runs without it")
        return
    if kiosk.reload is not None:
        # A reloaded config may name another gesture or hold time.
        kiosk.reload.applied.connect(kiosk.staff.install_gesture)


def run(paths: Paths, *, windowed: bool = False) -> int:
    return build(paths, windowed=windowed).exec()
