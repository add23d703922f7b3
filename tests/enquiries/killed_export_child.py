"""A kiosk export killed half-way (SIGKILL from inside, at its first progress
report after 100 rows): ``python killed_export_child.py DATA_DIR FOLDER``."""

from __future__ import annotations

import os
import signal
import sys
import uuid
from pathlib import Path

from kiosk.enquiries.export import ExportOptions, export_to_folder
from kiosk.enquiries.keys import KdfParams, KeyRing
from kiosk.enquiries.store import EnquiryStore


def main(data: Path, folder: Path) -> None:
    ring, code = KeyRing.create(
        data / "enquiry-keys.json", data / "RECOVERY-CODE.txt", kdf=KdfParams.fast_for_tests()
    )
    (data / "code-for-the-test").write_text(code, encoding="utf-8")
    store = EnquiryStore(data / "enquiries.sqlite3", ring.sealer())
    for n in range(250):
        store.save(uuid.uuid4().hex, "t", {"name": f"Patient Canary {n}", "phone": "+15555550100"})

    def progress(done: int, _total: int) -> None:
        if done >= 200:
            os.kill(os.getpid(), signal.SIGKILL)

    export_to_folder(store, ring.unlock(code), folder, "csv", ExportOptions(progress=progress))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
