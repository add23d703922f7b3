"""The clinic's side of the office link, for its administrator: ``kiosk office init``,
enrolling and revoking kiosks, the office's staff accounts.

Run with a PostgreSQL login that owns the database and may create roles (the
superuser on a small clinic's server). What ``init`` sets up:

- the schema (``kiosk.office.schema``);
- the clinic's key pair, whose private key exists only wrapped: by the
  recovery code (printed once) and later per staff member (``staff:NAME``),
  in ``clinic_keys`` (the server never holds a key that opens an enquiry);
- two group roles, named after the database (roles are per cluster, so two
  clinics' databases on one server keep apart): ``<db>_kiosks``, which may
  INSERT enquiries, alerts, heartbeats and page views for itself only and
  SELECT nothing, and ``<db>_office``, the office app's;
- one LOGIN role per kiosk, a member of ``<db>_kiosks``, made by
  ``enrol_kiosk``;
- the publishing key (Ed25519, issue 16), derived from the clinic's private
  key (``Opener.derive``): whoever can open the clinic key (a staff PIN, the
  recovery code) can sign a revision, and no one else. Its public half, and the
  clinic's public key, go to each kiosk in its enrolment token, vouched for by
  the PIN of whoever made the token: a database owner who replaces either in
  the database is found out at the next publish or enrolment.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import re
import secrets
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.signing
import psycopg
from psycopg import sql

from kiosk.enquiries.keys import RECOVERY_LABEL, KdfParams, KeyRing, KeysError, Opener
from kiosk.office import audit
from kiosk.office.revision import MAX_PAYLOAD_BYTES
from kiosk.office.schema import migrate
from kiosk.staff.accounts import (
    MAX_FAILURES,
    SLOT_PREFIX,
    UNKNOWN_NAME,
    Locked,
    StaffError,
    Tally,
    TooSoon,
    UnknownStaff,
    WrongPin,
    name_problem,
    pin_problem,
    same_name,
)

TOKEN_PREFIX = "KIOSK1."
KIOSK_NAME_MAX = 40
_SLUG = re.compile(r"[^a-z0-9]+")

#: Where messages say the clinic's ring lives (it is a row, not a file).
CLINIC_KEYS = Path("PostgreSQL table clinic_keys")

Conn = psycopg.Connection[Any]
log = logging.getLogger(__name__)


class OfficeError(Exception):
    """An office command cannot go on; ``str()`` is a sentence for people."""


@dataclass(frozen=True)
class Roles:
    """The group roles of one clinic database."""

    prefix: str

    @property
    def kiosks(self) -> str:
        return f"{self.prefix}_kiosks"

    @property
    def office(self) -> str:
        return f"{self.prefix}_office"

    def kiosk(self, name: str) -> str:
        slug = _SLUG.sub("_", name.lower()).strip("_")[:20] or "kiosk"
        return f"{self.prefix}_k_{slug}"


def roles_of(conn: Conn) -> Roles:
    row = conn.execute("SELECT current_database()").fetchone()
    assert row is not None
    prefix = _SLUG.sub("_", str(row[0]).lower()).strip("_")[:30] or "clinic"
    return Roles(prefix)


# -- the clinic's key ring -------------------------------------------------------------


class ClinicKeyRing(KeyRing):
    """The clinic's ring, kept in ``clinic_keys``: a slot change is an UPDATE on
    ``conn``, in the caller's transaction (so it commits with the staff row and the
    audit entry)."""

    conn: Conn | None = None

    def _store(self, document: dict[str, Any]) -> None:
        if self.conn is None:
            raise KeysError("The clinic's keys are not bound to a database connection.")
        self.conn.execute(
            "INSERT INTO clinic_keys (id, key_id, document) VALUES (1, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, updated_at = now()",
            (self.key_id, json.dumps(document)),
        )


def clinic_ring(conn: Conn, *, for_update: bool = False) -> ClinicKeyRing:
    """The clinic's ring as stored; ``for_update`` locks the row until the transaction ends."""
    lock = " FOR UPDATE" if for_update else ""
    row = conn.execute(f"SELECT document FROM clinic_keys WHERE id = 1{lock}".encode()).fetchone()
    if row is None:
        raise OfficeError("The office database has no clinic key: run 'kiosk office init'.")
    ring = ClinicKeyRing.from_document(CLINIC_KEYS, row[0])
    ring.conn = conn
    return ring


# -- init ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitResult:
    applied: list[int]
    key_id: str
    recovery_code: str | None  # only when the key pair was made now: shown once
    roles: Roles


