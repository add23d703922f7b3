"""The kiosk's side of publishing: fetch a revision with the heartbeat, verify it,
check it, hand it to live reload, confirm it or roll it back, and tell the office.

Runs on the sender's thread (``kiosk.office.outbox.Sender`` calls ``after_beat``
after each heartbeat that went through, and ``tick`` every round), never on the
GUI thread. Only ``on_screen`` and ``not_applied`` are called from the GUI thread,
by live reload's outcome; a lock keeps the two sides apart.

A revision goes through, in order:

1. ``kiosk_next_revision(current)`` (the office's SECURITY DEFINER function: the
   newest revision addressed to this kiosk newer than the one it runs): its
   number and size first, then, unless it was refused before, is waiting for a
   safe moment or is larger than ``revision.MAX_PAYLOAD_BYTES`` (refused unread),
   the revision itself;
2. its number above the one the kiosk runs (and the last good one before it:
   an older revision served again is ignored, logged), the publishing key from
   enrolment (``Link.publish_key``; a kiosk enrolled before publishing existed
   has none and refuses every revision), the payload's SHA-256, the Ed25519
   signature over the number and that SHA-256 (``revision.signed_message``):
   any of them wrong is refused, never unpacked;
3. ``revision.unpack`` into a hidden folder, then the checks live reload makes
   (the content loads with no error, the config is readable TOML): refused on
   errors; otherwise renamed to ``published/<n>/`` and handed over;
4. live reload applies it at home or after the idle reset (``on_screen``), or
   refuses it (``not_applied``: rolled back);
5. every page of it rendered once here, on this thread (what a patient's first
   look would do; the renders are kept for the page turns): a page that fails
   rolls it back ("page 03-how-it-works failed to render: ...");
6. the next heartbeat that goes through confirms it: reported ``applied``. No
   heartbeat through for ``CONFIRM_WITHIN_S`` after it was shown: rolled back.

A revision refused or rolled back is never applied again (``State.rejected``).
Reports wait in the state file until the server takes them.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.utils
import psycopg
import psycopg.errors

from kiosk.config import load_config, unusable
from kiosk.content import Library, load_library
from kiosk.office import published, revision
from kiosk.office.published import State
from kiosk.paths import Paths
from kiosk.support.files import fsync_folder

log = logging.getLogger("kiosk.office.apply")

#: After a revision is on screen, how long a heartbeat may fail to go through
#: before the kiosk goes back to the previous revision by itself.
CONFIRM_WITHIN_S = 300.0
NO_KEY = (
    "this kiosk has no publishing key (enrolled before publishing): "
    "re-enrol this kiosk to receive published content"
)
MAX_REASON = 500


@dataclass(frozen=True)
class Staged:
    """A revision for live reload to put on screen: ``number`` (None: the kiosk's
    own content and config, after a rollback to before any revision) and where
    it is read from."""

    number: int | None
    paths: Paths


@dataclass
class _Shown:
    """A revision on screen, not yet confirmed."""

    number: int
    library: Library
    since: float
    rendered: bool = False


class Updater:
    """Published revisions for one kiosk; ``hand_over`` is called on the sender's
    thread with what live reload should show (it queues it to the GUI thread)."""

    def __init__(
        self,
        base: Paths,
        publish_key: bytes | None,
        hand_over: Callable[[Staged], None],
        *,
        confirm_within_s: float = CONFIRM_WITHIN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = base
        self._key = publish_key
        self._hand_over = hand_over
        self._confirm_within_s = confirm_within_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = published.read(base.data_dir)
        self._staged: int | None = None  # handed over, not yet on screen
        self._shown: _Shown | None = None
        self._said_no_key: set[int] = set()
        self._said_stale: set[int] = set()
        self._said_old_server = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    # -- the sender's thread --------------------------------------------------------------

    def tick(self) -> None:
        """Every round of the sender, the link up or not: render a newly shown
        revision's pages, and roll it back when it failed or waited too long."""
        with self._lock:
            shown = self._shown
        if shown is None:
            return
        if not shown.rendered:
            failed = _render_failure(shown.library)
            if failed:
                self._roll_back(shown.number, failed)
                return
            shown.rendered = True
        if self._clock() - shown.since > self._confirm_within_s:
            minutes = self._confirm_within_s / 60
            self._roll_back(
                shown.number, f"no heartbeat went through for {minutes:g} minutes after applying"
            )

    def after_beat(self, conn: psycopg.Connection[Any]) -> None:
        """A heartbeat just went through on ``conn``: confirm what is shown, look for
        a newer revision, and send the reports waiting. Raises psycopg errors only
        (the sender backs off); anything else is logged, and tried at the next one."""
        try:
            self.tick()
            with self._lock:
                shown = self._shown
                if shown is not None and shown.rendered:
                    self._shown = None
                    self._save(self._state.confirmed_now(shown.number))
                    log.info("revision %d confirmed: on screen, the office reached", shown.number)
            self._fetch(conn)
            self._send_reports(conn)  # a refusal just now is told in the same round
        except psycopg.Error:
            raise
        except Exception:
            log.exception("published revisions: this round failed; tried again at the next")

    def _send_reports(self, conn: psycopg.Connection[Any]) -> None:
        for report in self.state.reports:
            try:
                with conn.transaction():
                    conn.execute(
                        "SELECT kiosk_report_revision(%s, %s, %s)",
                        (report.number, report.state, report.reason[:MAX_REASON]),
                    )
            except psycopg.errors.UndefinedFunction:
                self._old_server()
                return
            except (psycopg.errors.NoDataFound, psycopg.errors.ForeignKeyViolation):
                # The server has no such revision (deleted since): the report can never
                # go, and kept it would stop every report and look after it.
                log.warning(
                    "revision %d: the office has no such revision now; its report (%s) dropped",
                    report.number,
                    report.state,
                )
            with self._lock:
                self._save(self._state.sent(report))

    def _fetch(self, conn: psycopg.Connection[Any]) -> None:
        current = self.state.current or 0
        try:
            with conn.transaction():
                # Its number and size first: a revision refused before, waiting for a
                # safe moment, or larger than a kiosk takes is never downloaded.
                head = conn.execute(
                    "SELECT number, octet_length(payload) FROM kiosk_next_revision(%s)",
                    (current,),
                ).fetchone()
        except psycopg.errors.UndefinedFunction:
            self._old_server()
            return
        if head is None or head[0] is None:
            return
        number, size = int(head[0]), int(head[1] or 0)
        if number in self.state.rejected or number == self._staged:
            return  # refused or rolled back before; or waiting for a safe moment
        if self._stale(number):
            return
        if size > revision.MAX_PAYLOAD_BYTES:
            # A server from before migration 5 (or a row put there by hand): refused
            # unread, so a kiosk never holds more than it takes in memory or on disk.
            self._refuse(number, oversized(size))
            return
        with conn.transaction():
            row = conn.execute(
                "SELECT number, sha256, note, payload, signature FROM kiosk_next_revision(%s)"
                " WHERE number = %s AND octet_length(payload) <= %s",
                (current, number, revision.MAX_PAYLOAD_BYTES),
            ).fetchone()
        if row is None:
            return  # a newer one published in between: asked again at the next heartbeat
        found = revision.Revision(
            number=int(row[0]),
            sha256=str(row[1]),
            note=str(row[2] or ""),
            payload=bytes(row[3] or b""),
            signature=bytes(row[4] or b""),
        )
        try:
            self.receive(found)
        except OSError as exc:  # the tablet's disk: tried again at the next heartbeat
            log.error("revision %d could not be unpacked here (%s)", found.number, exc)

    def _stale(self, number: int) -> bool:
        """``number`` is not above what this kiosk runs or keeps: ignored (logged once)."""
        newest = self._newest_kept()
        if newest is None or number > newest:
            return False
        # ``kiosk_next_revision`` answers only above ``current``: a lower number is
        # the database replaying an old revision (its signature may well be
        # good). Ignored, not reported: a "refused" report under that number
        # would overwrite the office's record that the kiosk applied it.
        if number not in self._said_stale:
            self._said_stale.add(number)
            log.error(
                "revision %d refused: %s",
                number,
                f"this kiosk already runs revision {newest}; an older one is never applied",
            )
        return True

    def _refuse(self, number: int, why: str) -> None:
        """Refused for good: logged, kept in the state file, reported to the office."""
        log.error("revision %d refused: %s", number, why)
        with self._lock:
            if self._staged == number:
                self._staged = None
            self._save(self._state.refused(number, why))

    def receive(self, found: revision.Revision) -> None:
        """Verify and check ``found``; hand it over, or refuse it (logged, reported)."""
        number = found.number
        if self._stale(number):
            return
        if self._key is None:
            if number not in self._said_no_key:  # once per revision; not rejected for
                self._said_no_key.add(number)  # good: the kiosk may be enrolled again
                log.error("revision %d refused: %s", number, NO_KEY)
                with self._lock:
                    self._save(self._state.told(published.Report(number, "refused", NO_KEY)))
            return
        with self._lock:
            self._staged = number  # its folder is kept from now on (``_save``)
        why = _verify(found, self._key) or self._unpack_and_check(found)
        if why is not None:
            self._refuse(number, why)
            return
        log.info(
            "revision %d (%s) verified and checked; applying it at a safe moment",
            number,
            found.note or "no note",
        )
        self._hand_over(Staged(number, published.paths_for(self.base, number)))

    def _newest_kept(self) -> int | None:
        """The newest revision this kiosk runs or keeps to go back to; None: only its own."""
        state = self.state
        kept = [n for n in (state.current, state.previous) if n is not None]
        return max(kept, default=None)

    def _unpack_and_check(self, found: revision.Revision) -> str | None:
        """Unpack into a hidden folder, check, rename into place; why not, or None."""
        root = published.published_dir(self.base.data_dir)
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        staging = root / f".incoming-{found.number}-{nacl.utils.random(4).hex()}"
        try:
            try:
                revision.unpack(found.payload, staging)
            except revision.RevisionError as exc:
                return f"the revision could not be unpacked ({exc})"
            why = _check(staging, self._own_export_dir())
            if why is not None:
                return why
            target = published.folder(self.base.data_dir, found.number)
            shutil.rmtree(target, ignore_errors=True)  # a copy from before a restart
            staging.rename(target)
            fsync_folder(root)
            return None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _own_export_dir(self) -> Path:
        """The export folder the tablet's own ``kiosk.toml`` gives (read now: staff may
        have changed it), the only one published settings may name."""
        own = load_config(self.base.config_file)[0]
        return self.base.export_dir(own.export_folder)

    def _roll_back(self, number: int, reason: str) -> None:
        with self._lock:
            self._shown = None
            self._save(self._state.rolled_back(number, reason))
            back = self._state.current
        log.error(
            "revision %d rolled back: %s; going back to %s",
            number,
            reason,
            f"revision {back}" if back is not None else "the kiosk's own content",
        )
        self._hand_over(Staged(back, published.paths_for(self.base, back)))

    def _old_server(self) -> None:
        if not self._said_old_server:
            self._said_old_server = True
            log.warning(
                "The office database does not publish revisions yet: run 'kiosk office init'"
                " there again."
            )

    def _save(self, state: State) -> None:
        """Keep ``state`` (the caller holds the lock) and drop folders no longer needed."""
        self._state = state
        published.write(self.base.data_dir, state)
        keep = {str(n) for n in (state.current, state.previous, self._staged) if n is not None}
        for child in published.published_dir(self.base.data_dir).iterdir():
            if child.is_dir() and child.name.isdigit() and child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    # -- the GUI thread -------------------------------------------------------------------

    def on_screen(self, number: int | None, library: Library) -> None:
        """Live reload put ``number`` on screen (None: the kiosk's own content)."""
        with self._lock:
            if number is None or number == self._state.current:
                return  # a rollback's target: known good
            self._staged = None
            self._save(self._state.applied(number))
            self._shown = _Shown(number, library, self._clock())
        log.info("revision %d is on screen; confirmed at the next heartbeat", number)

    def not_applied(self, number: int, why: str) -> None:
        """Live reload refused ``number`` (its content or config did not load there)."""
        with self._lock:
            self._staged = None
            self._save(self._state.applied(number))
        self._roll_back(number, f"live reload refused it: {why}")


