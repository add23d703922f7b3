"""Publishing to real kiosks (issue 16, point 5): three kiosk processes (``main.py``
on Qt's offscreen platform, each its own data folder and enrolment) against the
real PostgreSQL over TLS. A signed revision reaches each and each shows it; a
tampered one (a byte changed; signed with a wrong key) is refused by each; one
that breaks a page is applied and rolled back by each on its own; and a kiosk
that starts again with a revision never confirmed goes back by itself.

What each kiosk shows is read back from the kiosk: the topic titles its heartbeat
carries are its window's library (``kiosk.ui.app``), its ``published/state.json``
and its log. The kiosks sit at home, a safe moment: each applies at once (the
idle reset and a reader on a page are ``test_updater.py``'s, in one process).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nacl.signing
import pytest

from kiosk.office import published
from kiosk.office.apply import bad_signature
from kiosk.office.revision import pack
from kiosk.ui.app import HEARTBEAT_ENV
from tests.office.conftest import Clinic, enrolled_tablet
from tests.office.test_publish import publish_by_recovery
from tests.office.test_updater import (
    SHIPPED_TITLE,
    TOO_DEEP,
    TOPIC,
    content_titled,
    publish_signed,
)
from tests.ui.kiosk_process import ROOT, kiosk_env

NAMES = ("Lobby", "Upstairs", "Annex")
WAIT_S = 120.0  # three kiosks starting on a shared machine, then a heartbeat each second
BEAT_S = "0.5"


@dataclass
class KioskProcess:
    name: str
    data_dir: Path
    log: Path
    process: subprocess.Popen[bytes]

    def state(self) -> published.State:
        return published.read(self.data_dir)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_kiosk(name: str, data_dir: Path) -> KioskProcess:
    log = data_dir.parent / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
            env=kiosk_env(KIOSK_SPEECH_ENGINE="off", **{HEARTBEAT_ENV: BEAT_S}),
            stdout=subprocess.DEVNULL,
            stderr=out,
        )
    return KioskProcess(name, data_dir, log, process)


@pytest.fixture
def kiosks(clinic: Clinic, tmp_path: Path) -> Iterator[list[KioskProcess]]:
    started = []
    for name in NAMES:
        tablet = enrolled_tablet(clinic, tmp_path / name / "data", name)
        tablet.store.close()
        started.append(start_kiosk(name, tablet.data_dir))
    yield started
    for kiosk in started:
        kiosk.stop()


def shown_titles(clinic: Clinic) -> dict[str, list[str]]:
    """Each kiosk's topic titles as its latest heartbeat says: its window's library."""
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT DISTINCT ON (k.name) k.name, h.topics FROM heartbeats h"
            " JOIN kiosks k ON k.role = h.kiosk WHERE h.topics IS NOT NULL"
            " ORDER BY k.name, h.id DESC"
        ).fetchall()
    return {str(name): sorted((topics or {}).values()) for name, topics in rows}


def running_said(clinic: Clinic) -> dict[str, str]:
    """What each kiosk's latest heartbeat says it runs ("revision 14", "local")."""
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT DISTINCT ON (k.name) k.name, h.content_fingerprint FROM heartbeats h"
            " JOIN kiosks k ON k.role = h.kiosk ORDER BY k.name, h.id DESC"
        ).fetchall()
    return {str(name): str(said) for name, said in rows}


def reports(clinic: Clinic, number: int) -> dict[str, tuple[str, str]]:
    """What each kiosk reported on revision ``number``: (state, reason) by name."""
    with clinic.connect() as conn:
        rows = conn.execute(
            "SELECT k.name, r.state, r.reason FROM kiosk_revisions r"
            " JOIN kiosks k ON k.role = r.kiosk WHERE r.revision = %s",
            (number,),
        ).fetchall()
    return {str(n): (str(s), str(r)) for n, s, r in rows}