def _role_exists(conn: Conn, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def _grants(roles: Roles) -> list[sql.SQL | sql.Composed]:
    kiosks, office = sql.Identifier(roles.kiosks), sql.Identifier(roles.office)
    kiosk_tables = ("enquiries", "alerts", "heartbeats", "page_views")
    statements: list[sql.SQL | sql.Composed] = [
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}").format(kiosks, office),
        # Kiosks: INSERT, and nothing else (no SELECT: a kiosk reads nothing back).
        sql.SQL("GRANT INSERT ON enquiries, alerts, heartbeats, page_views TO {}").format(kiosks),
        # ``ON CONFLICT (form_key)`` needs SELECT on the conflict column, and then
        # the new row must pass a SELECT policy: a kiosk can see the form keys
        # (random ids, nothing personal) of its own rows, no other column, no
        # other kiosk's row (the policy ``kiosk_own_key`` below).
        sql.SQL("GRANT SELECT (form_key) ON enquiries TO {}").format(kiosks),
        sql.SQL("DROP POLICY IF EXISTS kiosk_own_key ON enquiries"),
        sql.SQL(
            "CREATE POLICY kiosk_own_key ON enquiries FOR SELECT TO {} USING (kiosk = current_user)"
        ).format(kiosks),
        sql.SQL(
            "GRANT USAGE ON SEQUENCE enquiries_id_seq, alerts_id_seq, heartbeats_id_seq TO {}"
        ).format(kiosks),
        # The office app: reads everything, changes only what the front desk sets.
        sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(office),
        sql.SQL(
            "GRANT UPDATE (status, status_at, status_by, note_sealed), DELETE ON enquiries TO {}"
        ).format(office),
        sql.SQL("GRANT UPDATE (acknowledged_at, acknowledged_by) ON alerts TO {}").format(office),
        sql.SQL("GRANT INSERT ON audit TO {}").format(office),
        sql.SQL("GRANT USAGE ON SEQUENCE audit_id_seq TO {}").format(office),
        sql.SQL("GRANT INSERT, UPDATE, DELETE ON office_signin TO {}").format(office),
        sql.SQL("GRANT DELETE ON heartbeats TO {}").format(office),
        # "Show me this kiosk's screen" (kiosk.office.look): the office asks and may
        # cancel; kiosks only through kiosk_screen_request() and kiosk_screen_answer().
        sql.SQL(
            "GRANT INSERT (kiosk, asked_by), UPDATE (cancelled_at) ON screen_requests TO {}"
        ).format(office),
        sql.SQL("GRANT USAGE ON SEQUENCE screen_requests_id_seq TO {}").format(office),
        sql.SQL(
            "GRANT EXECUTE ON FUNCTION kiosk_screen_request(),"
            " kiosk_screen_answer(bigint, text, bytea) TO {}"
        ).format(kiosks),
        # Publishing from the office app: only through office_publish() and
        # office_retarget() (below), never by writing the tables (a server
        # initialised before had these grants: taken back).
        sql.SQL("REVOKE INSERT ON revisions FROM {}").format(office),
        sql.SQL("REVOKE INSERT, DELETE ON revision_targets FROM {}").format(office),
    ]
    for table in kiosk_tables:
        t = sql.Identifier(table)
        statements += [
            sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(t),
            sql.SQL("DROP POLICY IF EXISTS kiosk_own ON {}").format(t),
            # A kiosk inserts rows in its own name only: the column defaults to
            # current_user, and anything else is refused.
            sql.SQL(
                "CREATE POLICY kiosk_own ON {} FOR INSERT TO {} WITH CHECK (kiosk = current_user)"
            ).format(t, kiosks),
            sql.SQL("DROP POLICY IF EXISTS office_all ON {}").format(t),
            sql.SQL("CREATE POLICY office_all ON {} TO {} USING (true) WITH CHECK (true)").format(
                t, office
            ),
        ]
    # What a kiosk may learn, through functions that return only that. They run
    # as their owner, so ``session_user`` (the kiosk's login) is who asks.
    statements += [
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION kiosk_enrol(verify_key bytea)
            RETURNS TABLE (kiosk_name text, key_id text, public_key text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            BEGIN
                UPDATE kiosks SET verify_key = kiosk_enrol.verify_key, enrolled_at = now()
                    WHERE role = session_user AND kiosks.verify_key IS NULL
                    AND revoked_at IS NULL;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'this kiosk is enrolled already, or was revoked'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN QUERY SELECT k.name, c.key_id, c.document->>'public_key'
                    FROM kiosks k, clinic_keys c WHERE k.role = session_user;
            END
            $$
            """
        ),
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION kiosk_alert_acknowledged(alert_key text)
            RETURNS timestamptz
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
                SELECT acknowledged_at FROM alerts
                    WHERE alerts.alert_key = kiosk_alert_acknowledged.alert_key
                    AND kiosk = session_user
            $$
            """
        ),
        # A day's page-view counts, set for the asking kiosk only (an upsert of
        # its own would need it to read the table).
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION kiosk_page_views(days date[], pages text[], counts integer[])
            RETURNS void
            LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                INSERT INTO page_views (kiosk, day, page, views)
                    SELECT session_user, u.day, u.page, greatest(u.views, 0)
                    FROM unnest(days, pages, counts) AS u(day, page, views)
                    WHERE length(u.page) BETWEEN 1 AND 300
                ON CONFLICT (kiosk, day, page) DO UPDATE SET views = EXCLUDED.views
            $$
            """
        ),
        # The highest number that arrived from the asking kiosk, and nothing else:
        # a tablet whose store was set aside goes on numbering after it.
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION kiosk_last_seq() RETURNS bigint
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
                SELECT coalesce(max(seq), 0) FROM enquiries WHERE kiosk = session_user
            $$
            """
        ),
        # The newest revision addressed to the asking kiosk (its group's, or every
        # kiosk's) above the one it runs, unless it refused it or rolled it back
        # already: a revision that failed on a kiosk is not offered to it again.
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION kiosk_next_revision(current integer)
            RETURNS TABLE (number integer, sha256 text, note text, payload bytea,
                           signature bytea)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
                SELECT r.number, r.sha256, r.note, r.payload, r.signature
                FROM revisions r
                WHERE r.number > coalesce(kiosk_next_revision.current, 0)
                AND EXISTS (
                    SELECT 1 FROM revision_targets t, kiosks k
                    WHERE t.revision = r.number AND k.role = session_user
                    AND k.revoked_at IS NULL
                    AND (t.target = '*' OR t.target = k.group_name))
                AND NOT EXISTS (
                    SELECT 1 FROM kiosk_revisions s
                    WHERE s.kiosk = session_user AND s.revision = r.number
                    AND s.state <> 'applied')
                ORDER BY r.number DESC LIMIT 1
            $$
            """
        ),
        # What the asking kiosk did with a revision: its latest word per revision,
        # on a revision that exists only (no_data_found otherwise: the kiosk drops
        # that report, say for a revision the owner deleted since).
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION kiosk_report_revision(
                number integer, state text, reason text)
            RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM revisions r
                               WHERE r.number = kiosk_report_revision.number) THEN
                    RAISE EXCEPTION 'there is no revision %', kiosk_report_revision.number
                        USING ERRCODE = 'no_data_found';
                END IF;
                INSERT INTO kiosk_revisions (kiosk, revision, state, reason)
                    VALUES (session_user, kiosk_report_revision.number,
                            kiosk_report_revision.state,
                            left(coalesce(kiosk_report_revision.reason, ''), 500))
                ON CONFLICT (kiosk, revision) DO UPDATE
                    SET state = EXCLUDED.state, reason = EXCLUDED.reason, at = now();
            END
            $$
            """
        ),
        # The audit entry a publishing function stores after (its id): the newest
        # entry, for this action on this revision, by this member, to these
        # targets (at least one). Not granted to anyone: called by the two below.
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION office_audit_entry(
                action text, number integer, actor text, targets text[])
            RETURNS bigint
            LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
            DECLARE
                entry record;
            BEGIN
                IF coalesce(cardinality(office_audit_entry.targets), 0) = 0 THEN
                    RAISE EXCEPTION 'a revision goes to a group or to all'
                        USING ERRCODE = 'check_violation';
                END IF;
                SELECT a.id, a.actor, a.action, a.subject, a.detail INTO entry
                    FROM audit a ORDER BY a.id DESC LIMIT 1;
                IF entry IS NULL OR entry.action <> office_audit_entry.action
                        OR entry.subject <> 'revision ' || office_audit_entry.number THEN
                    RAISE EXCEPTION '% is audited first', office_audit_entry.action
                        USING ERRCODE = 'check_violation';
                END IF;
                IF entry.actor IS DISTINCT FROM office_audit_entry.actor
                        OR (SELECT array_agg(DISTINCT x ORDER BY x)
                            FROM jsonb_array_elements_text(
                                CASE jsonb_typeof(entry.detail->'targets')
                                WHEN 'array' THEN entry.detail->'targets'
                                ELSE '[]' END) AS x)
                           IS DISTINCT FROM (SELECT array_agg(DISTINCT t ORDER BY t)
                                             FROM unnest(office_audit_entry.targets) AS t) THEN
                    RAISE EXCEPTION 'the % audit entry does not say what is stored',
                        office_audit_entry.action USING ERRCODE = 'check_violation';
                END IF;
                RETURN entry.id;
            END
            $$
            """
        ),
        sql.SQL(
            "REVOKE ALL ON FUNCTION office_audit_entry(text, integer, text, text[]) FROM PUBLIC"
        ),
        # A new revision from the office: the next number only (a row numbered
        # 2147483647 would leave no number after it), its payload's SHA-256 as
        # stated and within the kiosk's limit, at least one target, and only
        # straight after its own entry in the audit log (publish.publish writes
        # it under the audit lock, so the newest entry is this transaction's).
        # The signature cannot be checked here (no Ed25519 in PostgreSQL): every
        # kiosk checks it, and refuses and reports a bad one.
        sql.SQL(
            f"""
            CREATE OR REPLACE FUNCTION office_publish(
                number integer, sha256 text, payload bytea, signature bytea, note text,
                published_by text, targets text[])
            RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                last_entry record;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('kiosk.office.revisions'));
                IF office_publish.number IS DISTINCT FROM
                        (SELECT coalesce(max(r.number), 0) + 1 FROM revisions r) THEN
                    RAISE EXCEPTION 'revision % is not the next number', office_publish.number
                        USING ERRCODE = 'check_violation';
                END IF;
                IF octet_length(office_publish.payload) > {MAX_PAYLOAD_BYTES} THEN
                    RAISE EXCEPTION 'the revision is larger than kiosks take'
                        USING ERRCODE = 'check_violation';
                END IF;
                IF encode(sha256(office_publish.payload), 'hex')
                        IS DISTINCT FROM office_publish.sha256 THEN
                    RAISE EXCEPTION 'the payload does not have the SHA-256 given'
                        USING ERRCODE = 'check_violation';
                END IF;
                SELECT a.xmin AS xid, a.detail INTO last_entry FROM audit a
                    WHERE a.id = office_audit_entry('publish', office_publish.number,
                                                    office_publish.published_by,
                                                    office_publish.targets);
                -- The entry says what is stored: the SHA-256 and the note too.
                IF last_entry.detail->>'sha256' IS DISTINCT FROM office_publish.sha256
                        OR last_entry.detail->>'note' IS DISTINCT FROM office_publish.note THEN
                    RAISE EXCEPTION 'the publish audit entry does not say what is stored'
                        USING ERRCODE = 'check_violation';
                END IF;
                INSERT INTO revisions (number, sha256, payload, signature, note, published_by)
                    VALUES (office_publish.number, office_publish.sha256, office_publish.payload,
                            office_publish.signature, office_publish.note,
                            office_publish.published_by);
                INSERT INTO revision_targets (revision, target, targeted_by)
                    SELECT DISTINCT office_publish.number, t, office_publish.published_by
                    FROM unnest(office_publish.targets) AS t;
                -- Its entry written in this very transaction (the rows just stored
                -- share its xmin): not one written, and committed, before.
                IF NOT EXISTS (SELECT 1 FROM revisions r WHERE r.number = office_publish.number
                               AND r.xmin = last_entry.xid) THEN
                    RAISE EXCEPTION 'publish is audited first, in the same transaction'
                        USING ERRCODE = 'check_violation';
                END IF;
            END
            $$
            """
        ),
        # Whom a revision goes to, instead (Lobby first, then all): as above, only
        # straight after its own audit entry.
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION office_retarget(
                number integer, targets text[], targeted_by text)
            RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                last_entry record;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('kiosk.office.revisions'));
                IF NOT EXISTS (SELECT 1 FROM revisions r
                               WHERE r.number = office_retarget.number) THEN
                    RAISE EXCEPTION 'there is no revision %', office_retarget.number
                        USING ERRCODE = 'no_data_found';
                END IF;
                SELECT a.xmin AS xid INTO last_entry FROM audit a
                    WHERE a.id = office_audit_entry('publish-target', office_retarget.number,
                                                    office_retarget.targeted_by,
                                                    office_retarget.targets);
                DELETE FROM revision_targets t WHERE t.revision = office_retarget.number;
                INSERT INTO revision_targets (revision, target, targeted_by)
                    SELECT DISTINCT office_retarget.number, t, office_retarget.targeted_by
                    FROM unnest(office_retarget.targets) AS t;
                -- Its entry written in this very transaction: the last retarget's entry,
                -- still the newest, does not let the targets be changed again unaudited.
                IF NOT EXISTS (SELECT 1 FROM revision_targets t
                               WHERE t.revision = office_retarget.number
                               AND t.xmin = last_entry.xid) THEN
                    RAISE EXCEPTION 'publish-target is audited first, in the same transaction'
                        USING ERRCODE = 'check_violation';
                END IF;
            END
            $$
            """
        ),
        sql.SQL(
            "REVOKE ALL ON FUNCTION office_publish(integer, text, bytea, bytea, text, text,"
            " text[]), office_retarget(integer, text[], text) FROM PUBLIC"
        ),
        sql.SQL(
            "GRANT EXECUTE ON FUNCTION office_publish(integer, text, bytea, bytea, text, text,"
            " text[]), office_retarget(integer, text[], text) TO {}"
        ).format(office),
        sql.SQL("REVOKE ALL ON FUNCTION kiosk_next_revision(integer) FROM PUBLIC"),
        sql.SQL("REVOKE ALL ON FUNCTION kiosk_report_revision(integer, text, text) FROM PUBLIC"),
        sql.SQL(
            "GRANT EXECUTE ON FUNCTION kiosk_next_revision(integer),"
            " kiosk_report_revision(integer, text, text) TO {}"
        ).format(kiosks),
        sql.SQL("REVOKE ALL ON FUNCTION kiosk_enrol(bytea) FROM PUBLIC"),
        sql.SQL("REVOKE ALL ON FUNCTION kiosk_page_views(date[], text[], integer[]) FROM PUBLIC"),
        sql.SQL("REVOKE ALL ON FUNCTION kiosk_alert_acknowledged(text) FROM PUBLIC"),
        sql.SQL("REVOKE ALL ON FUNCTION kiosk_last_seq() FROM PUBLIC"),
        sql.SQL(
            "GRANT EXECUTE ON FUNCTION kiosk_enrol(bytea), kiosk_alert_acknowledged(text),"
            " kiosk_page_views(date[], text[], integer[]), kiosk_last_seq() TO {}"
        ).format(kiosks),
    ]
    return statements


