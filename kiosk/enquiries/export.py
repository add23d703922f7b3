"""Exporting enquiries for call-backs: one CSV or XLSX file, written atomically.

Plain Python (no Qt): the staff panel runs it with a progress bar, the
command line (``kiosk export``) without one. The personal fields are opened
with a staff member's ``Opener`` row by row and go straight into the file;
nothing personal is logged, put in an error message or left behind in a
temporary file.

Every cell is made inert for spreadsheets (``inert``): a value that begins
with ``=``, ``+``, ``-``, ``@``, tab, CR or LF gets a leading ``'``, in CSV and
XLSX alike (OWASP, "CSV Injection"), so a name typed as ``=HYPERLINK(...)``
is shown as text and never run as a formula. The XLSX file is also written
with strings only (``write_string``), never as formulas, numbers or links.

The file is written to a temporary name in the target folder, synced, renamed
into place and the folder synced; only then are the enquiries in it marked
"exported". A full disk, a read-only or missing folder raise ``ExportError``
with a plain sentence, leave no partial file and mark nothing.

Exports hold what patients typed, in the clear: ``remove_old_exports`` deletes
the kiosk's own export files from the export folder once they are past the
retention period (``kiosk purge`` and the panel's "Delete old" call it).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import errno
import io
import logging
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from kiosk.enquiries import labels
from kiosk.enquiries.form import phone_for_display
from kiosk.enquiries.keys import KeysError
from kiosk.enquiries.leftovers import LEFTOVER, ExportPlaces
from kiosk.enquiries.store import StoredEnquiry, StoreError, open_personal
from kiosk.support.files import TargetExistsError, fsync_folder, write_atomic

if TYPE_CHECKING:
    from kiosk.enquiries.keys import Opener
    from kiosk.enquiries.store import EnquiryStore

log = logging.getLogger("kiosk.enquiries.export")

FORMATS = ("csv", "xlsx")
COLUMNS = (
    "Reference",
    "Received",
    "Topic",
    "Name",
    "Phone",
    "Email",
    "Contact by",
    "Best time",
    "Message",
    "Status",
)

# What a cell may not begin with (OWASP's formula triggers, the characters a
# spreadsheet skips before one, and the fullwidth forms some spreadsheets
# read as the ASCII ones).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A trigger after a separator or quote inside a field: where Excel splits a
# comma-separated file on ";" (German, French, Spanish, Italian settings), or a
# tool splits on tabs or lines, that is the start of a cell too. An apostrophe
# goes just before the = + - @ (or fullwidth form); the spaces, tabs and line
# breaks a spreadsheet skips may come between. A line break alone is left be.
_FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
_INNER_TRIGGER = re.compile('([,;\t"\r\n][ \t\r\n]*)(?=[' + re.escape(_FORMULA_STARTS) + "])")

RECEIVED_FORMAT = "%Y-%m-%d %H:%M"

# XLSX column widths, in characters: enough for the usual value.
_WIDTHS = (10, 17, 28, 24, 17, 30, 11, 11, 60, 11)

PROGRESS_EVERY = 100

# Half of a UTF-16 pair, alone: possible in stored text (JSON carries it), but
# no file encoding can hold one, so it is shown as the replacement character.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Our temporary names next to an export, so leftovers of a crash can be found.
_TEMP_RE = LEFTOVER
_STALE_SECONDS = 3600.0
# The names export_to_folder gives (export_file_name, and -2, -3 ... after it).
_EXPORT_NAME_RE = re.compile(r"^enquiries-\d{4}-\d{2}-\d{2}-\d{4}(-\d+)?\.(csv|xlsx)$")
# Where removable drives are mounted: only there may a missing folder be a pulled-out stick.
_DRIVE_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))


def inert(value: str) -> str:
    """``value`` made safe for a spreadsheet cell in every locale: a ``'``
    before a formula trigger (= + - @ tab CR LF, and their fullwidth forms) at
    its start, and before one that follows a separator (, ; tab line break) or
    a quote inside it; otherwise unchanged."""
    value = _INNER_TRIGGER.sub(r"\1'", value)
    return "'" + value if value.startswith(TRIGGERS) else value


class ExportError(Exception):
    """An export did not happen; ``message`` says why, for people (no personal data).

    ``reason`` is ``"missing"`` (no such folder), ``"read-only"``, ``"full"``,
    ``"exists"`` (the file is there and was not to be replaced), ``"format"``
    (not csv or xlsx), ``"store"`` (the enquiries could not be read) or
    ``"failed"``. Nothing was written and nothing marked exported.
    """

    def __init__(self, message: str, reason: str = "failed") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    ``ids`` are the enquiries in the file, oldest first. ``skipped`` are the
    ones left out because they would not open with this key (sealed to
    another key, or damaged): they stay as they were. ``warnings`` are
    sentences to show with the result (skipped enquiries; marking failed).
    """

    path: Path
    count: int
    ids: tuple[int, ...]
    skipped: tuple[int, ...] = ()
    marked: int = 0
    warnings: tuple[str, ...] = ()


