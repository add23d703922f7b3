"""The staff panel: counts and list, one enquiry, contacted, export, purge,
reload, the audit list, the chart; locking (by hand, after idle, at the patient
reset) leaves nothing of it behind."""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.config import Config
from kiosk.enquiries.drives import Drive
from kiosk.enquiries.store import StoredEnquiry
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.staff.panel import StaffPanel
from kiosk.ui.staff.pinpad import PinPad
from kiosk.ui.staff.tabs.export import ExportTab
from kiosk.ui.staff.tabs.kiosk import KioskTab
from kiosk.ui.staff.tabs.log import LogTab
from kiosk.ui.staff.tabs.staff import StaffTab
from kiosk.ui.staff.tabs.summary import BarChart, SummaryTab
from kiosk.ui.widgets import plain_text
from tests.ui.helpers import assert_text_fits, find_button, tap
from tests.ui.staff.conftest import PIN, MakeStaff, StaffEnv

SECRET_NAME = "Zebulon Quixotic-Marsh"
SECRET_PHONE = "+18015550177"
SECRET_MESSAGE = "Please call after my shift at the bakery"


def open_panel(mode: StaffMode, staff_env: StaffEnv) -> StaffPanel:
    """Signed in as Ana (the PIN pad is tested on its own): the panel."""
    mode.open_panel(staff_env.accounts.sign_in("Ana", PIN))
    assert mode.panel is not None
    QApplication.processEvents()  # rows added to a shown list show on the next pass
    return mode.panel


def flush() -> None:
    """Run deleteLater()s now."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def all_texts() -> list[str]:
    """Every text any widget of the application holds: labels, buttons, names."""
    texts: list[str] = []
    for widget in QApplication.allWidgets():
        texts += [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
    return texts


def tab(qtbot: QtBot, panel: StaffPanel, label: str) -> QWidget:
    tap(qtbot, find_button(panel, label))
    QApplication.processEvents()
    page = panel.pages.currentWidget()
    assert page is not None
    return page


def _stored(staff_env: StaffEnv, enquiry_id: int) -> StoredEnquiry:
    """The enquiry as the store holds it now (it is there)."""
    stored = staff_env.store.get(enquiry_id)
    assert stored is not None
    return stored


def test_counts_and_list_match_the_store_newest_first(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """New / exported / contacted as the store counts them; rows newest first, with the name."""
    first = staff_env.save("Old Person", days_ago=3)
    second = staff_env.save("Middle Person", days_ago=2, topic="ketamine-and-depression")
    third = staff_env.save("New Person", days_ago=1)
    staff_env.store.set_status([first], "exported")
    staff_env.store.set_status([second], "contacted")
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    listing = panel.enquiries.list
    assert listing.count_new.text() == "New: 1"
    assert listing.count_exported.text() == "Exported: 1"
    assert listing.count_contacted.text() == "Contacted: 1"
    rows = listing.rows
    assert [r.property("enquiry_id") for r in rows] == [third, second, first]
    assert (rows[0].name.text(), rows[0].badge.text()) == ("New Person", "New")
    assert plain_text(rows[1].topic.text()).startswith(
        f"Enquiry {second} · Ketamine and depression · received "
    )
    assert (rows[1].name.text(), rows[1].badge.text()) == ("Middle Person", "Contacted")
    assert (rows[2].name.text(), rows[2].badge.text()) == ("Old Person", "Exported")
    assert all(r.accessibleName() == r.text() for r in rows)


def test_a_long_list_shows_50_then_more(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Only the rows on screen are opened; "Show 10 more" brings the rest."""
    for n in range(60):
        staff_env.save(f"Person {n}")
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    listing = panel.enquiries.list
    assert len(listing.rows) == 50
    tap(qtbot, find_button(panel, "Show 10 more"))
    assert len(listing.rows) == 60
    assert listing.rows[-1].name.text() == "Person 0"


