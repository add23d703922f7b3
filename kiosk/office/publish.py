"""Publishing content and settings to the kiosks (issue 16), the office's side:
checking a folder as a kiosk would, storing a signed revision, addressing it
(a group first, then every kiosk), and reading back what each kiosk runs.

The kiosk's side (fetch, verify, apply, roll back) reaches these tables only
through ``kiosk_next_revision`` and ``kiosk_report_revision`` (``admin._grants``).
Used by ``kiosk office publish|revisions|group`` and the office app's Revisions
view; the words it returns are the office's (English).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nacl.signing

from kiosk.config import load_config
from kiosk.content.check import check, format_problem
from kiosk.office import audit
from kiosk.office.admin import Conn, OfficeError, name_problem_of
from kiosk.office.revision import RevisionError, pack, sha256_of, sign

#: The target that means every kiosk (never a group's name: those have no ``*``).
ALL = "*"
NOTE_MAX = 500
STATES = ("applied", "refused", "rolled_back")
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('kiosk.office.revisions'))"


class RefusedError(OfficeError):
    """The folder or the settings have errors; nothing was stored. ``problems`` are
    the lines to show (``file:line: error: message``)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Nothing was published: fix these first.\n" + "\n".join(self.problems))


# -- before anything is stored ---------------------------------------------------------


def problems_of(content_dir: Path, config_file: Path | None) -> list[str]:
    """What would stop a kiosk using this folder and settings: the content check's
    errors (its warnings do not stop a page showing) and every settings problem (a
    kiosk would fall back to the default, which is not what was meant)."""
    if not content_dir.is_dir():
        return [f"{content_dir}: error: not a folder"]
    report = check(content_dir)
    lines = [format_problem(problem, report.root) for problem in report.errors]
    if config_file is not None:
        if not config_file.is_file():
            lines.append(f"{config_file}: error: no such settings file")
        else:
            lines += [str(problem) for problem in load_config(config_file)[1]]
    return lines


def prepare(content_dir: Path, config_file: Path | None) -> bytes:
    """The payload for a folder that passes the checks; ``RefusedError`` otherwise."""
    problems = problems_of(content_dir, config_file)
    if problems:
        raise RefusedError(problems)
    try:
        return pack(content_dir, config_file)
    except RevisionError as exc:
        raise RefusedError([str(exc)]) from None


def targets_problem(targets: Sequence[str]) -> str | None:
    """Why ``targets`` (group names, or ``[ALL]``) cannot address a revision, or None."""
    if not targets:
        return "Say which kiosks: a group (e.g. Lobby, to try it there first) or all."
    if ALL in targets:
        return None if len(targets) == 1 else "All kiosks, or groups: not both."
    return next((p for t in targets if (p := name_problem_of(t, "A group"))), None)


def _check(targets: Sequence[str], note: str) -> None:
    problem = targets_problem(targets) or (
        f"A note is at most {NOTE_MAX} characters." if len(note) > NOTE_MAX else None
    )
    if problem:
        raise OfficeError(problem)


# -- storing ---------------------------------------------------------------------------


def publish(
    conn: Conn,
    payload: bytes,
    key: nacl.signing.SigningKey,
    *,
    by: str,
    targets: Sequence[str],
    note: str = "",
) -> int:
    """Sign and store a revision addressed to ``targets``; its number. The revision,
    its targets and the audit entry (naming ``by``) commit together.

    The signature covers the number (``revision.signed_message``), so it is made
    here, under the lock that allocates the number: a kiosk refuses the payload
    served under any other number."""
    note = note.strip()
    _check(targets, note)
    chosen = sorted(set(targets))
    digest = sha256_of(payload)
    with conn.transaction():
        # One number after another, with no gap a rolled-back publish would leave.
        conn.execute(_LOCK)
        row = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM revisions").fetchone()
        assert row is not None
        number = int(row[0])
        signature = sign(number, payload, key)
        # Audited first, in this transaction: office_publish() checks both.
        audit.append(
            conn,
            by,
            "publish",
            f"revision {number}",
            {"sha256": digest, "bytes": len(payload), "targets": chosen, "note": note},
        )
        conn.execute(
            "SELECT office_publish(%s, %s, %s, %s, %s, %s, %s)",
            (number, digest, payload, signature, note, by, chosen),
        )
    return number


