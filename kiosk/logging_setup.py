"""Logging to a rotating file in the data folder (0600), and to stderr."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import cast

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 5


class _PrivateRotatingFile(logging.FileHandler):
    """``logging.handlers.RotatingFileHandler``'s rotation (by size, to
    ``kiosk.log.1`` … ``.N``), without importing ``logging.handlers``: that
    module brings socket, pickle and queue for its other handlers, some 2 MiB
    and 20 ms at every start. The log file and each one it rotates to are
    0600, like every other file in the data folder (names and errors are in
    it); an existing one is tightened too."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def _open(self) -> io.TextIOWrapper:
        def private(path: str, flags: int) -> int:
            fd = os.open(path, flags, 0o600)
            os.fchmod(fd, 0o600)  # a file made 0644 by an older kiosk
            return fd

        # The handler owns and closes the stream; the mode is a str, not a
        # literal, so typeshed says IO[Any].
        stream = open(self.baseFilename, self.mode, encoding=self.encoding, opener=private)  # noqa: SIM115
        return cast(io.TextIOWrapper, stream)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.should_roll_over(record):
                self.roll_over()
            super().emit(record)
        except Exception:
            self.handleError(record)

    def should_roll_over(self, record: logging.LogRecord) -> bool:
        """Would this record take the file to ``max_bytes``?"""
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() + len(self.format(record)) + 1 >= self.max_bytes

    def roll_over(self) -> None:
        """kiosk.log → kiosk.log.1 → … → kiosk.log.N (the oldest goes); a new kiosk.log."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if self.backups > 0 and os.path.exists(base):
            os.replace(base, f"{base}.1")
        self.stream = self._open()


def configure(log_file: Path | None, level: int = logging.INFO) -> None:
    """Send the kiosk's log records to ``log_file`` (rotated) and stderr.

    Calling it again replaces the handlers it installed before, so tests and a
    restart with another data folder do not duplicate lines.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    formatter = logging.Formatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    unwritable: OSError | None = None
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(_PrivateRotatingFile(log_file, MAX_BYTES, BACKUPS))
        except OSError as exc:
            # A disk remounted read-only must not stop the kiosk: crisis help
            # and the pages need no log file. Standard error (the journal) it is.
            unwritable = exc
    for handler in handlers:
        handler.setFormatter(formatter)
        handler._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    if unwritable is not None:
        logging.getLogger(__name__).error(
            "cannot write the log file %s (%s); logging to standard error only",
            log_file,
            unwritable.strerror or unwritable,
        )
