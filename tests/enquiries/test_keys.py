"""The enquiries' key pair (kiosk.enquiries.keys): real files, real crypto, argon2id at its minimum.

Only ``test_the_default_kdf_is_moderate`` pays for libsodium's "moderate"
setting; every other test uses ``KdfParams.fast_for_tests()``.
"""

from __future__ import annotations

import base64
import errno
import json
import os
import re
import stat
from pathlib import Path

import pytest

from kiosk.enquiries import keys
from kiosk.enquiries.keys import (
    KdfParams,
    KeyRing,
    KeysError,
    Opener,
    Sealer,
    normalise_recovery_code,
)
from kiosk.paths import Paths

FAST = KdfParams.fast_for_tests()
CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4})+$")


@pytest.fixture
def paths() -> Paths:
    return Paths.resolve()


@pytest.fixture
def made(paths: Paths) -> tuple[KeyRing, str]:
    return KeyRing.create(paths.keys_file, paths.recovery_file, kdf=FAST)


def private_bytes(opener: Opener) -> bytes:
    """The raw private key, read from inside the Opener: only a test may do this."""
    return bytes(opener._private)


def code_in(recovery_file: Path) -> str:
    found = re.search(r"^ +([0-9A-Z]{4}(?:-[0-9A-Z]{4})+)$", recovery_file.read_text(), re.M)
    assert found, "no code in the recovery file"
    return found.group(1)


# -- creating -------------------------------------------------------------------


def test_create_writes_the_code_to_a_private_file_that_says_what_it_is(
    paths: Paths, made: tuple[KeyRing, str]
) -> None:
    ring, code = made
    info = paths.recovery_file.stat()
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(paths.keys_file.stat().st_mode) == 0o600
    text = " ".join(paths.recovery_file.read_text(encoding="utf-8").split())
    assert code in text
    for words in (
        "opens the enquiries saved on this kiosk",
        "first staff account",
        "every staff PIN is lost",
        "somewhere safe away from the tablet",
        "locked drawer",
        "password manager",
        "delete this file",
    ):
        assert words in text
    assert code_in(paths.recovery_file) == code
    assert ring.path == paths.keys_file
    assert ring.slot_labels() == ["recovery"]


