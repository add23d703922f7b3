"""Init, enrolment, roles and the sender, against a real PostgreSQL over TLS."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import nacl.public
import nacl.signing
import psycopg
import psycopg.errors
import pytest

from kiosk.enquiries.store import open_personal
from kiosk.office import admin
from kiosk.office.enrol import enrol
from kiosk.office.link import link_file, load
from kiosk.office.outbox import signed_message
from tests.office.conftest import Clinic, Tablet, enrolled_tablet


def test_init_makes_schema_key_and_roles_and_is_safe_to_run_again(clinic: Clinic) -> None:
    with clinic.connect() as conn:
        again = admin.init(conn)
        assert again.recovery_code is None and again.applied == []
        assert again.key_id == clinic.key_id
        roles = admin.roles_of(conn)
        names = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles").fetchall()}
        document = conn.execute("SELECT document FROM clinic_keys").fetchone()
    assert {roles.kiosks, roles.office} <= names
    assert document is not None
    # Only wrapped: the document has the public key and a recovery slot, no private key.
    text = json.dumps(document[0])
    assert [s["label"] for s in document[0]["slots"]] == ["recovery"]
    assert "private" not in text


def test_enrolment_stores_a_private_link_and_the_token_works_once(
    clinic: Clinic, data_tmpdir: Path, tmp_path: Path
) -> None:
    token = clinic.token("Lobby")
    link = enrol(data_tmpdir, clinic.pg.server_url(clinic.db), token)
    assert link.kiosk_name == "Lobby" and link.key_id == clinic.key_id
    assert load(data_tmpdir) == link
    for name in ("office-link.json", "office-ca.pem"):
        assert stat.S_IMODE((data_tmpdir / name).stat().st_mode) == 0o600
    assert token.split(".", 1)[1][:20] not in link_file(data_tmpdir).read_text()
    with clinic.connect() as conn:
        row = conn.execute("SELECT verify_key FROM kiosks WHERE name = 'Lobby'").fetchone()
    assert row is not None
    assert bytes(row[0]) == bytes(nacl.signing.SigningKey(link.signing_seed).verify_key)
    # The same token again (another tablet, or a copy): its password was replaced.
    with pytest.raises(admin.OfficeError, match="password authentication failed"):
        enrol(tmp_path / "other", clinic.pg.server_url(clinic.db), token)


def test_enrolment_refuses_a_clinic_key_the_token_does_not_vouch_for(
    clinic: Clinic, data_tmpdir: Path
) -> None:
    """A database owner who puts their own public key in clinic_keys would be
    sent every enquiry sealed to it: the kiosk compares it with the key the
    token carries (opened by a PIN when the token was made) and enrols nothing."""
    token = clinic.token("Lobby")
    theirs = nacl.public.PrivateKey.generate().public_key.encode()
    with clinic.connect() as conn:
        conn.execute(
            "UPDATE clinic_keys SET document = jsonb_set(document, '{public_key}', %s::jsonb)",
            (json.dumps(base64.b64encode(theirs).decode()),),
        )
    with pytest.raises(admin.OfficeError, match="not the one the token vouches for"):
        enrol(data_tmpdir, clinic.pg.server_url(clinic.db), token)
    assert load(data_tmpdir) is None
    assert not (data_tmpdir / "office-ca.pem").exists()
    with clinic.connect() as conn:  # the kiosk's enrolment rolled back with it
        assert conn.execute("SELECT enrolled_at FROM kiosks").fetchone() == (None,)


def test_the_kiosk_role_can_insert_for_itself_only_and_read_nothing(
    clinic: Clinic, tablet: Tablet, tmp_path: Path
) -> None:
    with psycopg.connect(**tablet.link.connect_args()) as conn:
        for table in ("enquiries", "kiosks", "clinic_keys", "heartbeats", "audit", "alerts"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT * FROM {table}".encode())
            conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO alerts (kiosk, alert_key) VALUES ('someone_else', 'x')")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE enquiries SET status = 'contacted'")
        conn.rollback()
        # The one column the conflict clause needs: its own rows' random keys only.
        (key,) = tablet.save(1)
        assert tablet.send() == 1
        assert conn.execute("SELECT form_key FROM enquiries").fetchall() == [(key,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT sealed FROM enquiries")
        conn.rollback()
        other = enrolled_tablet(clinic, tmp_path / "other", "Upstairs")
        other.save(1, "upstairs")
        assert other.send() == 1
        other.store.close()
        assert conn.execute("SELECT form_key FROM enquiries").fetchall() == [(key,)]
        conn.execute("INSERT INTO alerts (alert_key) VALUES ('a1')")
        conn.commit()
        row = conn.execute("SELECT kiosk_alert_acknowledged('a1')").fetchone()
        assert row == (None,)


def test_an_enquiry_arrives_once_sealed_signed_and_numbered(clinic: Clinic, tablet: Tablet) -> None:
    keys = tablet.save(3)
    sender = tablet.sender()
    assert sender.send_once() == 3
    assert sender.send_once() == 0
    # Sent again as after a crash before marking sent: nothing doubles.
    with sqlite_conn(tablet) as db:
        db.execute("UPDATE enquiries SET sent_at = NULL")
    assert sender.send_once() == 3
    sender.stop()
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT kiosk, seq, form_key, topic, key_id, sealed, signature FROM enquiries"
            " ORDER BY seq"
        ).fetchall()
    assert [(r[1], r[2]) for r in rows] == [(1, keys[0]), (2, keys[1]), (3, keys[2])]
    verify = nacl.signing.SigningKey(tablet.link.signing_seed).verify_key
    for kiosk, seq, form_key, topic, key_id, sealed, signature in rows:
        assert kiosk == tablet.link.role
        assert b"Patient" not in bytes(sealed)
        verify.verify(signed_message(kiosk, seq, form_key, topic, key_id, bytes(sealed)), signature)
    # It opens with the recovery code (or a staff PIN), and with nothing else here.
    stored = tablet.store.enquiries()[-1]
    opened = open_personal(clinic.opener(), replace_sealed(stored, bytes(rows[0][5])))
    assert opened["name"] == f"Patient {keys[0]}"


def sqlite_conn(tablet: Tablet):  # type: ignore[no-untyped-def]
    import sqlite3
    from contextlib import closing

    return closing(sqlite3.connect(tablet.data_dir / "enquiries.sqlite3", isolation_level=None))


def replace_sealed(stored, sealed: bytes):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    return replace(stored, sealed=sealed)


def test_a_heartbeat_makes_the_kiosk_green_and_an_acknowledged_alert_is_seen(
    clinic: Clinic, tablet: Tablet
) -> None:
    from datetime import UTC, datetime

    from kiosk.office import inbox
    from kiosk.office.heartbeat import KioskFacts

    tablet.save(2)
    facts = KioskFacts(version="0.1.0", data_dir=tablet.data_dir, content_fingerprint=lambda: "c1")
    sender = tablet.sender(facts=facts)
    try:
        assert sender.beat_if_due() and not sender.beat_if_due()  # once a minute
    finally:
        sender.stop()
    with clinic.connect() as conn:
        (health,) = inbox.kiosk_health(conn)
        beat = conn.execute(
            "SELECT outbox_depth, content_fingerprint, last_error FROM heartbeats"
        ).fetchone()
        assert (health.name, health.health) == ("Lobby", "green")
        assert beat == (2, "c1", None)
        stale = inbox.kiosk_health(conn, now=datetime.now(UTC).replace(year=2099))
        assert stale[0].health == "red" and "No heartbeat for" in stale[0].reason
    with psycopg.connect(**tablet.link.connect_args()) as kiosk_conn:
        kiosk_conn.execute("INSERT INTO alerts (alert_key) VALUES ('help-1')")
        kiosk_conn.commit()
        with clinic.connect() as conn:
            (alert,) = inbox.open_alerts(conn)
            assert alert.kiosk == "Lobby"
            assert inbox.acknowledge(conn, alert.id, actor="Ana")
            assert not inbox.acknowledge(conn, alert.id, actor="Ben")
        answer = kiosk_conn.execute("SELECT kiosk_alert_acknowledged('help-1')").fetchone()
    assert answer is not None and answer[0] is not None