def test_opening_an_enquiry_shows_every_field_and_is_logged(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Tap a row: all fields, opened with the session's key; the audit log says which id."""
    enquiry = staff_env.save(
        SECRET_NAME,
        phone=SECRET_PHONE,
        email="z@example.com",
        method="text",
        best_time="evening",
        message=SECRET_MESSAGE,
        topic="ketamine-and-depression",
    )
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    tap(qtbot, panel.enquiries.list.rows[0].open_button)
    detail = panel.enquiries.detail
    assert panel.enquiries.currentWidget() is detail
    # As read (without the marks that let an address wrap or keep a number whole).
    shown = {key: plain_text(label.text()) for key, label in detail.values.items()}
    assert shown["reference"] == str(enquiry)
    assert shown["name"] == SECRET_NAME
    assert shown["phone"] == "(801) 555-0177"  # the clinic's national format
    assert shown["email"] == "z@example.com"
    assert shown["method"] == "Text message"
    assert shown["best_time"] == "Evening"
    assert shown["message"] == SECRET_MESSAGE
    assert shown["topic"] == "Ketamine and depression"
    assert shown["status"] == "New"
    assert ("Ana", "view", {"enquiry": enquiry}) in staff_env.actions()
    # Nothing personal in the log.
    assert SECRET_NAME not in staff_env.paths.audit_file.read_text(encoding="utf-8")


def test_mark_contacted_and_back_to_the_list(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Mark contacted changes the status (logged); Back shows the list with new counts."""
    enquiry = staff_env.save("Call Me")
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    tap(qtbot, panel.enquiries.list.rows[0].open_button)
    tap(qtbot, find_button(panel, s.MARK_CONTACTED))
    assert _stored(staff_env, enquiry).status == "contacted"
    assert ("Ana", "contacted", {"enquiry": enquiry}) in staff_env.actions()
    assert panel.enquiries.detail.values["status"].text() == "Contacted"
    assert not find_button(panel, s.MARK_CONTACTED).isEnabled()
    tap(qtbot, find_button(panel, s.BACK_TO_LIST))
    listing = panel.enquiries.list
    assert panel.enquiries.currentWidget() is listing
    assert listing.count_contacted.text() == "Contacted: 1"
    assert listing.count_new.text() == "New: 0"


def test_mark_contacted_in_the_detail_can_be_undone(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """As on a row: a slip on the detail's Mark contacted is one tap to take
    back, to the status it had (here "exported"), logged; the list follows."""
    enquiry = staff_env.save("Call Me")
    staff_env.store.set_status([enquiry], "exported")
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    detail = panel.enquiries.detail
    tap(qtbot, panel.enquiries.list.rows[0].open_button)
    assert not detail.undo_button.isVisible()
    tap(qtbot, find_button(panel, s.MARK_CONTACTED))
    undo = find_button(panel, s.UNDO)
    assert undo.accessibleName() == undo.text()
    tap(qtbot, undo)
    assert _stored(staff_env, enquiry).status == "exported"
    assert ("Ana", "contacted-undone", {"enquiry": enquiry, "status": "exported"}) in (
        staff_env.actions()
    )
    assert detail.values["status"].text() == "Exported"
    assert detail.note.text() == s.UNDONE.format(id=enquiry, status="exported")
    assert find_button(panel, s.MARK_CONTACTED).isEnabled()
    assert not detail.undo_button.isVisible()  # one undo, for the last tap
    tap(qtbot, find_button(panel, s.MARK_CONTACTED))
    tap(qtbot, find_button(panel, s.BACK_TO_LIST))
    assert panel.enquiries.list.count_contacted.text() == "Contacted: 1"
    tap(qtbot, panel.enquiries.list.rows[0].open_button)
    assert not detail.undo_button.isVisible()  # another visit: nothing to undo


def test_an_enquiry_that_will_not_open_says_so(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """A row sealed to another key: the list and the detail say it could not be opened."""
    from kiosk.enquiries.keys import KdfParams, KeyRing
    from kiosk.enquiries.store import EnquiryStore

    other, _code = KeyRing.create(
        staff_env.paths.data_dir / "other.json",
        staff_env.paths.data_dir / "other-code.txt",
        kdf=KdfParams.fast_for_tests(),
    )
    foreign = EnquiryStore(staff_env.paths.store_file, other.sealer())
    foreign.save("foreign-1", "", {"name": "Elsewhere"})
    foreign.close()
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    row = panel.enquiries.list.rows[0]
    assert row.name.text() == s.NOT_OPENED
    assert row.contacted_button.isHidden()  # nothing to mark without its details
    tap(qtbot, row.open_button)
    assert panel.enquiries.detail.note.text().startswith("This enquiry could not be opened.")
    assert not find_button(panel, s.MARK_CONTACTED).isEnabled()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_to_the_folder_writes_a_file_and_marks_exported(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, fmt: str
) -> None:
    """Export the new ones: the file is in the export folder, the path is shown,
    they are marked exported, and the audit log says who, how many, where."""
    ids = [staff_env.save("=1+2"), staff_env.save("Plain Name")]
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    export = tab(qtbot, panel, s.TAB_EXPORT)
    assert isinstance(export, ExportTab)
    assert find_button(panel, "New only (2)").isChecked()
    tap(qtbot, find_button(panel, s.FORMAT_NAMES[fmt]))
    tap(qtbot, find_button(panel, s.EXPORT_START))
    files = list(staff_env.paths.export_dir("").glob(f"enquiries-*.{fmt}"))
    assert len(files) == 1
    result = export.result.text()
    assert result == f"Exported 2 enquiries to:\nthe export folder, file {files[0].name}"
    assert {_stored(staff_env, i).status for i in ids} == {"exported"}
    assert staff_env.actions()[-1] == (
        "Ana",
        "export",
        {"count": 2, "path": str(files[0]), "format": fmt, "scope": "new"},
    )
    if fmt == "csv":
        with files[0].open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))[1:]
    else:
        import openpyxl

        book = openpyxl.load_workbook(files[0], read_only=True)
        rows = [list(row) for row in book.active.iter_rows(min_row=2, values_only=True)]
        book.close()
    # Inert in the CSV; in the XLSX as typed (its cell marked as text).
    formula = "'=1+2" if fmt == "csv" else "=1+2"
    assert sorted(row[3] for row in rows) == [formula, "Plain Name"]
    # The phone as the panel shows it, in the clinic's region: ready to dial, no "'".
    assert {row[4] for row in rows} == {"(801) 555-0100"}
    assert find_button(panel, "New only (0)")


def test_export_onto_a_usb_drive(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, tmp_path: Path
) -> None:
    """A plugged-in drive is offered (listed afresh when the tab opens) and written to."""
    stick = tmp_path / "stick"
    stick.mkdir()
    plugged: list[Drive] = []
    staff_env.save("Driven Person")
    _window, mode = make_staff(drives=lambda: list(plugged))
    panel = open_panel(mode, staff_env)
    export = tab(qtbot, panel, s.TAB_EXPORT)
    assert isinstance(export, ExportTab)
    assert export.drive_note.text() == s.NO_DRIVES
    plugged.append(Drive("STICK", stick, 2_500_000_000))
    tap(qtbot, find_button(panel, s.LOOK_AGAIN))
    QApplication.processEvents()
    tap(qtbot, find_button(panel, "USB drive STICK (2.5 GB free)"))
    # Excel's own file, chosen at first: its cells as written, no "'" to dial.
    assert export.format.value() == "xlsx"
    tap(qtbot, find_button(panel, s.EXPORT_START))
    files = list(stick.glob("enquiries-*.xlsx"))
    assert len(files) == 1
    assert not staff_env.paths.export_dir("").exists()
    # Said as staff know the place: the drive's label and the file's name, no mount point.
    result = panel.export_tab.result.text()
    assert result == f"Exported 1 enquiry to:\nUSB drive STICK, file {files[0].name}"
    assert str(stick) not in result
    assert staff_env.actions()[-1][2]["drive"] == "STICK"


def test_an_export_that_cannot_be_written_says_why_and_marks_nothing(
    make_staff: MakeStaff, staff_env: StaffEnv, staff_config: Config, qtbot: QtBot, tmp_path: Path
) -> None:
    """An export folder inside a file: the ExportError's sentence, nothing marked or logged."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    enquiry = staff_env.save("Kept New")
    _window, mode = make_staff(cfg=replace(staff_config, export_folder=str(blocker / "sub")))
    panel = open_panel(mode, staff_env)
    export = tab(qtbot, panel, s.TAB_EXPORT)
    assert isinstance(export, ExportTab)
    tap(qtbot, find_button(panel, s.EXPORT_START))
    assert export.result.text().startswith("Nothing was exported.")
    assert _stored(staff_env, enquiry).status == "new"
    assert "export" not in [a[1] for a in staff_env.actions()]


def test_purge_asks_first_and_says_how_many(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Delete old: the question names the count; Keep them keeps them; Delete them deletes them."""
    old = [staff_env.save(f"Old {n}", days_ago=100) for n in range(2)]
    old_new = staff_env.save("Old but new", days_ago=100)
    recent = staff_env.save("Recent", days_ago=5)
    staff_env.mark(old, "exported", days_ago=95)
    staff_env.mark([recent], "exported", days_ago=5)
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    export = tab(qtbot, panel, s.TAB_EXPORT)
    assert isinstance(export, ExportTab)
    tap(qtbot, find_button(panel, s.PURGE_START))
    assert export.purge_text.text() == (
        "Delete 2 enquiries older than 90 days? This cannot be undone."
    )
    tap(qtbot, find_button(panel, s.PURGE_NO))
    assert staff_env.store.count() == 4
    tap(qtbot, find_button(panel, s.PURGE_START))
    tap(qtbot, find_button(panel, s.PURGE_YES))
    assert export.purge_result.text() == "Deleted 2 enquiries."
    assert {e.id for e in staff_env.store.enquiries()} == {old_new, recent}
    assert staff_env.actions()[-1] == (
        "Ana",
        "purge",
        {"count": 2, "older_than_days": 90, "files": 0},
    )
    assert not find_button(panel, s.PURGE_START).isEnabled()  # nothing old is left


def _aged(path: Path, days: float) -> Path:
    path.write_text("Name,Phone\n", encoding="utf-8")
    when = time.time() - days * 86400
    os.utime(path, (when, when))
    return path


def test_purge_deletes_old_export_files_from_the_export_folder_only(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, tmp_path: Path
) -> None:
    """Old export files in the export folder go with the old enquiries (said, and logged
    as files=); recent ones, other names and a USB drive's files stay."""
    folder = staff_env.paths.export_dir("")
    folder.mkdir()
    stick = tmp_path / "stick"
    stick.mkdir()
    old = [
        _aged(folder / "enquiries-2026-01-05-0930.csv", 100),
        _aged(folder / "enquiries-2026-01-05-0930-2.xlsx", 100),
    ]
    kept = [
        _aged(folder / "enquiries-2026-04-05-0930.csv", 10),
        _aged(folder / "calls.csv", 100),
        _aged(stick / "enquiries-2026-01-05-0930.csv", 100),
    ]
    gone = staff_env.save("Old One", days_ago=100)
    staff_env.mark([gone], "exported", days_ago=95)
    _window, mode = make_staff(drives=lambda: [Drive("STICK", stick, 1_000_000)])
    panel = open_panel(mode, staff_env)
    export = tab(qtbot, panel, s.TAB_EXPORT)
    assert isinstance(export, ExportTab)
    tap(qtbot, find_button(panel, "USB drive STICK (1 MB free)"))  # the drive chosen: still
    tap(qtbot, find_button(panel, s.PURGE_START))
    assert export.purge_text.text() == (
        "Delete 1 enquiry older than 90 days? This cannot be undone. "
        "The 2 export files older than 90 days in the export folder go too."
    )
    tap(qtbot, find_button(panel, s.PURGE_YES))
    assert export.purge_result.text() == "Deleted 1 enquiry. Deleted 2 old export files."
    assert not any(p.exists() for p in old)
    assert all(p.exists() for p in kept)
    assert staff_env.actions()[-1] == (
        "Ana",
        "purge",
        {"count": 1, "older_than_days": 90, "files": 2},
    )


def test_old_export_files_alone_can_be_deleted(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """No old enquiries, one old export file: Delete is offered for the file."""
    folder = staff_env.paths.export_dir("")
    folder.mkdir()
    old = _aged(folder / "enquiries-2026-01-05-0930.csv", 100)
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    export = tab(qtbot, panel, s.TAB_EXPORT)
    assert isinstance(export, ExportTab)
    assert find_button(panel, s.PURGE_START).isEnabled()
    tap(qtbot, find_button(panel, s.PURGE_START))
    assert export.purge_text.text() == (
        "Delete 1 export file older than 90 days from the export folder? This cannot be undone."
    )
    tap(qtbot, find_button(panel, s.PURGE_YES))
    assert export.purge_result.text() == "Deleted 1 old export file."
    assert not old.exists()
    assert not find_button(panel, s.PURGE_START).isEnabled()


def test_the_chart_matches_the_counts(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Enquiries per week as the store counts them; page views per page, by title."""
    for days in (0, 1, 8, 8, 20):
        staff_env.save(f"Week {days}", days_ago=days)
    window, mode = make_staff()
    pages = window.library.topics[0].pages
    for page, times in ((pages[0], 3), (pages[2], 5)):
        for _ in range(times):
            staff_env.page_views.record(page.key)
    panel = open_panel(mode, staff_env)
    summary = tab(qtbot, panel, s.TAB_SUMMARY)
    assert isinstance(summary, SummaryTab)
    charts = summary.findChildren(BarChart)
    weekly = summary.weekly.bars()
    expected = [(s.WEEK_OF.format(date=m), n) for m, n in staff_env.store.weekly_counts(12)]
    assert weekly == expected and len(weekly) == 12
    assert sum(n for _label, n in weekly) == 5
    assert summary.pages.bars() == [(pages[2].title, 5), (pages[0].title, 3)]
    assert len(charts) == 2
    assert f"{pages[2].title}: 5" in summary.pages.accessibleDescription()


def test_the_log_tab_lists_the_latest_entries(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """The newest audit entries, newest first, with who and what."""
    staff_env.save("Someone")
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    mode._audit("Ana", "sign-in")
    tap(qtbot, panel.enquiries.list.rows[0].open_button)
    log_tab = tab(qtbot, panel, s.TAB_LOG)
    assert isinstance(log_tab, LogTab)
    texts = [entry.words.text() for entry in log_tab.entries]
    assert texts[0].endswith(" · Ana opened enquiry 1")
    assert texts[1].endswith(" · Ana signed in")
    assert all(b.accessibleName() == b.text() for b in log_tab.buttons)


def test_reload_content_tells_staff_what_is_wrong(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot, content_copy: Path
) -> None:
    """Reload now: a broken page is refused and its problem shown; logged as "reload"."""
    from kiosk.paths import Paths
    from kiosk.ui.reload import LiveReload

    window, mode = make_staff()
    paths = Paths.resolve(staff_env.paths.data_dir, content_copy, staff_env.paths.config_file)
    reload = LiveReload(window, paths, settle_ms=10_000)
    mode._reload = lambda: reload
    (content_copy / "ketamine-and-depression" / "02-what-is-ketamine.md").write_text(
        "no header at all\n", encoding="utf-8"
    )
    panel = open_panel(mode, staff_env)
    kiosk_tab = tab(qtbot, panel, s.TAB_KIOSK)
    assert isinstance(kiosk_tab, KioskTab)
    tap(qtbot, find_button(panel, s.RELOAD))
    shown = kiosk_tab.reload_result.text().replace("\u200b", "")
    assert shown.startswith(s.RELOAD_REFUSED)
    assert "02-what-is-ketamine.md" in shown
    assert "02-what-is-ketamine.md" in kiosk_tab.problems.text().replace("\u200b", "")
    assert staff_env.actions()[-1] == ("Ana", "reload", {"result": "refused"})
    assert panel.banner.isVisible()
    assert panel.banner.text() == "The content or settings have problems (1): see the Kiosk tab."
    tap(qtbot, find_button(panel, s.RELOAD))
    assert kiosk_tab.reload_result.text() == s.RELOAD_UNCHANGED


def test_leave_kiosk_mode_asks_logs_locks_and_quits(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Leave kiosk mode: asked once more; "exit" logged, the panel locked, the app quits."""
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    tab(qtbot, panel, s.TAB_KIOSK)
    tap(qtbot, find_button(panel, s.EXIT))
    tap(qtbot, find_button(panel, s.EXIT_NO))
    assert mode.quits == []  # type: ignore[attr-defined]  # set by make_staff
    assert not (staff_env.paths.data_dir / "left-kiosk-mode").exists()
    tap(qtbot, find_button(panel, s.EXIT))
    tap(qtbot, find_button(panel, s.EXIT_YES))
    assert mode.quits == [1]  # type: ignore[attr-defined]
    # The flag the session wrappers honour (cage does not pass the exit status on).
    assert (staff_env.paths.data_dir / "left-kiosk-mode").is_file()
    assert mode.panel is None
    assert [a[1] for a in staff_env.actions()][-2:] == ["exit", "lock"]


def test_lock_leaves_nothing_behind(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Lock: the panel and its widgets are gone, no decrypted text is left in any
    widget, the opener is dropped, the window is home and the idle clock runs."""
    staff_env.save(SECRET_NAME, phone=SECRET_PHONE, message=SECRET_MESSAGE)
    window, mode = make_staff()
    window.show_page(window.library.topics[0].pages[1].key)
    panel = open_panel(mode, staff_env)
    assert window.current_screen == "home"  # what a patient left is reset first
    assert not window.idle.armed  # no patient reset under the panel
    tap(qtbot, panel.enquiries.list.rows[0].open_button)
    assert any(SECRET_MESSAGE in t for t in all_texts())
    context = panel.context
    QApplication.clipboard().setText(SECRET_PHONE)
    tap(qtbot, find_button(panel, s.LOCK))
    flush()
    assert mode.panel is None and mode.session is None and context.session is None
    assert not window.findChildren(StaffPanel)
    texts = all_texts()
    for secret in (SECRET_NAME, SECRET_PHONE, "555-0177", SECRET_MESSAGE):
        assert not any(secret in t for t in texts), secret
    assert QApplication.clipboard().text() == ""
    assert window.current_screen == "home" and window.is_at_rest()
    assert window.idle.armed
    assert staff_env.actions()[-1] == ("Ana", "lock", {"reason": "staff"})


def test_the_panel_locks_itself_after_idle(
    make_staff: MakeStaff, staff_env: StaffEnv, staff_config: Config, qtbot: QtBot
) -> None:
    """Untouched for staff_lock_seconds (1 s here), the panel locks and is gone."""
    staff_env.save(SECRET_NAME)
    window, mode = make_staff(cfg=replace(staff_config, staff_lock_seconds=1))
    open_panel(mode, staff_env)
    qtbot.waitUntil(lambda: mode.panel is None, timeout=5000)
    flush()
    assert not window.findChildren(StaffPanel)
    assert not any(SECRET_NAME in t for t in all_texts())
    assert staff_env.actions()[-1] == ("Ana", "lock", {"reason": "idle"})


def test_after_the_patient_reset_nothing_leads_back_into_the_panel(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """A reset while the panel is open locks it; afterwards Home, pages, Previous
    and the idle reset never show it again: only the gesture and a PIN do."""
    window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    tab(qtbot, panel, s.TAB_EXPORT)
    window.reset()  # the idle reset, or a recovery after an error
    flush()
    assert mode.panel is None
    assert not window.findChildren(StaffPanel) and not window.findChildren(PinPad)
    assert staff_env.actions()[-1] == ("Ana", "lock", {"reason": "reset"})
    pages = window.library.topics[0].pages
    window.show_page(pages[1].key)
    tap(qtbot, find_button(window, "Previous"))
    tap(qtbot, find_button(window, "Home"))
    window.reset()
    flush()
    staff_labels = {s.LOCK, s.TAB_ENQUIRIES, s.TAB_EXPORT, s.SIGN_IN, s.MARK_CONTACTED}
    for widget in QApplication.allWidgets():
        if isinstance(widget, QAbstractButton) and widget.isVisible():
            assert widget.text() not in staff_labels, widget.text()
    assert mode.panel is None and mode.pad is None


def test_each_tab_by_its_type_is_built_when_first_needed(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """panel.export_tab and the like: the page tab(key) gives, of its own type, built
    the first time it is asked for and not again, and not shown by being asked for."""
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    assert panel.pages.count() == 1  # only the enquiries are built when the panel opens
    typed: list[tuple[str, Callable[[], QWidget], type[QWidget]]] = [
        ("export", lambda: panel.export_tab, ExportTab),
        ("summary", lambda: panel.summary_tab, SummaryTab),
        ("log", lambda: panel.log_tab, LogTab),
        ("staff", lambda: panel.staff_tab, StaffTab),
        ("kiosk", lambda: panel.kiosk_tab, KioskTab),
    ]
    for built, (key, get, kind) in enumerate(typed, start=2):
        page = get()
        assert type(page) is kind
        assert panel.pages.count() == built
        assert get() is page and panel.tab(key) is page
        assert panel.pages.count() == built
        assert panel.current_tab == "enquiries"


def test_the_lock_button_and_tabs_follow_the_touch_rules(
    make_staff: MakeStaff, staff_env: StaffEnv, qtbot: QtBot
) -> None:
    """Every tab is reached by a tap and comes up with its own contents."""
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    for key, label in (
        ("export", s.TAB_EXPORT),
        ("summary", s.TAB_SUMMARY),
        ("log", s.TAB_LOG),
        ("kiosk", s.TAB_KIOSK),
        ("enquiries", s.TAB_ENQUIRIES),
    ):
        tab(qtbot, panel, label)
        assert panel.current_tab == key
        assert panel.tab_buttons[key].isChecked()


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_notice_that_fits_is_seen_whole_from_its_first_word(
    make_staff: MakeStaff, staff_env: StaffEnv, size: tuple[int, int]
) -> None:
    """The recovery-code notice alone takes less than the notices' share of the
    height: it is shown whole, its first line at the top of its strip, after the
    window changed size too (it once sat under a blank band with its last words
    cut off)."""
    assert staff_env.paths.recovery_file.exists()
    window, mode = make_staff(size)
    window.hide()  # opened before the window is shown, as at a kiosk's start
    panel = open_panel(mode, staff_env)
    window.show()
    for width, height in ((640, 480), size):
        window.resize(width, height)
        for _ in range(5):
            QApplication.processEvents()
    notice = panel.recovery_reminder
    strip = panel.notices
    assert notice.isVisible() and strip.isVisible()
    seen = strip.viewport().rect()
    inner = strip.widget()
    assert inner is not None
    where = notice.geometry().translated(inner.pos())
    assert seen.contains(where), (where, seen)
    assert notice.height() >= notice.heightForWidth(notice.width())
    assert where.top() == 0
    assert strip.verticalScrollBar().maximum() == 0  # nothing hidden below


def test_the_panel_warns_before_it_locks_and_a_touch_keeps_it_open(
    make_staff: MakeStaff, staff_env: StaffEnv, staff_config: Config, qtbot: QtBot
) -> None:
    """Staff reading an enquiry were locked out with no warning. A quarter of
    the lock's time before it (30 s at most), the panel says so over its foot,
    over the list and moving none of it; a touch anywhere takes the warning
    away and keeps the panel open."""
    staff_env.save("Warned Person")
    window, mode = make_staff(cfg=replace(staff_config, staff_lock_seconds=2))
    panel = open_panel(mode, staff_env)
    listing = panel.enquiries.list
    area_top = listing.area.mapToGlobal(listing.area.rect().topLeft()).y()
    warning = panel.lock_warning
    qtbot.waitUntil(warning.isVisible, timeout=3000)
    assert mode.panel is panel  # warned, not locked
    assert warning.text() == s.LOCK_WARNING.format(seconds=1)
    assert warning.accessibleName() == warning.text()
    assert listing.area.mapToGlobal(listing.area.rect().topLeft()).y() == area_top
    assert_text_fits(window, warning)
    foot = warning.geometry()
    assert foot.bottom() < panel.height() and foot.top() > panel.height() // 2
    qtbot.mouseClick(listing.rows[0].name, Qt.MouseButton.LeftButton)  # a touch anywhere
    assert not warning.isVisible()
    assert mode.panel is panel
    qtbot.waitUntil(warning.isVisible, timeout=3000)  # untouched again: warned again
    qtbot.waitUntil(lambda: mode.panel is None, timeout=3000)
    assert staff_env.actions()[-1] == ("Ana", "lock", {"reason": "idle"})