def init(conn: Conn, *, actor: str = "admin", kdf: KdfParams | None = None) -> InitResult:
    """Create or update the schema, the roles and grants, and (once) the clinic key.

    Safe to run again: the schema is migrated, grants re-applied, and an
    existing clinic key kept (its recovery code is not shown again).
    """
    applied = migrate(conn)
    roles = roles_of(conn)
    code: str | None = None
    with conn.transaction():
        for role in (roles.kiosks, roles.office):
            if not _role_exists(conn, role):
                conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        for statement in _grants(roles):
            conn.execute(statement)
        row = conn.execute("SELECT key_id FROM clinic_keys WHERE id = 1 FOR UPDATE").fetchone()
        if row is None:
            ring, code = ClinicKeyRing.generate(CLINIC_KEYS, kdf=kdf)
            ring.conn = conn
            ring._store(ring.document())
            key_id = ring.key_id
            audit.append(conn, actor, "office-init", key_id, {"schema": applied})
            # The publishing key is derived from the clinic key, which is open
            # only now (by the code just made); a server made before publishing
            # gets it from ``kiosk office publish-key``, with a PIN.
            ensure_publish_key(conn, opener_by_recovery(conn, code), actor=actor)
        else:
            key_id = str(row[0])
    return InitResult(applied=applied, key_id=key_id, recovery_code=code, roles=roles)


