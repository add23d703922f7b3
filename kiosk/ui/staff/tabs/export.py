"""The Export tab: enquiries to a CSV or XLSX file in the export folder or on
a USB drive, with a progress bar; and deleting old ones. Why the export runs
on the GUI thread: docs/architecture.md, "Staff mode on the tablet"."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from kiosk.enquiries.export import (
    ExportError,
    ExportOptions,
    ExportResult,
    export_to_folder,
    old_exports,
    remove_old_exports,
)
from kiosk.enquiries.store import StoreError
from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.staff.common import GAP, MARGIN, ChoiceRow, Inactivity, text_label
from kiosk.ui.staff.context import PanelContext, scroll_page, topic_titles
from kiosk.ui.widgets import breakable, button

if TYPE_CHECKING:
    from kiosk.enquiries.drives import Drive
    from kiosk.enquiries.store import EnquiryStore

log = logging.getLogger(__name__)

FOLDER = "folder"
WIDE_PX = 900  # from this width, "which" and "file type" side by side


def size_in_words(count: int) -> str:
    """Free space as people read it: "14.2 GB", "820 MB"."""
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit in ("bytes", "KB", "MB") else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


class ExportTab(QWidget):
    """Which enquiries, which file type, where to; Export; then delete old ones."""

    def __init__(self, context: PanelContext, idle: Inactivity) -> None:
        super().__init__()
        self.context = context
        self.idle = idle
        self.busy = False
        self.drives: list[Drive] = []
        self._purge_count = 0

        self.area, column, self.scroller = scroll_page()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.area)
        self._build_choices(column)
        self._build_start(column)
        column.addSpacing(GAP * 2)
        self._build_purge(column)
        column.addStretch(1)

    # -- building ---------------------------------------------------------------------
    def _build_choices(self, column: QVBoxLayout) -> None:
        """Which enquiries, which file type, where to."""
        # Which and what type: side by side on a wide screen, so Export shows
        # without scrolling at 1280 x 800.
        self._choices = QGridLayout()
        self._choices.setHorizontalSpacing(GAP * 3)
        self._choices.setVerticalSpacing(GAP)
        self.which_label = text_label(s.EXPORT_WHICH, "staffFieldName")
        self.which = ChoiceRow(
            [("new", s.EXPORT_NEW.format(n=0)), ("all", s.EXPORT_ALL.format(n=0))], "exportWhich"
        )
        self.format_label = text_label(s.EXPORT_FORMAT, "staffFieldName")
        self.format = ChoiceRow(list(s.FORMAT_NAMES.items()), "exportFormat")
        self._wide: bool | None = None
        self._layout_choices(wide=False)
        column.addLayout(self._choices)
        column.addWidget(text_label(s.EXPORT_WHERE, "staffFieldName"))
        self.where = ChoiceRow([(FOLDER, s.EXPORT_FOLDER)], "exportWhere")
        self.where.picked.connect(lambda _value: self._show_destination())
        column.addWidget(self.where)
        self.where_path = text_label("", "staffNote")
        column.addWidget(self.where_path)
        self.drive_note = text_label("", "staffNote")
        column.addWidget(self.drive_note)

    def _build_start(self, column: QVBoxLayout) -> None:
        """Look again and Export now; the progress bar and the result under them."""
        self.look_again = button(s.LOOK_AGAIN, "quiet", "exportLookAgain")
        self.look_again.clicked.connect(self.find_drives)
        self.export_button = button(s.EXPORT_START, None, "exportStart")
        self.export_button.clicked.connect(self.export)
        for control in (*self.which.buttons(), *self.format.buttons(), self.look_again):
            self.scroller.track(control)
        row = QHBoxLayout()
        row.setSpacing(GAP)
        row.addWidget(self.look_again)
        row.addStretch(1)
        row.addWidget(self.export_button)
        column.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setAccessibleName(s.EXPORT_PROGRESS_ACCESSIBLE)
        self.progress.setTextVisible(False)
        self.progress.hide()
        column.addWidget(self.progress)
        self.result = text_label("", "staffResult")
        self.result.hide()
        column.addWidget(self.result)

    def _build_purge(self, column: QVBoxLayout) -> None:
        """Delete old ones: the sentence, then the button (or the question's two)."""
        column.addWidget(text_label(s.PURGE_TITLE, "staffSubheading"))
        self.purge_text = text_label("", "staffText")
        column.addWidget(self.purge_text)
        self.purge_button = button(s.PURGE_START, "quiet", "purgeStart")
        self.purge_button.clicked.connect(self.ask_purge)
        self.purge_no = button(s.PURGE_NO, "quiet", "purgeNo")
        self.purge_no.clicked.connect(self.cancel_purge)
        self.purge_yes = button(s.PURGE_YES, "danger", "purgeYes")
        self.purge_yes.clicked.connect(self.purge)
        purge_row = QHBoxLayout()
        purge_row.setSpacing(GAP)
        purge_row.addWidget(self.purge_button)
        purge_row.addWidget(self.purge_no)
        purge_row.addStretch(1)
        purge_row.addWidget(self.purge_yes)
        column.addLayout(purge_row)
        self.purge_no.hide()
        self.purge_yes.hide()
        self.purge_result = text_label("", "staffResult")
        self.purge_result.hide()
        column.addWidget(self.purge_result)

    # -- reading what there is ---------------------------------------------------------
    def _folder(self) -> Path:
        return self.context.paths.export_dir(self.context.window.config.export_folder)

    def _layout_choices(self, *, wide: bool) -> None:
        if wide == self._wide:
            return
        self._wide = wide
        grid = self._choices
        for widget in (self.which_label, self.which, self.format_label, self.format):
            grid.removeWidget(widget)
        if wide:
            grid.addWidget(self.which_label, 0, 0)
            grid.addWidget(self.which, 1, 0)
            grid.addWidget(self.format_label, 0, 1)
            grid.addWidget(self.format, 1, 1)
            grid.setColumnStretch(1, 1)
        else:
            grid.addWidget(self.which_label, 0, 0)
            grid.addWidget(self.which, 1, 0)
            grid.addWidget(self.format_label, 2, 0)
            grid.addWidget(self.format, 3, 0)
            grid.setColumnStretch(1, 0)
        grid.setColumnStretch(0, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout_choices(wide=self.width() >= WIDE_PX)

    def _show_destination(self) -> None:
        folder, _make = self.destination()
        self.where_path.setText(s.EXPORT_GOES_TO.format(path=breakable(str(folder))))
        self.where_path.setAccessibleName(s.EXPORT_GOES_TO.format(path=str(folder)))

    def refresh(self) -> None:
        """Counts, drives and the purge sentence, read afresh (each time the tab opens)."""
        self.scroller.stop()
        store = self.context.store
        counts: dict[str, int] = {}
        if store is not None and store.available:
            try:
                counts = store.counts()
            except StoreError as exc:
                self._show(self.result, str(exc))
        self.which.relabel("new", s.EXPORT_NEW.format(n=counts.get("new", 0)))
        self.which.relabel("all", s.EXPORT_ALL.format(n=sum(counts.values())))
        self.find_drives()
        self.cancel_purge()
        self._update_purge_text()
        self.export_button.setEnabled(store is not None and store.available)

    def find_drives(self) -> None:
        """The USB drives plugged in now (asked again each time)."""
        chosen = self.where.value()
        try:
            self.drives = list(self.context.drives())
        except Exception:  # a drive list that fails is no drive at all, never a crash
            log.exception("listing USB drives failed")
            self.drives = []
        options = [(FOLDER, s.EXPORT_FOLDER)]
        for index, drive in enumerate(self.drives):
            label = s.EXPORT_DRIVE.format(label=drive.label, free=size_in_words(drive.free_bytes))
            options.append((f"drive:{index}", label))
        self.where.set_options(options)
        for control in self.where.buttons():
            self.scroller.track(control)
        self.where.set_value(chosen)
        self.drive_note.setText("" if self.drives else s.NO_DRIVES)
        self.drive_note.setVisible(not self.drives)
        self._show_destination()

    def destination(self) -> tuple[Path, bool]:
        """Where the file goes, and whether that folder may be made (only the export
        folder: an unplugged drive's empty mount point must fail, not fill the disk)."""
        value = self.where.value()
        if value.startswith("drive:"):
            index = int(value.removeprefix("drive:"))
            if 0 <= index < len(self.drives):
                return self.drives[index].mount_point, False
        return self._folder(), True

    # -- exporting --------------------------------------------------------------------
    def export(self) -> None:
        store = self.context.store
        if self.busy or store is None or self.context.session is None:
            return
        include_all = self.which.value() == "all"
        fmt = self.format.value() or "xlsx"
        folder, make_folder = self.destination()
        if not include_all and not self._anything_new(store):
            return
        self.busy = True
        self._set_enabled(False)
        self.result.hide()
        self.progress.setRange(0, 0)
        self.progress.setValue(0)
        self.progress.show()
        try:
            result = export_to_folder(
                store,
                self.context.opener(),
                folder,
                fmt,
                ExportOptions(
                    include_all=include_all,
                    progress=self.on_progress,
                    topic_titles=topic_titles(self.context.window),
                    region=self.context.window.config.region,
                ),
                make_folder=make_folder,
            )
        except ExportError as exc:
            log.warning("export to %s failed: %s", folder, exc.reason)
            self._show(self.result, s.EXPORT_FAILED.format(reason=exc.message))
            return
        finally:
            self.busy = False
            self._set_enabled(True)
            self.progress.hide()
            self.idle.touch()
        drive = self._chosen_drive()
        where: dict[str, str] = {"drive": drive.label} if drive is not None else {}
        self.context.audit(  # the same keys as ``kiosk export`` writes, and the drive
            "export",
            count=result.count,
            path=str(result.path),
            format=fmt,
            scope="all" if include_all else "new",
            **where,
        )
        self._say_done(result, drive)

    def _chosen_drive(self) -> Drive | None:
        value = self.where.value()
        if value.startswith("drive:"):
            index = int(value.removeprefix("drive:"))
            if 0 <= index < len(self.drives):
                return self.drives[index]
        return None

    def _anything_new(self, store: EnquiryStore) -> bool:
        """Whether there are new ones to export; if not, the result says why not."""
        try:
            if store.counts().get("new", 0) == 0:
                self._show(self.result, s.EXPORT_NOTHING)
                return False
        except StoreError as exc:
            self._show(self.result, s.EXPORT_FAILED.format(reason=str(exc)))
            return False
        return True

    def _say_done(self, result: ExportResult, drive: Drive | None) -> None:
        """Where the file went, as staff know the place (the drive's label, the
        file's name; not a mount point), and any warnings; the counts read again."""
        if drive is not None:
            place = s.EXPORT_PLACE_DRIVE.format(label=drive.label, file=result.path.name)
        else:
            place = s.EXPORT_PLACE_FOLDER.format(file=result.path.name)
        done = s.export_done(result.count, place)
        self._show(self.result, "\n".join((done, *result.warnings)))
        self.refresh_counts()
        self._bring_into_view(self.result)

    def on_progress(self, done: int, total: int) -> None:
        """The export's progress callback: move the bar, let the screen paint."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setAccessibleDescription(s.EXPORTING.format(done=done, total=total))
        self.idle.touch()  # exporting is not being away
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def refresh_counts(self) -> None:
        store = self.context.store
        if store is None:
            return
        try:
            counts = store.counts()
        except StoreError:
            return
        self.which.relabel("new", s.EXPORT_NEW.format(n=counts.get("new", 0)))
        self.which.relabel("all", s.EXPORT_ALL.format(n=sum(counts.values())))
        self._update_purge_text()

    def _set_enabled(self, enabled: bool) -> None:
        for control in (
            *self.which.buttons(),
            *self.format.buttons(),
            *self.where.buttons(),
            self.look_again,
            self.export_button,
            self.purge_button,
        ):
            control.setEnabled(enabled)

    # -- deleting old ones -----------------------------------------------------------
    @property
    def days(self) -> int:
        return int(self.context.window.config.retention_days)

    def _count_old_files(self) -> int:
        """Old export files in the configured export folder (never a USB drive's)."""
        return len(old_exports(self._folder(), self.days))

    def _update_purge_text(self) -> None:
        store = self.context.store
        self._purge_count = 0
        files = self._count_old_files()
        if store is not None and store.available:
            try:
                self._purge_count = store.purgeable(self.days)
            except StoreError as exc:
                self.purge_text.setText(str(exc))
                self.purge_button.setEnabled(False)
                return
        if self._purge_count:
            text = s.PURGE_EXPLAIN.format(age=s.days(self.days))
        else:
            text = s.PURGE_NONE.format(age=s.days(self.days))
        if files:
            text += " " + s.FILES_EXPLAIN.format(age=s.days(self.days))
        self.purge_text.setText(text)
        self.purge_button.setEnabled(self._purge_count > 0 or files > 0)

    def ask_purge(self) -> None:
        """The confirmation, saying how many will go (enquiries, and old export files)."""
        store = self.context.store
        if store is None:
            return
        try:
            # The store's own count: the same rule (and clock) as its purge.
            self._purge_count = store.purgeable(self.days)
        except StoreError as exc:
            self._show(self.purge_result, s.PURGE_FAILED.format(reason=str(exc)))
            return
        files = self._count_old_files()
        if not self._purge_count and not files:
            self._update_purge_text()
            return
        days = self.days
        if not self._purge_count:
            question = s.files_confirm(files, days)
        else:
            question = s.purge_confirm(self._purge_count, days)
            if files:
                question += " " + s.files_too(files, days)
        self.purge_text.setText(question)
        self.purge_button.hide()
        self.purge_no.show()
        self.purge_yes.show()
        self.purge_result.hide()
        self._bring_into_view(self.purge_yes)

    def cancel_purge(self) -> None:
        self.purge_no.hide()
        self.purge_yes.hide()
        self.purge_button.show()
        self._update_purge_text()

    @property
    def confirming(self) -> bool:
        return self.purge_yes.isVisibleTo(self)

    def purge(self) -> None:
        store = self.context.store
        if store is None or not self.confirming:
            return
        try:
            deleted = store.purge(self.days)
        except StoreError as exc:
            self.cancel_purge()
            self._show(self.purge_result, s.PURGE_FAILED.format(reason=str(exc)))
            return
        # The configured export folder only: a USB drive is the staff's.
        files = remove_old_exports(self._folder(), self.days)
        self.context.audit("purge", count=deleted, older_than_days=self.days, files=files)
        self.cancel_purge()
        done = []
        if deleted or not files:
            done.append(s.purge_done(deleted))
        if files:
            done.append(s.files_done(files))
        self._show(self.purge_result, " ".join(done))
        self.refresh_counts()

    def _bring_into_view(self, widget: QWidget) -> None:
        """Scroll ``widget`` into view once the layout has made room for it
        (the question, the result: below the fold on a 800 px tall screen)."""
        QTimer.singleShot(0, self, lambda: self.area.ensureWidgetVisible(widget, 0, MARGIN))

    # -- words ----------------------------------------------------------------------
    @staticmethod
    def _show(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setAccessibleName(text)
        label.setVisible(bool(text))

    def wipe(self) -> None:
        self.scroller.stop()