def export_file_name(fmt: str, now: datetime) -> str:
    """The file name for an export made at ``now``: ``enquiries-2026-11-27-0930.csv``."""
    _check_format(fmt)
    return f"enquiries-{now:%Y-%m-%d-%H%M}.{fmt}"


@dataclass(frozen=True)
class ExportOptions:
    """How an export is made; the defaults are the usual call-back list.

    ``include_all``: every enquiry, not only the new ones. ``progress(done,
    total)`` is called with (0, total) first, at least every 100 rows, and with
    (total, total) once the file is in place. ``topic_titles`` shows topics by
    their title. ``mark_exported=False`` (a copy for someone) changes no status.
    ``tz``: the time zone times are shown in (default: this machine's, the
    clinic's). ``replace=False``: an existing file is never replaced
    (``export_to_folder`` always picks a new name, whatever this says).
    ``region``: the clinic's (config ``region``): phone numbers are written as
    the clinic writes them, "(801) 555-0111", ready to dial; "" writes them in
    international form ("+1 801-555-0111").
    """

    include_all: bool = False
    progress: Callable[[int, int], None] | None = None
    topic_titles: Mapping[str, str] | None = None
    mark_exported: bool = True
    tz: tzinfo | None = None
    replace: bool = True
    region: str = ""


_DEFAULTS = ExportOptions()


def export_to_folder(
    store: EnquiryStore,
    opener: Opener,
    folder: Path,
    fmt: str,
    options: ExportOptions = _DEFAULTS,
    *,
    make_folder: bool = False,
    now: datetime | None = None,
) -> ExportResult:
    """Export into ``folder`` under a new name (``export_file_name``), never over a file.

    ``make_folder`` creates ``folder`` (and its parents) first: for the
    configured export folder. Never pass it for a drive: an unplugged stick
    leaves an empty mount point, and the export would go to the kiosk's own
    disk instead of failing.
    """
    _check_format(fmt)
    folder = Path(folder)
    if make_folder:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc, folder) from None
    stamp = (now or datetime.now()).astimezone(options.tz)
    base = export_file_name(fmt, stamp).removesuffix(f".{fmt}")
    out = folder / f"{base}.{fmt}"
    n = 2
    while os.path.lexists(out):
        out = folder / f"{base}-{n}.{fmt}"
        n += 1
    return export_enquiries(store, opener, out, fmt, dataclasses.replace(options, replace=False))


