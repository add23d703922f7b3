"""Live reload with the window up: every way an editor or a sync tool changes
files, 100 times each (10 in `make test-fast`); the screen always shows valid
content, a valid change always ends up shown, and nothing is swapped under a
patient reading."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.content import Library, load_library
from kiosk.paths import Paths
from kiosk.ui.reload import FolderWatcher, LiveReload
from kiosk.ui.window import KioskWindow
from tests.conftest import MakeWindow, stress_rounds, write_page
from tests.ui.helpers import application

SETTLE_MS = 40
ROUNDS = stress_rounds(100)  # a tenth in make test-fast


def _page_text(title: str, order: int = 2) -> str:
    return f"---\ntitle: {title}\norder: {order}\n---\n\nSome text for {title}.\n"


# The window, its live reload, the paths it watches, and what the reload did.
Live = tuple[KioskWindow, LiveReload, Paths, list[str]]


@pytest.fixture
def live(make_window: MakeWindow, content_copy: Path, data_tmpdir: Path) -> Live:
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


def _titles(window: KioskWindow) -> list[str]:
    return [p.title for t in window.library.topics for p in t.pages]


def _settle(qtbot: QtBot, events: list[str], before: int) -> str:
    qtbot.waitUntil(lambda: len(events) > before, timeout=5000)
    QApplication.processEvents()
    return events[-1]


def _assert_valid_on_screen(window: KioskWindow) -> None:
    assert window.library.topics and not window.library.errors
    shown = [t.label_text() for t in window.home.tiles] + [a.text() for a in window.home.links]
    assert sorted(shown) == sorted(_titles(window))  # a tile or a link under the tiles each


def test_the_shipped_pages_are_found_by_the_watcher(live: Live) -> None:
    _window, reload, paths, _events = live
    watched = reload.watcher.watched()
    assert str(_page_file(paths)) in watched
    assert str(paths.content_dir) in watched and str(paths.content_dir.parent) in watched


@pytest.mark.slow
def test_atomic_renames(qtbot: QtBot, live: Live) -> None:
    window, _reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_text(_page_text(f"Renamed {n}"), encoding="utf-8")
        os.replace(temp, target)
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Renamed {n}" in _titles(window)
        _assert_valid_on_screen(window)


@pytest.mark.slow
def test_truncated_writes(qtbot: QtBot, live: Live) -> None:
    """Saved in place: the file is cut short and stays so long enough to be read
    (an editor stalled mid-save), then written whole. The cut file is refused
    and the last good page stays; the whole one is shown."""
    window, _reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        text = _page_text(f"Written {n}")
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text[:9])  # "---\ntitle": a broken header
            handle.flush()
            assert _settle(qtbot, events, len(events)) == "refused"
            assert f"Written {n}" not in _titles(window)
            _assert_valid_on_screen(window)
            handle.write(text[9:])
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Written {n}" in _titles(window)
        _assert_valid_on_screen(window)


@pytest.mark.slow
def test_delete_and_recreate(qtbot: QtBot, live: Live) -> None:
    window, _reload, paths, events = live
    target = _page_file(paths)
    for n in range(ROUNDS):
        target.unlink()
        time.sleep(0.002)
        target.write_text(_page_text(f"Recreated {n}"), encoding="utf-8")
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Recreated {n}" in _titles(window)
        _assert_valid_on_screen(window)


@pytest.mark.slow
def test_invalid_files_keep_the_last_good_content(qtbot: QtBot, live: Live) -> None:
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


def test_the_status_says_what_is_wrong_now_not_what_was(qtbot: QtBot, live: Live) -> None:
    """A broken page refused, then fixed: the status said "Applied" and still
    listed the error fixed since. It lists what the content says now: its
    warnings, in the log too."""
    window, reload, paths, events = live
    extra = paths.content_dir / "ketamine-and-depression" / "20-extra.md"
    extra.write_text(_page_text("Extra", 20) + "\n![x](images/missing.png)\n", encoding="utf-8")
    assert _settle(qtbot, events, len(events)) == "refused"
    status = reload.status_file.read_text(encoding="utf-8")
    assert "NOT APPLIED" in status and "20-extra.md" in status
    fixed = _page_text("Extra", 20).replace("order: 20", "order: 20\nsumary: A typo")
    extra.write_text(fixed, encoding="utf-8")
    assert _settle(qtbot, events, len(events)) == "applied"
    status = reload.status_file.read_text(encoding="utf-8")
    assert status.splitlines()[0].endswith(
        "Applied: the kiosk shows the content and settings saved last."
    )
    assert "missing.png" not in status  # fixed: gone from the status
    assert "sumary" in status  # what is wrong now: a warning ("did you mean summary")
    assert any("sumary" in line for line in reload.last_problems)
    assert "Extra" in _titles(window)


def test_a_whole_folder_replaced_by_a_sync_tool(qtbot: QtBot, live: Live, tmp_path: Path) -> None:
    """The folder swapped for a new one (old one kept), then edited in place:
    both are seen, every time (a watch stays with the renamed-away folder)."""
    window, _reload, paths, events = live
    for n in range(20):
        fresh = tmp_path / f"incoming-{n}"
        shutil.copytree(paths.content_dir, fresh)
        write_page(fresh / "ketamine-and-depression", "02-what-is-ketamine.md", f"Sync {n}", 2)
        os.rename(paths.content_dir, tmp_path / f"old-{n}")
        os.rename(fresh, paths.content_dir)
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Sync {n}" in _titles(window)
        _page_file(paths).write_text(_page_text(f"Edited after sync {n}"), encoding="utf-8")
        assert _settle(qtbot, events, len(events)) == "applied"
        assert f"Edited after sync {n}" in _titles(window)
        _assert_valid_on_screen(window)


def test_never_swapped_under_a_patient_reading(qtbot: QtBot, live: Live) -> None:
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


def test_the_idle_reset_applies_a_waiting_change(qtbot: QtBot, live: Live) -> None:
    window, reload, paths, events = live
    window.show_page(window.library.topics[0].pages[1].key)
    _page_file(paths).write_text(_page_text("After idle"), encoding="utf-8")
    qtbot.waitUntil(lambda: reload.pending, timeout=5000)
    window.reset()
    assert events == ["applied"] and "After idle" in _titles(window)


def test_crisis_help_open_on_home_holds_the_change_until_closed(qtbot: QtBot, live: Live) -> None:
    window, reload, paths, events = live
    window.show_crisis()
    _page_file(paths).write_text(_page_text("After crisis"), encoding="utf-8")
    qtbot.waitUntil(lambda: reload.pending, timeout=5000)
    assert events == []
    window.crisis.close_button.click()
    assert events == ["applied"]


def test_a_config_change_is_applied_and_a_bad_colour_falls_back(
    qtbot: QtBot,
    make_window: MakeWindow,
    content_copy: Path,
    data_tmpdir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Name, colours (the app restyled, the page's dots too), crisis text,
    idle timings: live. A pale text colour falls back and is reported."""
    data_tmpdir.mkdir(parents=True, exist_ok=True)
    paths = Paths.resolve(data_tmpdir, content_copy)
    window = make_window(library=load_library(content_copy))
    events: list[str] = []
    reload = LiveReload(window, paths, settle_ms=SETTLE_MS)  # the real restyle
    reload.applied.connect(lambda: events.append("applied"))
    paths.config_file.write_text(
        '[clinic]\nname = "Lakeside Clinic"\n[colours]\ntext = "#dddddd"\nprimary = "#5b2a86"\n'
        '[crisis]\ntext = "Call 988."\n[idle]\nseconds = 45\n',
        encoding="utf-8",
    )
    assert _settle(qtbot, events, 0) == "applied"
    assert window.clinic_name.full_text() == "Lakeside Clinic"
    assert window.config.colours.text == "#1b1f22"  # the default, not the pale grey
    assert any("WCAG AA" in r.getMessage() for r in caplog.records)
    assert "#5b2a86" in application().styleSheet()
    assert window.page.dots._colour.name() == "#5b2a86"
    assert window.crisis.body.text() == "Call 988."
    assert window.idle.idle_ms == 45_000
    assert "Applied" in reload.status_file.read_text(encoding="utf-8")