# -- the publishing key ----------------------------------------------------------------


def publish_public_key(conn: Conn) -> bytes | None:
    """The publishing key's public half (None: a server initialised before issue 16,
    until ``kiosk office publish-key`` or ``init`` is run again)."""
    row = conn.execute("SELECT public_key FROM publish_key WHERE id = 1").fetchone()
    return bytes(row[0]) if row else None


#: What the publishing key's seed is derived for (``Opener.derive``).
PUBLISHING_PURPOSE = b"kiosk office publishing key, version 1"


def derived_publishing_key(opener: Opener) -> nacl.signing.SigningKey:
    """The clinic's publishing key: its seed derived from the clinic's private key."""
    return nacl.signing.SigningKey(opener.derive(PUBLISHING_PURPOSE))


def ensure_publish_key(conn: Conn, opener: Opener, *, actor: str = "admin") -> tuple[bytes, bool]:
    """The publishing key's public half, and whether it was stored now.

    Stored once: kiosks trust the public half they were enrolled with. Its
    private half is never stored: it is derived from the clinic key ``opener``
    holds, so a public half in the database that does not match is refused
    (``OfficeError``), not kept."""
    signing = derived_publishing_key(opener)
    public = bytes(signing.verify_key)
    with conn.transaction():
        conn.execute("LOCK TABLE publish_key IN EXCLUSIVE MODE")
        existing = publish_public_key(conn)
        if existing is not None:
            _check_publish_key(existing, public)
            return existing, False
        # The column predates derivation: it keeps the seed sealed to the clinic
        # key, which only a holder of the clinic key can open (as before).
        conn.execute(
            "INSERT INTO publish_key (public_key, sealed_seed) VALUES (%s, %s)",
            (public, opener.sealer().seal(bytes(signing))),
        )
        audit.append(conn, actor, "publish-key", public.hex()[:16])
    return public, True


