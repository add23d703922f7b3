"""A published revision: the clinic's content folder and settings, packed and signed.

Plain Python (no psycopg, no Qt): the office packs and signs
(``kiosk office publish``), the kiosk unpacks and verifies, with the same code.

The payload is a gzip'd tar holding ``content/…`` (the content folder) and,
when settings are published, ``kiosk.toml``. It is *deterministic*: names
sorted, every time, owner and mode fixed, gzip's own time stamp zero; so the
same folder packs to the same bytes (and the same ``sha256``) on any PC.

Unpacking trusts nothing in the archive even after the signature checked out
(a revision is signed by a person's PIN, and people make mistakes): only
regular files and folders under those two names, no absolute path, no ``..``,
no links or devices, at most ``MAX_FILES`` entries and ``MAX_TOTAL_BYTES``
unpacked; anything else is a ``RevisionError`` and nothing is left behind.

The signature is Ed25519 (PyNaCl), by the clinic's publishing key (kiosks hold
its public key from enrolment, ``Link.publish_key``), over a short message that
binds the revision's *number* to the payload's SHA-256 (``signed_message``):
signing the payload alone would let whoever controls the database serve an old
signed payload under a newer number, and every kiosk would go back to it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nacl.exceptions
import nacl.signing

#: The archive's two names: the content folder, and the settings file.
CONTENT = "content"
CONFIG = "kiosk.toml"
#: What a revision may hold: generous for a clinic's pages and pictures (the
#: shipped content is well under 1 MiB), small enough that a bad one cannot
#: fill a tablet's disk.
MAX_FILES = 2000
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_PAYLOAD_BYTES = 32 * 1024 * 1024
#: The tar itself, headers and all: the files, and room for three 512-byte blocks
#: (a PAX header, a header, padding) per entry. Decompressing stops there.
MAX_TAR_BYTES = MAX_TOTAL_BYTES + MAX_FILES * 3 * 512
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32


class RevisionError(Exception):
    """A revision cannot be packed or unpacked; ``str()`` says why, for people and the log."""


@dataclass(frozen=True)
class Revision:
    """One published revision, as ``kiosk_next_revision`` hands it to a kiosk."""

    number: int
    sha256: str  # hex, of ``payload``
    note: str
    payload: bytes
    signature: bytes

    def __repr__(self) -> str:  # the payload is megabytes: never in a log line
        return f"Revision(number={self.number}, sha256={self.sha256[:12]}…, note={self.note!r})"


def sha256_of(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


# -- packing ---------------------------------------------------------------------------


def _entries(content_dir: Path) -> list[tuple[str, Path]]:
    """(archive name, path) of every folder and file in ``content_dir``, sorted.

    Names starting with a dot (``.git``, ``.DS_Store``, an editor's swap file)
    are left out: they are not content, and would make two copies of the same
    pages pack differently."""
    if not content_dir.is_dir():
        raise RevisionError(f"{content_dir} is not a folder.")
    found: list[tuple[str, Path]] = []
    for path in sorted(content_dir.rglob("*")):
        rel = path.relative_to(content_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink():
            raise RevisionError(
                f"{path} is a link: publish the file itself (a link could point anywhere "
                f"on the tablet)."
            )
        if not (path.is_dir() or path.is_file()):
            raise RevisionError(f"{path} is neither a file nor a folder.")
        found.append((f"{CONTENT}/{rel.as_posix()}", path))
    return sorted(found)


def _info(name: str, *, folder: bool, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if folder else tarfile.REGTYPE
    info.mode = 0o755 if folder else 0o644
    info.size = size
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def pack(content_dir: Path, config_file: Path | None) -> bytes:
    """The payload for ``content_dir`` and (optionally) the settings file: the same
    folder always packs to the same bytes. ``RevisionError`` when it has a link,
    or is over the limits a kiosk would refuse."""
    entries = _entries(content_dir)
    files = [path for _name, path in entries if path.is_file()]
    if config_file is not None:
        if not config_file.is_file():
            raise RevisionError(f"The settings file {config_file} is not there.")
        files.append(config_file)
    sizes = [path.stat().st_size for path in files]
    _check_counts(len(entries) + 2, sizes)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(_info(CONTENT, folder=True))
        for name, path in entries:
            if path.is_dir():
                tar.addfile(_info(name, folder=True))
            else:
                data = path.read_bytes()
                tar.addfile(_info(name, folder=False, size=len(data)), io.BytesIO(data))
        if config_file is not None:
            data = config_file.read_bytes()
            tar.addfile(_info(CONFIG, folder=False, size=len(data)), io.BytesIO(data))
    # gzip.compress(mtime=0): no time stamp in the header, so the bytes repeat.
    payload = gzip.compress(raw.getvalue(), compresslevel=9, mtime=0)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise RevisionError(_too_big("packed", len(payload), MAX_PAYLOAD_BYTES))
    return payload


def _too_big(what: str, size: int, limit: int) -> str:
    return f"The revision is too big ({what} {size:,} bytes; at most {limit:,})."


def _check_counts(entries: int, sizes: list[int]) -> None:
    if entries > MAX_FILES:
        raise RevisionError(f"The revision has too many files (at most {MAX_FILES}).")
    if sizes and max(sizes) > MAX_FILE_BYTES:
        raise RevisionError(_too_big("one file", max(sizes), MAX_FILE_BYTES))
    if sum(sizes) > MAX_TOTAL_BYTES:
        raise RevisionError(_too_big("unpacked", sum(sizes), MAX_TOTAL_BYTES))


# -- unpacking -------------------------------------------------------------------------


def _safe_name(name: str) -> PurePosixPath:
    """The member's name as a relative path under one of the two roots, or why not."""
    path = PurePosixPath(name)
    if not name or "\\" in name or "\x00" in name or path.is_absolute():
        raise RevisionError(f"The revision names a file outside its folder ({name!r}).")
    if any(part in ("..", ".", "") for part in name.split("/")):
        raise RevisionError(f"The revision names a file outside its folder ({name!r}).")
    if path.parts[0] != CONTENT and name != CONFIG:
        raise RevisionError(f"The revision holds {name!r}, which is neither content nor settings.")
    return path


def unpack(payload: bytes, dest: Path) -> None:
    """Unpack a payload into ``dest`` (made here; it must not exist, or be empty):
    ``dest/content/…`` and perhaps ``dest/kiosk.toml``. ``RevisionError`` says what
    was wrong, and ``dest`` is then left as it was found."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise RevisionError(_too_big("packed", len(payload), MAX_PAYLOAD_BYTES))
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise RevisionError(f"{dest} is in the way: a revision unpacks into a new folder.")
    made = not dest.exists()
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        _extract(payload, dest)
    except BaseException:
        if made:
            shutil.rmtree(dest, ignore_errors=True)
        else:
            for child in list(dest.iterdir()):
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        raise


def _tar_bytes(payload: bytes) -> bytes:
    """The gzip'd tar decompressed, but never past ``MAX_TAR_BYTES``: a payload of a
    few KiB that would inflate to gigabytes (of files or of headers) is refused
    before it takes the memory."""
    inflate = zlib.decompressobj(wbits=31)  # 31: gzip's header and trailer
    try:
        raw = inflate.decompress(payload, MAX_TAR_BYTES + 1)
    except zlib.error as exc:
        raise RevisionError(f"The revision is damaged or cannot be unpacked ({exc}).") from None
    if len(raw) > MAX_TAR_BYTES:
        raise RevisionError(_too_big("unpacked", len(raw), MAX_TAR_BYTES))
    if not inflate.eof or inflate.unused_data:
        raise RevisionError("The revision is damaged or cannot be unpacked (cut short, or more).")
    return raw


def _extract(payload: bytes, dest: Path) -> None:
    seen: set[str] = set()
    total = 0
    raw = _tar_bytes(payload)
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as tar:
            for member in tar:
                name = member.name.rstrip("/") if member.isdir() else member.name
                rel = _safe_name(name)
                if name in seen:
                    raise RevisionError(f"The revision holds {name!r} twice.")
                seen.add(name)
                if len(seen) > MAX_FILES:
                    raise RevisionError(f"The revision has too many files (at most {MAX_FILES}).")
                target = dest.joinpath(*rel.parts)
                if member.isdir():
                    target.mkdir(mode=0o700, parents=True, exist_ok=True)
                    continue
                if not member.isreg():
                    raise RevisionError(
                        f"The revision holds {name!r}, which is a link or a device, not a file."
                    )
                total += member.size
                _check_counts(len(seen), [member.size])
                if total > MAX_TOTAL_BYTES:
                    raise RevisionError(_too_big("unpacked", total, MAX_TOTAL_BYTES))
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has data
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                with open(target, "xb") as out:  # "x": never over a file already there
                    shutil.copyfileobj(source, out)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise RevisionError(f"The revision is damaged or cannot be unpacked ({exc}).") from None


# -- signing ---------------------------------------------------------------------------

#: What a revision's signature covers starts with this, so that no other message the
#: publishing key might ever sign can pass for a revision's.
SIGNED_PREFIX = b"kiosk-revision\0"


def signed_message(number: int, sha256: str) -> bytes:
    """What is signed for revision ``number`` whose payload has this SHA-256 (hex):
    ``kiosk-revision\0<number>\0<sha256>``. Both sides build it the same way; the
    number in decimal and the digest in lower-case hex leave one spelling of each."""
    if number < 1:
        raise ValueError(f"a revision's number starts at 1, not {number}")
    return SIGNED_PREFIX + str(number).encode("ascii") + b"\0" + sha256.lower().encode("ascii")


def sign(number: int, payload: bytes, key: nacl.signing.SigningKey) -> bytes:
    """The Ed25519 signature (64 bytes, detached) of revision ``number`` with this payload."""
    return bytes(key.sign(signed_message(number, sha256_of(payload))).signature)


def verify(found: Revision, public_key: bytes) -> bool:
    """Whether ``found.signature`` is the publishing key's over this payload *as revision
    ``found.number``*: the same payload and signature served under another number fail.
    The digest is computed here, from the payload, not taken from ``found.sha256``."""
    if len(found.signature) != SIGNATURE_BYTES or len(public_key) != PUBLIC_KEY_BYTES:
        return False
    if found.number < 1:
        return False
    message = signed_message(found.number, sha256_of(found.payload))
    try:
        nacl.signing.VerifyKey(bytes(public_key)).verify(message, bytes(found.signature))
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True
