"""``python -m bench [--quick] [--no-readme]``: the kiosk's benchmarks.

1. Start-up to the first painted home screen, and peak memory: the kiosk
   against a bare PySide6 window (one label, fullscreen), started alternately in
   the same run; medians of the ratios.
2. Page turn, tap to painted: median and 95th percentile over 200 turns, with a
   reference (a label's text changed and painted) in the same process.
3. CPU at rest on home for 60 s (10 s with --quick), and the timer events seen.
4. Saving a request: the enquiry store's save (seal, BEGIN IMMEDIATE, commit
   with synchronous=FULL), median and 95th percentile over 500 saves; a plain
   SQLite insert with the same durability settings in the same folder,
   interleaved, as the reference.

Results go to bench/results/latest.json and between the bench markers in README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

AIM_STARTUP = 1.3
AIM_MEMORY = 1.6
AIM_TURN_P95_MS = 8.0
AIM_CPU_PER_MIN = 0.5
AIM_SAVE_P95_MS = 25.0


def _prepared_data_dir() -> str:
    """A data folder as after the first run: keys made, database created."""
    import tempfile

    from kiosk.keys import KdfParams, KeyRing
    from kiosk.paths import Paths
    from kiosk.store import EnquiryStore

    paths = Paths.resolve(Path(tempfile.mkdtemp(prefix="kiosk-bench-data-")))
    paths.ensure()
    ring, _code = KeyRing.create(
        paths.keys_file, paths.recovery_file, kdf=KdfParams.fast_for_tests()
    )
    EnquiryStore(paths.store_file, ring.sealer()).close()
    return str(paths.data_dir)


_DATA_DIR: list[str] = []


def _child(mode: str, rest_s: float = 0.0) -> dict[str, float]:
    if not _DATA_DIR:
        _DATA_DIR.append(_prepared_data_dir())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_DATA_DIR=_DATA_DIR[0])
    began = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bench.child", mode, str(rest_s)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    result["startup_s"] = result["painted"] - began
    return result


def startup_and_memory(runs: int) -> dict[str, float]:
    _child("bare"), _child("kiosk")  # warm the file cache for both
    startup, memory, kiosk_s, bare_s, kiosk_mb, bare_mb = [], [], [], [], [], []
    for _ in range(runs):
        bare = _child("bare")
        kiosk = _child("kiosk")
        startup.append(kiosk["startup_s"] / bare["startup_s"])
        memory.append(kiosk["peak_rss_kib"] / bare["peak_rss_kib"])
        kiosk_s.append(kiosk["startup_s"])
        bare_s.append(bare["startup_s"])
        kiosk_mb.append(kiosk["peak_rss_kib"] / 1024)
        bare_mb.append(bare["peak_rss_kib"] / 1024)
    return {
        "startup_ratio": statistics.median(startup),
        "startup_kiosk_ms": statistics.median(kiosk_s) * 1000,
        "startup_bare_ms": statistics.median(bare_s) * 1000,
        "memory_ratio": statistics.median(memory),
        "memory_kiosk_mib": statistics.median(kiosk_mb),
        "memory_bare_mib": statistics.median(bare_mb),
        "runs": runs,
    }


def _rss_kib() -> int:
    """Resident memory now (not the peak), from /proc where there is one."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def page_turns(turns: int) -> dict[str, float]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLabel

    from kiosk.config import Config
    from kiosk.content import load_library
    from kiosk.paths import shipped_content_dir
    from kiosk.ui.theme import style_sheet
    from kiosk.ui.window import KioskWindow

    app = QApplication.instance() or QApplication([])
    config = Config()
    app.setStyleSheet(style_sheet(config))
    window = KioskWindow(config, load_library(shipped_content_dir()))
    window.resize(1280, 800)
    window.show()
    painted = {"flag": False}

    class Painted(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted["flag"] = True
            return False

    spy = Painted()
    window.page.body.viewport().installEventFilter(spy)
    pages = window.library.topics[0].pages
    window.show_page(pages[0].key)
    app.processEvents()

    def until_painted() -> None:
        while not painted["flag"]:
            app.processEvents()

    buttons = {"next": window.page.next_button}

    def turn_once() -> float:
        """Tap Next (Previous once at the end, and back), wait for the paint; ms."""
        if not buttons["next"].isEnabled():
            forward = buttons["next"] is window.page.next_button
            buttons["next"] = window.page.previous_button if forward else window.page.next_button
        painted["flag"] = False
        began = time.perf_counter()
        QTest.mouseClick(buttons["next"], Qt.MouseButton.LeftButton)
        until_painted()
        return (time.perf_counter() - began) * 1000

    samples = [turn_once() for _ in range(turns)]

    # Soak: a kiosk turns pages for months. Resident memory after 1,000 more
    # turns and after 3,000 more: a leak shows as growth between the two.
    def turn_many(count: int) -> None:
        for _ in range(count):
            turn_once()

    turn_many(1000)
    rss_1000 = _rss_kib()
    turn_many(2000)
    rss_3000 = _rss_kib()

    # Reference: the cheapest visible change, a label's text, painted.
    label = QLabel("reference")
    label.resize(600, 60)
    label.show()
    label.installEventFilter(spy)
    reference = []
    for i in range(turns):
        painted["flag"] = False
        began = time.perf_counter()
        label.setText(f"reference {i}")
        until_painted()
        reference.append((time.perf_counter() - began) * 1000)
    window.kiosk_mode = False
    window.close()
    label.close()
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    ref_median = statistics.median(reference)
    return {
        "turns": turns,
        "turn_median_ms": statistics.median(samples),
        "turn_p95_ms": p95,
        "reference_median_ms": ref_median,
        "turn_median_vs_reference": statistics.median(samples) / ref_median,
        "soak_rss_after_1000_kib": rss_1000,
        "soak_rss_after_3000_kib": rss_3000,
        "soak_growth_per_1000_turns_kib": (rss_3000 - rss_1000) / 2,
    }


def idle_cpu(seconds: float) -> dict[str, float]:
    result = _child("idle", seconds)
    per_minute = result["cpu_rest_s"] * 60 / result["rest_s"]
    return {
        "rest_s": result["rest_s"],
        "cpu_rest_s": result["cpu_rest_s"],
        "cpu_per_idle_minute_s": per_minute,
        "timer_events": result["timer_events"],
    }


def enquiry_saves(count: int) -> dict[str, float]:
    """Milliseconds per saved request, and per plain durable insert (reference)."""
    import sqlite3
    import tempfile
    import uuid

    from kiosk.keys import KdfParams, KeyRing
    from kiosk.store import EnquiryStore

    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-saves-"))
    ring, _code = KeyRing.create(
        folder / "keys.json", folder / "code.txt", kdf=KdfParams.fast_for_tests()
    )
    store = EnquiryStore(folder / "enquiries.sqlite3", ring.sealer())
    plain = sqlite3.connect(folder / "plain.sqlite3", isolation_level=None)
    plain.execute("PRAGMA journal_mode=WAL")
    plain.execute("PRAGMA synchronous=FULL")
    plain.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v BLOB)")
    personal = {
        "name": "Ana López",
        "phone": "+18015550100",
        "email": "ana@example.com",
        "method": "call",
        "best_time": "any",
        "message": "Is it covered by insurance? " * 10,
    }
    payload = json.dumps(personal).encode()
    saves, inserts = [], []
    for _ in range(count):
        began = time.perf_counter()
        store.save(uuid.uuid4().hex, "ketamine-and-depression", personal)
        saves.append(time.perf_counter() - began)
        began = time.perf_counter()
        plain.execute("BEGIN IMMEDIATE")
        plain.execute("INSERT INTO t (k, v) VALUES (?, ?)", (uuid.uuid4().hex, payload))
        plain.execute("COMMIT")
        inserts.append(time.perf_counter() - began)
    store.close()
    plain.close()
    save_ms = statistics.median(saves) * 1000
    insert_ms = statistics.median(inserts) * 1000
    return {
        "saves": count,
        "save_median_ms": save_ms,
        "save_p95_ms": statistics.quantiles(saves, n=20)[-1] * 1000,
        "insert_median_ms": insert_ms,
        "save_vs_plain_insert": save_ms / insert_ms,
    }


