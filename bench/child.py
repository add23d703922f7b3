"""One measured process: ``python -m bench.child bare|lean|kiosk|idle|taps SECONDS``.

``lean``: a home of plain Qt widgets described by the file ``BENCH_LEAN`` names
(``_lean_home``), the reference for what the kiosk's own code costs.

``BENCH_DATA_DIR`` names a prepared data folder and ``BENCH_CONTENT_DIR`` a
content folder (default: the shipped content).

Prints one JSON line: the CLOCK_MONOTONIC time of the first painted frame
(comparable with the parent's clock on Linux), peak RSS 1.5 s after it (so
the work deferred past the first paint counts), and for ``idle`` the CPU
seconds and timer events spent at rest on home. With ``BENCH_WAIT_SENDER`` set
(an enrolled kiosk), peak RSS is taken 1.5 s after the office link's sender has
started instead (``sender_s``: when, after the first paint). ``taps``: from the first paint
until SECONDS after the start, a finger on Next (Previous at the end) every
``TAP_EVERY_MS``; each tap's time from when the finger landed (its due time,
so a GUI thread held by something else counts) to the page painted.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

SETTLE_MS = 1500
TAP_EVERY_MS = 100


def _peak_rss_kib() -> int:
    """This process's own peak resident memory. On Linux ``VmHWM``, not
    ``ru_maxrss``: at exec Linux keeps the parent's peak in ``ru_maxrss`` (the
    old memory map's high-water mark), so a kiosk started by a bench process that
    had grown to 475 MiB (the office inbox's 100,000 rows) reported 475 MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _lean_home(spec: dict[str, Any]) -> QWidget:
    """The lean home of issue 19, shown fullscreen: the kiosk's style sheet, a
    bar (the clinic's name, its buttons) and the home's tiles in a scroll area,
    made of plain Qt widgets and none of the kiosk's code. A reference for
    the start-up: what a home of that look costs beyond a bare window."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QApplication,
        QGridLayout,
        QHBoxLayout,
        QLabel,
        QPushButton,
        QScrollArea,
        QVBoxLayout,
        QWidget,
    )

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyleSheet(spec["style_sheet"])
    window = QWidget()
    window.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
    window.setObjectName("kioskWindow")
    column = QVBoxLayout(window)
    bar = QWidget()
    bar.setObjectName("topBar")
    row = QHBoxLayout(bar)
    name = QLabel(spec["clinic"])
    name.setObjectName("clinicName")
    row.addWidget(name, 1)
    for label in spec["bar"]:
        bar_button = QPushButton(label)
        bar_button.setAccessibleName(label)
        row.addWidget(bar_button)
    column.addWidget(bar)
    area = QScrollArea()
    area.setViewport(QWidget())  # as the kiosk's home does (see HomeScreen)
    area.setWidgetResizable(True)
    inner = QWidget()
    grid = QGridLayout(inner)
    for index, title in enumerate(spec["tiles"]):
        tile = QPushButton(title)
        tile.setObjectName("tile")
        tile.setAccessibleName(title)
        grid.addWidget(tile, index // 3, index % 3)
    area.setWidget(inner)
    column.addWidget(area, 1)
    window.showFullScreen()
    return window


def main() -> int:
    mode = sys.argv[1]
    rest_s = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    if mode not in ("bare", "lean"):
        # The way ``kiosk run`` starts (main.py): the command line's imports,
        # its display check, then PySide6 without its import hook
        # (kiosk/ui/startup.py).
        from kiosk.cli import display_problem
        from kiosk.ui.startup import import_pyside

        display_problem()
        import_pyside()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    result: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted" not in result:
                result["painted"] = time.monotonic()
                # Gone once it has seen it, as the kiosk's own is: left on, it
                # would hand later events to Python (the kiosk's building after
                # the first paint, its rest, its taps), a cost no running kiosk has.
                for widget in painted_by:
                    widget.removeEventFilter(self)
                QTimer.singleShot(0, after_paint)
            return False

    shown: list[object] = []  # the reference's window, kept while the loop runs
    if mode == "bare":
        app = QApplication(sys.argv[:1])
        label = QLabel("Welcome")
        label.showFullScreen()
        shown.append(label)
    elif mode == "lean":
        app = QApplication(sys.argv[:1])
        shown.append(_lean_home(json.loads(Path(os.environ["BENCH_LEAN"]).read_text())))
    else:
        from kiosk.logging_setup import configure
        from kiosk.paths import Paths
        from kiosk.ui.app import build

        configure(None, level=40)
        # A prepared data folder (keys made, database there): an ordinary
        # start, not the first run, which makes the keys once.
        data = os.environ.get("BENCH_DATA_DIR") or tempfile.mkdtemp(prefix="kiosk-bench-")
        # Another content folder (a generated library of 200 pages), or the shipped one.
        content = os.environ.get("BENCH_CONTENT_DIR")
        paths = Paths.resolve(Path(data), content_dir=Path(content) if content else None)
        kiosk = build(paths)
        app = kiosk.app
    # The first paint of a window or of one of its own widgets (a window covered
    # by its children gets none itself; the frame paints them all). Watched on
    # those widgets, not on the application, as the kiosk watches its own: an
    # application-wide Python filter has PySide wrap every object an event goes
    # to, Qt's own among them (the style sheet's style: some 4 ms of type
    # creation), a cost of the measuring, not of the window measured.
    first_paint = FirstPaint(app)
    # (children(), not findChildren: no Qt namespace for the bare window to import)
    painted_by: list[QObject] = [
        widget
        for window in app.topLevelWidgets()
        for widget in (window, *window.children())
        if widget.isWidgetType()
    ]
    for widget in painted_by:
        widget.installEventFilter(first_paint)

    timers = {"n": 0}

    class CountTimers(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Timer:
                timers["n"] += 1
            return False

    def after_paint() -> None:
        if mode == "taps":
            QTimer.singleShot(0, start_taps)
            return
        if mode != "idle":
            if os.environ.get("BENCH_WAIT_SENDER"):
                # An enrolled kiosk's office link starts seconds after the first
                # paint: its memory counted once the sender runs.
                wait_for_sender()
                return
            # Peak memory once the work deferred past the first paint (the
            # kiosk's keys, database and request form) is done too.
            QTimer.singleShot(SETTLE_MS, finish)
            return
        # Settle (first-paint work, the idle clock's one-shot), then measure rest.
        QTimer.singleShot(2000, start_rest)

    def wait_for_sender() -> None:
        if kiosk.sender is not None:
            result["sender_s"] = time.monotonic() - result["painted"]
            QTimer.singleShot(SETTLE_MS, finish)
        else:
            QTimer.singleShot(100, wait_for_sender)

    def finish() -> None:
        result["peak_rss_kib"] = _peak_rss_kib()
        app.exit(0)

    def start_rest() -> None:
        result["peak_rss_kib"] = _peak_rss_kib()
        counter = CountTimers(app)
        app.installEventFilter(counter)
        result["cpu_start"] = _cpu_seconds()
        result["rest_start"] = time.monotonic()

        def stop() -> None:
            result["cpu_rest_s"] = _cpu_seconds() - result.pop("cpu_start")
            result["rest_s"] = time.monotonic() - result.pop("rest_start")
            # The stop timer itself is one timer event; do not count it.
            result["timer_events"] = max(0, timers["n"] - 1)
            app.exit(0)

        QTimer.singleShot(int(rest_s * 1000), stop)

    taps: list[list[float]] = []  # [seconds after start, ms to the paint]

    def start_taps() -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        from bench.paint import PaintSpy  # with the taps only: it imports Qt

        window = kiosk.window
        window.finish_building()  # what the first paint's follow-up builds; a no-op after it
        page = window.page
        spy = PaintSpy(app)
        page.body.viewport().installEventFilter(spy)
        window.show_page(window.library.topics[0].pages[0].key)
        started = float(os.environ["BENCH_STARTED"])
        end = started + rest_s
        due = {"at": time.monotonic()}

        def tap() -> None:
            target = page.next_button if page.next_button.isEnabled() else page.previous_button
            spy.painted = False
            QTest.mouseClick(target, Qt.MouseButton.LeftButton)
            while not spy.painted:
                app.processEvents()
            now = time.monotonic()
            taps.append([due["at"] - started, (now - due["at"]) * 1000])
            due["at"] += TAP_EVERY_MS / 1000
            if due["at"] >= end:
                app.exit(0)
                return
            QTimer.singleShot(max(0, int((due["at"] - time.monotonic()) * 1000)), tap)

        tap()

    app.exec()
    sys.stdout.write(json.dumps({**result, "taps": taps} if taps else result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # skip teardown: it is not what we measure


if __name__ == "__main__":
    sys.exit(main())
