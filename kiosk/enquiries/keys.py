"""The enquiries' key pair: the public key seals, the private key stays wrapped.

A patient's personal fields are sealed (libsodium sealed boxes) to a public
key. The kiosk keeps that public key in the clear, so it can save enquiries
without ever being able to read them back: a stolen tablet, or a backup of its
data folder, gives away nothing a patient typed.

The private key is stored only wrapped, once per *slot*: each slot is the
private key in a ``SecretBox`` whose key is derived with argon2id from one
secret. At first run there is one slot, ``"recovery"``, opened by a recovery
code that is written to a file for the clinic to take away; later, one slot
per staff member opened by their PIN. Losing every secret means losing the
enquiries, by design: there is no back door.

The keys file is JSON, written atomically and readable only by the kiosk's
user. The private key is never written unwrapped and never logged; ``Opener``
holds it in memory only on the staff and recovery paths.
"""

from __future__ import annotations

import base64
import binascii
import errno
import json
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import nacl.encoding
import nacl.exceptions
import nacl.hash
import nacl.public
import nacl.pwhash.argon2id as argon2id
import nacl.secret
import nacl.utils

from kiosk.support.files import create_private, fsync_folder, utc_stamp, write_atomic

FORMAT_VERSION = 1
RECOVERY_LABEL = "recovery"
KDF_NAME = "argon2id"

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand
# survives the usual confusions (normalise_recovery_code maps them back).
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_CODE_CHARS = 24  # 24 x 5 bits = 120 bits
RECOVERY_GROUP = 4

WRONG_SECRET = "That code or PIN does not open the enquiries."
MAX_LABEL = 100

_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DROPPED = str.maketrans("", "", " -\t\r\n\u00a0")


class KeysError(Exception):
    """Something about the enquiries' keys went wrong; ``str()`` says what, for people."""


class _NewerFormatError(KeysError):
    """The keys file was written by a newer kiosk: not broken, so never moved aside."""


class _UnreadableError(KeysError):
    """The OS would not hand over the keys file (I/O error, no permission, too many files...).

    Not damage: the file may be perfectly good once the fault is gone, so it
    is never moved aside and no new key is made in its place.
    """


@dataclass(frozen=True)
class KdfParams:
    """How hard argon2id works for one slot (stored with the slot, so it can change later)."""

    ops: int
    mem: int

    def __post_init__(self) -> None:
        if not argon2id.OPSLIMIT_MIN <= self.ops <= argon2id.OPSLIMIT_MAX:
            raise ValueError(f"argon2id ops limit out of range: {self.ops}")
        if not argon2id.MEMLIMIT_MIN <= self.mem <= argon2id.MEMLIMIT_MAX:
            raise ValueError(f"argon2id memory limit out of range: {self.mem}")

    @classmethod
    def moderate(cls) -> KdfParams:
        """libsodium's "moderate" setting: the default for real secrets (why, and what it
        costs: docs/architecture.md, "Decisions worth knowing")."""
        return cls(ops=argon2id.OPSLIMIT_MODERATE, mem=argon2id.MEMLIMIT_MODERATE)

    @classmethod
    def interactive(cls) -> KdfParams:
        """libsodium's "interactive" setting: for staff PINs (why not "moderate":
        docs/architecture.md, "Decisions worth knowing")."""
        return cls(ops=argon2id.OPSLIMIT_INTERACTIVE, mem=argon2id.MEMLIMIT_INTERACTIVE)

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """The smallest setting libsodium allows: for tests only, never for real secrets."""
        return cls(ops=argon2id.OPSLIMIT_MIN, mem=argon2id.MEMLIMIT_MIN)


def _uniform(below: int) -> int:
    """A uniformly random integer in [0, below), from libsodium's generator
    (rejection sampling: no bias towards the first letters)."""
    limit = 256 - 256 % below
    while True:
        byte = nacl.utils.random(1)[0]
        if byte < limit:
            return byte % below


def key_id_of(public_key: bytes) -> str:
    """A short fingerprint of a public key: names the key in files and logs, reveals nothing."""
    # libsodium's BLAKE2b, not hashlib's: hashlib would load OpenSSL (about
    # 4 MiB resident) into the kiosk for this one hash.
    digest = nacl.hash.blake2b(public_key, digest_size=8, encoder=nacl.encoding.RawEncoder)
    return digest.hex()


