"""A signed-in member's session: the clinic key unwrapped in memory, the rows read a
page at a time and opened one by one as they are shown (no Qt here).

Nothing decrypted is written anywhere: the opener and the opened fields live
in this process only, and signing out (or the idle lock) drops them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg

from kiosk.enquiries import labels
from kiosk.enquiries.form import phone_for_display
from kiosk.enquiries.keys import KeysError, Opener
from kiosk.enquiries.store import StoreError, open_personal
from kiosk.office import admin, inbox
from kiosk.staff.accounts import (
    MAX_FAILURES,
    WRONG_PIN,
    Locked,
    StaffError,
    TooSoon,
    WrongPin,
)
from kiosk.ui.office import words as w
from kiosk.ui.office.trouble import said

PAGE_SIZE = 50
Conn = psycopg.Connection[Any]
log = logging.getLogger("kiosk.ui.office")


class SignInError(Exception):
    """Signing in failed: ``reason`` is the sentence to show, ``wait_seconds`` how long
    the sign-in button waits (0: none), counted down in words by the page."""

    def __init__(self, reason: str, wait_seconds: float = 0.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class Row:
    """One enquiry as the inbox shows it: the stored row and its opened fields."""

    enquiry: inbox.OfficeEnquiry
    personal: dict[str, str]  # empty when the row does not open

    @property
    def name(self) -> str:
        return self.personal.get("name", w.CANNOT_OPEN)

    @property
    def contact(self) -> str:
        """The method and where: "Phone call: +1 801-555-0100" (the office has no
        clinic region: the international form, not the stored "+18015550100")."""
        method = self.personal.get("method", "")
        phone = self.personal.get("phone", "")
        phone = phone_for_display(phone, "") if phone else ""
        where = self.personal.get("email", "") if method == "email" else phone
        where = where or phone or self.personal.get("email", "")
        return f"{labels.method(method)}: {where}" if method else where

    @property
    def status(self) -> str:
        return w.STATUS_WORDS.get(self.enquiry.status, self.enquiry.status)


@dataclass(frozen=True)
class Session:
    conn: Conn
    actor: str
    opener: Opener
    #: The kiosks' signatures verified this session (the Kiosks view's receipts): a
    #: refresh verifies only new rows; signing out drops it with the session.
    verified: inbox.VerifiedCache = field(default_factory=inbox.VerifiedCache, compare=False)

    def page(
        self,
        before_id: int | None = None,
        filters: inbox.Filters = inbox.NO_FILTERS,
        limit: int = PAGE_SIZE,
    ) -> list[inbox.OfficeEnquiry]:
        """One page newest first, still sealed: the inbox opens the rows it shows."""
        return inbox.page(self.conn, before_id=before_id, limit=limit, filters=filters)

    def open(self, enquiry: inbox.OfficeEnquiry) -> Row:
        try:
            return Row(enquiry, open_personal(self.opener, enquiry))
        except (KeysError, StoreError):
            return Row(enquiry, {})

    def new_count(self) -> int:
        return inbox.counts(self.conn)["new"]

    def newest_id(self) -> int:
        """The newest enquiry's id (0 with none): a higher one next time is new."""
        return inbox.newest_id(self.conn)

    def mark(self, row: Row, status: str, note: str = "") -> inbox.StatusChange:
        """Set the status, expecting the one shown (audited by ``inbox.set_status``), with
        ``note`` sealed to the clinic key here: the server never holds it readable, and
        the audit log says only that there was one. No note keeps the last one."""
        text = note.strip()
        sealed = self.opener.sealer().seal(text.encode()) if text else None
        return inbox.set_status(
            self.conn,
            row.enquiry.id,
            status,
            actor=self.actor,
            expected=row.enquiry.status,
            note_sealed=sealed,
        )

    def note(self, enquiry: inbox.OfficeEnquiry) -> str:
        """The enquiry's latest note, opened here ("" with none)."""
        if enquiry.note_sealed is None:
            return ""
        try:
            return self.opener.open(enquiry.note_sealed).decode()
        except (KeysError, UnicodeDecodeError):
            return w.CANNOT_OPEN

    def reread(self, enquiry_id: int) -> Row | None:
        found = inbox.page(self.conn, before_id=enquiry_id + 1, limit=1)
        return self.open(found[0]) if found and found[0].id == enquiry_id else None

    def close(self, why: str) -> None:
        """Audit the sign-out (``why``: "signed out", "idle", "closed") and close the
        connection. The caller drops the session, and with it the clinic key."""
        try:
            admin.sign_out(self.conn, self.actor, why)
        except psycopg.Error as exc:
            # Signing out goes on: the key leaves memory even when the log is away.
            log.warning("The sign-out could not be audited: %s", type(exc).__name__)
        finally:
            self.conn.close()


def refusal(exc: StaffError) -> SignInError:
    """The tablet's refusal as the page shows it: the sentence, and the wait."""
    if isinstance(exc, WrongPin):
        locked = exc.failures >= MAX_FAILURES
        return SignInError(f"{WRONG_PIN} {w.TOO_MANY}" if locked else WRONG_PIN, exc.wait_seconds)
    if isinstance(exc, Locked):
        return SignInError(w.TOO_MANY, exc.seconds_left)
    if isinstance(exc, TooSoon):
        return SignInError(w.TOO_SOON, exc.seconds_left)
    return SignInError(exc.message)


def sign_in(url: str, name: str, pin: str, *, clock: Callable[[], float] | None = None) -> Session:
    """Connect and check the PIN under the office's lock (``admin.sign_in``: counted,
    audited); ``SignInError`` says what was wrong. Slow (argon2id): run it off the
    GUI thread. ``clock`` for tests; by default the database's."""
    if not name.strip() or not pin:
        raise SignInError(w.NEED_BOTH)
    try:
        conn = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        raise SignInError(w.DB_UNREACHABLE.format(error=said(exc))) from None
    try:
        signed = admin.sign_in(conn, name, pin, clock=clock)
    except StaffError as exc:
        conn.close()
        raise refusal(exc) from None
    except admin.OfficeError as exc:  # no clinic key: the database was never set up
        conn.close()
        raise SignInError(str(exc)) from None
    except psycopg.Error as exc:
        conn.close()
        raise SignInError(w.DB_UNREACHABLE.format(error=said(exc))) from None
    return Session(conn, signed.name, signed.opener)