def test_the_recovery_code_has_at_least_120_bits_grouped_for_reading() -> None:
    codes = {keys.new_recovery_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert CODE_SHAPE.match(code), code
        raw = normalise_recovery_code(code)
        assert len(raw) * 5 >= 120  # Crockford base32: 5 bits a character
        assert set(raw) <= set(keys.CROCKFORD)


@pytest.mark.parametrize("umask", [0o000, 0o277], ids=["open-umask", "tight-umask"])
def test_the_files_are_exactly_0600_whatever_the_umask(paths: Paths, umask: int) -> None:
    old = os.umask(umask)
    try:
        KeyRing.create(paths.keys_file, paths.recovery_file, kdf=FAST)
    finally:
        os.umask(old)
    assert stat.S_IMODE(paths.recovery_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.keys_file.stat().st_mode) == 0o600


def test_create_never_replaces_an_existing_file(paths: Paths, made: tuple[KeyRing, str]) -> None:
    before = (paths.keys_file.read_bytes(), paths.recovery_file.read_bytes())
    with pytest.raises(KeysError, match="already exists"):
        KeyRing.create(paths.keys_file, paths.recovery_file, kdf=FAST)
    paths.keys_file.unlink()
    with pytest.raises(KeysError, match="already exists"):
        KeyRing.create(paths.keys_file, paths.recovery_file, kdf=FAST)
    assert paths.recovery_file.read_bytes() == before[1]
    assert not paths.keys_file.exists()


def test_the_keys_file_holds_no_private_key_in_the_clear(
    paths: Paths, made: tuple[KeyRing, str]
) -> None:
    ring, code = made
    private = private_bytes(ring.unlock(code))
    raw = paths.keys_file.read_bytes()
    assert private not in raw
    assert base64.b64encode(private) not in raw
    assert base64.urlsafe_b64encode(private).rstrip(b"=") not in raw
    assert private.hex().encode() not in raw
    assert code.encode() not in raw
    assert normalise_recovery_code(code).encode() not in raw
    document = json.loads(raw)
    assert document["version"] == keys.FORMAT_VERSION
    assert document["key_id"] == ring.key_id
    assert base64.b64decode(document["public_key"]) == ring.sealer().public_key
    (slot,) = document["slots"]
    assert set(slot) == {"label", "kdf", "ops", "mem", "salt", "box"}
    assert (slot["label"], slot["kdf"], slot["ops"], slot["mem"]) == (
        "recovery",
        "argon2id",
        FAST.ops,
        FAST.mem,
    )


def test_the_default_kdf_is_moderate(paths: Paths) -> None:
    """The one test that makes a real-strength slot (it does not time it, nor open it)."""
    ring, _code = KeyRing.create(paths.keys_file, paths.recovery_file)
    (slot,) = json.loads(paths.keys_file.read_text())["slots"]
    moderate = KdfParams.moderate()
    assert (slot["ops"], slot["mem"]) == (moderate.ops, moderate.mem)
    assert moderate.mem >= 256 * 1024 * 1024
    assert moderate != FAST
    assert ring.slot_labels() == ["recovery"]


# -- opening --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c,
        lambda c: c.lower(),
        lambda c: c.replace("-", " "),
        lambda c: "  " + c.lower().replace("-", "  ") + " \n",
        lambda c: c.replace("-", ""),
        lambda c: c.replace("0", "O").replace("1", "l"),
    ],
    ids=["as-printed", "lower-case", "spaces", "lower-spaces-padded", "no-dashes", "look-alikes"],
)
def test_seal_then_open_with_the_recovery_code_as_typed(
    made: tuple[KeyRing, str], typed: object
) -> None:
    ring, code = made
    assert callable(typed)
    sealer = ring.sealer()
    plaintext = "Ana López 📞 +1 801 555 0100".encode()
    sealed = sealer.seal(plaintext)
    assert plaintext not in sealed
    assert sealer.seal(plaintext) != sealed  # sealed boxes use a fresh ephemeral key
    opener = ring.unlock(typed(code))
    assert opener.key_id == ring.key_id == sealer.key_id
    assert opener.open(sealed) == plaintext


def test_a_code_with_the_look_alikes_opens(paths: Paths) -> None:
    """Forced: a code that surely holds a 0 and a 1, typed as O and l."""
    ring, code = KeyRing.create(paths.keys_file, paths.recovery_file, kdf=FAST)
    opener = ring.unlock(code)
    ring.add_slot("recovery", "0101-ABCD-EFGH-JKMN-PQRS-TVWX", opener, FAST)
    assert ring.unlock("olol abcd efgh jkmn pqrs tvwx").key_id == ring.key_id
    assert ring.unlock("OIOI-ABCD-EFGH-JKMN-PQRS-TVWX").key_id == ring.key_id


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abcd-efgh", "ABCDEFGH"),
        (" ab cd\t-ef\n", "ABCDEF"),
        ("oOiIlL", "001111"),
        ("0123-4567-89XY", "0123456789XY"),
    ],
)
def test_normalise_recovery_code(typed: str, stored: str) -> None:
    assert normalise_recovery_code(typed) == stored


@pytest.mark.parametrize("wrong", ["0000-0000-0000-0000-0000-0000", "1234", "", "recovery"])
def test_a_wrong_code_or_pin_is_refused_in_words(made: tuple[KeyRing, str], wrong: str) -> None:
    ring, _code = made
    with pytest.raises(KeysError) as caught:
        ring.unlock(wrong)
    assert str(caught.value) == "That code or PIN does not open the enquiries."


def test_an_opener_from_another_ring_cannot_open(tmp_path: Path, made: tuple[KeyRing, str]) -> None:
    ring, code = made
    other, other_code = KeyRing.create(tmp_path / "k2.json", tmp_path / "r2.txt", kdf=FAST)
    sealed = ring.sealer().seal(b"secret")
    with pytest.raises(KeysError, match="could not be opened"):
        other.unlock(other_code).open(sealed)
    with pytest.raises(KeysError, match="could not be opened"):
        ring.unlock(code).open(b"too short")
    assert ring.key_id != other.key_id


