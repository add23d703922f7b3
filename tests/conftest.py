"""Test configuration: no screen needed, no real install touched, no leaks."""

from __future__ import annotations

import os

# Before anything imports Qt: plain `pytest` must work on a machine without a screen.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_ACCESSIBILITY", "0")

import shutil
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

import pytest

from kiosk.config import Config
from kiosk.content import Library, load_library
from kiosk.paths import DATA_DIR_ENV, shipped_content_dir

if TYPE_CHECKING:
    # Only for the annotations: the fixtures import these when used, and the core
    # tests run without Qt.
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from kiosk.enquiries.keys import KeyRing
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.ui.window import KioskWindow

SCREEN_SIZES = [(1280, 800), (800, 1280), (1920, 1080)]


def png_bytes(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A small, valid PNG, made without Qt (the core tests must not need it)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


#: ``make test-fast`` sets this to ``fast``: the stress and crash loops (marked
#: ``slow``) then run a tenth of their rounds, and a case checked at each of the
#: three screen sizes at one of them (``one_size_each``). ``make test`` and CI run
#: them whole.
ROUNDS_ENV = "KIOSK_TEST_ROUNDS"


def stress_rounds(full: int) -> int:
    """How many rounds a stress loop runs: ``full``, or a tenth of it (at least 5)
    when ``KIOSK_TEST_ROUNDS=fast``."""
    if os.environ.get(ROUNDS_ENV, "") == "fast":
        return max(5, full // 10)
    return full


def examples(full: int) -> int:
    """How many examples a Hypothesis test draws: ``full``, or a tenth of it (at least
    10) when ``KIOSK_TEST_ROUNDS=fast``. Its ``@example`` cases run either way."""
    if os.environ.get(ROUNDS_ENV, "") == "fast":
        return max(10, full // 10)
    return full


def one_size_each(cases: Sequence[tuple[str, tuple[int, int], Hashable]]) -> set[int]:
    """For ``make test-fast``: which of ``cases`` (the test, its screen size, its other
    parameters) to skip. A test run at each of the three ``SCREEN_SIZES`` keeps one
    size for each set of its other parameters, turning through the sizes (so each
    size is still seen), from a size that depends on the test. Others keep every case."""
    by_test: dict[str, list[int]] = {}
    for position, (test, _size, _rest) in enumerate(cases):
        by_test.setdefault(test, []).append(position)
    skip: set[int] = set()
    for test, positions in by_test.items():
        if {cases[p][1] for p in positions} != set(SCREEN_SIZES):
            continue
        rests = list(dict.fromkeys(cases[p][2] for p in positions))
        first = zlib.crc32(test.encode()) % len(SCREEN_SIZES)
        for p in positions:
            turn = (first + rests.index(cases[p][2])) % len(SCREEN_SIZES)
            if SCREEN_SIZES.index(cases[p][1]) != turn:
                skip.add(p)
    return skip


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """After pytest-qt has imported PySide6: Python's own ``__import__`` back, as
    ``kiosk run`` has it (kiosk/ui/startup.py), so the tests run the kiosk as it runs."""
    from kiosk.ui.startup import import_pyside

    import_pyside()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the files with a stress or crash loop first
    (``longest_first``); with ``KIOSK_TEST_ROUNDS=fast``, the cases ``one_size_each``
    leaves out skipped (said in the closing note; ``make test`` runs every one)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        longest_first(items)
    if os.environ.get(ROUNDS_ENV, "") == "fast":
        skip_other_sizes(items)


def longest_first(items: list[pytest.Item]) -> None:
    """Whole files in the order the workers take them (``make test`` passes
    ``--no-loadscope-reorder``): those with a ``slow`` loop first, then the most tests
    first, as pytest-xdist orders them itself; a file's tests keep their order. A
    one-test crash loop taken last kept one worker busy 20 s after the other had done."""
    counts = Counter(item.nodeid.split("::", 1)[0] for item in items)
    slow = {item.nodeid.split("::", 1)[0] for item in items if item.get_closest_marker("slow")}

    def key(item: pytest.Item) -> tuple[bool, int]:
        file = item.nodeid.split("::", 1)[0]
        return file not in slow, -counts[file]

    items.sort(key=key)  # stable: ties keep the collection's order


def skip_other_sizes(items: list[pytest.Item]) -> None:
    """Skip the cases ``one_size_each`` leaves out."""
    cases: list[tuple[str, tuple[int, int], Hashable]] = []
    sized: list[pytest.Item] = []
    for item in items:
        params: dict[str, object] = getattr(getattr(item, "callspec", None), "params", {})
        sizes = [k for k, v in params.items() if isinstance(v, tuple) and v in SCREEN_SIZES]
        if len(sizes) != 1:
            continue
        size = params[sizes[0]]
        assert isinstance(size, tuple)
        rest = tuple(sorted((k, repr(v)) for k, v in params.items() if k != sizes[0]))
        cases.append((item.nodeid.split("[", 1)[0], size, rest))
        sized.append(item)
    skip = pytest.mark.skip(reason="make test-fast: at another of the screen sizes only")
    for position in one_size_each(cases):
        sized[position].add_marker(skip)


@pytest.fixture(autouse=True)
def data_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder; nothing touches a real install."""
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def config() -> Config:
    return replace(Config(), clinic_name="Riverside Clinic", clinic_phone="(555) 010-0199")


@pytest.fixture(scope="session")
def shipped_library() -> Library:
    return load_library(shipped_content_dir())


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(shipped_content_dir(), target)
    return target


def write_page(
    folder: Path, name: str, title: str, order: int, body: str = "Some text.", extra: str = ""
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        f"---\ntitle: {title}\norder: {order}\n{extra}---\n\n{body}\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def keyring(data_tmpdir: Path) -> tuple[KeyRing, str]:
    """The enquiries' keys in the test's data folder (fast key derivation) and
    the recovery code that opens them."""
    from kiosk.enquiries.keys import KdfParams, KeyRing

    data_tmpdir.mkdir(parents=True, exist_ok=True)
    return KeyRing.create(
        data_tmpdir / "enquiry-keys.json",
        data_tmpdir / "RECOVERY-CODE.txt",
        kdf=KdfParams.fast_for_tests(),
    )


@pytest.fixture
def store(keyring: tuple[KeyRing, str], data_tmpdir: Path) -> Iterator[EnquiryStore]:
    """A real enquiry store (SQLite file) in the test's data folder."""
    from kiosk.enquiries.store import EnquiryStore

    ring, _code = keyring
    enquiries = EnquiryStore(data_tmpdir / "enquiries.sqlite3", ring.sealer(), busy_timeout=0.2)
    yield enquiries
    enquiries.close()


class Timings(TypedDict):
    """KioskWindow's idle timings, for ``make_window(**timings)``."""

    idle_ms: int
    countdown_s: int
    tick_ms: int


class MakeWindow(Protocol):
    """The ``make_window`` fixture: a shown kiosk window (KioskWindow's keywords pass through)."""

    def __call__(
        self,
        size: tuple[int, int] = ...,
        *,
        library: Library | None = ...,
        cfg: Config | None = ...,
        kiosk_mode: bool = ...,
        lockdown: bool = ...,
        store: EnquiryStore | None = ...,
        open_store: Callable[[], EnquiryStore | None] | None = ...,
        logo: Path | None = ...,
        idle_ms: int | None = ...,
        countdown_s: int | None = ...,
        tick_ms: int = ...,
    ) -> KioskWindow: ...


@pytest.fixture
def make_window(
    qtbot: QtBot, qapp: QApplication, config: Config, shipped_library: Library
) -> Iterator[MakeWindow]:
    """Build a real KioskWindow (kiosk mode unless told), styled, at a given size."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.ui import appfilter
    from kiosk.ui.lockdown import LockdownFilter
    from kiosk.ui.theme import style_sheet
    from kiosk.ui.window import KioskWindow

    filters: list[LockdownFilter] = []

    def _release(window: KioskWindow) -> None:
        window.kiosk_mode = False
        window.idle.stop()

    def make(
        size: tuple[int, int] = (1280, 800),
        *,
        library: Library | None = None,
        cfg: Config | None = None,
        kiosk_mode: bool = True,
        lockdown: bool = False,
        **kwargs: Any,  # KioskWindow's keywords, named in MakeWindow
    ) -> KioskWindow:
        use = cfg or config
        # Widgets an earlier test's window left for deleteLater() go now, not
        # in the middle of this test's restyle.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        sheet = style_sheet(use)
        if qapp.styleSheet() != sheet:
            # Restyling the application while a kiosk window is active has
            # crashed Qt's offscreen platform (QApplication::setStyle sends the
            # focus widget's style a focus event); the kiosk itself styles once.
            qapp.setStyleSheet(sheet)
        if lockdown:
            filt = LockdownFilter(qapp)
            appfilter.install(filt)  # as app.build does
            filters.append(filt)
        window = KioskWindow(use, library or shipped_library, kiosk_mode=kiosk_mode, **kwargs)
        window.finish_building()  # as app.build does after the first paint
        # Kiosk mode refuses to close; the harness may (before_close_func).
        qtbot.addWidget(window, before_close_func=_release)
        window.resize(*size)
        window.show()
        window.idle.touch()
        window.listen()  # as app.build does after the first paint
        qtbot.waitExposed(window)
        # The kiosk's window is the active one, so a tapped field takes the focus.
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        return window

    yield make
    for filt in filters:
        appfilter.remove(filt)
    # pytest-qt has closed the windows and left them for deleteLater(): they go
    # before the style sheet does, which would otherwise re-polish every widget
    # they hold (tens of milliseconds a test, for nothing).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.setStyleSheet("")


@pytest.fixture(autouse=True)
def no_leftover_windows(request: pytest.FixtureRequest) -> Iterator[None]:
    """A kiosk runs for months: a test that leaves a window open fails."""
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    QApplication.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not left, f"windows left open: {left}"


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    """The kiosk's words are module state (kiosk.ui.i18n): a test that switched
    to Spanish must not leave the next test in Spanish."""
    yield
    import sys

    if "kiosk.ui.i18n" in sys.modules:
        sys.modules["kiosk.ui.i18n"].use("en")


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KiB file system, to fill up and to make read-only (tests/disks.py)."""
    from tests.disks import mounted_tmpfs

    yield from mounted_tmpfs(tmp_path)
