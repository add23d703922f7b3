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
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from kiosk.config import Config, load_config, unusable
from kiosk.content import Library, load_library
from kiosk.paths import Paths
from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk.reload")

SETTLE_MS = 750  # quiet time after the last change before anything is read
MAX_WATCHED = 5000  # inotify watches are a per-user resource: stay well inside it
STATUS_FILE = "reload-status.txt"  # in the data folder: the last reload's outcome

Fingerprint = tuple[tuple[str, int, int], ...]


def _stat(path: str | Path) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (str(path), -1, -1)
    return (str(path), info.st_size, info.st_mtime_ns)


def fingerprint(paths: Paths) -> Fingerprint:
    """Every content file's (path, size, mtime in ns)."""
    entries: list[tuple[str, int, int]] = []
    for folder, dirs, files in os.walk(paths.content_dir):
        dirs.sort()
        entries.extend(_stat(os.path.join(folder, name)) for name in sorted(files))
    return tuple(entries)


def config_fingerprint(paths: Paths, config: Config | None) -> Fingerprint:
    """The config file's, and its logo file's (a logo replaced under the same name)."""
    entries = [_stat(paths.config_file)]
    logo = paths.logo_file(config.logo) if config is not None else None
    if logo is not None:
        entries.append(_stat(logo))
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
        files: list[str] = []
        for folder, dirs, names in os.walk(content):
            wanted.add(folder)  # every folder first: a new or renamed file shows there
            files.extend(os.path.join(folder, name) for name in names)
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        room = MAX_WATCHED - len(wanted)
        if len(files) > room:
            log.warning("more than %d content files: edits in place to some go unseen", room)
        wanted.update(files[: max(0, room)])
        return wanted

    def rewatch(self) -> None:
        """Watch what is there now, from scratch: a renamed-over file is a new
        file, and a folder swapped in by a sync tool has the old one's name
        (a watch stays with the old folder, so names cannot tell them apart)."""
        current = self._watcher.files() + self._watcher.directories()
        if current:
            self._watcher.removePaths(current)
        wanted = sorted(p for p in self.wanted() if os.path.exists(p))
        if wanted:
            self._watcher.addPaths(wanted)

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
        # The window restyles itself in apply_config (with the patient's text
        # size and contrast); tests may add a hook here.
        self._restyle = restyle or (lambda _config: None)
        self._seen = fingerprint(paths)
        self._seen_config = config_fingerprint(paths, window.config)
        self._library: Library | None = None  # checked, waiting for a safe moment
        self._config: Config | None = None
        self.last_problems: tuple[str, ...] = ()
        # What the content and the settings each say now (refusals, or the
        # warnings of what was taken): the status lists both, never one left
        # over from an earlier change that has been fixed since.
        self._content_problems: tuple[str, ...] = ()
        self._config_problems: tuple[str, ...] = ()
        # Whether the content's or the settings' last change was refused (the
        # last good stays on screen): the status's headline says which.
        self._content_refused = False
        self._config_refused = False
        self.status_file = paths.data_dir / STATUS_FILE
        self.watcher = FolderWatcher(paths, settle_ms, self)
        self.watcher.settled.connect(self.check)
        window.screen_changed.connect(lambda _screen: self.apply_if_safe())
        window.was_reset.connect(self.apply_if_safe)
        window.crisis_closed.connect(self.apply_if_safe)

    @property
    def pending(self) -> bool:
        return self._library is not None or self._config is not None

    def check(self) -> None:
        """Read what changed again; content and config each on their own, so a
        broken page does not hold back a new phone number, nor the reverse."""
        refusals: list[str] = []
        now = fingerprint(self.paths)
        if now != self._seen:
            self._seen = now
            refused = self._check_content()
            refusals += refused
            self._content_refused = bool(refused)
            if refused:
                self._content_problems = tuple(refused)
        current = self._config or self.window.config
        now_config = config_fingerprint(self.paths, current)
        if now_config != self._seen_config:
            self._seen_config = now_config
            refused = self._check_config()
            refusals += refused
            self._config_refused = bool(refused)
            if refused:
                self._config_problems = tuple(refused)
        self.last_problems = self._content_problems + self._config_problems
        if refusals:
            self._write_status("NOT APPLIED: the last good content and settings stay on screen.")
            self.refused.emit("\n".join(refusals))
        self.apply_if_safe()

    def switch(self, paths: Paths) -> None:
        """Read content and config from ``paths`` from now on (a published revision,
        or back from one): checked and applied as any change, at a safe moment."""
        self.paths = self.watcher.paths = paths
        self.watcher.rewatch()
        self.check()

    def _check_content(self) -> list[str]:
        library = load_library(self.paths.content_dir)
        if library.errors or not library.topics:
            lines = [str(p) for p in library.errors] or [
                f"{self.paths.content_dir}: error: no readable topic or page"
            ]
            log.error(
                "content change NOT applied; the last good content stays on screen. "
                "Fix these and save again:\n%s",
                "\n".join(lines),
            )
            self._library = None
            return lines
        self._library = library
        warnings = tuple(str(p) for p in library.problems)
        for line in warnings:  # (check-content says them too; the log and status now do)
            log.warning("content: %s", line)
        self._content_problems = warnings
        log.info("content changed; applying it when the kiosk is at home or idle")
        return []

    def _check_config(self) -> list[str]:
        if not self.paths.config_file.exists():
            # Deleted (or mid-way through a sync tool's delete and recreate):
            # never fall back to "Our Clinic" and the default colours live.
            line = (
                f"{self.paths.config_file}: error: the file is gone; the settings stay as "
                "they are (to go back to the defaults, empty the file instead)"
            )
            log.error("config change NOT applied: %s", line)
            return [line]
        config, problems = load_config(self.paths.config_file)
        for problem in problems:
            log.error("config: %s", problem)
        broken = [str(p) for p in unusable(problems)]
        if broken:
            log.error("config change NOT applied; the settings stay as they are")
            self._config = None
            return broken
        self._config = config
        self._seen_config = config_fingerprint(self.paths, config)  # its logo, if new
        self._config_problems = tuple(str(p) for p in problems)
        return []

    def apply_if_safe(self) -> None:
        if not self.pending or not self.window.is_at_rest():
            return
        config, library = self._config, self._library
        self._config = self._library = None
        if config is not None:
            self._restyle(config)
            self.window.apply_config(config, self.paths.logo_file(config.logo))
        if library is not None and library != self.window.library:
            self.window.set_library(library)
        shown = self.window.library
        log.info(
            "now showing %d topic(s), %d page(s)",
            len(shown.topics),
            sum(len(t.pages) for t in shown.topics),
        )
        self._write_status(self._applied_headline())
        self.applied.emit()

    def _applied_headline(self) -> str:
        """What was applied, and what stays refused: with a broken page saved
        with a good kiosk.toml, the settings go on and the content does not,
        and the status must not say both were."""
        if self._content_refused:
            return (
                "Settings applied; the content NOT APPLIED: the last good content stays on screen."
            )
        if self._config_refused:
            return (
                "Content applied; the settings NOT APPLIED: the last good settings stay on screen."
            )
        return "Applied: the kiosk shows the content and settings saved last."

    def _write_status(self, headline: str) -> None:
        """The last reload's outcome, where an admin can read it without the log."""
        from datetime import datetime

        lines = [f"{datetime.now():%Y-%m-%d %H:%M:%S} {headline}", *self.last_problems]
        try:
            self.status_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            log.warning("could not write %s (%s)", self.status_file, exc.strerror)