def test_repr_never_shows_a_key(made: tuple[KeyRing, str]) -> None:
    ring, code = made
    opener = ring.unlock(code)
    private = private_bytes(opener)
    for thing in (opener, ring.sealer(), ring):
        shown = repr(thing)
        assert ring.key_id in shown
        assert private.hex() not in shown
        assert base64.b64encode(private).decode() not in shown
        assert code not in shown


# -- slots ------------------------------------------------------------------------


def test_slots_add_unlock_replace_and_remove(paths: Paths, made: tuple[KeyRing, str]) -> None:
    ring, code = made
    opener = ring.unlock(code)
    ring.add_slot("Alex", "2468", opener, FAST)
    assert ring.slot_labels() == ["recovery", "Alex"]
    assert ring.unlock("2468").key_id == ring.key_id
    assert ring.unlock_slot("Alex", "2468").key_id == ring.key_id
    with pytest.raises(KeysError, match="does not open"):
        ring.unlock_slot("Alex", code)
    with pytest.raises(KeysError, match="does not open"):
        ring.unlock_slot("recovery", "2468")
    with pytest.raises(KeysError, match="no slot called"):
        ring.unlock_slot("Sam", "2468")

    # The file has it too, so a restart keeps it.
    again = KeyRing.load(paths.keys_file)
    assert again.slot_labels() == ["recovery", "Alex"]
    assert again.unlock("2468").key_id == ring.key_id

    # Same label: replaced, not added.
    ring.add_slot("Alex", "97531", opener, FAST)
    assert ring.slot_labels() == ["recovery", "Alex"]
    with pytest.raises(KeysError):
        ring.unlock("2468")
    assert ring.unlock("97531").key_id == ring.key_id

    ring.remove_slot("recovery")
    assert ring.slot_labels() == ["Alex"]
    with pytest.raises(KeysError):
        ring.unlock(code)
    with pytest.raises(KeysError, match="last way"):
        ring.remove_slot("Alex")
    with pytest.raises(KeysError, match="no slot called"):
        ring.remove_slot("Sam")
    assert KeyRing.load(paths.keys_file).slot_labels() == ["Alex"]
    assert KeyRing.load(paths.keys_file).unlock("97531").key_id == ring.key_id


def test_add_slot_refuses_bad_input(tmp_path: Path, made: tuple[KeyRing, str]) -> None:
    ring, code = made
    opener = ring.unlock(code)
    other, other_code = KeyRing.create(tmp_path / "k2.json", tmp_path / "r2.txt", kdf=FAST)
    with pytest.raises(KeysError, match="opener holds key"):
        ring.add_slot("Alex", "2468", other.unlock(other_code), FAST)
    with pytest.raises(KeysError, match="cannot be empty"):
        ring.add_slot("Alex", "", opener, FAST)
    with pytest.raises(KeysError, match="name of 1 to"):
        ring.add_slot(" ", "2468", opener, FAST)
    with pytest.raises(KeysError, match="takes a recovery code"):
        ring.add_slot("recovery", "2468", opener, FAST)
    assert ring.slot_labels() == ["recovery"]


