"""Getting the running kiosk its enquiry store: keys first, then the database.

Plain Python. ``StoreOpener.get()`` is called once just after start-up (off
the way to the first painted screen) and again at each Send while it has no
store, so a fault at start (a full or read-only disk, a keys file that cannot
be read) heals once it is fixed, without a restart.
"""

from __future__ import annotations

import logging

from kiosk.enquiries.keys import KdfParams, KeyRing, KeysError, Sealer
from kiosk.enquiries.store import EnquiryStore, foreign_key_ids
from kiosk.office import link as office_link
from kiosk.paths import Paths

log = logging.getLogger("kiosk.enquiries.store")


class StoreOpener:
    """Opens (once) and hands out the enquiry store for ``paths``."""

    def __init__(self, paths: Paths, *, kdf: KdfParams | None = None) -> None:
        self.paths = paths
        self._kdf = kdf
        self._store: EnquiryStore | None = None

    def get(self) -> EnquiryStore | None:
        """The store, or None if the keys cannot be had right now (logged)."""
        if self._store is not None:
            return self._store
        try:
            ring, notes = KeyRing.load_or_create(
                self.paths.keys_file, self.paths.recovery_file, kdf=self._kdf
            )
        except KeysError as exc:
            log.critical("Requests cannot be saved: %s", exc)
            return None
        except Exception as exc:  # MemoryError in argon2id, a nacl error: never stop the kiosk
            log.critical("Requests cannot be saved: the keys failed (%s).", type(exc).__name__)
            return None
        for note in notes:
            log.warning("%s", note)
        sealer, known = ring.sealer(), {ring.key_id}
        # An enrolled kiosk seals to the clinic's key (kiosk.office): the office
        # opens what it sends. A damaged link file is said, and the tablet's own
        # key used meanwhile (``kiosk enrol`` seals those again later).
        try:
            link = office_link.load(self.paths.data_dir)
        except office_link.LinkError as exc:
            log.critical("%s Enquiries are sealed to this tablet's key meanwhile.", exc)
            link = None
        if link is not None:
            sealer = Sealer(link.public_key)
            known.add(link.key_id)
        self._store = EnquiryStore(self.paths.store_file, sealer)
        self._warn_about_foreign_keys(known)
        return self._store

    def _warn_about_foreign_keys(self, known: set[str]) -> None:
        """Enquiries sealed to another key (a keys file lost or replaced) can
        only be read with that key's file: say so loudly, every start."""
        found = foreign_key_ids(self.paths.store_file, min(known))
        for other, count in found.items():
            if other in known:
                continue
            log.critical(
                "%d enquiries were sealed to a key this kiosk no longer has (key id %s); "
                "restore the keys file that has that key id to read them.",
                count,
                other,
            )

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