def oversized(size: int) -> str:
    """The reason a revision larger than a kiosk takes is refused (never downloaded)."""
    return (
        f"it is {size:,} bytes, more than the {revision.MAX_PAYLOAD_BYTES:,} a kiosk takes;"
        " not downloaded"
    )


def bad_signature(number: int) -> str:
    """The reason a revision whose signature fails is refused, as reported."""
    return (
        f"its signature does not verify with the clinic's publishing key for revision "
        f"{number} (changed, signed with another key, or signed for another number)"
    )


def _verify(found: revision.Revision, key: bytes) -> str | None:
    """Why ``found`` is not what the office signed, or None."""
    if not found.signature:
        return "it has no signature"
    if revision.sha256_of(found.payload) != found.sha256.lower():
        return "its payload does not match its SHA-256"
    if not revision.verify(found, key):
        # The signature covers the number too: an older revision's payload and
        # signature served under a newer number (a replay) fail here.
        return bad_signature(found.number)
    return None


def _check(where: Path, own_export: Path) -> str | None:
    """Live reload's checks on an unpacked revision, before any of it is used;
    ``own_export`` is the export folder the tablet's own settings give."""
    content = where / revision.CONTENT
    library = load_library(content)
    if library.errors or not library.topics:
        lines = [str(p) for p in library.errors[:3]] or ["no readable topic or page"]
        return "its content has errors: " + "; ".join(lines)
    config_file = where / revision.CONFIG
    if not config_file.exists():
        return None
    config, problems = load_config(config_file)
    broken = unusable(problems)
    if broken:
        return "its settings cannot be read: " + "; ".join(str(p) for p in broken[:3])
    # Read from the revision's folder: a logo must come with it (inside content/),
    # and exports must not go there, since a folder replaced by a newer revision
    # is deleted.
    if config.logo:
        logo = (where / Path(config.logo).expanduser()).resolve()
        # Inside the revision's own folder: not "/etc/…" or "../../…" on the tablet.
        if not logo.is_relative_to(where.resolve()) or not logo.is_file():
            return f"its settings name a logo it does not carry ({config.logo})"
    if config.export_folder:
        folder = Path(config.export_folder).expanduser()
        if not folder.is_absolute():
            return (
                f"its settings name an export folder relative to the settings file "
                f"({config.export_folder}): published settings need an absolute one, or none"
            )
        # Exports hold patients' names and numbers: published settings may not send
        # them to a folder of their choosing (a share, a folder others read), only
        # to the one the tablet's own settings already give.
        if folder.resolve() != own_export.resolve():
            return (
                f"its settings name an export folder ({config.export_folder}) other than "
                f"this kiosk's own ({own_export}): set it in the kiosk's own kiosk.toml, "
                "or leave it out of published settings"
            )
    return None


def _render_failure(library: Library) -> str | None:
    """Render every page once; the first that fails, in words, or None."""
    for problem in library.render_all():
        if problem.severity == "error":
            return f"page {problem.path.stem} failed to render: {problem.message}"
    return None