def test_a_failed_write_changes_nothing_and_leaves_no_temp_file(
    paths: Paths, made: tuple[KeyRing, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ring, code = made
    opener = ring.unlock(code)
    before = paths.keys_file.read_bytes()

    def no_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kiosk.enquiries.keys.os.replace", no_replace)
    with pytest.raises(KeysError, match="could not be written"):
        ring.add_slot("Alex", "2468", opener, FAST)
    monkeypatch.undo()
    assert paths.keys_file.read_bytes() == before
    assert ring.slot_labels() == ["recovery"]
    assert sorted(p.name for p in paths.data_dir.iterdir()) == sorted(
        [paths.keys_file.name, paths.recovery_file.name]
    )


def test_writes_leave_no_temp_files(paths: Paths, made: tuple[KeyRing, str]) -> None:
    ring, code = made
    opener = ring.unlock(code)
    for n in range(3):
        ring.add_slot(f"staff {n}", f"{n}{n}{n}{n}", opener, FAST)
    ring.remove_slot("staff 1")
    assert sorted(p.name for p in paths.data_dir.iterdir()) == sorted(
        [paths.keys_file.name, paths.recovery_file.name]
    )
    assert KeyRing.load(paths.keys_file).slot_labels() == ["recovery", "staff 0", "staff 2"]


# -- loading ----------------------------------------------------------------------


def test_load_says_a_missing_file_is_missing(paths: Paths) -> None:
    with pytest.raises(KeysError, match="is missing"):
        KeyRing.load(paths.keys_file)


def _edit(document: dict[str, object], change: str) -> object:
    slot = document["slots"][0]  # type: ignore[index]
    if change == "not-json":
        return "{not json"
    if change == "a-list":
        return []
    if change == "wrong-key-id":
        document["key_id"] = "0" * 16
    elif change == "no-slots":
        document["slots"] = []
    elif change == "short-salt":
        slot["salt"] = base64.b64encode(b"x" * 5).decode()
    elif change == "not-base64":
        slot["box"] = "%%%"
    elif change == "tiny-mem":
        slot["mem"] = 1
    elif change == "other-kdf":
        slot["kdf"] = "scrypt"
    elif change == "short-public-key":
        document["public_key"] = base64.b64encode(b"k" * 31).decode()
    elif change == "no-public-key":
        del document["public_key"]
    elif change == "no-salt":
        del slot["salt"]
    return document


DAMAGE = [
    "not-json",
    "a-list",
    "wrong-key-id",
    "no-slots",
    "short-salt",
    "not-base64",
    "tiny-mem",
    "other-kdf",
    "short-public-key",
    "no-public-key",
    "no-salt",
]


@pytest.mark.parametrize("change", DAMAGE)
def test_load_says_a_damaged_file_is_damaged(
    paths: Paths, made: tuple[KeyRing, str], change: str
) -> None:
    document = json.loads(paths.keys_file.read_text())
    edited = _edit(document, change)
    paths.keys_file.write_text(edited if isinstance(edited, str) else json.dumps(edited))
    with pytest.raises(KeysError, match="is damaged") as caught:
        KeyRing.load(paths.keys_file)
    assert str(paths.keys_file) in str(caught.value)


def test_load_says_an_unreadable_file_cannot_be_read(paths: Paths) -> None:
    paths.keys_file.mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(KeysError, match="could not be read"):
        KeyRing.load(paths.keys_file)


# -- load_or_create -----------------------------------------------------------------


def test_first_run_makes_the_keys_and_says_where_the_code_is(paths: Paths) -> None:
    ring, notes = KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)
    assert paths.keys_file.is_file()
    assert any(str(paths.recovery_file) in note for note in notes)
    code = code_in(paths.recovery_file)
    assert all(code not in note for note in notes)  # the code goes to the file, not the log
    assert ring.unlock(code).key_id == ring.key_id

    again, notes_again = KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)
    assert again.key_id == ring.key_id
    assert notes_again == []


def test_a_corrupt_keys_file_is_moved_aside_and_a_new_ring_made(paths: Paths) -> None:
    old, old_code = KeyRing.create(paths.keys_file, paths.recovery_file, kdf=FAST)
    garbage = b"\x00\xffnot the keys\n" * 10
    paths.keys_file.write_bytes(garbage)

    ring, notes = KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)

    assert ring.key_id != old.key_id
    broken = list(paths.data_dir.glob(f"{paths.keys_file.name}.broken-*"))
    assert len(broken) == 1
    assert re.fullmatch(r".*\.broken-\d{8}T\d{6}Z", broken[0].name)
    assert broken[0].read_bytes() == garbage  # moved, never deleted
    loud = " ".join(notes)
    assert "BROKEN" in loud
    assert str(broken[0]) in loud
    assert "repaired" in loud
    # The old recovery code is kept, for the old key; the new one is in the usual place.
    previous = list(paths.data_dir.glob(f"{paths.recovery_file.name}.previous-*"))
    assert len(previous) == 1
    assert code_in(previous[0]) == old_code
    new_code = code_in(paths.recovery_file)
    assert new_code != old_code
    assert ring.unlock(new_code).key_id == ring.key_id
    assert KeyRing.load(paths.keys_file).key_id == ring.key_id