def retarget(conn: Conn, number: int, targets: Sequence[str], *, by: str) -> None:
    """Address revision ``number`` to ``targets`` instead (Lobby first, then all):
    the same signed bytes, the same number, so the same signature (it covers the
    number and the payload, not who the revision goes to). Audited."""
    _check(targets, "")
    chosen = sorted(set(targets))
    with conn.transaction():
        conn.execute(_LOCK)
        if not conn.execute("SELECT 1 FROM revisions WHERE number = %s", (number,)).fetchone():
            raise OfficeError(f"There is no revision {number}.")
        # Audited first, in this transaction: office_retarget() checks both.
        audit.append(conn, by, "publish-target", f"revision {number}", {"targets": chosen})
        conn.execute("SELECT office_retarget(%s, %s, %s)", (number, chosen, by))


# -- reading back ----------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionInfo:
    """One revision as the office lists it (without its payload)."""

    number: int
    sha256: str
    note: str
    published_by: str
    published_at: datetime
    size: int
    targets: tuple[str, ...]  # group names, or (ALL,)


@dataclass(frozen=True)
class KioskRevision:
    """What one kiosk runs, and its latest report on any revision."""

    kiosk: str
    group: str | None
    running: int | None  # the newest revision it reported applied (and kept)
    revision: int | None  # its latest report's revision, state, reason, time
    state: str | None
    reason: str
    at: datetime | None

    @property
    def failed(self) -> bool:
        return self.state in ("refused", "rolled_back")


def targets_text(targets: Sequence[str]) -> str:
    if not targets:
        return "no kiosk"
    return "all kiosks" if ALL in targets else ", ".join(targets)


def revisions(conn: Conn, limit: int = 50) -> list[RevisionInfo]:
    """The newest revisions first."""
    rows = conn.execute(
        "SELECT r.number, r.sha256, r.note, r.published_by, r.published_at,"
        " length(r.payload), coalesce(array_agg(t.target ORDER BY t.target)"
        " FILTER (WHERE t.target IS NOT NULL), '{}')"
        " FROM revisions r LEFT JOIN revision_targets t ON t.revision = r.number"
        " GROUP BY r.number ORDER BY r.number DESC LIMIT %s",
        (limit,),
    ).fetchall()
    return [
        RevisionInfo(int(n), str(s), str(note), str(by), at, int(size), tuple(targets))
        for n, s, note, by, at, size, targets in rows
    ]


def groups(conn: Conn) -> list[str]:
    """The groups kiosks (not revoked) are in, by name: where a revision can go first."""
    rows = conn.execute(
        "SELECT DISTINCT group_name FROM kiosks"
        " WHERE group_name IS NOT NULL AND revoked_at IS NULL ORDER BY 1"
    ).fetchall()
    return [str(row[0]) for row in rows]


def kiosk_revisions(conn: Conn) -> list[KioskRevision]:
    """Every kiosk not revoked, by name: what it runs and what it said last."""
    rows = conn.execute(
        "SELECT k.name, k.group_name,"
        " (SELECT max(revision) FROM kiosk_revisions a"
        "  WHERE a.kiosk = k.role AND a.state = 'applied'),"
        " l.revision, l.state, l.reason, l.at"
        " FROM kiosks k LEFT JOIN LATERAL (SELECT * FROM kiosk_revisions s"
        "  WHERE s.kiosk = k.role ORDER BY s.at DESC, s.revision DESC LIMIT 1) l ON true"
        " WHERE k.revoked_at IS NULL ORDER BY k.name"
    ).fetchall()
    return [
        KioskRevision(
            kiosk=str(name),
            group=None if group is None else str(group),
            running=None if running is None else int(running),
            revision=None if revision is None else int(revision),
            state=None if state is None else str(state),
            reason=str(reason or ""),
            at=at,
        )
        for name, group, running, revision, state, reason, at in rows
    ]


def describe(kiosk: KioskRevision) -> str:
    """One line for people: "Lobby: revision 14 rolled back: page 03 failed to render"."""
    if kiosk.state is None:
        return f"{kiosk.kiosk}: no revision reported yet (runs what it was installed with)"
    words = {"applied": "applied", "refused": "refused", "rolled_back": "rolled back"}
    line = f"{kiosk.kiosk}: revision {kiosk.revision} {words.get(kiosk.state, kiosk.state)}"
    if kiosk.reason:
        line += f": {kiosk.reason}"
    if kiosk.failed:
        line += f"; runs {_running(kiosk.running)}"
    return line


def _running(number: int | None) -> str:
    return "what it was installed with" if number is None else f"revision {number}"
