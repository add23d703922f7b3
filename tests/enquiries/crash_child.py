"""Child process for test_crash: save enquiries until killed.

Run as ``python crash_child.py DATABASE KEYS_FILE``. Each form key is printed
(and flushed) only after ``save()`` returned, so every line the parent reads
is an enquiry the kiosk would have thanked the patient for. Imports only the
store and the keys, to start fast: the parent starts this 200 times.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

from kiosk.enquiries.keys import KeyRing
from kiosk.enquiries.store import EnquiryStore


def main() -> int:
    database, keys_file = Path(sys.argv[1]), Path(sys.argv[2])
    store = EnquiryStore(database, KeyRing.load(keys_file).sealer())
    if not store.available:
        print("\n".join(store.problems), file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    run = secrets.token_hex(4)
    n = 0
    while True:
        key = f"{run}-{n}"
        # Mostly short messages, every eighth a long one (up to overflow
        # pages): page splits, and a WAL that reaches the auto-checkpoint now
        # and then, so some kills land in a checkpoint.
        length = n * 997 % 6000 if n % 8 == 0 else n % 200
        store.save(key, "crash", {"name": "Crash Test", "message": "m" * length})
        out.write(key.encode("ascii") + b"\n")
        out.flush()
        n += 1


if __name__ == "__main__":
    sys.exit(main())