@pytest.mark.parametrize("change", DAMAGE)
def test_every_kind_of_damage_is_moved_aside(
    paths: Paths, made: tuple[KeyRing, str], change: str
) -> None:
    """Bad JSON, missing fields, bad base64 or lengths: damage, so set aside and start again."""
    old, _code = made
    edited = _edit(json.loads(paths.keys_file.read_text()), change)
    paths.keys_file.write_text(edited if isinstance(edited, str) else json.dumps(edited))
    damaged = paths.keys_file.read_bytes()

    ring, notes = KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)

    assert ring.key_id != old.key_id
    (broken,) = paths.data_dir.glob(f"{paths.keys_file.name}.broken-*")
    assert broken.read_bytes() == damaged
    assert any("BROKEN" in note and str(broken) in note for note in notes)


def _read_fault(monkeypatch: pytest.MonkeyPatch, path: Path, error: int) -> None:
    """Reading ``path`` (only) fails with the OS error ``error``, as a failing disk would."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == path:
            raise OSError(error, os.strerror(error), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize(
    "error", [errno.EIO, errno.EMFILE, errno.EACCES, errno.ENFILE], ids=errno.errorcode.get
)
def test_a_keys_file_that_cannot_be_read_is_left_alone_and_no_key_is_made(
    paths: Paths, made: tuple[KeyRing, str], monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    """An I/O error is not damage: new keys would leave the staff slots on the old key."""
    ring, code = made
    before = {p.name: p.read_bytes() for p in paths.data_dir.iterdir()}
    _read_fault(monkeypatch, paths.keys_file, error)

    with pytest.raises(KeysError) as caught:
        KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)

    message = str(caught.value)
    assert str(paths.keys_file) in message
    assert errno.errorcode[error] in message  # the reason, for whoever reads the log
    assert os.strerror(error) in message
    assert "no new key" in message
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in paths.data_dir.iterdir()} == before
    # Once the fault is gone, the next try (the caller retries later) finds the same keys.
    again, notes = KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)
    assert again.key_id == ring.key_id
    assert notes == []
    assert again.unlock(code).key_id == ring.key_id


@pytest.mark.parametrize("kind", ["a-folder", "a-link-to-an-absent-disk"])
def test_a_keys_file_the_os_will_not_open_is_left_alone(paths: Paths, kind: str) -> None:
    """Real files: a folder in its place (EISDIR), a link to a disk that is not mounted."""
    paths.data_dir.mkdir(parents=True)
    if kind == "a-folder":
        paths.keys_file.mkdir()
        (paths.keys_file / "inside").write_text("kept")
    else:
        paths.keys_file.symlink_to(paths.data_dir / "not-mounted" / "enquiry-keys.json")
    with pytest.raises(KeysError, match="no new key"):
        KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)
    assert os.path.lexists(paths.keys_file)
    assert sorted(p.name for p in paths.data_dir.iterdir()) == [paths.keys_file.name]
    if kind == "a-folder":
        assert (paths.keys_file / "inside").read_text() == "kept"


def test_a_newer_keys_file_is_left_alone(paths: Paths, made: tuple[KeyRing, str]) -> None:
    document = json.loads(paths.keys_file.read_text())
    document["version"] = keys.FORMAT_VERSION + 1
    paths.keys_file.write_text(json.dumps(document))
    before = paths.keys_file.read_bytes()
    with pytest.raises(KeysError, match="newer version"):
        KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)
    assert paths.keys_file.read_bytes() == before
    assert not list(paths.data_dir.glob("*.broken-*"))


def test_load_or_create_raises_when_it_cannot_even_start_again(
    paths: Paths, made: tuple[KeyRing, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths.keys_file.write_text("{broken")

    def no_rename(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("kiosk.enquiries.keys.os.rename", no_rename)
    with pytest.raises(KeysError, match="could not be moved aside"):
        KeyRing.load_or_create(paths.keys_file, paths.recovery_file, kdf=FAST)
    monkeypatch.undo()
    assert paths.keys_file.read_text() == "{broken"


def test_sealer_and_opener_stand_alone(made: tuple[KeyRing, str]) -> None:
    ring, code = made
    opener = ring.unlock(code)
    sealer = Sealer(opener.sealer().public_key)
    assert sealer.key_id == ring.key_id
    assert len(sealer.key_id) == 16
    assert opener.open(sealer.seal(b"")) == b""


def test_kdf_params_refuse_impossible_limits() -> None:
    with pytest.raises(ValueError):
        KdfParams(ops=0, mem=FAST.mem)
    with pytest.raises(ValueError):
        KdfParams(ops=FAST.ops, mem=1)
