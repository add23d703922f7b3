"""Which published revision this kiosk runs: the folders and the state file.

Light on purpose (no psycopg, no Qt): the kiosk's start-up reads this to choose
its content folder and config, before the first paint. The sender's side
(fetching, verifying, checking, reporting) is ``kiosk.office.apply``.

In the data folder::

    published/
      state.json       current, previous (the last good), confirmed, rejected, reports
      14/content/...   a revision as unpacked (``kiosk.office.revision.unpack``)
      14/kiosk.toml    its settings, when the revision carries them
      13/...           the previous one, kept to go back to

``state.json`` is written atomically (``kiosk.support.files.write_atomic``): a
power cut leaves the old state or the new. A revision is ``current`` from the
moment live reload put it on screen, and ``confirmed`` once its pages rendered and
a heartbeat went through after it; a kiosk that starts again with its current
revision unconfirmed (it crashed, or lost power, before that) goes back to the
previous one: a revision that makes the kiosk crash cannot keep it down.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from kiosk.paths import CONFIG_FILE_NAME, Paths

log = logging.getLogger("kiosk.office.published")

PUBLISHED_DIR = "published"
STATE_FILE = "state.json"
# Inside a revision's folder, as ``revision.unpack`` leaves it (``revision.CONTENT``
# and ``revision.CONFIG``, equal, tested): not imported from there, since tarfile,
# gzip and libsodium are not for the start-up path.
CONTENT_DIR = "content"
FORMAT_VERSION = 1

ReportState = Literal["applied", "refused", "rolled_back"]


@dataclass(frozen=True)
class Report:
    """What the office is told about one revision (kept until the server took it)."""

    number: int
    state: ReportState
    reason: str = ""


@dataclass(frozen=True)
class State:
    """Which revision runs. ``current`` None: the kiosk's own content and config."""

    current: int | None = None
    previous: int | None = None  # the last good one, to go back to (None: the kiosk's own)
    confirmed: bool = True
    rejected: frozenset[int] = frozenset()  # refused or rolled back: never applied again
    reports: tuple[Report, ...] = field(default=())

    def applied(self, number: int) -> State:
        """``number`` is on screen, not yet confirmed; the good one before it is kept."""
        keep = self.current if self.confirmed else self.previous
        return replace(self, current=number, previous=keep, confirmed=False)

    def rolled_back(self, number: int, reason: str) -> State:
        """Back to the last good revision; ``number`` never again, the office told."""
        back = self.previous if self.current == number else self.current
        return replace(
            self,
            current=back,
            previous=None,
            confirmed=True,
            rejected=self.rejected | {number},
            reports=(*self.reports, Report(number, "rolled_back", reason)),
        )

    def refused(self, number: int, reason: str) -> State:
        """Never applied; never again (``told`` alone: tried again later)."""
        return replace(
            self.told(Report(number, "refused", reason)), rejected=self.rejected | {number}
        )

    def confirmed_now(self, number: int) -> State:
        return replace(self, confirmed=True).told(Report(number, "applied"))

    def told(self, report: Report) -> State:
        """``report`` waits for the server."""
        return replace(self, reports=(*self.reports, report))

    def sent(self, report: Report) -> State:
        """The server took ``report``."""
        return replace(self, reports=tuple(r for r in self.reports if r != report))

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "current": self.current,
            "previous": self.previous,
            "confirmed": self.confirmed,
            "rejected": sorted(self.rejected),
            "reports": [[r.number, r.state, r.reason] for r in self.reports],
        }


#: What the heartbeat says a kiosk runs when no published revision is on it: the
#: content and settings it was installed with.
LOCAL = "local"


def running(number: int | None) -> str:
    """The heartbeat's ``content_fingerprint``: "revision 14", or ``LOCAL``, words the
    office's Kiosks view shows as they are (and the same as ``kiosk office revisions``)."""
    return LOCAL if number is None else f"revision {number}"


def published_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PUBLISHED_DIR


def folder(data_dir: Path, number: int) -> Path:
    """Where revision ``number`` is unpacked."""
    return published_dir(data_dir) / str(number)


def read(data_dir: Path) -> State:
    """The state; a kiosk that never received a revision has the default one. A
    damaged file is logged and read as the default (the kiosk's own content): the
    next revision published puts it right."""
    path = published_dir(data_dir) / STATE_FILE
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
        if doc.get("version") != FORMAT_VERSION:
            raise ValueError(f"format {doc.get('version')!r}")
        return State(
            current=_number(doc["current"]),
            previous=_number(doc["previous"]),
            confirmed=bool(doc["confirmed"]),
            rejected=frozenset(int(n) for n in doc["rejected"]),
            reports=tuple(Report(int(n), s, str(r)) for n, s, r in doc["reports"]),
        )
    except FileNotFoundError:
        return State()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.error("%s is damaged (%s): running the kiosk's own content", path, exc)
        return State()


def _number(value: object) -> int | None:
    return None if value is None else int(str(value))


def write(data_dir: Path, state: State) -> None:
    # Here, not above: it brings libsodium, not needed to read the state at start-up.
    from kiosk.support.files import write_atomic

    where = published_dir(data_dir)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomic(where / STATE_FILE, (json.dumps(state.to_json(), indent=2) + "\n").encode())


def paths_for(base: Paths, number: int | None) -> Paths:
    """The paths the kiosk runs with revision ``number`` (None: ``base``, its own).
    A revision without settings keeps the kiosk's own ``kiosk.toml``."""
    if number is None:
        return base
    where = folder(base.data_dir, number)
    config = where / CONFIG_FILE_NAME  # revision.CONFIG
    return replace(
        base,
        content_dir=where / CONTENT_DIR,
        config_file=config if config.exists() else base.config_file,
    )


def at_start(base: Paths) -> Paths:
    """The paths this run of the kiosk starts with. A current revision never
    confirmed is rolled back here, before anything of it is read (a crash loop)."""
    state = read(base.data_dir)
    if state.current is not None and not state.confirmed:
        number = state.current
        reason = f"the kiosk started again before revision {number} was confirmed by a heartbeat"
        log.error("revision %d rolled back: %s", number, reason)
        state = state.rolled_back(number, reason)
        try:
            write(base.data_dir, state)
        except OSError as exc:  # a full disk: this run goes back all the same
            log.error("could not record the rollback (%s)", exc.strerror)
    return _paths_of(base, state)


def running_paths(base: Paths) -> Paths:
    """The paths of what the kiosk runs now, for a command beside it (``kiosk export``,
    ``purge``: the published settings' export folder and retention, the published
    content's titles). Read only: the rollback of an unconfirmed revision is the
    kiosk's own start-up to make, not a command's."""
    return _paths_of(base, read(base.data_dir))


def _paths_of(base: Paths, state: State) -> Paths:
    if state.current is not None and not folder(base.data_dir, state.current).is_dir():
        log.error("revision %d is missing from %s", state.current, published_dir(base.data_dir))
        return base
    return paths_for(base, state.current)