def test_a_broken_or_deleted_config_keeps_the_settings(qtbot: QtBot, live: Live) -> None:
    window, reload, paths, events = live
    paths.config_file.write_text('[clinic]\nname = "Lakeside Clinic"\n', encoding="utf-8")
    assert _settle(qtbot, events, len(events)) == "applied"
    paths.config_file.write_text('[clinic\nname = "Lakeside', encoding="utf-8")  # half saved
    assert _settle(qtbot, events, len(events)) == "refused"
    assert window.clinic_name.full_text() == "Lakeside Clinic"  # not "Our Clinic"
    assert "NOT APPLIED" in reload.status_file.read_text(encoding="utf-8")
    paths.config_file.unlink()
    assert _settle(qtbot, events, len(events)) == "refused"
    assert window.clinic_name.full_text() == "Lakeside Clinic"
    assert "the file is gone" in reload.status_file.read_text(encoding="utf-8")


def test_a_broken_page_does_not_hold_back_a_config_change(qtbot: QtBot, live: Live) -> None:
    window, _reload, paths, events = live
    (_page_file(paths).parent / "99-draft.md").write_text("no header here", encoding="utf-8")
    paths.config_file.write_text('[clinic]\nname = "Lakeside Clinic"\n', encoding="utf-8")
    qtbot.waitUntil(lambda: "applied" in events, timeout=5000)
    assert window.clinic_name.full_text() == "Lakeside Clinic"
    assert "refused" in events  # and the draft was reported