def wait_for(what: str, done: Callable[[], bool], kiosks: list[KioskProcess]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        for kiosk in kiosks:
            assert kiosk.process.poll() is None, f"{kiosk.name} ended:\n{kiosk.log_text()}"
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {k.name}\n{k.log_text()[-3000:]}" for k in kiosks)
            pytest.fail(f"waited {WAIT_S:.0f} s for {what}\n{logs}")
        time.sleep(0.2)


def test_three_kiosks_apply_refuse_and_roll_back_published_revisions(
    clinic: Clinic, kiosks: list[KioskProcess], tmp_path: Path
) -> None:
    everyone = {name: [SHIPPED_TITLE] for name in NAMES}
    wait_for("a heartbeat from each", lambda: shown_titles(clinic) == everyone, kiosks)
    assert running_said(clinic) == {name: published.LOCAL for name in NAMES}

    # A signed revision, through the office's own publishing: each shows it.
    spring = publish_by_recovery(clinic, content_titled(tmp_path / "a", "Spring"), ["*"])
    wait_for(
        "each kiosk to apply it",
        lambda: reports(clinic, spring) == {n: ("applied", "") for n in NAMES},
        kiosks,
    )
    wait_for("each to show it", lambda: shown_titles(clinic) == _all("Spring"), kiosks)
    wait_for(
        "each heartbeat to say it runs it",
        lambda: running_said(clinic) == {n: f"revision {spring}" for n in NAMES},
        kiosks,
    )
    for kiosk in kiosks:
        state = kiosk.state()
        assert (state.current, state.confirmed, state.reports) == (spring, True, ())
        assert f"revision {spring} confirmed" in kiosk.log_text()

    # One byte changed after signing (its digest made to match), and one signed
    # with a key that is not the clinic's: each refused by each kiosk, never shown.
    payload = pack(content_titled(tmp_path / "b", "Tampered"), None)
    tampered = publish_signed(clinic, payload)
    with clinic.connect() as conn:
        changed = payload[:200] + bytes([payload[200] ^ 0x01]) + payload[201:]
        conn.execute(
            "UPDATE revisions SET payload = %s, sha256 = encode(sha256(%s), 'hex')"
            " WHERE number = %s",
            (changed, changed, tampered),
        )
    wrong_key = publish_signed(clinic, payload, nacl.signing.SigningKey.generate())
    wait_for(
        "each kiosk to refuse both",
        lambda: (
            reports(clinic, tampered) == {k: ("refused", bad_signature(tampered)) for k in NAMES}
            and reports(clinic, wrong_key)
            == {k: ("refused", bad_signature(wrong_key)) for k in NAMES}
        ),
        kiosks,
    )
    assert shown_titles(clinic) == _all("Spring")
    for kiosk in kiosks:
        assert f"revision {tampered} refused" in kiosk.log_text()
        assert kiosk.state().current == spring
        assert not published.folder(kiosk.data_dir, tampered).exists()

    # A page that loads but fails to render (nested 30 deep): applied, then rolled
    # back by each kiosk on its own, to the revision before.
    deep = publish_signed(
        clinic, pack(content_titled(tmp_path / "c", "Deep", extra_body=TOO_DEEP), None)
    )
    failed = (
        "rolled_back",
        "page 03-how-does-ketamine-work failed to render: nested more than 24 deep;"
        " the page cannot be shown",
    )
    wait_for(
        "each kiosk to roll it back",
        lambda: reports(clinic, deep) == {n: failed for n in NAMES},
        kiosks,
    )
    wait_for("each to show Spring again", lambda: shown_titles(clinic) == _all("Spring"), kiosks)
    for kiosk in kiosks:
        state = kiosk.state()
        assert (state.current, state.confirmed) == (spring, True)
        assert deep in state.rejected
        assert f"revision {deep} rolled back: page 03-how-does-ketamine-work" in kiosk.log_text()

    # A crash loop: Lobby stopped with a new revision on screen, never confirmed
    # (its state as a crash would leave it). Started again, it goes back by itself.
    lobby = kiosks[0]
    lobby.stop()
    summer = publish_by_recovery(clinic, content_titled(tmp_path / "d", "Summer"), ["*"])
    left_by_a_crash(lobby.data_dir, spring, summer)
    published.write(lobby.data_dir, lobby.state().applied(summer))
    kiosks[0] = start_kiosk(lobby.name, lobby.data_dir)
    wait_for(
        "Lobby to roll back the revision it never confirmed",
        lambda: reports(clinic, summer).get("Lobby", ("", ""))[0] == "rolled_back",
        kiosks,
    )
    assert "started again before revision" in reports(clinic, summer)["Lobby"][1]
    assert kiosks[0].state().current == spring
    # The two others take Summer as any revision.
    wait_for(
        "the others to apply Summer",
        lambda: (
            {n: s for n, (s, _r) in reports(clinic, summer).items() if n != "Lobby"}
            == {"Upstairs": "applied", "Annex": "applied"}
        ),
        kiosks,
    )
    wait_for(
        "Lobby on Spring, the others on Summer",
        lambda: (
            shown_titles(clinic)
            == {"Lobby": ["Spring"], "Upstairs": ["Summer"], "Annex": ["Summer"]}
        ),
        kiosks,
    )
    wait_for(
        "each heartbeat to say which it runs",
        lambda: (
            running_said(clinic)
            == {
                "Lobby": f"revision {spring}",
                "Upstairs": f"revision {summer}",
                "Annex": f"revision {summer}",
            }
        ),
        kiosks,
    )


def _all(title: str) -> dict[str, list[str]]:
    return {name: [title] for name in NAMES}


def left_by_a_crash(data_dir: Path, source: int, number: int) -> None:
    """Revision ``number``'s folder as the kiosk would have unpacked it (a copy of
    ``source``'s, retitled): what a crash after applying it leaves on disk."""
    target = published.folder(data_dir, number)
    shutil.copytree(published.folder(data_dir, source), target)
    topic = target / published.CONTENT_DIR / TOPIC / "topic.toml"
    topic.write_text(topic.read_text(encoding="utf-8").replace("Spring", "Summer"))