class Sealer:
    """Holds only the public key: seals, and can never open what it sealed."""

    __slots__ = ("_box", "key_id", "public_key")

    def __init__(self, public_key: bytes) -> None:
        self.public_key = bytes(public_key)
        self.key_id = key_id_of(self.public_key)
        self._box = nacl.public.SealedBox(nacl.public.PublicKey(self.public_key))

    def seal(self, plaintext: bytes) -> bytes:
        return bytes(self._box.encrypt(plaintext))

    def __repr__(self) -> str:
        return f"Sealer(key_id={self.key_id!r})"


class Opener:
    """Holds the unwrapped private key; only the staff and recovery paths ever make one.

    ``repr()`` shows the key id only, so an Opener that ends up in a log line
    or a traceback's locals does not carry the key with it.
    """

    __slots__ = ("_box", "_private", "key_id")

    def __init__(self, private_key: bytes) -> None:
        self._private = nacl.public.PrivateKey(bytes(private_key))
        self.key_id = key_id_of(bytes(self._private.public_key))
        self._box = nacl.public.SealedBox(self._private)

    def open(self, sealed: bytes) -> bytes:
        try:
            return bytes(self._box.decrypt(bytes(sealed)))
        except (nacl.exceptions.CryptoError, ValueError, TypeError):
            raise KeysError(
                f"This enquiry could not be opened: it is damaged or was sealed to "
                f"another key than {self.key_id}."
            ) from None

    def sealer(self) -> Sealer:
        return Sealer(bytes(self._private.public_key))

    @property
    def public_key(self) -> bytes:
        return bytes(self._private.public_key)

    def derive(self, purpose: bytes) -> bytes:
        """A 32-byte secret for ``purpose`` derived from the private key (BLAKE2b
        keyed with it): the same key gives the same secret, and only a holder of
        the key can make it (the office's publishing key is one)."""
        return nacl.hash.blake2b(
            purpose, key=bytes(self._private), digest_size=32, encoder=nacl.encoding.RawEncoder
        )

    def __repr__(self) -> str:
        return f"Opener(key_id={self.key_id!r})"


@dataclass(frozen=True)
class _Slot:
    label: str
    kdf: KdfParams
    salt: bytes
    box: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kdf": KDF_NAME,
            "ops": self.kdf.ops,
            "mem": self.kdf.mem,
            "salt": _b64(self.salt),
            "box": _b64(self.box),
        }


def normalise_recovery_code(text: str) -> str:
    """The code as stored: upper case, no spaces or dashes, O read as 0 and I/L as 1.

    So ``abcd efgh-...`` typed on a tablet keyboard, or a code copied from
    handwriting, opens the same slot as the code printed in the file.
    """
    return text.upper().translate(_DROPPED).translate(_CONFUSABLES)


def _looks_like_recovery_code(normalised: str) -> bool:
    return len(normalised) == RECOVERY_CODE_CHARS and all(c in CROCKFORD for c in normalised)


def new_recovery_code() -> str:
    """A fresh code of 120 random bits, grouped for reading aloud: ``ABCD-EFGH-...``."""
    raw = "".join(CROCKFORD[_uniform(len(CROCKFORD))] for _ in range(RECOVERY_CODE_CHARS))
    return "-".join(raw[i : i + RECOVERY_GROUP] for i in range(0, len(raw), RECOVERY_GROUP))


def _slot_secret(label: str, secret: str) -> bytes:
    # The recovery code is forgiving about case, dashes and look-alikes; a PIN
    # is taken exactly as typed.
    text = normalise_recovery_code(secret) if label == RECOVERY_LABEL else secret
    return text.encode("utf-8")


def _derive(secret: bytes, salt: bytes, kdf: KdfParams) -> nacl.secret.SecretBox:
    key = argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE, secret, salt, opslimit=kdf.ops, memlimit=kdf.mem
    )
    return nacl.secret.SecretBox(key)


def _make_slot(label: str, secret: str, private_key: bytes, kdf: KdfParams) -> _Slot:
    salt = nacl.utils.random(argon2id.SALTBYTES)
    box = _derive(_slot_secret(label, secret), salt, kdf).encrypt(private_key)
    return _Slot(label=label, kdf=kdf, salt=salt, box=bytes(box))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str, size: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{what} is not text")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise ValueError(f"{what} is not base64") from None
    if size is not None and len(data) != size:
        raise ValueError(f"{what} has {len(data)} bytes, not {size}")
    return data