def export_enquiries(
    store: EnquiryStore,
    opener: Opener,
    out: Path,
    fmt: str,
    options: ExportOptions = _DEFAULTS,
) -> ExportResult:
    """Write the new enquiries (``options.include_all``: every one) to ``out``, then mark
    them exported.

    Rows are oldest first (call-backs in the order people asked). ``out`` is
    replaced if it exists; with ``replace=False`` an existing ``out`` (there
    before, or made meanwhile) is an ``ExportError`` ("exists") and is left as
    it was: the file it would replace may be the only list of enquiries already
    marked exported. The rest of ``options`` is described at ``ExportOptions``.

    Only enquiries that were "new" are marked "exported", and only after the
    file is durably on disk: an exported or contacted one keeps its status.
    If the kiosk stops between the rename and the marking, the file is there
    but its enquiries are still "new": they are exported again next time,
    which is the safe way round (a call-back listed twice, never one lost).
    """
    progress, tz = options.progress, options.tz
    _check_format(fmt)
    out = Path(out)
    folder = out.parent
    _check_folder(folder, out)
    if not options.replace and os.path.lexists(out):
        raise _exists_error(out)
    _sweep_leftovers(folder)
    try:
        stored = store.enquiries(None if options.include_all else "new")
    except StoreError as exc:
        raise ExportError(
            f"The enquiries could not be read ({exc}); nothing was exported.", "store"
        ) from None
    stored.reverse()  # the store gives newest first
    total = len(stored)
    titles = dict(options.topic_titles or {})
    skipped: list[int] = []
    written: list[int] = []

    def rows() -> Iterator[list[str]]:
        if progress is not None:
            progress(0, total)
        for n, enquiry in enumerate(stored, start=1):
            row = _row(enquiry, opener, titles, tz, options.region)
            if row is None:
                skipped.append(enquiry.id)
            else:
                written.append(enquiry.id)
                yield row
            if progress is not None and n % PROGRESS_EVERY == 0 and n < total:
                progress(n, total)

    # The data folder (the store's) remembers where exports go, so what a
    # killed one leaves is removed there later (kiosk.enquiries.leftovers).
    with ExportPlaces(store.path.parent).exporting(folder):
        write_rows(out, fmt, rows(), replace=options.replace)
    if progress is not None:
        progress(total, total)

    warnings: list[str] = []
    if skipped:
        log.warning(
            "Export to %s left out %d enquiries that would not open with this key: ids %s.",
            out,
            len(skipped),
            ", ".join(str(i) for i in skipped),
        )
        warnings.append(
            f"{_enquiries(len(skipped))} could not be opened with this key (sealed to another "
            f"key, or damaged) and were left out: {_id_list(skipped)}."
        )
    marked = 0
    if options.mark_exported:
        in_file = set(written)
        new_ids = [e.id for e in stored if e.status == "new" and e.id in in_file]
        try:
            marked = store.mark_exported(new_ids) if new_ids else 0
        except StoreError as exc:
            log.warning("Export to %s written, but not marked exported (%s).", out, exc)
            warnings.append(
                f"The file was written, but the enquiries could not be marked exported "
                f"({exc.reason}): they will be exported again next time."
            )
    return ExportResult(
        path=out,
        count=len(written),
        ids=tuple(written),
        skipped=tuple(skipped),
        marked=marked,
        warnings=tuple(warnings),
    )


# -- rows ----------------------------------------------------------------------------


def received_text(created_at: str, tz: tzinfo | None = None) -> str:
    """A stored UTC time as the clinic reads it: ``2026-11-27 09:30`` in ``tz`` (default local)."""
    try:
        when = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(tz).strftime(RECEIVED_FORMAT)


def _row(
    enquiry: StoredEnquiry,
    opener: Opener,
    titles: Mapping[str, str],
    tz: tzinfo | None,
    region: str = "",
) -> list[str] | None:
    """One enquiry as the cells of a row (made inert), or None if it will not open."""
    try:
        personal = open_personal(opener, enquiry)
    except (KeysError, StoreError):
        return None
    return row_cells(
        str(enquiry.id),
        received_text(enquiry.created_at, tz),
        labels.topic(enquiry.topic, titles),
        personal,
        enquiry.status,
        region,
    )


