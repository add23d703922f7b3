"""Publishing content and settings (issue 16), the office's side, against the real
PostgreSQL over TLS: the publishing key, storing and addressing revisions, what the
kiosk's role may reach, and ``kiosk office publish|revisions|group|publish-key``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import nacl.public
import nacl.signing
import psycopg
import psycopg.errors
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from kiosk.cli import main
from kiosk.enquiries.keys import Opener
from kiosk.office import admin, audit, publish
from kiosk.office.link import link_file, load
from kiosk.office.revision import MAX_PAYLOAD_BYTES, Revision, sha256_of, sign, unpack, verify
from kiosk.paths import shipped_content_dir
from kiosk.staff.cli import ExitStatus
from kiosk.ui.office import words as w
from kiosk.ui.office.revisions import FAILED_COLOUR, RevisionsPage
from kiosk.ui.office.window import OfficeWindow
from tests.office.conftest import Clinic, Tablet, enrolled_tablet
from tests.office.test_app import PIN, sign_in
from tests.office.test_signin import front_desk

EXAMPLE_CONFIG = shipped_content_dir().parent / "kiosk.example.toml"
BROKEN_PAGE = "ketamine-and-depression/03-how-does-ketamine-work.md"


def kiosk(monkeypatch: pytest.MonkeyPatch, clinic: Clinic, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(["office", *argv, "--db", clinic.admin_url])


def publish_by_recovery(
    clinic: Clinic, content: Path, targets: list[str], note: str = "", config: Path | None = None
) -> int:
    opener = clinic.opener()
    with clinic.connect() as conn:
        key = admin.publishing_key(conn, opener)
        payload = publish.prepare(content, config)
        return publish.publish(conn, payload, key, by="recovery-code", targets=targets, note=note)


def next_revision(tablet: Tablet, current: int) -> Revision | None:
    with psycopg.connect(**tablet.link.connect_args()) as conn:
        row = conn.execute(
            "SELECT number, sha256, note, payload, signature FROM kiosk_next_revision(%s)",
            (current,),
        ).fetchone()
    if row is None:
        return None
    return Revision(int(row[0]), str(row[1]), str(row[2]), bytes(row[3]), bytes(row[4]))


def report(tablet: Tablet, number: int, state: str, reason: str = "") -> None:
    with psycopg.connect(**tablet.link.connect_args()) as conn:
        conn.execute("SELECT kiosk_report_revision(%s, %s, %s)", (number, state, reason))


def audit_rows(clinic: Clinic, action: str) -> list[tuple[Any, ...]]:
    with clinic.connect() as conn:
        return conn.execute(
            "SELECT actor, subject, detail FROM audit WHERE action = %s ORDER BY id", (action,)
        ).fetchall()


def break_a_page(content: Path) -> None:
    page = content / BROKEN_PAGE
    page.write_text(page.read_text().replace("order: 3\n", "order: 3\ntile: sideways\n"))


# -- the key and the contract -----------------------------------------------------------


def test_a_publishing_key_replaced_in_the_database_signs_nothing_and_enrols_no_one(
    clinic: Clinic, data_tmpdir: Path
) -> None:
    """A database owner's own key, its seed sealed to the clinic's public key
    (which takes no secret), in place of the clinic's: publishing and enrolment
    refuse it, so no kiosk is ever told to trust it."""
    opener = clinic.opener()
    theirs = nacl.signing.SigningKey.generate()
    with clinic.connect() as conn:
        ours = admin.publish_public_key(conn)
        assert ours == bytes(admin.derived_publishing_key(opener).verify_key)
        conn.execute(
            "UPDATE publish_key SET public_key = %s, sealed_seed = %s",
            (bytes(theirs.verify_key), opener.sealer().seal(bytes(theirs))),
        )
    with clinic.connect() as conn:
        with pytest.raises(admin.OfficeError, match="is not the clinic's"):
            admin.publishing_key(conn, opener)
        with pytest.raises(admin.OfficeError, match="is not the clinic's"):
            admin.enrol_kiosk(conn, "Lobby", clinic.pg.ca_file.read_text(), opener)
        with pytest.raises(admin.OfficeError, match="is not the clinic's"):
            admin.ensure_publish_key(conn, opener)
        assert conn.execute("SELECT count(*) FROM kiosks").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM revisions").fetchone() == (0,)


def test_the_key_is_derived_from_the_clinic_key_and_the_same_by_pin_or_code(
    clinic: Clinic,
) -> None:
    clinic.add_staff("Ana", PIN)
    with clinic.connect() as conn:
        by_pin = admin.publishing_key(conn, admin.opener_by_pin(conn, "Ana", PIN))
        by_code = admin.publishing_key(conn, clinic.opener())
    assert bytes(by_pin) == bytes(by_code)
    # Another clinic's key derives another publishing key.
    other = Opener(nacl.public.PrivateKey.generate().encode())
    assert bytes(admin.derived_publishing_key(other)) != bytes(by_code)


def test_enrolment_brings_the_publishing_key_which_only_the_clinic_key_opens(
    clinic: Clinic, tablet: Tablet
) -> None:
    with clinic.connect() as conn:
        public = admin.publish_public_key(conn)
        sealed = conn.execute("SELECT sealed_seed FROM publish_key").fetchone()
        key = admin.publishing_key(conn, clinic.opener())
    assert public is not None and tablet.link.publish_key == public
    reloaded = load(tablet.data_dir)
    assert reloaded is not None and reloaded.publish_key == public
    payload = b"revision"
    assert verify(Revision(1, sha256_of(payload), "", payload, sign(1, payload, key)), public)
    # Stored sealed: the seed is not in the row as it is.
    assert sealed is not None and bytes(key) not in bytes(sealed[0])
    # A link file and a token from before publishing: no key, and no failure.
    document = json.loads(link_file(tablet.data_dir).read_text())
    del document["publish_key"]
    link_file(tablet.data_dir).write_text(json.dumps(document))
    old = load(tablet.data_dir)
    assert old is not None and old.publish_key is None
    assert admin.Token.decode(admin.Token("r", "p", "ca").encode()).publish_key is None


def test_the_kiosk_reaches_revisions_only_through_its_functions_and_only_its_own(
    clinic: Clinic, tablet: Tablet, content_copy: Path, tmp_path: Path
) -> None:
    upstairs = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")
    with clinic.connect() as conn:
        admin.set_group(conn, "Lobby", "Lobby")
        admin.set_group(conn, "Upstairs", "Upstairs")
    first = publish_by_recovery(clinic, content_copy, ["Lobby"], "for the lobby")
    second = publish_by_recovery(clinic, content_copy, ["Upstairs"], config=EXAMPLE_CONFIG)

    with psycopg.connect(**tablet.link.connect_args()) as conn:
        for table in ("revisions", "revision_targets", "kiosk_revisions", "publish_key"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}".encode())
            conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO kiosk_revisions (kiosk, revision, state) VALUES (%s, 1, 'applied')",
                (tablet.link.role,),
            )
        conn.rollback()

    got = next_revision(tablet, 0)
    assert got is not None and (got.number, got.note) == (first, "for the lobby")
    assert tablet.link.publish_key is not None
    assert verify(got, tablet.link.publish_key)
    unpack(got.payload, tmp_path / "unpacked")
    assert (tmp_path / "unpacked" / "content" / BROKEN_PAGE).exists()
    assert next_revision(tablet, first) is None  # the Upstairs revision is not the lobby's
    theirs = next_revision(upstairs, 0)
    assert theirs is not None and theirs.number == second

    # To all: both get it; a kiosk that rolled it back is not offered it again.
    third = publish_by_recovery(clinic, content_copy, [publish.ALL])
    for got_now in (next_revision(tablet, first), next_revision(upstairs, 0)):
        assert got_now is not None and got_now.number == third
    report(tablet, first, "applied")
    report(tablet, third, "rolled_back", "page 03 failed to render")
    assert next_revision(tablet, first) is None
    assert next_revision(upstairs, second) is not None
    with clinic.connect() as conn:
        states = {k.kiosk: k for k in publish.kiosk_revisions(conn)}
        stored = conn.execute("SELECT kiosk FROM kiosk_revisions").fetchall()
    assert {row[0] for row in stored} == {tablet.link.role}  # in its own name only
    assert publish.describe(states["Lobby"]) == (
        "Lobby: revision 3 rolled back: page 03 failed to render; runs revision 1"
    )
    assert states["Lobby"].running == first and states["Upstairs"].state is None
    upstairs.store.close()


def test_a_revision_is_addressed_anew_without_a_new_number(
    clinic: Clinic, tablet: Tablet, content_copy: Path, tmp_path: Path
) -> None:
    upstairs = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")
    with clinic.connect() as conn:
        admin.set_group(conn, "Lobby", "Lobby")
    number = publish_by_recovery(clinic, content_copy, ["Lobby"])
    lobby_got = next_revision(tablet, 0)
    assert lobby_got is not None and next_revision(upstairs, 0) is None
    with clinic.connect() as conn:
        publish.retarget(conn, number, [publish.ALL], by="Ana")
        listed = publish.revisions(conn)
    everyone_got = next_revision(upstairs, 0)
    assert everyone_got == lobby_got  # the same number, bytes and signature
    assert [(r.number, r.targets) for r in listed] == [(number, (publish.ALL,))]
    assert audit_rows(clinic, "publish-target") == [
        ("Ana", f"revision {number}", {"targets": [publish.ALL]})
    ]
    with clinic.connect() as conn, pytest.raises(admin.OfficeError, match="no revision 9"):
        publish.retarget(conn, 9, ["Lobby"], by="Ana")
    upstairs.store.close()


def test_the_front_desks_login_may_publish_but_not_rewrite_what_was_published(
    clinic: Clinic, content_copy: Path
) -> None:
    """The grants of ``<db>_office`` are enough to publish from the office app, and no
    more: a revision, its key and the kiosks' reports cannot be changed from there."""
    clinic.add_staff("Ana", PIN)
    with psycopg.connect(front_desk(clinic), autocommit=True) as desk:
        signed = admin.sign_in(desk, "Ana", PIN)
        key = admin.publishing_key(desk, signed.opener)
        payload = publish.prepare(content_copy, None)
        number = publish.publish(desk, payload, key, by=signed.name, targets=["Lobby"])
        publish.retarget(desk, number, [publish.ALL], by=signed.name)
        assert [(r.number, r.targets) for r in publish.revisions(desk)] == [
            (number, (publish.ALL,))
        ]
        for statement in (
            "UPDATE revisions SET note = 'changed'",
            "UPDATE revisions SET payload = payload || 'x'::bytea",
            "DELETE FROM revisions",
            "UPDATE publish_key SET public_key = public_key",
            "DELETE FROM publish_key",
            "INSERT INTO kiosk_revisions (kiosk, revision, state) SELECT role, 1, 'applied'"
            " FROM kiosks",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                desk.execute(statement.encode())
        assert audit.verify(desk).intact


def test_the_front_desks_login_cannot_write_revisions_but_through_the_audited_functions(
    clinic: Clinic, content_copy: Path
) -> None:
    """Found in review: the office role could INSERT a revision numbered 2147483647
    (no number after it: publishing stopped for good) and re-address a revision with
    no audit entry. Now it writes neither table; the functions take the next number
    only, a payload with the SHA-256 given, and only after their audit entry."""
    clinic.add_staff("Ana", PIN)
    number = publish_by_recovery(clinic, content_copy, ["Lobby"])
    with psycopg.connect(front_desk(clinic), autocommit=True) as desk:
        junk = (2147483647, "0" * 64, b"x", bytes(64), "", "Ana")
        for statement, params in (
            (
                "INSERT INTO revisions (number, sha256, payload, signature, note, published_by)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                junk,
            ),
            ("DELETE FROM revision_targets", ()),
            (
                "INSERT INTO revision_targets (revision, target, targeted_by)"
                " VALUES (%s, '*', 'Ana')",
                (number,),
            ),
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                desk.execute(statement.encode(), params)
        payload = b"not a revision"
        digest = sha256_of(payload)
        cases = (
            (2147483647, digest, "not the next number"),  # the number after the last only
            (number + 1, "0" * 64, "does not have the SHA-256"),
            (number + 1, digest, "audited first"),  # no audit entry for it
        )
        for wanted, sha, why in cases:
            with pytest.raises(psycopg.errors.CheckViolation, match=why):
                desk.execute(
                    "SELECT office_publish(%s, %s, %s, %s, '', 'Ana', %s)",
                    (wanted, sha, payload, bytes(64), ["*"]),
                )
        with pytest.raises(psycopg.errors.CheckViolation, match="audited first"):
            desk.execute("SELECT office_retarget(%s, %s, 'Ana')", (number, ["*"]))
        assert [(r.number, r.targets) for r in publish.revisions(desk)] == [(number, ("Lobby",))]
    # Even the database's owner cannot store one larger than kiosks take.
    with clinic.connect() as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO revisions (number, sha256, payload, signature, published_by)"
            " VALUES (%s, %s, %s, %s, 'owner')",
            (number + 1, "0" * 64, bytes(MAX_PAYLOAD_BYTES + 1), bytes(64)),
        )
    # Publishing goes on after all of that: the next number is the next.
    assert publish_by_recovery(clinic, content_copy, ["Lobby"]) == number + 1


def test_the_functions_take_only_an_audit_entry_of_their_own_transaction_that_says_what_is_done(
    clinic: Clinic, content_copy: Path
) -> None:
    """Found in review: the functions checked only the newest audit entry's action and
    subject. The last re-addressing's entry, still the newest, let a front desk's
    login re-address the revision again with no entry; an entry saying Lobby let it
    send the revision to all; an entry committed before let a revision be stored
    apart from it. Each is refused now, and nothing changes."""
    clinic.add_staff("Ana", PIN)
    number = publish_by_recovery(clinic, content_copy, ["Lobby"])
    with clinic.connect() as conn:
        publish.retarget(conn, number, ["Lobby", "Upstairs"], by="Ana")
    with psycopg.connect(front_desk(clinic), autocommit=True) as desk:
        entries = audit.verify(desk).entries
        # No entry of its own: the last one (Lobby and Upstairs) does not say "all",
        # and even saying that, it was written, and taken, before.
        with pytest.raises(psycopg.errors.CheckViolation, match="does not say what is stored"):
            desk.execute("SELECT office_retarget(%s, %s, 'Ana')", (number, ["*"]))
        with pytest.raises(psycopg.errors.CheckViolation, match="in the same transaction"):
            desk.execute("SELECT office_retarget(%s, %s, 'Ana')", (number, ["Upstairs", "Lobby"]))
        with (
            pytest.raises(psycopg.errors.CheckViolation, match="does not say what is stored"),
            desk.transaction(),
        ):
            audit.append(
                desk, "Ana", "publish-target", f"revision {number}", {"targets": ["Lobby"]}
            )
            desk.execute("SELECT office_retarget(%s, %s, 'Ana')", (number, ["*"]))
        with (
            pytest.raises(psycopg.errors.CheckViolation, match="does not say what is stored"),
            desk.transaction(),
        ):
            audit.append(desk, "Ana", "publish-target", f"revision {number}", {"targets": ["*"]})
            desk.execute("SELECT office_retarget(%s, %s, 'Bob')", (number, ["*"]))
        payload = b"not a revision"
        digest = sha256_of(payload)
        detail = {"sha256": digest, "bytes": len(payload), "targets": ["*"], "note": ""}
        audit.append(desk, "Ana", "publish", f"revision {number + 1}", detail)  # committed alone
        with pytest.raises(psycopg.errors.CheckViolation, match="in the same transaction"):
            desk.execute(
                "SELECT office_publish(%s, %s, %s, %s, '', 'Ana', %s)",
                (number + 1, digest, payload, bytes(64), ["*"]),
            )
        with (
            pytest.raises(psycopg.errors.CheckViolation, match="does not say what is stored"),
            desk.transaction(),
        ):
            audit.append(desk, "Ana", "publish", f"revision {number + 1}", detail)
            desk.execute(
                "SELECT office_publish(%s, %s, %s, %s, 'a note', 'Ana', %s)",
                (number + 1, digest, payload, bytes(64), ["*"]),
            )
        assert audit.verify(desk).entries == entries + 1  # the one committed alone
        assert [(r.number, r.targets) for r in publish.revisions(desk)] == [
            (number, ("Lobby", "Upstairs"))
        ]
        # Done as the office does, in one transaction with its own entry: taken.
        with desk.transaction():
            audit.append(desk, "Ana", "publish-target", f"revision {number}", {"targets": ["*"]})
            desk.execute("SELECT office_retarget(%s, %s, 'Ana')", (number, ["*", "*"]))
        assert [(r.number, r.targets) for r in publish.revisions(desk)] == [(number, ("*",))]


def test_a_kiosk_cannot_report_on_a_revision_that_does_not_exist(
    clinic: Clinic, tablet: Tablet, content_copy: Path
) -> None:
    """Found in review: ``kiosk_report_revision`` took any number. A number with no
    revision is refused by name (no_data_found), and nothing is recorded."""
    clinic.add_staff("Ana", PIN)
    number = publish_by_recovery(clinic, content_copy, [publish.ALL])
    for wanted in (number + 1, 2147483647, 0, -1):
        with pytest.raises(psycopg.errors.NoDataFound, match=f"there is no revision {wanted}"):
            report(tablet, wanted, "applied")
    report(tablet, number, "applied")
    with clinic.connect() as conn:
        assert [(k.revision, k.state) for k in publish.kiosk_revisions(conn)] == [
            (number, "applied")
        ]


# -- the commands -------------------------------------------------------------------------


def test_publish_refuses_broken_content_with_its_lines_and_stores_nothing(
    clinic: Clinic,
    content_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clinic.add_staff("Ana", PIN)
    break_a_page(content_copy)
    bad_config = tmp_path / "kiosk.toml"
    bad_config.write_text('[idle]\nseconds = "soon"\n')
    status = kiosk(
        monkeypatch,
        clinic,
        "publish",
        str(content_copy),
        "--config",
        str(bad_config),
        "--all",
        stdin=f"Ana\n{PIN}\n",
    )
    err = capsys.readouterr().err
    assert status == ExitStatus.REFUSED
    assert f"{BROKEN_PAGE}:4: error:" in err and '"tile" must be' in err
    assert f"{bad_config}:2: [idle.seconds]" in err
    with clinic.connect() as conn:
        assert publish.revisions(conn) == []
    assert audit_rows(clinic, "sign-in") == []  # refused before anyone was asked for a PIN


def test_a_wrong_pin_cannot_publish_and_the_audit_names_the_publisher(
    clinic: Clinic,
    content_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clinic.add_staff("Ana", PIN)
    args = ("publish", str(content_copy), "--config", str(EXAMPLE_CONFIG), "--to", "Lobby")
    assert kiosk(monkeypatch, clinic, *args, "--note", "Spring", stdin="Ana\n999999\n") != 0
    assert "do not match" in capsys.readouterr().err
    with clinic.connect() as conn:
        assert publish.revisions(conn) == []
    assert audit_rows(clinic, "publish") == []
    with clinic.connect() as conn:  # the second's wait after a wrong PIN, over (test_signin)
        conn.execute("DELETE FROM office_signin")

    assert kiosk(monkeypatch, clinic, *args, "--note", "Spring", stdin=f"ana\n{PIN}\n") == 0
    assert "Published revision 1" in capsys.readouterr().out
    [(actor, subject, detail)] = audit_rows(clinic, "publish")
    assert (actor, subject, detail["targets"], detail["note"]) == (
        "Ana",
        "revision 1",
        ["Lobby"],
        "Spring",
    )
    with clinic.connect() as conn:
        [info] = publish.revisions(conn)
    assert (info.published_by, info.note, info.targets) == ("Ana", "Spring", ("Lobby",))
    assert detail["sha256"] == info.sha256


def test_groups_the_key_command_and_the_list(
    clinic: Clinic,
    content_copy: Path,
    data_tmpdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A server initialised before publishing: no key until publish-key makes one.
    with clinic.connect() as conn:
        conn.execute("DELETE FROM publish_key")
    # Each of these opens the clinic key (no staff yet: the recovery code).
    code = f"{clinic.recovery_code}\n"
    assert kiosk(monkeypatch, clinic, "enrol-kiosk", "Lobby", "--group", "Lobby", stdin=code) == 0
    out = capsys.readouterr().out
    token = next(line for line in out.splitlines() if line.startswith("KIOSK1."))
    assert admin.Token.decode(token).publish_key is None
    assert admin.Token.decode(token).clinic_key == clinic.opener().public_key
    assert kiosk(monkeypatch, clinic, "publish-key") != 0  # no code typed: nothing made
    with clinic.connect() as conn:
        assert admin.publish_public_key(conn) is None
    assert kiosk(monkeypatch, clinic, "publish-key", stdin=code) == 0
    assert "enrol them again" in capsys.readouterr().out
    assert kiosk(monkeypatch, clinic, "publish-key", stdin=code) == 0
    assert "it is kept" in capsys.readouterr().out
    assert kiosk(monkeypatch, clinic, "enrol-kiosk", "Upstairs", stdin=code) == 0
    token = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("K"))
    with clinic.connect() as conn:
        assert admin.Token.decode(token).publish_key == admin.publish_public_key(conn)
    assert kiosk(monkeypatch, clinic, "group", "Upstairs", "Back office") == 0
    assert kiosk(monkeypatch, clinic, "group", "Nowhere", "Lobby") != 0
    assert kiosk(monkeypatch, clinic, "group", "Upstairs", "*") != 0
    with clinic.connect() as conn:
        groups = dict(conn.execute("SELECT name, group_name FROM kiosks").fetchall())
    assert groups == {"Lobby": "Lobby", "Upstairs": "Back office"}

    number = publish_by_recovery(clinic, content_copy, ["Lobby"], "Spring")
    assert (
        kiosk(
            monkeypatch,
            clinic,
            "publish",
            "--revision",
            "1",
            "--all",
            stdin=f"{clinic.recovery_code}\n",
        )
        == 0
    )
    capsys.readouterr()
    assert kiosk(monkeypatch, clinic, "revisions") == 0
    out = capsys.readouterr().out
    assert f"Revision {number}: Spring (recovery-code, " in out and "to all kiosks" in out
    assert "Lobby: no revision reported yet" in out


# -- the office app's Revisions view --------------------------------------------------------


def _item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def _window(clinic: Clinic, qtbot: QtBot, settings: QSettings) -> OfficeWindow:
    window = OfficeWindow(clinic.admin_url, listen=False, settings=settings)
    qtbot.addWidget(window)
    window.show()
    sign_in(qtbot, window)
    window.views.buttons["revisions"].click()
    return window


def _publish_in_app(qtbot: QtBot, page: RevisionsPage, pin: str) -> None:
    page.open_form.click()
    page.form.pin.setText(pin)
    with qtbot.waitSignal(page.form.publish.clicked):
        page.form.publish.click()
    qtbot.waitUntil(lambda: page.form.publish.isEnabled(), timeout=20_000)


def test_the_office_view_shows_a_kiosk_rolled_back_in_red_with_its_reason(
    clinic: Clinic, tablet: Tablet, content_copy: Path, qtbot: QtBot, settings: QSettings
) -> None:
    clinic.add_staff("Ana", PIN)
    with clinic.connect() as conn:
        admin.set_group(conn, "Lobby", "Lobby")
    first = publish_by_recovery(clinic, content_copy, [publish.ALL], "Spring")
    second = publish_by_recovery(clinic, content_copy, ["Lobby"], "Aftercare")
    report(tablet, first, "applied")
    report(tablet, second, "rolled_back", "page 03 failed to render")
    window = _window(clinic, qtbot, settings)
    page = window.revisions
    assert window.stack.currentWidget() is page
    assert window.views.buttons["revisions"].accessibleName() == w.REVISIONS_VIEW
    table = page.revisions
    rows = [[_item(table, r, c).text() for c in range(table.columnCount())] for r in range(2)]
    assert [row[:3] for row in rows] == [
        ["2", "Aftercare", "recovery-code"],
        ["1", "Spring", "recovery-code"],
    ]
    assert [row[4] for row in rows] == ["Lobby", "all kiosks"]
    runs = page.runs
    cells = [_item(runs, 0, c).text() for c in range(runs.columnCount())]
    assert cells[:5] == ["Lobby", "Lobby", "1", "2: Rolled back", "page 03 failed to render"]
    assert _item(runs, 0, 4).foreground().color() == QColor(FAILED_COLOUR)
    # Signing out leaves nothing of it on the page.
    window.sign_out()
    assert page.revisions.rowCount() == 0 and page.runs.rowCount() == 0


def test_publishing_from_the_app_checks_first_asks_the_pin_and_names_the_member(
    clinic: Clinic,
    tablet: Tablet,
    content_copy: Path,
    qtbot: QtBot,
    settings: QSettings,
) -> None:
    clinic.add_staff("Ana", PIN)
    with clinic.connect() as conn:
        admin.set_group(conn, "Lobby", "Lobby")
    window = _window(clinic, qtbot, settings)
    page = window.revisions
    form = page.form
    assert [form.target.itemText(i) for i in range(form.target.count())] == [
        w.EVERY_KIOSK,
        "Group Lobby",
    ]
    for control, label in ((form.folder, w.CONTENT_FOLDER), (form.pin, w.YOUR_PIN)):
        assert control.accessibleName() == label

    break_a_page(content_copy)
    form.folder.setText(str(content_copy))
    _publish_in_app(qtbot, page, PIN)
    assert form.message.text() == w.PUBLISH_REFUSED
    assert f"{BROKEN_PAGE}:4: error:" in form.problems.toPlainText()
    assert form.problems.isVisible() and form.pin.text() == ""

    (content_copy / BROKEN_PAGE).write_text(
        (content_copy / BROKEN_PAGE).read_text().replace("tile: sideways\n", "")
    )
    form.target.setCurrentIndex(form.target.findData("Lobby"))
    form.note.setText("Aftercare page")
    _publish_in_app(qtbot, page, "999999")
    assert "do not match" in form.message.text()
    with clinic.connect() as conn:
        assert publish.revisions(conn) == []
        conn.execute("DELETE FROM office_signin")  # the second's wait after it, over

    form.folder.setText(str(content_copy))
    with qtbot.waitSignal(page.published, timeout=20_000) as published:
        _publish_in_app(qtbot, page, PIN)
    assert published.args == [1]
    assert not form.isVisible() and page.outcome.text() == w.PUBLISHED.format(
        number=1, targets="Lobby"
    )
    assert page.revisions.rowCount() == 1 and _item(page.revisions, 0, 2).text() == "Ana"
    [(actor, subject, detail)] = audit_rows(clinic, "publish")
    assert (actor, subject, detail["note"], detail["targets"]) == (
        "Ana",
        "revision 1",
        "Aftercare page",
        ["Lobby"],
    )
    got = next_revision(tablet, 0)
    assert got is not None and tablet.link.publish_key is not None
    assert verify(got, tablet.link.publish_key)


def _send_in_app(qtbot: QtBot, page: RevisionsPage, pin: str) -> None:
    page.sending.pin.setText(pin)
    page.sending.send.click()
    qtbot.waitUntil(lambda: page.sending.send.isEnabled(), timeout=20_000)


def test_a_revision_is_sent_to_all_from_the_app_with_the_pin_again_and_audited(
    clinic: Clinic,
    tablet: Tablet,
    content_copy: Path,
    tmp_path: Path,
    qtbot: QtBot,
    settings: QSettings,
) -> None:
    upstairs = enrolled_tablet(clinic, tmp_path / "upstairs", "Upstairs")  # in no group
    clinic.add_staff("Ana", PIN)
    with clinic.connect() as conn:
        admin.set_group(conn, "Lobby", "Lobby")
    number = publish_by_recovery(clinic, content_copy, ["Lobby"], "Aftercare")
    lobby_got = next_revision(tablet, 0)
    assert next_revision(upstairs, 0) is None
    window = _window(clinic, qtbot, settings)
    page = window.revisions
    for control, label in ((page.send_all, w.SEND_TO_ALL), (page.send_group, w.SEND_TO_GROUP)):
        assert control.accessibleName() == label
        assert not control.isEnabled()  # no revision chosen yet
    page.revisions.selectRow(0)
    assert page.chosen() == number and page.send_all.isEnabled()
    page.refresh()  # read again every half minute: still chosen
    assert page.chosen() == number

    page.send_group.click()
    form = page.sending
    assert form.isVisible() and form.group.isVisible()
    assert form.heading.text() == w.SEND_HEADING_GROUP.format(number=number)
    assert [form.group.itemText(i) for i in range(form.group.count())] == ["Group Lobby"]
    for field, label in ((form.group, w.SEND_GROUP), (form.pin, w.YOUR_PIN)):
        assert field.accessibleName() == label
    form.cancel.click()
    assert not form.isVisible()

    page.send_all.click()
    assert form.isVisible() and not form.group.isVisible()
    assert form.heading.text() == w.SEND_HEADING_ALL.format(number=number)
    form.send.click()  # no PIN: nothing asked of the server
    assert form.message.text() == w.NEED_PIN
    _send_in_app(qtbot, page, "999999")
    assert "do not match" in form.message.text() and form.pin.text() == ""
    assert next_revision(upstairs, 0) is None and audit_rows(clinic, "publish-target") == []
    with clinic.connect() as conn:
        conn.execute("DELETE FROM office_signin")  # the wait after a wrong PIN, over

    _send_in_app(qtbot, page, PIN)
    assert not form.isVisible()
    assert page.outcome.text() == w.SENT.format(number=number, targets="all kiosks")
    assert _item(page.revisions, 0, 4).text() == "all kiosks"
    assert audit_rows(clinic, "publish-target") == [
        ("Ana", f"revision {number}", {"targets": [publish.ALL]})
    ]
    # The same revision, bytes and signature, now reaching the kiosk in no group.
    everyone_got = next_revision(upstairs, 0)
    assert everyone_got == lobby_got and everyone_got is not None
    assert upstairs.link.publish_key is not None
    assert verify(everyone_got, upstairs.link.publish_key)
    window.sign_out()
    assert not page.send_all.isEnabled() and not form.isVisible()
    upstairs.store.close()