def test_a_logo_replaced_under_the_same_name_is_shown(
    qtbot: QtBot, live: Live, data_tmpdir: Path
) -> None:
    from tests.conftest import png_bytes

    window, _reload, paths, events = live
    logo = data_tmpdir / "logo.png"
    logo.write_bytes(png_bytes(100, 100, (200, 0, 0)))
    paths.config_file.write_text('[clinic]\nlogo = "logo.png"\n', encoding="utf-8")
    assert _settle(qtbot, events, len(events)) == "applied"
    assert window.bar.logo.pixmap().toImage().pixelColor(10, 10).red() == 200
    logo.write_bytes(png_bytes(120, 100, (0, 0, 200)))
    assert _settle(qtbot, events, len(events)) == "applied"
    assert window.bar.logo.pixmap().toImage().pixelColor(10, 10).blue() == 200


def test_a_burst_of_changes_is_read_once(
    qtbot: QtBot, live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes are read once the files are quiet, not on every event."""
    window, _reload, paths, events = live
    loads: list[Path] = []

    def counting(root: Path) -> Library:
        loads.append(root)
        return load_library(root)

    monkeypatch.setattr("kiosk.ui.reload.load_library", counting)
    target = _page_file(paths)
    for n in range(20):
        target.write_text(_page_text(f"Burst {n}"), encoding="utf-8")
        time.sleep(0.002)
    assert _settle(qtbot, events, 0) == "applied"
    assert "Burst 19" in _titles(window)
    assert len(loads) <= 2


def test_the_watcher_follows_new_folders(qtbot: QtBot, tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_page(content / "a", "01.md", "One", 1)
    (content / "a" / "topic.toml").write_text('title = "A"\n', encoding="utf-8")
    watcher = FolderWatcher(Paths.resolve(tmp_path / "data", content), settle_ms=SETTLE_MS)
    with qtbot.waitSignal(watcher.settled, timeout=5000):
        write_page(content / "b", "01.md", "Two", 1)
    assert str(content / "b") in watcher.watched()
    assert str(content / "b" / "01.md") in watcher.watched()


def test_the_status_says_which_half_was_applied(qtbot: QtBot, live: Live) -> None:
    """A broken page saved with a good kiosk.toml: the settings go on, the
    content does not, and the status's first line says so (it said "Applied:
    the kiosk shows the content and settings saved last"). Then the other way
    round."""
    window, reload, paths, events = live
    draft = _page_file(paths).parent / "99-draft.md"
    draft.write_text("no header here", encoding="utf-8")
    paths.config_file.write_text('[clinic]\nname = "Lakeside Clinic"\n', encoding="utf-8")
    qtbot.waitUntil(lambda: "applied" in events, timeout=5000)
    assert window.clinic_name.full_text() == "Lakeside Clinic"
    headline, *problems = reload.status_file.read_text(encoding="utf-8").splitlines()
    assert headline.endswith(
        "Settings applied; the content NOT APPLIED: the last good content stays on screen."
    )
    assert any("99-draft.md" in line for line in problems)
    draft.unlink()
    paths.config_file.write_text('[clinic\nname = "Lakeside', encoding="utf-8")  # half saved
    before = len(events)
    qtbot.waitUntil(lambda: "applied" in events[before:], timeout=5000)
    headline = reload.status_file.read_text(encoding="utf-8").splitlines()[0]
    assert headline.endswith(
        "Content applied; the settings NOT APPLIED: the last good settings stay on screen."
    )
    assert window.clinic_name.full_text() == "Lakeside Clinic"
