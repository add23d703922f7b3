"""The tablet's side of enrolment: ``kiosk enrol --server URL --token T``.

The token (``kiosk.office.admin.Token``) brings the kiosk's login with a
one-time password, the clinic's CA certificate and the publishing key's public
half (kept in the link: revisions are verified with it). Enrolling connects with
them (TLS, verified against that CA), makes the kiosk's Ed25519 signing key,
hands its verify key to the office (once: ``kiosk_enrol`` refuses a second
time) and learns the clinic's public key, refused unless it is the one the
token vouches for (a database owner who put their own key there would be sent
every enquiry it could read); in the same transaction it replaces
the one-time password with one only this tablet knows (sent as a SCRAM
verifier, never in the clear), so the token opens nothing afterwards.

The enrolment file is written *before* that commit, with the new password: a
crash in between leaves a file that will not log in (removed on the failure
path), never a password changed with no copy of it.
"""

from __future__ import annotations

import base64
import secrets
import sqlite3
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

import nacl.signing
import psycopg

from kiosk.enquiries.database import StoreError
from kiosk.office.admin import OfficeError, Token
from kiosk.office.link import Link, ca_file, forget_last_seq, link_file, save
from kiosk.office.outbox import LocalOutbox
from kiosk.paths import STORE_FILE_NAME


def enrol(data_dir: Path, server: str, token_text: str) -> Link:
    """Enrol this kiosk; returns its link (saved in ``data_dir``). ``OfficeError`` says why not."""
    token = Token.decode(token_text)
    if link_file(data_dir).exists():
        raise OfficeError(
            f"This kiosk is enrolled already ({link_file(data_dir)}); remove that file first "
            f"to enrol it again under a new name."
        )
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _number_afresh(data_dir)
    signing = nacl.signing.SigningKey.generate()
    link = Link(
        server=server,
        role=token.role,
        password=token.password,
        kiosk_name="",
        key_id="",
        public_key=b"",
        signing_seed=bytes(signing),
        ca_file=ca_file(data_dir),
        publish_key=token.publish_key,
    )
    # The CA first: the connection needs it as a file.
    save(data_dir, link, token.ca_pem)
    link_file(data_dir).unlink()
    try:
        conn = psycopg.connect(**link.connect_args(timeout=10))
    except psycopg.OperationalError as exc:
        with suppress(OSError):
            ca_file(data_dir).unlink()
        raise OfficeError(f"The office server could not be reached or trusted: {exc}") from None
    new_password = secrets.token_urlsafe(32)
    try:
        with conn:
            verifier = conn.pgconn.encrypt_password(
                new_password.encode(), token.role.encode(), b"scram-sha-256"
            )
            row = conn.execute(
                "SELECT kiosk_name, key_id, public_key FROM kiosk_enrol(%s)",
                (bytes(signing.verify_key),),
            ).fetchone()
            if row is None:
                raise OfficeError("The office did not answer the enrolment.")
            clinic_key = base64.b64decode(str(row[2]))
            if token.clinic_key is not None and clinic_key != token.clinic_key:
                raise OfficeError(
                    "The office server's clinic key is not the one the token vouches for: "
                    "enquiries sealed to it could be read by whoever put it there. Nothing "
                    "was enrolled; tell the clinic's administrator."
                )
            link = replace(
                link,
                password=new_password,
                kiosk_name=str(row[0]),
                key_id=str(row[1]),
                public_key=clinic_key,
            )
            save(data_dir, link, token.ca_pem)
            conn.execute(
                psycopg.sql.SQL("ALTER ROLE CURRENT_USER PASSWORD {}").format(
                    psycopg.sql.Literal(verifier.decode())
                )
            )
    except (psycopg.Error, OfficeError) as exc:
        for path in (link_file(data_dir), ca_file(data_dir)):
            with suppress(OSError):
                path.unlink()
        if isinstance(exc, OfficeError):
            raise
        raise OfficeError(f"The office refused the enrolment: {exc}") from None
    finally:
        conn.close()
    return link


def _number_afresh(data_dir: Path) -> None:
    """A new kiosk numbers its enquiries from 1: the numbers of an earlier
    enrolment of this tablet (a kiosk revoked, linked again under a new name) are
    taken off its rows, and what it kept unsent is numbered again when it is sent.
    Left on, the new kiosk would go on from the old one's last number, and the
    office would count every number before it as missing."""
    store_file = data_dir / STORE_FILE_NAME
    if store_file.exists():
        outbox = LocalOutbox(store_file, key_id="")
        try:
            outbox.forget_numbers()
        except (StoreError, sqlite3.Error) as exc:
            raise OfficeError(
                f"The tablet's enquiries could not be made ready for the new link ({exc}). "
                f"Nothing was enrolled: try again in a moment."
            ) from None
        finally:
            outbox.close()
    forget_last_seq(data_dir)
