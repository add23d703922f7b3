"""A revision's payload and signature (kiosk/office/revision.py): packed the same way
every time, unpacked only when safe, signed and verified. Real files, real keys."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
from pathlib import Path

import nacl.signing
import pytest

from kiosk.office import revision
from kiosk.office.revision import (
    Revision,
    RevisionError,
    pack,
    sha256_of,
    sign,
    signed_message,
    unpack,
    verify,
)
from kiosk.paths import shipped_content_dir

EXAMPLE_CONFIG = shipped_content_dir().parent / "kiosk.example.toml"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _archive(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    """A hand-made payload, for what ``pack`` would never make."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return gzip.compress(raw.getvalue(), mtime=0)


def _file(name: str) -> tuple[tarfile.TarInfo, bytes]:
    return tarfile.TarInfo(name), b"text"


def test_the_same_folder_packs_to_the_same_bytes(content_copy: Path, tmp_path: Path) -> None:
    first = pack(content_copy, EXAMPLE_CONFIG)
    # Another copy, made later, its times and modes changed: the same bytes.
    again = tmp_path / "again"
    shutil.copytree(content_copy, again)
    for path in again.rglob("*"):
        os.utime(path, (1_000_000, 1_000_000))
        if path.is_file():
            path.chmod(0o600)
    (again / ".DS_Store").write_bytes(b"not content")
    assert pack(again, EXAMPLE_CONFIG) == first
    assert pack(content_copy, None) != first
    (again / "ketamine-and-depression" / "01-ketamine-and-depression.md").write_text("changed")
    assert pack(again, EXAMPLE_CONFIG) != first


def test_unpack_gives_back_the_folder_and_the_settings(content_copy: Path, tmp_path: Path) -> None:
    dest = tmp_path / "unpacked"
    unpack(pack(content_copy, EXAMPLE_CONFIG), dest)
    assert _tree(dest / revision.CONTENT) == _tree(content_copy)
    assert (dest / revision.CONFIG).read_bytes() == EXAMPLE_CONFIG.read_bytes()
    only_content = tmp_path / "only-content"
    unpack(pack(content_copy, None), only_content)
    assert not (only_content / revision.CONFIG).exists()


def test_pack_refuses_a_link_in_the_folder(content_copy: Path) -> None:
    (content_copy / "passwd.md").symlink_to("/etc/passwd")
    with pytest.raises(RevisionError, match="is a link"):
        pack(content_copy, None)


@pytest.mark.parametrize(
    ("member", "words"),
    [
        (_file("content/../../escaped.md"), "outside its folder"),
        (_file("/etc/cron.d/evil"), "outside its folder"),
        (_file("content/a\\..\\..\\b.md"), "outside its folder"),
        (_file("home/evil.md"), "neither content nor settings"),
    ],
)
def test_unpack_refuses_a_name_outside_its_folder(
    member: tuple[tarfile.TarInfo, bytes], words: str, tmp_path: Path
) -> None:
    dest = tmp_path / "unpacked"
    with pytest.raises(RevisionError, match=words):
        unpack(_archive(_file("content/ok.md"), member), dest)
    assert not dest.exists()
    assert not (tmp_path / "escaped.md").exists()


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.CHRTYPE])
def test_unpack_refuses_links_and_devices(kind: bytes, tmp_path: Path) -> None:
    link = tarfile.TarInfo("content/page.md")
    link.type = kind
    link.linkname = "/etc/passwd"
    with pytest.raises(RevisionError, match="link or a device"):
        unpack(_archive((link, b"")), tmp_path / "unpacked")
    assert not (tmp_path / "unpacked").exists()


def test_unpack_refuses_too_big_and_too_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Zeros compress to almost nothing: the limit is on what would be unpacked.
    big = tarfile.TarInfo("content/big.md"), bytes(revision.MAX_FILE_BYTES + 1)
    with pytest.raises(RevisionError, match="too big"):
        unpack(_archive(big), tmp_path / "big")
    monkeypatch.setattr(revision, "MAX_FILES", 3)
    many = [_file(f"content/{n}.md") for n in range(4)]
    with pytest.raises(RevisionError, match="too many files"):
        unpack(_archive(*many), tmp_path / "many")
    assert not (tmp_path / "big").exists() and not (tmp_path / "many").exists()
    # A bomb of zeros, even past the tar's end, stops at the limit, not in memory.
    bomb = gzip.compress(bytes(revision.MAX_TAR_BYTES + 1024), mtime=0)
    assert len(bomb) < revision.MAX_PAYLOAD_BYTES
    with pytest.raises(RevisionError, match="too big"):
        unpack(bomb, tmp_path / "bomb")


def test_unpack_refuses_damage_and_a_folder_in_the_way(content_copy: Path, tmp_path: Path) -> None:
    payload = pack(content_copy, None)
    with pytest.raises(RevisionError, match="damaged"):
        unpack(payload[: len(payload) // 2], tmp_path / "half")
    assert not (tmp_path / "half").exists()
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "kept.txt").write_text("mine")
    with pytest.raises(RevisionError, match="in the way"):
        unpack(payload, busy)
    assert (busy / "kept.txt").read_text() == "mine"


def served(number: int, payload: bytes, signature: bytes) -> Revision:
    """What a kiosk is handed: the number and digest come from the database."""
    return Revision(number, sha256_of(payload), "", payload, signature)


def test_a_signature_holds_for_these_bytes_this_number_and_this_key_only(
    content_copy: Path,
) -> None:
    key = nacl.signing.SigningKey.generate()
    public = bytes(key.verify_key)
    payload = pack(content_copy, EXAMPLE_CONFIG)
    signature = sign(3, payload, key)
    assert len(signature) == revision.SIGNATURE_BYTES
    assert verify(served(3, payload, signature), public)
    changed = bytearray(payload)
    changed[len(changed) // 2] ^= 0x01
    assert not verify(served(3, bytes(changed), signature), public)
    # The same payload and signature under another number: a replay of revision 3
    # as revision 4 (or 30, or 2) does not verify.
    for other_number in (4, 30, 2):
        assert not verify(served(other_number, payload, signature), public)
    other = nacl.signing.SigningKey.generate()
    assert not verify(served(3, payload, sign(3, payload, other)), public)
    assert not verify(served(3, payload, signature), bytes(other.verify_key))
    assert not verify(served(3, payload, b""), public)
    assert not verify(served(3, payload, signature), b"short")
    assert not verify(served(0, payload, signature), public)


def test_the_signed_message_binds_the_number_to_the_digest() -> None:
    digest = sha256_of(b"payload")
    assert signed_message(14, digest) == b"kiosk-revision\x0014\x00" + digest.encode()
    # One spelling: an upper-case digest signs the same message; a number cannot
    # run into the digest (1 and "4…" versus 14 and "…").
    assert signed_message(14, digest.upper()) == signed_message(14, digest)
    assert signed_message(1, "4" + digest[1:]) != signed_message(14, digest[1:])
    with pytest.raises(ValueError):
        signed_message(0, digest)