def _check_publish_key(stored: bytes, derived: bytes) -> None:
    if stored != derived:
        raise OfficeError(
            f"The publishing key in the office database ({stored.hex()[:16]}) is not the "
            f"clinic's ({derived.hex()[:16]}): it was replaced in the database, or made "
            f"before keys were derived. Nothing was signed; ask the clinic's administrator "
            f"to check the server."
        )


def publishing_key(conn: Conn, opener: Opener) -> nacl.signing.SigningKey:
    """The publishing key, derived from the clinic key (a member's, or the recovery
    code's) and checked against the public half kiosks were given."""
    stored = publish_public_key(conn)
    if stored is None:
        raise OfficeError(
            "The office database has no publishing key: run 'kiosk office publish-key'."
        )
    signing = derived_publishing_key(opener)
    _check_publish_key(stored, bytes(signing.verify_key))
    return signing


# -- kiosks ----------------------------------------------------------------------------


def name_problem_of(name: str, what: str) -> str | None:
    """Why ``name`` cannot name a kiosk or a group (``what``), or None."""
    if not name or name != name.strip() or len(name) > KIOSK_NAME_MAX:
        return f"{what}'s name is 1 to {KIOSK_NAME_MAX} characters, no space at either end."
    if not all(ch.isalnum() or ch in " -_" for ch in name):
        return f"{what}'s name has only letters, digits, spaces, - and _ in it."
    return None


def kiosk_name_problem(name: str) -> str | None:
    return name_problem_of(name, "A kiosk")


@dataclass(frozen=True)
class Token:
    """What ``kiosk enrol --token`` carries: the kiosk's login (a one-time password,
    replaced at enrolment) and the clinic's CA certificate."""

    role: str
    password: str
    ca_pem: str
    #: The publishing key's public half (None from a server without one yet).
    publish_key: bytes | None = None
    #: The clinic's public key, from the clinic key opened by a PIN: the kiosk
    #: refuses an enrolment whose server hands it another (None: an old token).
    clinic_key: bytes | None = None

    def encode(self) -> str:
        document = {"role": self.role, "password": self.password, "ca": self.ca_pem}
        if self.publish_key is not None:
            document["publish"] = base64.b64encode(self.publish_key).decode("ascii")
        if self.clinic_key is not None:
            document["clinic"] = base64.b64encode(self.clinic_key).decode("ascii")
        raw = json.dumps(document)
        packed = zlib.compress(raw.encode("utf-8"), 9)
        return TOKEN_PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Token:
        text = "".join(text.split())
        if not text.startswith(TOKEN_PREFIX):
            raise OfficeError("That is not an enrolment token (it starts with KIOSK1.).")
        body = text[len(TOKEN_PREFIX) :]
        try:
            packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            document = json.loads(zlib.decompress(packed).decode("utf-8"))
            publish, clinic = document.get("publish"), document.get("clinic")
            return cls(
                role=str(document["role"]),
                password=str(document["password"]),
                ca_pem=str(document["ca"]),
                publish_key=None
                if publish is None
                else base64.b64decode(str(publish), validate=True),
                clinic_key=None if clinic is None else base64.b64decode(str(clinic), validate=True),
            )
        except (ValueError, KeyError, TypeError, AttributeError, zlib.error, binascii.Error):
            raise OfficeError(
                "That enrolment token is damaged (copied only in part?): make a new one "
                "with 'kiosk office enrol-kiosk NAME'."
            ) from None


