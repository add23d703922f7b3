"""The clinic's PostgreSQL schema: versioned migrations, each in one transaction.

``MIGRATIONS[n]`` takes the schema from version n to n + 1; ``schema_version``
holds one row per version applied. Append, never edit: a clinic's database
was made by the list as it was. The roles, grants and row-level security are
``kiosk.office.admin``'s (they name roles, which are per cluster); the tables
are here.

What the tables hold, and in what form (docs/office.md, "Schema"):

- ``clinic_keys``: the clinic's public key and its private key *wrapped* per
  staff member and by the recovery code (the ``KeyRing`` document of
  ``kiosk.enquiries.keys``); nothing here opens an enquiry without a secret.
- ``kiosks``: one row per enrolled kiosk: its role (the PostgreSQL login it
  sends as), the name staff read, its Ed25519 verify key.
- ``enquiries``: what kiosks sent: the sealed personal fields, numbered per
  kiosk (``seq``) and signed; the status the front desk sets, with a sealed note.
- ``alerts``, ``heartbeats``, ``page_views``: inserted by kiosks, no personal data.
- ``office_staff``, ``office_signin``: who may sign in to the office app, and
  the wrong-PIN count per name.
- ``audit``: the hash-chained log of what staff did.
- ``screen_requests``: the office's "Show me this kiosk's screen" and each kiosk's
  answer: its screen's name and a picture sealed to the clinic key, or none.
- ``publish_key``, ``revisions``, ``revision_targets``, ``kiosk_revisions``: the
  content and settings published to kiosks, signed, and what each kiosk runs.
"""

from __future__ import annotations

import logging

import psycopg

log = logging.getLogger("kiosk.office.schema")

#: The statuses the front desk sets (the tablet's three, and two for a call).
STATUSES = ("new", "exported", "contacted", "no_answer", "not_interested")