def _move_aside(path: Path, tag: str) -> Path:
    """Rename ``path`` to ``<name>.<tag>-<UTC time>`` (never over an existing file)."""
    stamp = utc_stamp()
    target = path.with_name(f"{path.name}.{tag}-{stamp}")
    n = 1
    while os.path.lexists(target):
        target = path.with_name(f"{path.name}.{tag}-{stamp}-{n}")
        n += 1
    os.rename(path, target)
    fsync_folder(path.parent)
    return target


def _recovery_text(code: str, key_id: str) -> str:
    return (
        "Recovery code for the enquiries saved on this kiosk\n"
        "\n"
        f"    {code}\n"
        "\n"
        "This code opens the enquiries saved on this kiosk. You need it to add the first\n"
        "staff account, and again if every staff PIN is lost. Keep it somewhere safe away\n"
        "from the tablet (for example a locked drawer or the clinic's password manager),\n"
        "and then delete this file.\n"
        "\n"
        f"Key {key_id}, made {utc_stamp()}. Letters and digits only matter: case, spaces\n"
        "and dashes do not, and O, I and L are read as 0, 1 and 1.\n"
    )


def _write_recovery_file(path: Path, code: str, key_id: str) -> None:
    """Write the code, private to the kiosk's user from the first byte (never world-readable)."""
    fd = create_private(path)
    try:
        data = _recovery_text(code, key_id).encode("utf-8")
        while data:
            data = data[os.write(fd, data) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_folder(path.parent)


def _os_reason(exc: OSError) -> str:
    """An OS error for people and the log: its name and the system's words, e.g. ``EIO: ...``."""
    name = errno.errorcode.get(exc.errno or 0)
    text = exc.strerror or str(exc)
    return f"{name}: {text}" if name else text


def _check_label(label: str) -> None:
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
        raise KeysError(f"A slot needs a name of 1 to {MAX_LABEL} characters.")


class KeyRing:
    """The keys file in memory: the public key and the wrapped copies of its private key.

    Make one with ``load``, ``create`` or ``load_or_create``. Every change is
    written to the file (atomically) before it is made in memory, so the
    object never claims a slot the file does not have.
    """

    def __init__(self, path: Path, public_key: bytes, slots: list[_Slot]) -> None:
        self.path = path
        self._public = bytes(public_key)
        self.key_id = key_id_of(self._public)
        self._slots = list(slots)

    def __repr__(self) -> str:
        return f"KeyRing(path={str(self.path)!r}, key_id={self.key_id!r})"

    def sealer(self) -> Sealer:
        return Sealer(self._public)

    def slot_labels(self) -> list[str]:
        return [slot.label for slot in self._slots]

    # -- opening -----------------------------------------------------------

    def unlock(self, secret: str) -> Opener:
        """Try ``secret`` on every slot it could open.

        Each try costs one argon2id run, so a secret that is not shaped like
        a recovery code is not tried on the recovery slot, and the recovery
        slot goes first when it is.
        """
        looks_like_code = _looks_like_recovery_code(normalise_recovery_code(secret))
        slots = [s for s in self._slots if s.label == RECOVERY_LABEL and looks_like_code]
        slots += [s for s in self._slots if s.label != RECOVERY_LABEL]
        for slot in slots:
            opener = self._try(slot, secret)
            if opener is not None:
                return opener
        raise KeysError(WRONG_SECRET)

    def unlock_slot(self, label: str, secret: str) -> Opener:
        opener = self._try(self._slot(label), secret)
        if opener is None:
            raise KeysError(WRONG_SECRET)
        return opener

    def _slot(self, label: str) -> _Slot:
        for slot in self._slots:
            if slot.label == label:
                return slot
        raise KeysError(f"The keys file has no slot called {label!r}.")

    def _try(self, slot: _Slot, secret: str) -> Opener | None:
        box = _derive(_slot_secret(slot.label, secret), slot.salt, slot.kdf)
        try:
            private = box.decrypt(slot.box)
        except nacl.exceptions.CryptoError:
            return None
        try:
            opener = Opener(private)
        except (TypeError, ValueError):
            raise KeysError(f"The slot {slot.label!r} in {self.path} is damaged.") from None
        if opener.key_id != self.key_id:
            # The box opened, so the secret was right, but it holds another
            # key: the file was pieced together from two rings.
            raise KeysError(
                f"The slot {slot.label!r} in {self.path} holds a private key that does not "
                f"match the file's public key {self.key_id}."
            )
        return opener

    # -- changing slots ----------------------------------------------------

    def add_slot(
        self, label: str, secret: str, opener: Opener, kdf: KdfParams | None = None
    ) -> None:
        """Wrap the private key once more, for ``secret``; replaces a slot of the same name."""
        _check_label(label)
        if not secret:
            raise KeysError("A code or PIN cannot be empty.")
        if label == RECOVERY_LABEL and not _looks_like_recovery_code(
            normalise_recovery_code(secret)
        ):
            # unlock() only tries code-shaped secrets on this slot.
            raise KeysError(
                f"The {RECOVERY_LABEL!r} slot takes a recovery code "
                f"({RECOVERY_CODE_CHARS} letters and digits)."
            )
        if opener.key_id != self.key_id:
            raise KeysError(
                f"That opener holds key {opener.key_id}, not this ring's key {self.key_id}."
            )
        slot = _make_slot(label, secret, bytes(opener._private), kdf or KdfParams.moderate())
        slots = list(self._slots)
        for i, old in enumerate(slots):
            if old.label == label:
                slots[i] = slot
                break
        else:
            slots.append(slot)
        self._save(slots)

    def remove_slot(self, label: str) -> None:
        """Forget one slot; the last one is refused, or nothing could ever open the enquiries."""
        self._slot(label)
        if len(self._slots) == 1:
            raise KeysError(
                f"The slot {label!r} is the last way to open the enquiries, so it was kept."
            )
        self._save([s for s in self._slots if s.label != label])

    def document(self) -> dict[str, Any]:
        """The ring as the JSON object the keys file holds (the public key, wrapped slots)."""
        return self._document(self._slots)

    def _document(self, slots: list[_Slot]) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "key_id": self.key_id,
            "public_key": _b64(self._public),
            "slots": [slot.to_json() for slot in slots],
        }

    def _save(self, slots: list[_Slot]) -> None:
        self._store(self._document(slots))
        self._slots = slots

    def _store(self, document: dict[str, Any]) -> None:
        """Write ``document`` where this ring lives: the keys file. The clinic's ring
        (``kiosk.office``) lives in PostgreSQL and stores it there instead."""
        data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
        try:
            write_atomic(self.path, data)
        except OSError as exc:
            raise KeysError(
                f"The enquiries' keys file {self.path} could not be written "
                f"({exc.strerror or exc})."
            ) from None

    # -- files ---------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        """Read the keys file; ``KeysError`` says whether it is missing, unreadable or damaged."""
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise _UnreadableError(f"The enquiries' keys file {path} is missing.") from None
        except OSError as exc:
            raise _UnreadableError(
                f"The enquiries' keys file {path} could not be read ({_os_reason(exc)})."
            ) from None
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise KeysError(f"The enquiries' keys file {path} is damaged (not JSON).") from None
        return cls.from_document(path, document)

    @classmethod
    def _from_json(cls, path: Path, document: object) -> Self:
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
        version = document.get("version")
        if not isinstance(version, int) or version < 1:
            raise ValueError("no format version")
        if version > FORMAT_VERSION:
            raise _NewerFormatError(
                f"The enquiries' keys file {path} was written by a newer version of the kiosk "
                f"(format {version}); this version leaves it alone."
            )
        public = _unb64(document.get("public_key"), "public_key", nacl.public.PublicKey.SIZE)
        if document.get("key_id") != key_id_of(public):
            raise ValueError("key_id does not match the public key")
        raw_slots = document.get("slots")
        if not isinstance(raw_slots, list) or not raw_slots:
            raise ValueError("no slots")
        slots: list[_Slot] = []
        for n, raw in enumerate(raw_slots, start=1):
            if not isinstance(raw, dict):
                raise ValueError(f"slot {n} is not an object")
            label = raw.get("label")
            if not isinstance(label, str) or not label:
                raise ValueError(f"slot {n} has no label")
            if label in (s.label for s in slots):
                raise ValueError(f"two slots are called {label!r}")
            if raw.get("kdf") != KDF_NAME:
                raise ValueError(f"slot {label!r} does not use {KDF_NAME}")
            ops, mem = raw.get("ops"), raw.get("mem")
            if type(ops) is not int or type(mem) is not int:
                raise ValueError(f"slot {label!r} has no argon2id limits")
            slots.append(
                _Slot(
                    label=label,
                    kdf=KdfParams(ops=ops, mem=mem),
                    salt=_unb64(raw.get("salt"), f"slot {label!r} salt", argon2id.SALTBYTES),
                    box=_unb64(raw.get("box"), f"slot {label!r} box"),
                )
            )
        return cls(path, public, slots)

    @classmethod
    def from_document(cls, path: Path, document: object) -> Self:
        """A ring from its JSON object (``document()``), kept at ``path`` (a name for
        messages when it lives elsewhere); ``KeysError`` when it is damaged or newer."""
        try:
            return cls._from_json(path, document)
        except _NewerFormatError:
            raise
        except (ValueError, TypeError, KeyError) as exc:
            raise KeysError(f"The enquiries' keys file {path} is damaged ({exc}).") from None

    @classmethod
    def generate(cls, path: Path, *, kdf: KdfParams | None = None) -> tuple[Self, str]:
        """A new key pair with its recovery slot, in memory only (``_store`` it), and its code."""
        private = nacl.public.PrivateKey.generate()
        code = new_recovery_code()
        slot = _make_slot(RECOVERY_LABEL, code, bytes(private), kdf or KdfParams.moderate())
        return cls(path, bytes(private.public_key), [slot]), code

    @classmethod
    def create(
        cls, path: Path, recovery_file: Path, *, kdf: KdfParams | None = None
    ) -> tuple[KeyRing, str]:
        """Make a key pair, its recovery code (written to ``recovery_file``) and the keys file.

        Refuses to replace either file. The recovery file is written first: a
        keys file whose code was never written down would seal enquiries that
        nobody could ever open.
        """
        for existing in (path, recovery_file):
            if os.path.lexists(existing):
                raise KeysError(f"{existing} already exists; it was left alone.")
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            recovery_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise KeysError(
                f"The folder for the enquiries' keys could not be made ({exc.strerror or exc})."
            ) from None
        private = nacl.public.PrivateKey.generate()
        code = new_recovery_code()
        ring = cls(path, bytes(private.public_key), [])
        slot = _make_slot(RECOVERY_LABEL, code, bytes(private), kdf or KdfParams.moderate())
        try:
            _write_recovery_file(recovery_file, code, ring.key_id)
        except OSError as exc:
            raise KeysError(
                f"The recovery code could not be written to {recovery_file} "
                f"({exc.strerror or exc})."
            ) from None
        try:
            ring._save([slot])
        except KeysError:
            # The code belongs to a key that was never saved: it must not be
            # mistaken for the code of whatever key comes next.
            with suppress(OSError):
                recovery_file.unlink()
            raise
        return ring, code

    @classmethod
    def load_or_create(
        cls, path: Path, recovery_file: Path, *, kdf: KdfParams | None = None
    ) -> tuple[KeyRing, list[str]]:
        """The kiosk's start-up: load the keys, or make them, and say what happened.

        A damaged keys file (not JSON, fields missing or malformed) is moved
        aside (never deleted: the enquiries sealed to its key need it back,
        repaired) and a new key pair is made, so patients can go on leaving
        enquiries. A file the OS will not read (an I/O error, no permission,
        too many open files, a link to a disk that is not there) is not
        damaged: it is left alone and ``KeysError`` is raised, since new keys
        would leave the staff slots on the old key; the caller runs without a
        store and tries again later. The notes are for the log, loudly; they
        never hold a secret.
        """
        notes: list[str] = []
        if os.path.lexists(path):
            try:
                return cls.load(path), notes
            except _NewerFormatError:
                raise
            except _UnreadableError as exc:
                raise KeysError(
                    f"{exc} It was left alone and no new key was made: enquiries cannot be "
                    f"saved until it can be read."
                ) from None
            except KeysError as exc:
                try:
                    aside = _move_aside(path, "broken")
                except OSError as move_exc:
                    raise KeysError(
                        f"{str(exc).rstrip('.')}, and it could not be moved aside "
                        f"({move_exc.strerror or move_exc}), so no new key was made."
                    ) from None
                notes.append(
                    f"ENQUIRY KEYS BROKEN: {exc} It was moved to {aside} and a new key pair "
                    f"was made. Enquiries saved before now are sealed to the old key and can "
                    f"be opened only after that file is repaired and put back."
                )
        if os.path.lexists(recovery_file):
            try:
                kept = _move_aside(recovery_file, "previous")
            except OSError as exc:
                raise KeysError(
                    f"An earlier recovery code file {recovery_file} is in the way and could "
                    f"not be moved aside ({exc.strerror or exc})."
                ) from None
            notes.append(
                f"An earlier recovery code file was kept as {kept}: it belongs to the earlier "
                f"key, not the new one."
            )
        ring, _code = cls.create(path, recovery_file, kdf=kdf)
        notes.append(
            f"Made the enquiries' key pair (key {ring.key_id}); the recovery code was "
            f"written to {recovery_file}. Take it somewhere safe, away from the tablet, "
            f"and delete the file."
        )
        return ring, notes