def enrol_kiosk(
    conn: Conn,
    name: str,
    ca_pem: str,
    opener: Opener,
    *,
    actor: str = "admin",
    group: str | None = None,
) -> Token:
    """Make (or re-issue, while not enrolled) the kiosk's login; its one-time token.
    ``group``: the kiosk's group for staged publishing (``set_group``).

    ``opener`` (the clinic key, by a PIN or the recovery code) vouches for the keys
    the token carries: the clinic's public key as the key itself says, and the
    publishing key's public half checked against the one derived from it (a
    database whose keys were replaced gives no token)."""
    problem = kiosk_name_problem(name) or (
        name_problem_of(group, "A group") if group is not None else None
    )
    if problem:
        raise OfficeError(problem)
    if "BEGIN CERTIFICATE" not in ca_pem:
        raise OfficeError("The clinic's CA certificate (PEM) is needed to make a token.")
    roles = roles_of(conn)
    role = roles.kiosk(name)
    password = secrets.token_urlsafe(24)
    with conn.transaction():
        row = conn.execute(
            "SELECT name, enrolled_at, revoked_at FROM kiosks WHERE role = %s FOR UPDATE",
            (role,),
        ).fetchone()
        if row is not None and row[0] != name:
            raise OfficeError(
                f"The name {name!r} is too like the kiosk {row[0]!r}: choose another."
            )
        if row is not None and (row[1] is not None or row[2] is not None):
            # Its sequence numbers belong to the tablet that enrolled: a new
            # tablet under the same name would send 1, 2, 3 again.
            raise OfficeError(
                f"The kiosk {name!r} was enrolled (or revoked) already: give a new tablet "
                f"a new name."
            )
        password_sql = sql.Literal(password)
        if _role_exists(conn, role):
            conn.execute(
                sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), password_sql
                )
            )
        else:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT 8 PASSWORD {} IN ROLE {}").format(
                    sql.Identifier(role), password_sql, sql.Identifier(roles.kiosks)
                )
            )
        if row is None:
            conn.execute("INSERT INTO kiosks (role, name) VALUES (%s, %s)", (role, name))
        if group is not None:
            conn.execute("UPDATE kiosks SET group_name = %s WHERE role = %s", (group, role))
        audit.append(conn, actor, "kiosk-token", name, {"group": group} if group else None)
        publish_key = publish_public_key(conn)
        if publish_key is not None:
            _check_publish_key(publish_key, bytes(derived_publishing_key(opener).verify_key))
    return Token(
        role=role,
        password=password,
        ca_pem=ca_pem,
        publish_key=publish_key,
        clinic_key=opener.public_key,
    )


def set_group(conn: Conn, name: str, group: str | None, *, actor: str = "admin") -> None:
    """Put the kiosk ``name`` in ``group`` (None: in none; it then gets only what is
    published to every kiosk)."""
    problem = name_problem_of(group, "A group") if group is not None else None
    if problem:
        raise OfficeError(problem)
    with conn.transaction():
        if (
            conn.execute(
                "UPDATE kiosks SET group_name = %s WHERE name = %s", (group, name)
            ).rowcount
            == 0
        ):
            raise OfficeError(f"There is no kiosk called {name!r}.")
        audit.append(conn, actor, "kiosk-group", name, {"group": group})


def revoke_kiosk(conn: Conn, name: str, *, actor: str = "admin") -> None:
    """Stop a kiosk sending: its login is refused and its INSERT taken away."""
    roles = roles_of(conn)
    with conn.transaction():
        row = conn.execute("SELECT role FROM kiosks WHERE name = %s FOR UPDATE", (name,)).fetchone()
        if row is None:
            raise OfficeError(f"There is no kiosk called {name!r}.")
        role = sql.Identifier(str(row[0]))
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(role))
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(roles.kiosks), role))
        conn.execute("UPDATE kiosks SET revoked_at = now() WHERE name = %s", (name,))
        audit.append(conn, actor, "kiosk-revoke", name)


# -- office staff ----------------------------------------------------------------------


def _unlock(ring: KeyRing, label: str, secret: str, what: str) -> Opener:
    if label not in ring.slot_labels():
        raise OfficeError(f"There is no {what}.")
    try:
        return ring.unlock_slot(label, secret)
    except KeysError:
        raise OfficeError(f"Wrong {what.split(' for ')[0]}.") from None


def opener_by_recovery(conn: Conn, code: str) -> Opener:
    return _unlock(clinic_ring(conn), RECOVERY_LABEL, code, "recovery code")


def member_by_pin(conn: Conn, name: str, pin: str) -> SignedIn:
    """The member (their name as the account spells it) and the clinic key for a
    typed name and PIN (the staff commands), under the office's sign-in lock and
    audited as the office app's sign-in is: never by what was typed."""
    try:
        return sign_in(conn, name, pin)
    except StaffError as exc:
        raise OfficeError(exc.message) from None


def opener_by_pin(conn: Conn, name: str, pin: str) -> Opener:
    return member_by_pin(conn, name, pin).opener


def staff_names(conn: Conn) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT name FROM office_staff ORDER BY name")]