def row_cells(
    reference: str,
    received: str,
    topic: str,
    personal: Mapping[str, str],
    status: str,
    region: str = "",
) -> list[str]:
    """One enquiry's cells in ``COLUMNS`` order, in words: the tablet's export and
    the office's (``kiosk.office.inbox.export``) write the same rows, each file's
    writer making them safe its own way (``write_rows``). The phone number as the
    clinic in ``region`` writes it (``ExportOptions.region``)."""
    phone = personal.get("phone", "")
    cells: tuple[str, ...] = (
        reference,
        received,
        topic,
        personal.get("name", ""),
        phone_for_display(phone, region) if phone else "",
        personal.get("email", ""),
        labels.method(personal.get("method", "")),
        labels.best_time(personal.get("best_time", "")),
        personal.get("message", ""),
        labels.status(status),
    )
    if _LONE_SURROGATE.search("".join(cells)):  # one search per row, not per cell
        cells = tuple(_LONE_SURROGATE.sub("\ufffd", cell) for cell in cells)
    return list(cells)


def _enquiries(n: int) -> str:
    return "1 enquiry" if n == 1 else f"{n} enquiries"


def _id_list(ids: Sequence[int], limit: int = 20) -> str:
    shown = ", ".join(str(i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


# -- writers -------------------------------------------------------------------------


def _write_csv(file: IO[bytes], parts: Path, rows: Iterator[list[str]]) -> None:
    """UTF-8 with a byte-order mark (Excel then reads it as UTF-8), CRLF, every
    field quoted (not only those with commas, quotes or line breaks)."""
    del parts  # CSV needs no scratch files
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        # Every field quoted: a reader that splits on ";" still sees where one ends.
        writer = csv.writer(text, dialect="excel", quoting=csv.QUOTE_ALL)
        writer.writerow(COLUMNS)
        writer.writerows([inert(cell) for cell in row] for row in rows)
        text.flush()
    finally:
        text.detach()  # the caller syncs and closes the file


def _write_xlsx(file: IO[bytes], parts: Path, rows: Iterator[list[str]]) -> None:
    """One sheet, bold frozen header, strings only but the Reference (a whole
    number). ``constant_memory`` streams rows
    to a scratch file in ``parts`` (next to the export, removed afterwards).

    A cell is one cell here, never split again, and ``write_string`` never makes
    a formula: a value that begins as one would (a phone number "+44 20 ...", a
    message "- call after 5") is written as it is, marked as text the way Excel
    marks a cell typed with a leading ``'`` (its quote prefix: the ``'`` is not
    part of the value, and not shown). An apostrophe of our own in the cell
    would be seen, and dialled."""
    import xlsxwriter  # type: ignore[import-untyped]  # only when an XLSX is made

    workbook = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,
            "tmpdir": str(parts),
            # Belt and braces: every cell goes through write_string anyway.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = workbook.add_worksheet("Enquiries")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    top = workbook.add_format({"valign": "top"})
    text = {
        wrap: workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True}),
        top: workbook.add_format({"valign": "top", "quote_prefix": True}),
    }
    message = COLUMNS.index("Message")
    reference = COLUMNS.index("Reference")
    for col, width in enumerate(_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(COLUMNS):
        sheet.write_string(0, col, inert(title), bold)
    try:
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if col == reference and value.isascii() and value.isdigit():
                    # A number: sorted as one (10 after 9), no "number stored as text" mark.
                    sheet.write_number(r, col, int(value), top)
                    continue
                style = wrap if col == message else top
                sheet.write_string(
                    r, col, value, text[style] if value.startswith(TRIGGERS) else style
                )
    except BaseException:
        # Nothing half-made is packaged: the scratch folder and the temporary
        # file are deleted by the caller. Only the sheet's open scratch file
        # (XlsxWriter's, in constant_memory mode) needs closing here.
        scratch = getattr(sheet, "row_data_fh", None)
        if scratch is not None:
            with contextlib.suppress(OSError):
                scratch.close()
        raise
    workbook.close()


# -- writing the file safely ----------------------------------------------------------


def write_rows(out: Path, fmt: str, rows: Iterator[list[str]], *, replace: bool = True) -> None:
    """``COLUMNS`` then ``rows`` (cells in words, ``row_cells``) to ``out`` as CSV
    (each cell made ``inert``) or XLSX (a cell that begins as a formula would,
    marked as text: ``_write_xlsx``), durably: on return the file is synced and
    in place, its folder synced; on an ``ExportError`` nothing is left
    (``_write_atomically``)."""
    _check_format(fmt)
    _check_folder(out.parent, out)
    writer = _write_csv if fmt == "csv" else _write_xlsx
    _write_atomically(out, lambda file, parts: writer(file, parts, rows), replace=replace)


def _write_atomically(
    out: Path, write: Callable[[IO[bytes], Path], None], *, replace: bool = True
) -> None:
    """``write_atomic`` through ``write(file, scratch folder)``, with the export's own
    temporary names (``_sweep_leftovers`` finds them) and its failures as ``ExportError``.

    On any failure nothing is left: not the temporary file, not the scratch
    folder, not ``out`` (even renamed into place, a file whose folder would not
    sync is removed: its enquiries are not marked, so they are exported again).
    Without ``replace`` a file at ``out`` is never replaced ("exists")."""
    folder = out.parent
    token = secrets.token_hex(8)
    parts = folder / f".kiosk-export-{token}.parts"

    def write_with_parts(file: BinaryIO) -> None:
        os.mkdir(parts, 0o700)  # after the temporary file: a refused one leaves nothing
        write(file, parts)

    def sync_or_remove(where: Path) -> None:
        try:
            _sync_folder(where)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(out)
            raise

    try:
        write_atomic(
            out,
            write_with_parts,
            replace=replace,
            temp=folder / f".kiosk-export-{token}.part",
            sync_folder=sync_or_remove,
        )
    except TargetExistsError:
        raise _exists_error(out) from None
    except OSError as exc:
        raise _os_error(exc, folder) from None
    except Exception as exc:
        # XlsxWriter wraps the OS's errors in its own; anything else (a
        # progress callback that raised, say) goes to the caller as it is.
        if not _from_a_writer(exc):
            raise
        cause = _os_cause(exc)
        if cause is not None:
            raise _os_error(cause, folder) from None
        log.error("Export to %s failed (%s).", out, type(exc).__name__)
        raise ExportError(
            f"The export to {folder} failed ({type(exc).__name__}); nothing was exported."
        ) from None
    finally:
        shutil.rmtree(parts, ignore_errors=True)


def _exists_error(out: Path) -> ExportError:
    return ExportError(f"There is a file {out} already; nothing was exported.", "exists")


def _sync_folder(folder: Path) -> None:
    """``fsync_folder``, tolerating file systems that cannot sync a folder (some FUSE
    drivers answer EINVAL): the file itself was synced, which is what they offer."""
    try:
        fsync_folder(folder)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF):
            raise


