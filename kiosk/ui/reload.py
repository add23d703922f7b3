"""Live reload: the running kiosk notices edited content and config, checks
them, and swaps them in only when that is safe.

Editors and sync tools change files in many ways: saving in place, writing a
new file and renaming it over the old one, deleting and recreating, replacing
a whole folder. ``FolderWatcher`` therefore watches every folder and file of
the content (and the folders above the content and the config file, for a
folder renamed into place), re-reads that list after each burst of changes,
and reports a change only once the files have been quiet for ``settle_ms``.

``LiveReload`` then compares a fingerprint (every file's path, size and
modification time) with the last one it read; loads and checks the library
and the config; and keeps a broken library out entirely (the last good one
stays on screen, the problems go to the log). A good change is applied when
the kiosk is at home with nothing open over it, or at the idle reset: never
under a patient reading a page or filling in the form.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.config import Config, load_config
from kiosk.content import Library, load_library
from kiosk.paths import Paths
from kiosk.ui.theme import style_sheet
from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.reload")

SETTLE_MS = 750  # quiet time after the last change before anything is read
MAX_WATCHED = 5000  # inotify watches are a per-user resource: stay well inside it

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(paths: Paths) -> Fingerprint:
    """Every content file's and the config file's (path, size, mtime in ns)."""
    entries: list[tuple[str, int, int]] = []
    roots = [paths.content_dir]
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(folder, name)
                try:
                    info = os.stat(full)
                except OSError:
                    continue  # gone between the listing and the look: the next burst will tell
                entries.append((full, info.st_size, info.st_mtime_ns))
    try:
        info = os.stat(paths.config_file)
        entries.append((str(paths.config_file), info.st_size, info.st_mtime_ns))
    except OSError:
        entries.append((str(paths.config_file), -1, -1))
    return tuple(entries)


class FolderWatcher(QObject):
    """Emits ``settled`` once the watched files have been quiet for ``settle_ms``.

    Signals:
        settled(): something changed, and the changes have stopped.
    """

    settled = Signal()

    def __init__(self, paths: Paths, settle_ms: int = SETTLE_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.paths = paths
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._poke)
        self._watcher.fileChanged.connect(self._poke)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(settle_ms)
        self._timer.timeout.connect(self._on_quiet)
        self.rewatch()

    def wanted(self) -> set[str]:
        """The folders and files to watch now."""
        content = self.paths.content_dir
        wanted = {str(content.parent), str(self.paths.config_file.parent)}
        if self.paths.config_file.exists():
            wanted.add(str(self.paths.config_file))
        for folder, dirs, files in os.walk(content):
            wanted.add(folder)
            wanted.update(os.path.join(folder, name) for name in files)
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            if len(wanted) > MAX_WATCHED:
                log.warning("more than %d content files: not all of them are watched", MAX_WATCHED)
                break
        return wanted

    def rewatch(self) -> None:
        """Watch what is there now (a renamed-over file is a new file)."""
        wanted = {p for p in self.wanted() if os.path.exists(p)}
        current = set(self._watcher.files()) | set(self._watcher.directories())
        stale = sorted(current - wanted)
        fresh = sorted(wanted - current)
        if stale:
            self._watcher.removePaths(stale)
        if fresh:
            self._watcher.addPaths(fresh)

    def watched(self) -> set[str]:
        return set(self._watcher.files()) | set(self._watcher.directories())

    def _poke(self, _path: str) -> None:
        self._timer.start()  # restarts: wait for the burst to end

    def _on_quiet(self) -> None:
        self.rewatch()
        self.settled.emit()


class LiveReload(QObject):
    """Checks changed content and config and applies them at a safe moment.

    Signals:
        applied(): new content or config is on screen.
        refused(str): a change was kept out; the text says why (for staff).
    """

    applied = Signal()
    refused = Signal(str)

    def __init__(
        self,
        window: KioskWindow,
        paths: Paths,
        *,
        settle_ms: int = SETTLE_MS,
        restyle: Callable[[Config], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self._restyle = restyle or _restyle_app
        self._seen = fingerprint(paths)
        self._pending: tuple[Library, Config] | None = None
        self.last_problems: tuple[str, ...] = ()
        self.watcher = FolderWatcher(paths, settle_ms, self)
        self.watcher.settled.connect(self.check)
        window.screen_changed.connect(lambda _screen: self.apply_if_safe())
        window.was_reset.connect(self.apply_if_safe)
        window.crisis_closed.connect(self.apply_if_safe)

    @property
    def pending(self) -> bool:
        return self._pending is not None

    def check(self) -> None:
        """Read the files again if they changed; keep a broken library out."""
        now = fingerprint(self.paths)
        if now == self._seen:
            return
        self._seen = now
        library = load_library(self.paths.content_dir)
        if library.errors or not library.topics:
            lines = tuple(str(p) for p in library.errors) or (
                f"{self.paths.content_dir}: error: no readable topic or page",
            )
            self.last_problems = lines
            log.error(
                "content change NOT applied; the last good content stays on screen. "
                "Fix these and save again:\n%s",
                "\n".join(lines),
            )
            self.refused.emit("\n".join(lines))
            return
        config, problems = load_config(self.paths.config_file)
        for problem in problems:
            log.error("config: %s", problem)
        self.last_problems = tuple(str(p) for p in problems)
        self._pending = (library, config)
        log.info("content or config changed; applying it when the kiosk is at home or idle")
        self.apply_if_safe()

    def apply_if_safe(self) -> None:
        if self._pending is None or not self.window.is_at_rest():
            return
        library, config = self._pending
        self._pending = None
        if config != self.window.config:
            self._restyle(config)
            self.window.apply_config(config, self.paths.logo_file(config.logo))
        if library != self.window.library:
            self.window.set_library(library)
        log.info(
            "now showing %d topic(s), %d page(s)",
            len(library.topics),
            sum(len(t.pages) for t in library.topics),
        )
        self.applied.emit()


def _restyle_app(config: Config) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setStyleSheet(style_sheet(config))
