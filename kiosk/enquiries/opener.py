"""Getting the running kiosk its enquiry store: keys first, then the database.

Plain Python. ``StoreOpener.get()`` is called once just after start-up (off
the way to the first painted screen) and again at each Send while it has no
store, so a fault at start (a full or read-only disk, a keys file that cannot
be read) heals once it is fixed, without a restart.
"""

from __future__ import annotations

import logging

from kiosk.enquiries.keys import KdfParams, KeyRing, KeysError
from kiosk.enquiries.store import EnquiryStore, foreign_key_ids
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
        self._store = EnquiryStore(self.paths.store_file, ring.sealer())
        self._warn_about_foreign_keys(ring.key_id)
        return self._store

    def _warn_about_foreign_keys(self, key_id: str) -> None:
        """Enquiries sealed to another key (a keys file lost or replaced) can
        only be read with that key's file: say so loudly, every start."""
        for other, count in foreign_key_ids(self.paths.store_file, key_id).items():
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
