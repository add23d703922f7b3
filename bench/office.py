"""The office link's benchmarks (issue 14, point 8): ``python -m bench --office-only``.

Against a throwaway PostgreSQL on loopback, over TLS verified against a test CA
(``tests/office/pg.py`` starts it, as the office tests do):

- send to office-visible: the patient's Send committed on the tablet to the
  row visible to an office connection that LISTENs (its NOTIFY comes with the
  commit), the sender running as the kiosk runs it (a look at the outbox a
  second) and woken at the Send;
- sender throughput: enquiries per second numbered, signed, inserted in
  batches and marked sent, against a plain INSERT loop of the same rows in the
  same batches over the same kind of connection, in the same run;
- tablet start-up to the first painted home and peak memory 1.5 s after it,
  enrolled against not enrolled (the sender starts seconds after the first
  paint), in child processes started alternately (``bench.child``); and the
  enrolled kiosk's peak memory once its sender runs, against the same.

Skipped, with a line saying so, where PostgreSQL's binaries are not installed.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.samples import PERSONAL

AIM_LINK_P95_S = 2.0
# Start-up and memory "unchanged when enrolled": within these ratios.
AIM_LINK_STARTUP = 1.1
AIM_LINK_MEMORY = 1.1
LATENCY_SENDS = 25
THROUGHPUT_ROWS = 3000


@dataclass(frozen=True)
class _Office:
    admin_url: str
    server_url: str
    recovery_code: str  # for the publishing key (bench/publishing.py)


def _office(cluster: Any) -> _Office:
    """A clinic database after ``kiosk office init``."""
    import psycopg

    from kiosk.enquiries.keys import KdfParams
    from kiosk.office import admin

    db = cluster.create_database()
    url = cluster.dsn(db)
    with psycopg.connect(url) as conn:
        made = admin.init(conn, kdf=KdfParams.fast_for_tests())
    assert made.recovery_code is not None  # a new database: its first init
    return _Office(url, cluster.server_url(db), made.recovery_code)


def _enrol(cluster: Any, office: _Office, data_dir: Path, name: str) -> Any:
    import psycopg

    from kiosk.office import admin
    from kiosk.office.enrol import enrol

    with psycopg.connect(office.admin_url) as conn:
        opener = admin.opener_by_recovery(conn, office.recovery_code)
        token = admin.enrol_kiosk(conn, name, cluster.ca_file.read_text(), opener).encode()
    return enrol(data_dir, office.server_url, token)


def link_latency(cluster: Any, sends: int = LATENCY_SENDS) -> dict[str, float]:
    """Seconds from the Send's local commit to the office's NOTIFY, two ways."""
    import psycopg

    from kiosk.enquiries.keys import Sealer
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.office.outbox import Sender

    office = _office(cluster)
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-link-"))
    link = _enrol(cluster, office, folder, "Lobby")
    store = EnquiryStore(folder / "enquiries.sqlite3", Sealer(link.public_key))
    sender = Sender(link, folder / "enquiries.sqlite3")
    sender.start()
    polled: list[float] = []
    woken: list[float] = []
    try:
        with psycopg.connect(office.admin_url, autocommit=True) as listener:
            listener.execute("LISTEN enquiries")
            for n in range(sends * 2):
                wake = n % 2 == 1
                store.save(f"latency-{n}", "ketamine", PERSONAL)
                committed = time.monotonic()
                if wake:
                    sender.wake()
                got = list(listener.notifies(timeout=10.0, stop_after=1))
                if not got:
                    raise RuntimeError("an enquiry did not reach the office in 10 s")
                (woken if wake else polled).append(time.monotonic() - committed)
                # Spread the Sends over the sender's second between looks.
                time.sleep(0.137 * (n % 7))
    finally:
        sender.stop()
        store.close()

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    return {
        "sends": float(sends),
        "polled_median_s": statistics.median(polled),
        "polled_p95_s": p95(polled),
        "woken_median_s": statistics.median(woken),
        "woken_p95_s": p95(woken),
    }


def link_throughput(cluster: Any, rows: int = THROUGHPUT_ROWS) -> dict[str, float]:
    """Enquiries a second through the sender, and a plain INSERT loop of the same rows."""
    import psycopg

    from kiosk.enquiries.keys import Sealer
    from kiosk.enquiries.store import EnquiryStore
    from kiosk.office.outbox import BATCH, Sender

    office = _office(cluster)
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-throughput-"))
    link = _enrol(cluster, office, folder, "Lobby")
    store = EnquiryStore(folder / "enquiries.sqlite3", Sealer(link.public_key))
    for n in range(rows):
        store.save(f"throughput-{n}", "ketamine", PERSONAL)
    store.close()
    sender = Sender(link, folder / "enquiries.sqlite3")
    began = time.perf_counter()
    sent = 0
    try:
        while sender.send_once():
            sent += 1
    finally:
        sender.stop()
    sender_s = time.perf_counter() - began
    # The reference: the same rows, as sent (signature and all), inserted by a plain
    # executemany in the same batches over a TLS connection, into a table like it.
    with psycopg.connect(office.admin_url) as conn:
        sample = conn.execute(
            "SELECT seq, form_key, created_at, topic, key_id, sealed, signature FROM enquiries"
            " ORDER BY seq"
        ).fetchall()
        conn.execute("CREATE TABLE plain (LIKE enquiries INCLUDING ALL)")
        conn.commit()
        began = time.perf_counter()
        for start in range(0, len(sample), BATCH):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO plain (seq, form_key, created_at, topic, key_id, sealed,"
                    " signature) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    sample[start : start + BATCH],
                )
        plain_s = time.perf_counter() - began
    if len(sample) != rows:
        raise RuntimeError(f"the sender sent {len(sample)} of {rows} enquiries")
    return {
        "rows": float(rows),
        "sender_per_s": rows / sender_s,
        "plain_per_s": rows / plain_s,
        "sender_vs_plain": plain_s / sender_s,
    }


def link_startup(
    cluster: Any,
    runs: int,
    prepared_data_dir: Callable[[], str],
    child: Callable[..., dict[str, Any]],
) -> dict[str, float]:
    """Start-up and peak memory of the kiosk, enrolled against not, alternately;
    and the enrolled one's peak memory once its sender runs.

    ``prepared_data_dir`` makes a data folder as after the first run;
    ``child(data_dir, wait_sender=False)`` starts the kiosk on it and returns
    ``bench.child``'s figures (with ``wait_sender``, memory once the sender runs).
    """
    office = _office(cluster)
    plain = prepared_data_dir()
    enrolled = prepared_data_dir()
    _enrol(cluster, office, Path(enrolled), "Bench")
    child(plain), child(enrolled)  # warm the file cache for both
    times: dict[str, list[float]] = {"plain": [], "enrolled": []}
    peaks: dict[str, list[float]] = {"plain": [], "enrolled": [], "sending": []}
    for _ in range(runs):
        for kind, folder in (("plain", plain), ("enrolled", enrolled)):
            got = child(folder)
            times[kind].append(got["startup_s"])
            peaks[kind].append(got["peak_rss_kib"] / 1024)
        peaks["sending"].append(child(enrolled, wait_sender=True)["peak_rss_kib"] / 1024)
    # Medians of each pair's ratio (started one after the other), as the start-up
    # bench does: a machine busier for a while slows both of a pair.
    pairs = list(zip(times["enrolled"], times["plain"], strict=True))
    mem = {k: statistics.median(v) for k, v in peaks.items()}
    return {
        "runs": float(runs),
        "startup_plain_ms": statistics.median(times["plain"]) * 1000,
        "startup_enrolled_ms": statistics.median(times["enrolled"]) * 1000,
        "startup_enrolled_vs_plain": statistics.median(e / p for e, p in pairs),
        "memory_plain_mib": mem["plain"],
        "memory_enrolled_mib": mem["enrolled"],
        "memory_enrolled_vs_plain": mem["enrolled"] / mem["plain"],
        "memory_sending_mib": mem["sending"],
        "memory_sending_vs_plain": mem["sending"] / mem["plain"],
    }


def office_link(
    runs: int,
    prepared_data_dir: Callable[[], str],
    child: Callable[..., dict[str, Any]],
) -> dict[str, dict[str, float]] | str:
    """All three on one throwaway cluster; a sentence instead when there is no PostgreSQL."""
    from tests.office.pg import INSTALL_HINT, pg_bin_dir, start_cluster

    if pg_bin_dir() is None:
        return f"office link benchmarks skipped: no PostgreSQL here. {INSTALL_HINT}"
    cluster = start_cluster()
    try:
        return {
            "latency": link_latency(cluster),
            "throughput": link_throughput(cluster),
            "startup": link_startup(cluster, runs, prepared_data_dir, child),
        }
    finally:
        cluster.cleanup()


def link_rows(x: dict[str, dict[str, float]] | str) -> list[str]:
    """The office link's rows of the README table (one line when it was skipped)."""
    if isinstance(x, str):
        return [f"| office link | {x} | | |"]
    lat, thr, st = x["latency"], x["throughput"], x["startup"]

    def mark(ok: bool) -> str:
        return "yes" if ok else "**no**"

    return [
        f"| office link: Send committed on the tablet to visible in the office (LISTEN), "
        f"loopback TLS, {lat['sends']:.0f} Sends each way | the sender looking every second: "
        f"median {lat['polled_median_s']:.2f} s, p95 {lat['polled_p95_s']:.2f} s; woken at "
        f"the Send: median {lat['woken_median_s'] * 1000:.0f} ms, p95 "
        f"{lat['woken_p95_s'] * 1000:.0f} ms | p95 < {AIM_LINK_P95_S:.0f} s | "
        f"{mark(max(lat['polled_p95_s'], lat['woken_p95_s']) < AIM_LINK_P95_S)} |",
        f"| office link: sender throughput ({thr['rows']:,.0f} enquiries: numbered, signed, "
        f"sent in batches, marked sent) | {thr['sender_per_s']:,.0f} a second "
        f"({thr['sender_vs_plain']:.2f}x a plain INSERT loop of the same rows, "
        f"{thr['plain_per_s']:,.0f} a second) | | |",
        f"| tablet start-up to first painted home, enrolled vs not | "
        f"{st['startup_enrolled_vs_plain']:.2f}x ({st['startup_enrolled_ms']:.0f} ms vs "
        f"{st['startup_plain_ms']:.0f} ms) | <= {AIM_LINK_STARTUP}x | "
        f"{mark(st['startup_enrolled_vs_plain'] <= AIM_LINK_STARTUP)} |",
        f"| tablet peak memory 1.5 s after the first paint, enrolled (sender not yet "
        f"started) vs not | "
        f"{st['memory_enrolled_vs_plain']:.2f}x ({st['memory_enrolled_mib']:.0f} MiB vs "
        f"{st['memory_plain_mib']:.0f} MiB) | <= {AIM_LINK_MEMORY}x | "
        f"{mark(st['memory_enrolled_vs_plain'] <= AIM_LINK_MEMORY)} |",
        f"| tablet peak memory, enrolled with the sender running vs not | "
        f"{st['memory_sending_vs_plain']:.2f}x ({st['memory_sending_mib']:.0f} MiB vs "
        f"{st['memory_plain_mib']:.0f} MiB) | <= {AIM_LINK_MEMORY}x | "
        f"{mark(st['memory_sending_vs_plain'] <= AIM_LINK_MEMORY)} |",
    ]