MIGRATIONS: list[tuple[str, ...]] = [
    (
        """
        CREATE TABLE clinic_keys (
            id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            key_id text NOT NULL,
            document jsonb NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE kiosks (
            role text PRIMARY KEY,
            name text NOT NULL UNIQUE,
            verify_key bytea CHECK (verify_key IS NULL OR length(verify_key) = 32),
            created_at timestamptz NOT NULL DEFAULT now(),
            enrolled_at timestamptz,
            revoked_at timestamptz
        )
        """,
        """
        CREATE TABLE enquiries (
            id bigserial PRIMARY KEY,
            kiosk text NOT NULL DEFAULT current_user,
            seq bigint NOT NULL CHECK (seq > 0),
            form_key text NOT NULL UNIQUE CHECK (length(form_key) BETWEEN 1 AND 128),
            created_at timestamptz NOT NULL,
            topic text NOT NULL CHECK (length(topic) <= 200),
            key_id text NOT NULL,
            sealed bytea NOT NULL,
            signature bytea NOT NULL CHECK (length(signature) = 64),
            received_at timestamptz NOT NULL DEFAULT now(),
            status text NOT NULL DEFAULT 'new' CHECK (status IN
                ('new', 'exported', 'contacted', 'no_answer', 'not_interested')),
            status_at timestamptz,
            status_by text,
            note_sealed bytea,
            UNIQUE (kiosk, seq)
        )
        """,
        "CREATE INDEX enquiries_by_status ON enquiries (status, id)",
        """
        CREATE TABLE alerts (
            id bigserial PRIMARY KEY,
            kiosk text NOT NULL DEFAULT current_user,
            alert_key text NOT NULL UNIQUE CHECK (length(alert_key) BETWEEN 1 AND 128),
            raised_at timestamptz NOT NULL DEFAULT now(),
            acknowledged_at timestamptz,
            acknowledged_by text
        )
        """,
        """
        CREATE TABLE heartbeats (
            id bigserial PRIMARY KEY,
            kiosk text NOT NULL DEFAULT current_user,
            received_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz NOT NULL,
            version text NOT NULL,
            content_fingerprint text NOT NULL,
            outbox_depth integer NOT NULL,
            oldest_unsent_s double precision,
            last_error text,
            free_disk bigint,
            uptime_s double precision NOT NULL,
            last_touch timestamptz
        )
        """,
        "CREATE INDEX heartbeats_latest ON heartbeats (kiosk, id DESC)",
        """
        CREATE TABLE page_views (
            kiosk text NOT NULL DEFAULT current_user,
            day date NOT NULL,
            page text NOT NULL,
            views integer NOT NULL CHECK (views >= 0),
            PRIMARY KEY (kiosk, day, page)
        )
        """,
        """
        CREATE TABLE office_staff (
            name text PRIMARY KEY,
            added_at timestamptz NOT NULL DEFAULT now(),
            added_by text NOT NULL
        )
        """,
        """
        CREATE TABLE office_signin (
            name text PRIMARY KEY,
            failures integer NOT NULL DEFAULT 0,
            last_failure_at timestamptz,
            locked_until timestamptz
        )
        """,
        """
        CREATE TABLE audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor text NOT NULL,
            action text NOT NULL,
            subject text NOT NULL DEFAULT '',
            detail jsonb NOT NULL DEFAULT '{}',
            prev_hash bytea NOT NULL,
            hash bytea NOT NULL UNIQUE
        )
        """,
        # LISTEN/NOTIFY for the office app: a new enquiry or alert shows
        # without polling. The payload is the kiosk's role, nothing personal.
        """
        CREATE FUNCTION notify_office() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify(TG_TABLE_NAME, NEW.kiosk);
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER enquiries_notify AFTER INSERT ON enquiries
            FOR EACH ROW EXECUTE FUNCTION notify_office()
        """,
        """
        CREATE TRIGGER alerts_notify AFTER INSERT ON alerts
            FOR EACH ROW EXECUTE FUNCTION notify_office()
        """,
    ),
    # Issue 14, the office inbox: each heartbeat may carry the kiosk's topics, id →
    # title (the clinic's own words, nothing personal), so the office shows titles.
    (
        """
        ALTER TABLE heartbeats ADD COLUMN topics jsonb CHECK (topics IS NULL
            OR (jsonb_typeof(topics) = 'object' AND pg_column_size(topics) <= 65536))
        """,
    ),
    # Issue 16, "Show me this kiosk's screen": the office asks, the kiosk answers with
    # its screen's name and, when no patient is typing, a blanked picture sealed to
    # the clinic key (kiosk.office.look). A kiosk reads and answers only its own open
    # request, through the two functions (it has no right on the table itself).
    (
        """
        CREATE TABLE screen_requests (
            id bigserial PRIMARY KEY,
            kiosk text NOT NULL REFERENCES kiosks (role),
            asked_by text NOT NULL,
            asked_at timestamptz NOT NULL DEFAULT now(),
            cancelled_at timestamptz,
            answered_at timestamptz,
            screen text CHECK (length(screen) <= 200),
            picture_sealed bytea CHECK (length(picture_sealed) <= 16777216)
        )
        """,
        """
        CREATE INDEX screen_requests_open ON screen_requests (kiosk, id)
            WHERE answered_at IS NULL AND cancelled_at IS NULL
        """,
        # Open: neither answered nor cancelled, and asked in the last minute (an office
        # app closed while waiting leaves its request open; no kiosk answers it later).
        """
        CREATE FUNCTION kiosk_screen_request() RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
            SELECT max(id) FROM screen_requests WHERE kiosk = session_user
                AND answered_at IS NULL AND cancelled_at IS NULL
                AND asked_at > now() - interval '1 minute'
        $$
        """,
        """
        CREATE FUNCTION kiosk_screen_answer(request bigint, screen text, picture_sealed bytea)
        RETURNS boolean
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            UPDATE screen_requests SET answered_at = now(),
                screen = kiosk_screen_answer.screen,
                picture_sealed = kiosk_screen_answer.picture_sealed
                WHERE id = request AND kiosk = session_user
                AND answered_at IS NULL AND cancelled_at IS NULL;
            RETURN FOUND;
        END
        $$
        """,
        "REVOKE ALL ON FUNCTION kiosk_screen_request() FROM PUBLIC",
        "REVOKE ALL ON FUNCTION kiosk_screen_answer(bigint, text, bytea) FROM PUBLIC",
    ),
    # Issue 16, publishing: the publishing key (its private half sealed to the
    # clinic key), signed revisions, whom each is addressed to, kiosk groups, and
    # what each kiosk reported running. Kiosks reach these only through
    # kiosk_next_revision / kiosk_report_revision (kiosk.office.admin).
    (
        """
        CREATE TABLE publish_key (
            id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
            public_key bytea NOT NULL CHECK (length(public_key) = 32),
            sealed_seed bytea NOT NULL,
            made_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE revisions (
            number integer PRIMARY KEY CHECK (number > 0),
            sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            payload bytea NOT NULL,
            signature bytea NOT NULL CHECK (length(signature) = 64),
            note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
            published_by text NOT NULL,
            published_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        # A group's name, or '*' for every kiosk ('*' is never a group's name).
        """
        CREATE TABLE revision_targets (
            revision integer NOT NULL REFERENCES revisions (number) ON DELETE CASCADE,
            target text NOT NULL CHECK (length(target) BETWEEN 1 AND 40),
            targeted_at timestamptz NOT NULL DEFAULT now(),
            targeted_by text NOT NULL,
            PRIMARY KEY (revision, target)
        )
        """,
        """
        ALTER TABLE kiosks ADD COLUMN group_name text
            CHECK (group_name IS NULL OR length(group_name) BETWEEN 1 AND 40)
        """,
        """
        CREATE TABLE kiosk_revisions (
            kiosk text NOT NULL REFERENCES kiosks (role),
            revision integer NOT NULL REFERENCES revisions (number) ON DELETE CASCADE,
            state text NOT NULL CHECK (state IN ('applied', 'refused', 'rolled_back')),
            reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
            at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kiosk, revision)
        )
        """,
    ),
    # 5: no revision larger than a kiosk takes (revision.MAX_PAYLOAD_BYTES, 32 MiB):
    # a kiosk downloads a revision before it can measure it.
    (
        """
        ALTER TABLE revisions ADD CONSTRAINT revisions_payload_size
            CHECK (octet_length(payload) <= 33554432)
        """,
    ),
]


class SchemaError(Exception):
    """The database's schema cannot be used by this version; ``str()`` says why."""


def current_version(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """The schema version of the database (0: none yet)."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(str(row[0])) if row else 0


def migrate(conn: psycopg.Connection[tuple[object, ...]]) -> list[int]:
    """Bring the schema up to date; returns the versions applied (``[]``: it was).

    Each migration and its ``schema_version`` row commit together, under an
    advisory lock, so two ``kiosk office init`` at once apply each one once,
    and a crash leaves the old schema or the new. A database from a newer
    version is refused, untouched.
    """
    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('kiosk.office.schema'))")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version integer PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        version = current_version(conn)
        if version > len(MIGRATIONS):
            raise SchemaError(
                f"The database is from a newer version of the kiosk (schema {version}; this "
                f"version knows up to {len(MIGRATIONS)}). It was left untouched."
            )
        for target in range(version + 1, len(MIGRATIONS) + 1):
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement.encode())
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (target,))
            applied.append(target)
            log.info("Office database brought up to schema %d.", target)
    return applied
