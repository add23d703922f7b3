"""Why talking to the office database failed, as one word: what the front desk's
office app says in a sentence (``kiosk.ui.office.words.DB_TROUBLE``) instead of
the driver's own text, and what the tablet's outbox tells its staff panel.

The driver's words are the only source for some causes (libpq gives a refused
or unresolved connection no SQLSTATE), so those are matched on text; the
server's refusals are matched on their class first.
"""

from __future__ import annotations

from typing import Literal

import psycopg
import psycopg.errors

#: Why a server did not answer (the tablet's staff panel has words for each).
Unreachable = Literal["unknown-name", "no-network", "timeout", "not-answering", "other"]
Trouble = Literal[
    "unknown-name",
    "no-network",
    "timeout",
    "not-answering",
    "login",
    "no-database",
    "not-set-up",
    "permission",
    "full",
    "untrusted",
    "other",
]

#: Words in a connection error that say why the server did not answer.
_UNREACHABLE: tuple[tuple[Unreachable, tuple[str, ...]], ...] = (
    ("unknown-name", ("translate host name", "name or service not known", "name resolution")),
    ("no-network", ("network is unreachable", "no route to host")),
    ("timeout", ("timeout", "timed out")),
    (
        "not-answering",
        ("connection refused", "closed the connection", "shutting down", "starting up"),
    ),
)

_LOGIN_WORDS = (
    "password authentication failed",
    "not permitted to log in",
    "no password supplied",
    "no pg_hba.conf entry",
)


def unreachable(lowered: str) -> Unreachable:
    """The cause a connection error's words (lower case) name, or "other"."""
    return next((t for t, words in _UNREACHABLE if any(w in lowered for w in words)), "other")


def trouble_of(exc: BaseException) -> Trouble:
    """What went wrong, in one word, for an error from psycopg (or any other)."""
    lowered = str(exc).lower()
    if isinstance(exc, psycopg.errors.DiskFull) or "no space left on device" in lowered:
        return "full"
    if isinstance(
        exc, psycopg.errors.InvalidAuthorizationSpecification | psycopg.errors.InvalidPassword
    ) or any(words in lowered for words in _LOGIN_WORDS):
        return "login"
    if isinstance(exc, psycopg.errors.InvalidCatalogName) or (
        "database" in lowered and "does not exist" in lowered
    ):
        return "no-database"
    if isinstance(
        exc,
        psycopg.errors.UndefinedTable
        | psycopg.errors.UndefinedFunction
        | psycopg.errors.UndefinedColumn,
    ):
        return "not-set-up"
    if isinstance(exc, psycopg.errors.InsufficientPrivilege) or "permission denied" in lowered:
        return "permission"
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return "untrusted"
    return unreachable(lowered)


def first_line(exc: BaseException) -> str:
    """The error's own first line, its spaces evened (libpq writes "FATAL:  password"),
    or its type's name when it has no words."""
    text = str(exc).strip()
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__
