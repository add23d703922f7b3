"""What went wrong with the office database, in one word (kiosk.office.trouble),
from the real errors a real server and a real network give: the office app says
each in a sentence instead of the driver's text, and the tablet's panel uses the
same words for an unreachable server."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import trustme

from kiosk.office import admin
from kiosk.office.trouble import first_line, trouble_of
from tests.office.conftest import Clinic
from tests.office.pg import Cluster, free_port


def error_of(url: str, statement: str = "SELECT 1") -> psycopg.Error:
    with pytest.raises(psycopg.Error) as raised, psycopg.connect(url) as conn:
        conn.execute(statement)
    return raised.value


def test_nothing_listening_reads_as_not_answering(pg: Cluster, clinic: Clinic) -> None:
    exc = error_of(pg.dsn(clinic.db, port=free_port()))
    assert trouble_of(exc) == "not-answering"


def test_a_name_no_one_knows_reads_as_unknown_name(pg: Cluster, clinic: Clinic) -> None:
    exc = error_of(pg.dsn(clinic.db).replace("@localhost:", "@office.invalid:"))
    assert trouble_of(exc) == "unknown-name"


def test_a_wrong_password_reads_as_a_refused_login(pg: Cluster, clinic: Clinic) -> None:
    exc = error_of(pg.dsn(clinic.db, password="not-the-password"))
    assert trouble_of(exc) == "login"


def test_a_revoked_kiosks_login_reads_as_a_refused_login(pg: Cluster, clinic: Clinic) -> None:
    token = admin.Token.decode(clinic.token("Lobby"))
    with clinic.connect() as conn:
        admin.revoke_kiosk(conn, "Lobby")
    exc = error_of(pg.dsn(clinic.db, user=token.role, password=token.password))
    assert trouble_of(exc) == "login"


def test_a_database_that_is_not_there_reads_as_no_database(pg: Cluster) -> None:
    exc = error_of(pg.dsn("no_such_clinic"))
    assert trouble_of(exc) == "no-database"


def test_a_database_never_set_up_reads_as_not_set_up(pg: Cluster, clinic: Clinic) -> None:
    exc = error_of(pg.dsn(clinic.db), "SELECT count(*) FROM no_such_table")
    assert trouble_of(exc) == "not-set-up"


def test_a_statement_not_allowed_reads_as_permission(pg: Cluster, clinic: Clinic) -> None:
    token = admin.Token.decode(clinic.token("Lobby"))
    exc = error_of(
        pg.dsn(clinic.db, user=token.role, password=token.password), "SELECT * FROM enquiries"
    )
    assert trouble_of(exc) == "permission"


def test_a_server_with_another_certificate_reads_as_untrusted(
    pg: Cluster, clinic: Clinic, tmp_path: Path
) -> None:
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    exc = error_of(pg.dsn(clinic.db, ca_file=other_ca))
    assert trouble_of(exc) == "untrusted"


def test_a_full_disk_reads_as_full() -> None:
    # A full disk on the server cannot be had on demand: its error, as psycopg makes it.
    assert trouble_of(psycopg.errors.DiskFull("could not extend file: No space left")) == "full"


def test_anything_else_reads_as_other_with_its_first_line() -> None:
    exc = psycopg.errors.DivisionByZero("division by zero\nHINT: nothing")
    assert trouble_of(exc) == "other"
    assert first_line(exc) == "division by zero"
    assert first_line(psycopg.OperationalError()) == "OperationalError"