def staff_add(
    conn: Conn, name: str, pin: str, opener: Opener, *, by: str, kdf: KdfParams | None = None
) -> None:
    """Add an office staff member: a slot wrapping the clinic key for their PIN."""
    problem = name_problem(name) or pin_problem(pin)
    if problem:
        raise OfficeError(problem)
    with conn.transaction():
        ring = clinic_ring(conn, for_update=True)
        if conn.execute("SELECT 1 FROM office_staff WHERE name = %s", (name,)).fetchone():
            raise OfficeError(f"There is a staff member called {name!r} already.")
        ring.add_slot(SLOT_PREFIX + name, pin, opener, kdf or KdfParams.interactive())
        conn.execute("INSERT INTO office_staff (name, added_by) VALUES (%s, %s)", (name, by))
        audit.append(conn, by, "staff-add", name)


def staff_remove(conn: Conn, name: str, *, by: str) -> None:
    with conn.transaction():
        ring = clinic_ring(conn, for_update=True)
        if conn.execute("DELETE FROM office_staff WHERE name = %s", (name,)).rowcount == 0:
            raise OfficeError(f"There is no staff member called {name!r}.")
        if SLOT_PREFIX + name in ring.slot_labels():
            ring.remove_slot(SLOT_PREFIX + name)
        conn.execute("DELETE FROM office_signin WHERE name = %s", (signin_row(name),))
        audit.append(conn, by, "staff-remove", name)


def staff_reset_pin(
    conn: Conn, name: str, pin: str, opener: Opener, *, by: str, kdf: KdfParams | None = None
) -> None:
    problem = pin_problem(pin)
    if problem:
        raise OfficeError(problem)
    with conn.transaction():
        ring = clinic_ring(conn, for_update=True)
        if not conn.execute("SELECT 1 FROM office_staff WHERE name = %s", (name,)).fetchone():
            raise OfficeError(f"There is no staff member called {name!r}.")
        ring.add_slot(SLOT_PREFIX + name, pin, opener, kdf or KdfParams.interactive())
        conn.execute("DELETE FROM office_signin WHERE name = %s", (signin_row(name),))
        audit.append(conn, by, "staff-reset-pin", name)


# -- signing in ------------------------------------------------------------------------
# The tablet's rules (kiosk.staff.accounts.Tally): after a wrong PIN the next try
# waits 1, 2, 4, then 8 s; the fifth locks sign-in for five minutes; a wrong name
# is a wrong PIN, in words and in cost. The counts are rows of office_signin, so
# every office PC and a restart share them: one per typed name, and one for the
# whole office (OFFICE_WIDE), so guessing across names waits too.

#: The ``office_signin`` row that counts every wrong PIN, whatever the name; no
#: row of a name can be called this (theirs start ``name:``).
OFFICE_WIDE = "*"
#: A name's row with no wrong PIN and no lock for this long is deleted at the next
#: sign-in: the count of a name typed wrong once (a typo) does not stay for ever.
IDLE_ROW_S = 24 * 60 * 60


@dataclass(frozen=True)
class SignedIn:
    """A member signed in: their name as the account spells it, and the clinic key."""

    name: str
    opener: Opener


def signin_row(name: str) -> str:
    """The ``office_signin`` row of a typed name: names that differ only in case
    share one. A digest, so the table does not show what was typed (a PIN typed
    into the name field by mistake) at a glance; unknown names get rows as known
    ones do, so a lock never tells which names exist."""
    normal = unicodedata.normalize("NFC", name.strip()).casefold()
    return "name:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _server_clock(conn: Conn) -> float:
    """The database's time: every office PC counts the waits by one clock."""
    row = conn.execute("SELECT extract(epoch FROM clock_timestamp())::float8").fetchone()
    assert row is not None
    return float(row[0])


def _read_tallies(conn: Conn, rows: list[str]) -> dict[str, Tally]:
    """The rows' tallies, locked until the transaction ends (made when missing)."""
    found: list[tuple[Any, ...]] = []
    # Twice at most: a row pruned (``_prune``) between its INSERT and the lock is
    # made again, and no one prunes while this holds the office's row.
    while len(found) < len(rows):
        for row in rows:
            conn.execute(
                "INSERT INTO office_signin (name) VALUES (%s) ON CONFLICT (name) DO NOTHING",
                (row,),
            )
        found = conn.execute(
            "SELECT name, failures, coalesce(extract(epoch FROM last_failure_at)::float8, 0),"
            " coalesce(extract(epoch FROM locked_until)::float8, 0)"
            " FROM office_signin WHERE name = ANY(%s) ORDER BY name FOR UPDATE",
            (rows,),
        ).fetchall()
    return {str(r[0]): Tally(int(r[1]), float(r[2]), float(r[3])) for r in found}


def _prune(conn: Conn, keep: list[str], now: float) -> None:
    """Delete the rows of names idle for ``IDLE_ROW_S`` (no wrong PIN, no lock since),
    but ``keep`` (this attempt's, the office's). Run holding the office's row, so one
    at a time; a row another attempt holds is skipped, not waited for (no deadlock).

    A database whose grants predate this (``kiosk office init`` not run again since)
    refuses the office's DELETE: the rows then stay, and sign-in works as before."""
    try:
        with conn.transaction():  # a savepoint: a refusal leaves the count's transaction
            conn.execute(
                "DELETE FROM office_signin WHERE name IN (SELECT name FROM office_signin"
                " WHERE name <> ALL(%s)"
                " AND coalesce(last_failure_at, '-infinity') < to_timestamp(%s)"
                " AND coalesce(locked_until, '-infinity') < to_timestamp(%s)"
                " FOR UPDATE SKIP LOCKED)",
                (keep, now - IDLE_ROW_S, now),
            )
    except psycopg.errors.InsufficientPrivilege:
        log.warning("office_signin: no DELETE for this login; run `kiosk office init` again")