def _from_a_writer(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in ("xlsxwriter", "zipfile", "csv")


def _os_cause(exc: BaseException) -> OSError | None:
    """The OSError behind a library's own exception (XlsxWriter wraps them), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        for arg in getattr(current, "args", ()):
            if isinstance(arg, OSError):
                return arg
        current = current.__cause__ or current.__context__
    return None


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(
            f"An export can be CSV or XLSX ({', '.join(FORMATS)}), not {fmt!r}.", "format"
        )


def _check_folder(folder: Path, out: Path) -> None:
    """Refuse early, in plain words, what would fail anyway."""
    try:
        if not folder.is_dir():
            raise ExportError(
                f"The folder {folder} does not exist{_drive_hint(folder)}; nothing was exported.",
                "missing",
            )
        if out.is_dir():
            raise ExportError(f"{out} is a folder, not a file name; nothing was exported.")
    except OSError as exc:
        raise _os_error(exc, folder) from None


def _os_error(exc: OSError, folder: Path) -> ExportError:
    """What an OS error while exporting means, in a sentence (no personal data)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return ExportError(
            f"There is not enough space in {folder} for the export; nothing was exported.",
            "full",
        )
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportError(
            f"The folder {folder} cannot be written to (it is read-only or not the "
            f"kiosk's); nothing was exported.",
            "read-only",
        )
    if code in (errno.ENOENT, errno.ENOTDIR, errno.ENODEV, errno.ENXIO):
        if _on_a_drive(folder):
            return ExportError(
                f"The folder {folder} does not exist{_drive_hint(folder)}; nothing was exported.",
                "missing",
            )
        return ExportError(
            f"The folder {folder} cannot be written to (it is not there, or not a folder); "
            f"nothing was exported.",
            "missing",
        )
    name = errno.errorcode.get(code or 0, type(exc).__name__)
    return ExportError(
        f"The export could not be written to {folder} ({name}: {exc.strerror or 'error'}); "
        f"nothing was exported.",
        "failed",
    )


def _on_a_drive(folder: Path) -> bool:
    """Whether ``folder`` is where removable drives are mounted (/media, /run/media, /mnt)."""
    where = Path(os.path.abspath(folder))
    return any(where.is_relative_to(root) for root in _DRIVE_ROOTS)


def _drive_hint(folder: Path) -> str:
    return " (is the drive still plugged in?)" if _on_a_drive(folder) else ""


def old_exports(folder: Path, days: int, now: float | None = None) -> list[Path]:
    """The kiosk's own files in ``folder`` last changed more than ``days`` days ago:
    exports by the name ``export_to_folder`` gives (``enquiries-*.csv|xlsx``) and
    ``.kiosk-export-*`` scratch a crash left. Nothing else, ever: not a file
    staff named with ``--out``, not a link, not a folder of another name."""
    cutoff = (time.time() if now is None else now) - days * 86400.0
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []  # no export folder yet: nothing to delete
    found: list[Path] = []
    for entry in entries:
        scratch = _TEMP_RE.match(entry.name) is not None
        if not scratch and _EXPORT_NAME_RE.match(entry.name) is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        kind_ok = stat.S_ISREG(info.st_mode) or (
            scratch and entry.name.endswith(".parts") and stat.S_ISDIR(info.st_mode)
        )
        if kind_ok and info.st_mtime < cutoff:
            found.append(Path(entry.path))
    return found


def remove_old_exports(folder: Path, days: int, now: float | None = None) -> int:
    """Delete ``old_exports(folder, days, now)``; returns how many went.

    Exports hold patients' details in the clear: left in the export folder
    they would outlive the enquiries' own retention. Call it on the configured
    export folder only, never on a USB drive (the stick is the staff's). A
    file that cannot be deleted is logged (its name only) and skipped.
    """
    removed = 0
    for path in old_exports(folder, days, now):
        try:
            if path.name.endswith(".parts"):
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as exc:
            log.warning("An old export %s could not be deleted (%s).", path, exc.strerror or exc)
            continue
        removed += 1
    if removed:
        log.info("Deleted %d old export files from %s.", removed, folder)
    return removed


def _sweep_leftovers(folder: Path) -> None:
    """Delete what an export that crashed left in ``folder`` (our temporary names only,
    and only when over an hour old, so a concurrent export is not disturbed)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    cutoff = time.time() - _STALE_SECONDS
    for entry in entries:
        if not _TEMP_RE.match(entry.name):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError as exc:
            log.warning("A leftover export file %s could not be deleted (%s).", entry.path, exc)
