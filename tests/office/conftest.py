"""Fixtures for the office link: a real PostgreSQL per test session (per xdist worker)
and a fresh database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.office.pg import Cluster, on_linux, start_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    if not on_linux():
        pytest.skip("the office tests run PostgreSQL from Debian's package: Linux only")
    try:
        cluster = start_cluster()
    except RuntimeError as exc:
        # On Linux a missing PostgreSQL is a failure, not a skip: CI installs it.
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.cleanup()


@pytest.fixture
def pg(pg_cluster: Cluster) -> Cluster:
    """The session's cluster, running (a test that stopped it and failed is healed here)."""
    if not pg_cluster.running():
        pg_cluster.start()
    return pg_cluster


@pytest.fixture
def clinic_db(pg: Cluster) -> str:
    """A new, empty database for one test; its name."""
    return pg.create_database()
