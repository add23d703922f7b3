"""Publishing's benchmarks (issue 16, point 5): ``python -m bench --publish-only``.

Against a throwaway PostgreSQL on loopback over TLS (``tests/office/pg.py``):

- publish to applied: three real kiosk processes (``main.py``, Qt offscreen, each
  enrolled with its own data folder), each at home; a revision published through
  the office's own path (``kiosk.office.publish``: the content check, pack, sign,
  store) for every kiosk; the time from the revision's row to each kiosk's
  ``applied`` report, both stamped by the server's clock. A kiosk reports
  ``applied`` once it fetched (with a heartbeat), verified, unpacked, checked,
  put on screen and rendered the revision, and a heartbeat went through after
  it: about two heartbeats. The kiosks beat every ``BEAT_S`` here (the test knob
  ``KIOSK_TEST_HEARTBEAT_S``), every 60 s in service: there, add one to two
  minutes of waiting to these figures.
- revision size: the shipped content and the example settings packed
  (``kiosk.office.revision.pack``), against their bytes on disk.

Skipped, with a line saying so, where PostgreSQL's binaries are not installed.
"""

from __future__ import annotations

import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.office import _enrol, _office

KIOSKS = ("Lobby", "Upstairs", "Annex")
BEAT_S = 1.0
AIM_APPLIED_P95_S = 3 * BEAT_S + 2.0  # two heartbeats, the slack of a third, and the work
WAIT_S = 120.0
TOPIC = "ketamine-and-depression"


def _content(where: Path, title: str) -> Path:
    """The shipped content with its topic retitled: each publish a new revision."""
    from kiosk.paths import shipped_content_dir

    content = where / "content"
    shutil.copytree(shipped_content_dir(), content)
    topic = content / TOPIC / "topic.toml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace('title = "Ketamine and depression"', f'title = "{title}"', 1))
    return content


def _start(data_dir: Path) -> subprocess.Popen[bytes]:
    from tests.ui.kiosk_process import ROOT, kiosk_env

    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
        env=kiosk_env(KIOSK_SPEECH_ENGINE="off", KIOSK_TEST_HEARTBEAT_S=str(BEAT_S)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _applied_after(conn: Any, number: int) -> list[float]:
    """Seconds from revision ``number``'s row to each kiosk's ``applied`` report."""
    rows = conn.execute(
        "SELECT extract(epoch FROM k.at - r.published_at) FROM kiosk_revisions k"
        " JOIN revisions r ON r.number = k.revision"
        " WHERE k.revision = %s AND k.state = 'applied'",
        (number,),
    ).fetchall()
    return [float(seconds) for (seconds,) in rows]


def publish_to_applied(cluster: Any, publishes: int) -> dict[str, float]:
    import psycopg

    from kiosk.office import admin, publish

    office = _office(cluster)
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-publish-"))
    kiosks = []
    for name in KIOSKS:
        _enrol(cluster, office, folder / name, name)
        kiosks.append(_start(folder / name))
    times: list[float] = []
    office_ms: list[float] = []
    try:
        with psycopg.connect(office.admin_url, autocommit=True) as conn:
            key = admin.publishing_key(conn, admin.opener_by_recovery(conn, office.recovery_code))
            _wait(lambda: _beating(conn) == len(KIOSKS), kiosks, "a heartbeat from each kiosk")
            for n in range(publishes):
                began = time.perf_counter()
                payload = publish.prepare(_content(folder / f"rev{n}", f"Revision {n}"), None)
                number = publish.publish(conn, payload, key, by="bench", targets=[publish.ALL])
                office_ms.append((time.perf_counter() - began) * 1000)
                times += _wait_applied(conn, number, kiosks)
    finally:
        for kiosk in kiosks:
            kiosk.send_signal(signal.SIGTERM)
        for kiosk in kiosks:
            try:
                kiosk.wait(timeout=30)
            except subprocess.TimeoutExpired:
                kiosk.kill()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "publishes": float(publishes),
        "kiosks": float(len(KIOSKS)),
        "beat_s": BEAT_S,
        "applied_median_s": statistics.median(times),
        # Inclusive: with some 20 samples, never beyond the worst one seen.
        "applied_p95_s": statistics.quantiles(times, n=20, method="inclusive")[-1],
        "applied_max_s": max(times),
        "office_publish_ms": statistics.median(office_ms),
    }


def _wait_applied(conn: Any, number: int, kiosks: list[subprocess.Popen[bytes]]) -> list[float]:
    _wait(
        lambda: len(_applied_after(conn, number)) == len(KIOSKS),
        kiosks,
        f"revision {number} applied on every kiosk",
    )
    return _applied_after(conn, number)


def _beating(conn: Any) -> int:
    row = conn.execute("SELECT count(DISTINCT kiosk) FROM heartbeats").fetchone()
    return int(row[0])


def _wait(done: Callable[[], bool], kiosks: list[subprocess.Popen[bytes]], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline or any(k.poll() is not None for k in kiosks):
            raise RuntimeError(f"publishing bench: no {what} in {WAIT_S:.0f} s")
        time.sleep(0.05)


def revision_size() -> dict[str, float]:
    """The shipped content and example settings, packed, against their bytes on disk."""
    from kiosk.office.revision import pack
    from kiosk.paths import resource_dir, shipped_content_dir

    content = shipped_content_dir()
    config = resource_dir() / "kiosk.example.toml"
    files = [p for p in content.rglob("*") if p.is_file()] + [config]
    on_disk = sum(p.stat().st_size for p in files)
    packed = len(pack(content, config))
    return {
        "files": float(len(files)),
        "on_disk_bytes": float(on_disk),
        "packed_bytes": float(packed),
        "packed_vs_disk": packed / on_disk,
    }


def publishing(publishes: int) -> dict[str, dict[str, float]] | str:
    """Both, on one throwaway cluster; a sentence instead when there is no PostgreSQL."""
    from tests.office.pg import INSTALL_HINT, pg_bin_dir, start_cluster

    if pg_bin_dir() is None:
        return f"publishing benchmarks skipped: no PostgreSQL here. {INSTALL_HINT}"
    cluster = start_cluster()
    try:
        return {"applied": publish_to_applied(cluster, publishes), "size": revision_size()}
    finally:
        cluster.cleanup()


def rows(x: dict[str, dict[str, float]] | str) -> list[str]:
    """Publishing's rows of the README table (one line when it was skipped)."""
    if isinstance(x, str):
        return [f"| publishing | {x} | | |"]
    a, s = x["applied"], x["size"]
    ok = "yes" if a["applied_p95_s"] < AIM_APPLIED_P95_S else "**no**"
    return [
        f"| publishing: a signed revision published to applied on {a['kiosks']:.0f} kiosk "
        f"processes (heartbeat every {a['beat_s']:.0f} s; 60 s in service adds 1 to 2 min), "
        f"{a['publishes']:.0f} publishes | median {a['applied_median_s']:.2f} s, p95 "
        f"{a['applied_p95_s']:.2f} s, worst {a['applied_max_s']:.2f} s (the office's "
        f"check, pack, sign and store: {a['office_publish_ms']:.0f} ms) | p95 < "
        f"{AIM_APPLIED_P95_S:.0f} s | {ok} |",
        f"| publishing: revision size, the shipped content and example settings "
        f"({s['files']:.0f} files) | {s['packed_bytes']:,.0f} bytes packed vs "
        f"{s['on_disk_bytes']:,.0f} on disk ({s['packed_vs_disk']:.2f}x) | | |",
    ]
