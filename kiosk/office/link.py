"""Whether this kiosk is enrolled, and how it reaches the office: the enrolment file.

Light on purpose (no psycopg): the kiosk's start-up reads this to choose the key
it seals to, and only an enrolled kiosk goes on to load the sender
(``kiosk.office.outbox``), after the first paint.

The file ``office-link.json`` in the data folder (0600, written atomically)
holds the server's address, the kiosk's login and password, its name, the
clinic's public key, the kiosk's Ed25519 signing key and the clinic's publishing
key (the public half, which published revisions are verified with); ``office-ca.pem``
beside it is the clinic's CA certificate, the only one the kiosk trusts for
the server. Neither is in ``kiosk.toml``, which the clinic edits and copies.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.support.files import write_atomic

LINK_FILE = "office-link.json"
CA_FILE = "office-ca.pem"
#: The highest number (``seq``) this kiosk has given a row: kept beside the link,
#: outside the SQLite store, so a store set aside and started anew goes on from it.
SEQ_FILE = "office-seq"
FORMAT_VERSION = 1


class LinkError(Exception):
    """The enrolment file is damaged or unreadable; ``str()`` says which, for the log."""


@dataclass(frozen=True)
class Link:
    """An enrolled kiosk's way to the office (``repr`` hides the secrets)."""

    server: str  # postgresql://host:port/dbname (no user, no password)
    role: str
    password: str
    kiosk_name: str
    key_id: str
    public_key: bytes
    signing_seed: bytes
    ca_file: Path
    #: The clinic's publishing key (Ed25519, public): revisions signed by it are
    #: applied. None for a kiosk enrolled before publishing existed (issue 16):
    #: it refuses every revision until it is enrolled again.
    publish_key: bytes | None = None

    def __repr__(self) -> str:
        return f"Link(server={self.server!r}, role={self.role!r}, key_id={self.key_id!r})"

    def connect_args(self, timeout: float = 5.0) -> dict[str, Any]:
        """What ``psycopg.connect`` is given: TLS always, the server's name checked
        against the clinic's CA, never the system's."""
        return {
            "conninfo": self.server,
            "user": self.role,
            "password": self.password,
            "sslmode": "verify-full",
            "sslrootcert": str(self.ca_file),
            "connect_timeout": max(1, round(timeout)),
            "application_name": f"kiosk {self.kiosk_name}"[:63],
        }

    def to_json(self) -> dict[str, Any]:
        publish = {} if self.publish_key is None else {"publish_key": _b64(self.publish_key)}
        return {
            "version": FORMAT_VERSION,
            "server": self.server,
            "role": self.role,
            "password": self.password,
            "kiosk_name": self.kiosk_name,
            "key_id": self.key_id,
            "public_key": _b64(self.public_key),
            "signing_seed": _b64(self.signing_seed),
            **publish,
        }


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def link_file(data_dir: Path) -> Path:
    return Path(data_dir) / LINK_FILE


def ca_file(data_dir: Path) -> Path:
    return Path(data_dir) / CA_FILE


def enrolled(data_dir: Path) -> bool:
    return link_file(data_dir).exists()


def load(data_dir: Path) -> Link | None:
    """The link, or None when the kiosk is not enrolled; ``LinkError`` when the file is bad."""
    path = link_file(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LinkError(
            f"The office link file {path} could not be read ({exc.strerror})."
        ) from None
    try:
        doc = json.loads(raw.decode("utf-8"))
        if doc.get("version") != FORMAT_VERSION:
            raise ValueError(f"format {doc.get('version')!r}")
        return Link(
            server=str(doc["server"]),
            role=str(doc["role"]),
            password=str(doc["password"]),
            kiosk_name=str(doc["kiosk_name"]),
            key_id=str(doc["key_id"]),
            public_key=base64.b64decode(doc["public_key"], validate=True),
            signing_seed=base64.b64decode(doc["signing_seed"], validate=True),
            ca_file=ca_file(data_dir),
            publish_key=None
            if doc.get("publish_key") is None
            else base64.b64decode(doc["publish_key"], validate=True),
        )
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise LinkError(f"The office link file {path} is damaged ({exc}).") from None


def save(data_dir: Path, link: Link, ca_pem: str) -> None:
    """Write the CA certificate, then the link: both private to the kiosk's user."""
    write_atomic(ca_file(data_dir), ca_pem.encode("utf-8"))
    write_atomic(link_file(data_dir), (json.dumps(link.to_json(), indent=2) + "\n").encode())


def last_seq(data_dir: Path) -> int:
    """The highest ``seq`` given out here (0: none, or the mark is missing or damaged,
    when the store's own numbers and the server's are what is left to go on)."""
    try:
        return max(0, int(Path(data_dir, SEQ_FILE).read_text("ascii").strip()))
    except (OSError, ValueError, UnicodeDecodeError):
        return 0


def forget_last_seq(data_dir: Path) -> None:
    """No mark: a tablet enrolling as a new kiosk numbers from 1 again
    (``LocalOutbox.forget_numbers``)."""
    Path(data_dir, SEQ_FILE).unlink(missing_ok=True)


def save_last_seq(data_dir: Path, seq: int) -> None:
    """Raise the mark to ``seq`` (never lower it: a number given out is never given again)."""
    if seq > last_seq(data_dir):
        write_atomic(Path(data_dir, SEQ_FILE), f"{seq}\n".encode("ascii"))
