"""A signed-in member's session: the clinic key unwrapped in memory, the rows read a
page at a time and opened one by one as they are shown (no Qt here).

Nothing decrypted is written anywhere: the opener and the opened fields live
in this process only, and signing out drops them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from kiosk.enquiries import labels
from kiosk.enquiries.keys import KeysError, Opener
from kiosk.enquiries.store import StoreError, open_personal
from kiosk.office import admin, inbox
from kiosk.ui.office import words as w

PAGE_SIZE = 50
Conn = psycopg.Connection[Any]


class SignInError(Exception):
    """Signing in failed; ``str()`` is the sentence to show."""


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
        """The method and where: "Phone call: +18015550100"."""
        method = self.personal.get("method", "")
        where = self.personal.get("email" if method == "email" else "phone", "")
        where = where or self.personal.get("phone", "") or self.personal.get("email", "")
        return f"{labels.method(method)}: {where}" if method else where

    @property
    def status(self) -> str:
        return w.STATUS_WORDS.get(self.enquiry.status, self.enquiry.status)


@dataclass(frozen=True)
class Session:
    conn: Conn
    actor: str
    opener: Opener

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

    def mark(self, row: Row, status: str) -> inbox.StatusChange:
        """Set the status, expecting the one shown (audited by ``inbox.set_status``)."""
        return inbox.set_status(
            self.conn, row.enquiry.id, status, actor=self.actor, expected=row.enquiry.status
        )

    def reread(self, enquiry_id: int) -> Row | None:
        found = inbox.page(self.conn, before_id=enquiry_id + 1, limit=1)
        return self.open(found[0]) if found and found[0].id == enquiry_id else None


def sign_in(conn: Conn, name: str, pin: str) -> Session:
    """The member's slot unwrapped with their PIN; ``SignInError`` says what was wrong."""
    name = name.strip()
    if not name or not pin:
        raise SignInError(w.NEED_BOTH)
    try:
        opener = admin.opener_by_pin(conn, name, pin)
    except admin.OfficeError as exc:
        raise SignInError(str(exc)) from None
    return Session(conn, name, opener)