def _write_tally(conn: Conn, row: str, tally: Tally) -> None:
    conn.execute(
        "UPDATE office_signin SET failures = %s,"
        " last_failure_at = CASE WHEN %s > 0 THEN to_timestamp(%s) END,"
        " locked_until = CASE WHEN %s > 0 THEN to_timestamp(%s) END WHERE name = %s",
        (
            tally.failures,
            tally.last_failure,
            tally.last_failure,
            tally.locked_until,
            tally.locked_until,
            row,
        ),
    )


def _commit(conn: Conn) -> None:
    """Make what was just written last, even if the caller's work is rolled back:
    a wrong PIN stays counted when the command it was for fails."""
    if not conn.autocommit:
        conn.commit()


def _count_attempt(conn: Conn, actor: str, rows: list[str], now: float) -> WrongPin:
    """Count the attempt as a failure and commit, before any PIN is checked (a
    sign-in takes it back), so an app killed mid-check, or a second app guessing
    at once, gets no extra try. Raises ``Locked``/``TooSoon`` (audited) while a
    wait runs; returns the ``WrongPin`` to raise if the PIN is wrong."""
    outcome: StaffError
    with conn.transaction():
        tallies = _read_tallies(conn, rows)
        _prune(conn, rows, now)
        refusals: list[Locked | TooSoon] = []
        fresh: dict[str, Tally] = {}
        for row, tally in tallies.items():
            settled = tally.settled(now)
            if settled != tally:
                _write_tally(conn, row, settled)
            try:
                fresh[row] = settled.turn(now)
            except (Locked, TooSoon) as exc:
                refusals.append(exc)
        if refusals:
            refusal = max(refusals, key=lambda e: (isinstance(e, Locked), e.seconds_left))
            outcome = refusal
            if isinstance(refusal, Locked):
                audit.append(
                    conn,
                    actor,
                    "sign-in-locked",
                    detail={"seconds_left": round(refusal.seconds_left)},
                )
            else:
                audit.append(conn, actor, "sign-in-failed", detail={"reason": "too soon"})
        else:
            counted = [(row, *tally.failed(now)) for row, tally in fresh.items()]
            for row, tally, _wait in counted:
                _write_tally(conn, row, tally)
            _row, worst, wait = max(counted, key=lambda c: c[2])
            outcome = WrongPin(worst.failures, wait)
    _commit(conn)
    if not isinstance(outcome, WrongPin):
        raise outcome
    return outcome


def sign_in(
    conn: Conn, name: str, pin: str, *, clock: Callable[[], float] | None = None
) -> SignedIn:
    """Check ``pin`` for the office staff member ``name`` and unwrap the clinic key.

    Raises (``kiosk.staff.accounts``' errors, the tablet's words) ``Locked`` or
    ``TooSoon`` without checking anything, ``WrongPin`` (``UnknownStaff`` for a
    name nobody has: same words, same argon2id work) after counting it. Every
    outcome goes to the audit log, as the member's name or ``(unknown name)``
    (what was typed may be a PIN), never the PIN. ``clock``: seconds since the
    epoch (tests); by default the database's. Commits what it writes.
    """
    name = name.strip() if isinstance(name, str) else ""
    now = clock() if clock is not None else _server_clock(conn)
    with conn.transaction():
        ring = clinic_ring(conn)
        account = next((n for n in staff_names(conn) if same_name(n, name)), None)
    _commit(conn)
    actor = account if account is not None else UNKNOWN_NAME
    failed = _count_attempt(conn, actor, [OFFICE_WIDE, signin_row(name)], now)
    opener: Opener | None = None
    if account is not None and SLOT_PREFIX + account in ring.slot_labels():
        try:
            opener = ring.unlock_slot(SLOT_PREFIX + account, pin)
        except KeysError:
            opener = None
    else:
        # The same argon2id work as a real check (on another slot, whose answer is
        # thrown away), so the time taken does not tell which names exist.
        labels = ring.slot_labels()
        decoy = next((lab for lab in labels if lab.startswith(SLOT_PREFIX)), RECOVERY_LABEL)
        with contextlib.suppress(KeysError):
            ring.unlock_slot(decoy, pin)
        failed = UnknownStaff(failed.failures, failed.wait_seconds)
    with conn.transaction():
        if opener is None:
            reason = "locked" if failed.failures >= MAX_FAILURES else "wrong PIN"
            audit.append(
                conn,
                actor,
                "sign-in-failed",
                detail={"reason": reason, "failures": failed.failures},
            )
        else:
            for row in (OFFICE_WIDE, signin_row(name)):
                _write_tally(conn, row, Tally())
            audit.append(conn, actor, "sign-in")
    _commit(conn)
    if account is None or opener is None:
        raise failed
    return SignedIn(account, opener)


def sign_out(conn: Conn, name: str, why: str) -> None:
    """Audit the end of a session: ``why`` is "signed out", "idle" or "closed"."""
    with conn.transaction():
        audit.append(conn, name, "sign-out", detail={"why": why})
    _commit(conn)