def _table(results: dict[str, dict[str, float]]) -> str:
    s, t, c = results["startup"], results["turns"], results["idle"]
    e = results["saves"]
    mark = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    rows = [
        "| what | measured | aim | met |",
        "| --- | --- | --- | --- |",
        f"| start-up to first painted home, vs a bare PySide6 window | "
        f"{s['startup_ratio']:.2f}x ({s['startup_kiosk_ms']:.0f} ms vs "
        f"{s['startup_bare_ms']:.0f} ms) | <= {AIM_STARTUP}x | "
        f"{mark(s['startup_ratio'] <= AIM_STARTUP)} |",
        f"| peak memory, vs the bare window | {s['memory_ratio']:.2f}x "
        f"({s['memory_kiosk_mib']:.0f} MiB vs {s['memory_bare_mib']:.0f} MiB) | "
        f"<= {AIM_MEMORY}x | {mark(s['memory_ratio'] <= AIM_MEMORY)} |",
        f"| page turn, tap to painted ({t['turns']:.0f} turns) | median "
        f"{t['turn_median_ms']:.1f} ms, p95 {t['turn_p95_ms']:.1f} ms "
        f"({t['turn_median_vs_reference']:.1f}x a label repaint) | p95 < {AIM_TURN_P95_MS} ms | "
        f"{mark(t['turn_p95_ms'] < AIM_TURN_P95_MS)} |",
        f"| memory growth while turning pages (soak, 3,000 turns) | "
        f"{t['soak_growth_per_1000_turns_kib']:.0f} KiB per 1,000 turns "
        f"({t['soak_rss_after_3000_kib'] / 1024:.0f} MiB resident after) | none | "
        f"{mark(t['soak_growth_per_1000_turns_kib'] < 256)} |",
        f"| CPU at rest on home ({c['rest_s']:.0f} s) | {c['cpu_per_idle_minute_s']:.3f} s per "
        f"minute, {c['timer_events']:.0f} timer events | < {AIM_CPU_PER_MIN} s per minute | "
        f"{mark(c['cpu_per_idle_minute_s'] < AIM_CPU_PER_MIN)} |",
        f"| saving a request ({e['saves']:.0f} saves: seal, durable commit) | median "
        f"{e['save_median_ms']:.1f} ms, p95 {e['save_p95_ms']:.1f} ms "
        f"({e['save_vs_plain_insert']:.2f}x a plain durable SQLite insert) | "
        f"p95 < {AIM_SAVE_P95_MS:.0f} ms | {mark(e['save_p95_ms'] < AIM_SAVE_P95_MS)} |",
    ]
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="fewer runs, 10 s at rest")
    parser.add_argument("--no-readme", action="store_true", help="do not update README.md")
    parser.add_argument("--startup-only", action="store_true", help="only start-up and memory")
    args = parser.parse_args()
    if args.startup_only:
        print(json.dumps(startup_and_memory(3 if args.quick else 7), indent=2))
        return 0
    results = {
        "startup": startup_and_memory(3 if args.quick else 7),
        "turns": page_turns(200),
        "idle": idle_cpu(10 if args.quick else 60),
        "saves": enquiry_saves(500),
    }
    results["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count() or 0,
        "platform": "offscreen",
        "when": time.strftime("%Y-%m-%d"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    table = _table(results)
    print(table)
    if not args.no_readme and README.exists():
        text = README.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            _, tail = rest.split(END, 1)
            stamp = (
                f"\n_Measured {results['machine']['when']} with `make bench` on "
                f"{results['machine']['cpus']} cores, Qt offscreen platform._\n\n"
            )
            README.write_text(head + START + stamp + table + "\n" + END + tail, encoding="utf-8")
    sys.stdout.flush()
    # Skip interpreter teardown: PySide6 can crash while collecting the Qt
    # objects of page_turns() at exit, and it is not what we measure.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
