"""Live reload with the window up: every way an editor or a sync tool changes
files, 100 times each; the screen always shows valid content, a valid change
always ends up shown, and nothing is swapped under a patient reading."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.content import load_library
from kiosk.paths import Paths
from kiosk.ui.reload import FolderWatcher, LiveReload
from tests.conftest import write_page

SETTLE_MS = 40
ROUNDS = 100


def _page_text(title: str, order: int = 2) -> str:
    return f"---\ntitle: {title}\norder: {order}\n---\n\nSome text for {title}.\n"


@pytest.fixture
def live(make_window, content_copy: Path, data_tmpdir: Path):
    """A window on a writable copy of the shipped content, with live reload."""
    data_tmpdir.mkdir(parents=True, exist_ok=True)
    paths = Paths.resolve(data_tmpdir, content_copy)
    window = make_window(library=load_library(content_copy))
    events: list[str] = []
    reload = LiveReload(window, paths, settle_ms=SETTLE_MS, restyle=lambda _c: None)
    reload.applied.connect(lambda: events.append("applied"))
    reload.refused.connect(lambda _why: events.append("refused"))
    return window, reload, paths, events


def _page_file(paths: Paths) -> Path:
    return paths.content_dir / "ketamine-and-depression" / "02-what-is-ketamine.md"


def _titles(window) -> list[str]:
    return [p.title for t in window.library.topics for p in t.pages]


def _settle(qtbot, events: list[str], before: int) -> str:
    qtbot.waitUntil(lambda: len(events) > before, timeout=5000)
    QApplication.processEvents()
    return events[-1]


def _assert_valid_on_screen(window) -> None:
    assert window.library.topics and not window.library.errors
    tiles = [t.label_text() for t in window.home.tiles]
    assert tiles == _titles(window)


def test_the_shipped_pages_are_found_by_the_watcher(live) -> None:
    _window, reload, paths, _events = live
    watched = reload.watcher.watched()
    assert str(_page_file(paths)) in watched
    assert str(paths.content_dir) in watched and str(paths.content_dir.parent) in watched


def test_atomic_renames(qtbot, live) -> None:
    window, _reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_text(_page_text(f"Renamed {n}"), encoding="utf-8")
        os.replace(temp, target)
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Renamed {n}" in _titles(window)
        _assert_valid_on_screen(window)


def test_truncated_writes(qtbot, live) -> None:
    """Saved in place: the file is empty, then half written, then whole."""
    window, _reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        text = _page_text(f"Written {n}")
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text[:9])  # "---\ntitle" : a broken header, for a moment
            handle.flush()
            time.sleep(0.002)
            handle.write(text[9:])
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Written {n}" in _titles(window)
        _assert_valid_on_screen(window)


def test_delete_and_recreate(qtbot, live) -> None:
    window, _reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        target.unlink()
        time.sleep(0.002)
        target.write_text(_page_text(f"Recreated {n}"), encoding="utf-8")
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Recreated {n}" in _titles(window)
        _assert_valid_on_screen(window)


def test_invalid_files_keep_the_last_good_content(qtbot, live) -> None:
    window, reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        good = f"Good {n}"
        target.write_text(_page_text(good), encoding="utf-8")
        assert _settle(qtbot, events, len(events)) == "applied"
        target.write_bytes(b"---\ntitle: [broken\norder: x\n---\n\xff\xfe")
        assert _settle(qtbot, events, len(events)) == "refused"
        assert good in _titles(window)  # the last good content stays
        _assert_valid_on_screen(window)
    assert any("02-what-is-ketamine.md" in line for line in reload.last_problems)


def test_a_whole_folder_replaced_by_a_sync_tool(qtbot, live, tmp_path: Path) -> None:
    window, _reload, paths, events = live
    for n in range(5):
        fresh = tmp_path / f"incoming-{n}"
        shutil.copytree(paths.content_dir, fresh)
        write_page(fresh / "ketamine-and-depression", "02-what-is-ketamine.md", f"Sync {n}", 2)
        old = tmp_path / f"old-{n}"
        os.rename(paths.content_dir, old)
        os.rename(fresh, paths.content_dir)
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Sync {n}" in _titles(window)
        _assert_valid_on_screen(window)


def test_never_swapped_under_a_patient_reading(qtbot, live) -> None:
    window, reload, paths, events = live
    page = window.library.topics[0].pages[3]
    window.show_page(page.key)
    _page_file(paths).write_text(_page_text("Changed while reading"), encoding="utf-8")
    qtbot.waitUntil(lambda: reload.pending, timeout=5000)
    assert events == [] and window.current_page == page  # still reading the old content
    assert "Changed while reading" not in _titles(window)
    window.show_request()
    assert reload.pending
    window.show_home()
    assert events == ["applied"] and "Changed while reading" in _titles(window)


def test_the_idle_reset_applies_a_waiting_change(qtbot, live) -> None:
    window, reload, paths, events = live
    window.show_page(window.library.topics[0].pages[1].key)
    _page_file(paths).write_text(_page_text("After idle"), encoding="utf-8")
    qtbot.waitUntil(lambda: reload.pending, timeout=5000)
    window.reset()
    assert events == ["applied"] and "After idle" in _titles(window)


def test_crisis_help_open_on_home_holds_the_change_until_closed(qtbot, live) -> None:
    window, reload, paths, events = live
    window.show_crisis()
    _page_file(paths).write_text(_page_text("After crisis"), encoding="utf-8")
    qtbot.waitUntil(lambda: reload.pending, timeout=5000)
    assert events == []
    window.crisis.close_button.click()
    assert events == ["applied"]


def test_a_config_change_is_applied_and_a_bad_colour_falls_back(qtbot, live, caplog) -> None:
    window, _reload, paths, events = live
    paths.config_file.write_text(
        '[clinic]\nname = "Lakeside Clinic"\n[colours]\ntext = "#dddddd"\n', encoding="utf-8"
    )
    assert _settle(qtbot, events, 0) == "applied"
    assert window.clinic_name.full_text() == "Lakeside Clinic"
    assert window.config.colours.text == "#1b1f22"  # the default, not the pale grey
    assert any("WCAG AA" in r.getMessage() for r in caplog.records)


def test_a_burst_of_changes_is_read_once(qtbot, live, monkeypatch) -> None:
    """Changes are read once the files are quiet, not on every event."""
    window, _reload, paths, events = live
    loads = []
    import kiosk.ui.reload as module

    real = module.load_library
    monkeypatch.setattr(module, "load_library", lambda root: loads.append(root) or real(root))
    target = _page_file(paths)
    for n in range(20):
        target.write_text(_page_text(f"Burst {n}"), encoding="utf-8")
        time.sleep(0.002)
    assert _settle(qtbot, events, 0) == "applied"
    assert "Burst 19" in _titles(window)
    assert len(loads) <= 2


def test_the_watcher_follows_new_folders(qtbot, tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_page(content / "a", "01.md", "One", 1)
    (content / "a" / "topic.toml").write_text('title = "A"\n', encoding="utf-8")
    watcher = FolderWatcher(Paths.resolve(tmp_path / "data", content), settle_ms=SETTLE_MS)
    with qtbot.waitSignal(watcher.settled, timeout=5000):
        write_page(content / "b", "01.md", "Two", 1)
    assert str(content / "b") in watcher.watched()
    assert str(content / "b" / "01.md") in watcher.watched()
