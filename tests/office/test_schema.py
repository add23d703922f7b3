"""The schema's migrations against a real PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest

from kiosk.office.schema import MIGRATIONS, SchemaError, current_version, migrate
from tests.office.pg import Cluster


def test_migrate_creates_every_table_and_the_version_once(pg: Cluster, clinic_db: str) -> None:
    with psycopg.connect(pg.dsn(clinic_db)) as conn:
        assert current_version(conn) == 0
        assert migrate(conn) == list(range(1, len(MIGRATIONS) + 1))
        assert migrate(conn) == []
        assert current_version(conn) == len(MIGRATIONS)
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
    assert {"enquiries", "kiosks", "clinic_keys", "audit", "heartbeats", "alerts"} <= tables


def test_a_newer_schema_is_refused_untouched(pg: Cluster, clinic_db: str) -> None:
    with psycopg.connect(pg.dsn(clinic_db)) as conn:
        migrate(conn)
        conn.execute("INSERT INTO schema_version (version) VALUES (99)")
        conn.commit()
        with pytest.raises(SchemaError, match="newer version"):
            migrate(conn)
        assert current_version(conn) == 99


def test_the_payload_limit_in_the_schema_is_the_kiosks() -> None:
    """Migration 5 writes the limit as a number (a migration never changes once
    applied): it must be the one kiosks apply."""
    from kiosk.office.revision import MAX_PAYLOAD_BYTES

    assert f"octet_length(payload) <= {MAX_PAYLOAD_BYTES}" in MIGRATIONS[4][0]
