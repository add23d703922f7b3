"""Exporting enquiries (kiosk.enquiries.export): real keys, a real store, real files read back
with ``csv.reader`` and openpyxl; faults on a real small disk where one can be mounted."""

from __future__ import annotations

import csv
import errno
import itertools
import logging
import os
import stat
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from kiosk.enquiries import export as export_module
from kiosk.enquiries.export import (
    COLUMNS,
    FORMATS,
    ExportError,
    ExportOptions,
    export_enquiries,
    export_file_name,
    export_to_folder,
    inert,
    old_exports,
    remove_old_exports,
)
from kiosk.enquiries.keys import KeyRing
from kiosk.enquiries.store import EnquiryStore, StoreError
from tests.conftest import examples
from tests.disks import fill, remount

from .conftest import FAST, PERSONAL, Clock, Keys, save

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

# OWASP's CSV-injection examples, and the characters a spreadsheet skips before one.
OWASP = [
    "=1+2",
    "@SUM(1)",
    '=HYPERLINK("http://evil","x")',
    "+1 801 555 0100",
    "-5",
    "\t=1",
    "\r=1",
    "\n=1",
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]

ORDINARY = [
    "Zoë O'Brien",
    "李小龙 😀👩🏽‍⚕️",
    'Smith, "Jo"',
    "line one\nline two\r\nline three",
    "שלום مرحبا",
    "a,b;c\td",
    " leading space",
    "'already quoted",
]

DENVER = timezone(timedelta(hours=-7))


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def read_xlsx(path: Path) -> list[list[str]]:
    """The cells' text as Excel shows it: OOXML writes control characters as
    ``_xHHHH_`` (XlsxWriter does, for CR and tab); openpyxl leaves them escaped."""
    book = openpyxl.load_workbook(path)
    try:
        (sheet,) = book.worksheets
        return [
            ["" if v is None else unescape(str(v)) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        book.close()


def read_back(path: Path) -> list[list[str]]:
    return read_csv(path) if path.suffix == ".csv" else read_xlsx(path)


def as_written(value: str, fmt: str) -> str:
    """What a cell holding ``value`` reads as: made ``inert`` in a CSV (a file a
    spreadsheet splits again), as it is in an XLSX (a cell there is one cell)."""
    return inert(value) if fmt == "csv" else value


def text_marked(path: Path) -> dict[str, bool]:
    """Each XLSX cell's text, and whether it is marked as text (Excel's quote
    prefix, what a leading ' typed into Excel sets: shown without the ')."""
    book = openpyxl.load_workbook(path)
    try:
        (sheet,) = book.worksheets
        return {
            unescape(str(cell.value)): bool(cell.quotePrefix)
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
    finally:
        book.close()


def folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture(params=FORMATS)
def fmt(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- the inert rule ---------------------------------------------------------------------


@pytest.mark.parametrize("value", OWASP)
def test_inert_prefixes_every_formula_trigger(value: str) -> None:
    """A value starting with = + - @ tab CR or LF gets a leading apostrophe; a
    tab or line break is a separator too, so the = after it gets one as well
    (issue 18: a tool that splits there starts a cell with it)."""
    if value[0] in "\t\r\n":
        assert inert(value) == "'" + value[0] + "'" + value[1:]
    else:
        assert inert(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Ana", "1+2", " =1", "'=1", "ö=1", "(801) 555-0100"])
def test_inert_leaves_other_values_alone(value: str) -> None:
    """Anything else is written exactly as it is."""
    assert inert(value) == value


# -- what the file holds ----------------------------------------------------------------


@pytest.mark.parametrize("value", OWASP)
def test_formula_examples_are_inert_in_both_formats(
    store: EnquiryStore, keys: Keys, tmp_path: Path, value: str
) -> None:
    """OWASP's examples as name and message: no cell of the CSV starts with a
    trigger; in the XLSX each is the text as typed, marked as text."""
    save(store, name=value, message=value, email=value, phone=value)
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        export_enquiries(store, keys.opener, out, fmt, ExportOptions(include_all=True))
        rows = read_back(out)
        assert len(rows) == 2
        header = dict(zip(rows[0], rows[1], strict=True))
        assert header["Name"] == header["Message"] == as_written(value, fmt)
        if fmt == "csv":
            for row in rows:
                for cell in row:
                    assert not cell.startswith(TRIGGERS), cell
            assert inert(value).startswith("'")
        else:
            assert text_marked(out)[value] is True


def test_xlsx_holds_strings_only_never_formulas(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """The sheet's XML has no formula element, and every cell is a string but
    the Reference, a number (sorted as one; Excel marks a number stored as text)."""
    for value in OWASP:
        save(store, name=value, message=value)
    out = tmp_path / "out.xlsx"
    export_enquiries(store, keys.opener, out, "xlsx")
    with zipfile.ZipFile(out) as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/")]
        assert sheets == ["xl/worksheets/sheet1.xml"]
        xml = package.read(sheets[0]).decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml
    book = openpyxl.load_workbook(out)
    try:
        rows = list(book.active.iter_rows())
        cells = [c for row in rows for c in row[1:] if c.value is not None]
        assert cells and {c.data_type for c in cells} == {"s"}
        references = [row[0] for row in rows[1:]]
        assert references and {c.data_type for c in references} == {"n"}
        assert rows[0][0].value == "Reference"
    finally:
        book.close()


def test_ordinary_values_round_trip_exactly(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """Unicode, emoji, commas, quotes and line breaks in a message come back as typed."""
    ids = [save(store, name=value, message=value) for value in ORDINARY]
    out = tmp_path / f"out.{fmt}"
    result = export_enquiries(store, keys.opener, out, fmt)
    assert result.ids == tuple(ids)
    rows = read_back(out)
    assert rows[0] == list(COLUMNS)
    for row, value in zip(rows[1:], ORDINARY, strict=True):
        assert row[COLUMNS.index("Name")] == value
        assert row[COLUMNS.index("Message")] == value


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\r"),
        max_size=80,
    )
)
def test_any_text_comes_back_as_inert_of_itself(
    store: EnquiryStore, keys: Keys, tmp_path: Path, text: str
) -> None:
    """Whatever was stored, the CSV holds exactly ``inert(value)``, the XLSX the
    value itself, marked as text where it begins as a formula would."""
    save(store, name=text, message=text)
    for fmt in FORMATS:
        out = tmp_path / f"any.{fmt}"
        export_enquiries(
            store, keys.opener, out, fmt, ExportOptions(include_all=True, mark_exported=False)
        )
        last = read_back(out)[-1]
        expected = as_written(text, fmt)
        assert last[COLUMNS.index("Name")] == expected, fmt
        assert last[COLUMNS.index("Message")] == expected, fmt
        if fmt == "xlsx" and text.startswith(TRIGGERS):
            assert text_marked(out)[text] is True


def test_csv_is_utf8_with_a_byte_order_mark(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """Excel opens it right: the file begins with EF BB BF, then the header row."""
    save(store)
    out = tmp_path / "out.csv"
    export_enquiries(store, keys.opener, out, "csv")
    raw = out.read_bytes()
    header = ",".join(f'"{column}"' for column in COLUMNS)  # every field quoted (issue 18)
    assert raw.startswith(b"\xef\xbb\xbf" + header.encode() + b"\r\n")
    assert raw.count(b"\xef\xbb\xbf") == 1


def test_xlsx_has_one_sheet_a_bold_frozen_header_and_widths(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """One sheet; the header row bold and frozen; the message column wide and wrapped."""
    save(store)
    out = tmp_path / "out.xlsx"
    export_enquiries(store, keys.opener, out, "xlsx")
    book = openpyxl.load_workbook(out)
    try:
        (sheet,) = book.worksheets
        assert sheet.title == "Enquiries"
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert not any(cell.font.b for cell in sheet[2])
        message = openpyxl.utils.get_column_letter(COLUMNS.index("Message") + 1)
        assert sheet.column_dimensions[message].width >= 50
        assert sheet[f"{message}2"].alignment.wrap_text
        name = openpyxl.utils.get_column_letter(COLUMNS.index("Name") + 1)
        assert 15 <= sheet.column_dimensions[name].width <= 40
    finally:
        book.close()


def test_a_row_in_words_for_staff(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """Reference, local time, topic title, method and best time in words, status."""
    first = save(store, "ketamine-and-depression", method="text", best_time="evening")
    second = save(store, "", method="email", best_time="any", email="jo@example.org")
    third = save(store, "unknown-topic")
    out = tmp_path / f"out.{fmt}"
    export_enquiries(
        store,
        keys.opener,
        out,
        fmt,
        ExportOptions(
            topic_titles={"ketamine-and-depression": "Ketamine and depression"}, tz=DENVER
        ),
    )
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in read_back(out)[1:]]
    assert [r["Reference"] for r in rows] == [str(first), str(second), str(third)]
    assert rows[0]["Received"] == "2026-11-27 09:30"  # 16:30 UTC in UTC-7
    assert rows[0]["Topic"] == "Ketamine and depression"
    assert rows[1]["Topic"] == "General question"
    assert rows[2]["Topic"] == "unknown-topic"
    assert (rows[0]["Contact by"], rows[0]["Best time"]) == ("Text message", "Evening")
    assert (rows[1]["Contact by"], rows[1]["Best time"]) == ("Email", "Any time")
    assert rows[1]["Email"] == "jo@example.org"
    # No region: international; the + is a trigger, made inert in the CSV only.
    assert rows[0]["Phone"] == as_written("+1 801-555-0100", fmt)
    assert {r["Status"] for r in rows} == {"New"}


def test_phone_numbers_are_written_as_the_clinic_writes_them(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """Stored as "+18015550100", the number came out as "'+18015550100" (the + is a
    formula trigger): with the clinic's region it is "(801) 555-0100", ready to
    dial, as the staff panel shows it; a number from elsewhere is international,
    and in the XLSX it has no apostrophe to dial (its cell is marked as text)."""
    save(store, phone="+18015550100")
    save(store, phone="+442071838750")
    out = tmp_path / f"out.{fmt}"
    export_enquiries(store, keys.opener, out, fmt, ExportOptions(region="US"))
    rows = [dict(zip(COLUMNS, row, strict=True)) for row in read_back(out)[1:]]
    expected = {"csv": ["(801) 555-0100", "'+44 20 7183 8750"]}
    expected["xlsx"] = ["(801) 555-0100", "+44 20 7183 8750"]
    assert [r["Phone"] for r in rows] == expected[fmt]
    if fmt == "xlsx":
        marked = text_marked(out)
        assert (marked["+44 20 7183 8750"], marked["(801) 555-0100"]) == (True, False)


def test_oldest_first(store: EnquiryStore, keys: Keys, tmp_path: Path, clock: Clock) -> None:
    """Call-backs in the order people asked: the oldest enquiry is the first row."""
    ids = []
    for n in range(3):
        ids.append(save(store, name=f"Person {n}"))
        clock.advance(minutes=5)
    out = tmp_path / "out.csv"
    export_enquiries(store, keys.opener, out, "csv", ExportOptions(tz=UTC))
    rows = read_csv(out)[1:]
    assert [r[0] for r in rows] == [str(i) for i in ids]
    assert [r[1] for r in rows] == ["2026-11-27 16:30", "2026-11-27 16:35", "2026-11-27 16:40"]


def test_the_file_is_private_to_the_kiosk(store: EnquiryStore, keys: Keys, tmp_path: Path) -> None:
    """Exported personal data is readable by the kiosk's user only (where modes apply)."""
    save(store)
    out = tmp_path / "out.csv"
    export_enquiries(store, keys.opener, out, "csv")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# -- marking ------------------------------------------------------------------------------


def test_export_marks_the_new_ones_exported(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """After an export they are "exported"; the next export of new ones is empty."""
    ids = [save(store) for _ in range(3)]
    result = export_enquiries(store, keys.opener, tmp_path / f"a.{fmt}", fmt)
    assert (result.count, result.ids, result.marked) == (3, tuple(ids), 3)
    assert store.counts() == {"new": 0, "exported": 3, "contacted": 0}
    again = export_enquiries(store, keys.opener, tmp_path / f"b.{fmt}", fmt)
    assert (again.count, again.ids) == (0, ())
    assert read_back(again.path) == [list(COLUMNS)]


def test_all_includes_exported_and_contacted_and_never_downgrades(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """--all lists every enquiry; contacted stays contacted, only new ones become exported."""
    contacted, exported, new = save(store), save(store), save(store)
    store.set_status([contacted], "contacted")
    store.set_status([exported], "exported")
    result = export_enquiries(
        store, keys.opener, tmp_path / "all.csv", "csv", ExportOptions(include_all=True)
    )
    assert result.ids == (contacted, exported, new)
    assert result.marked == 1
    statuses = [r[COLUMNS.index("Status")] for r in read_csv(result.path)[1:]]
    assert statuses == ["Contacted", "Exported", "New"]
    assert store.get(contacted).status == "contacted"  # type: ignore[union-attr]
    assert store.get(exported).status == "exported"  # type: ignore[union-attr]
    assert store.get(new).status == "exported"  # type: ignore[union-attr]


def test_contacted_meanwhile_is_not_downgraded(
    store: EnquiryStore, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An enquiry marked contacted while the file was written stays contacted."""
    first, second = save(store), save(store)
    original = export_module._write_atomically

    def and_meanwhile(out: Path, write: Callable[..., None], *, replace: bool = True) -> None:
        original(out, write, replace=replace)
        store.set_status([first], "contacted")  # the panel, during the export

    monkeypatch.setattr(export_module, "_write_atomically", and_meanwhile)
    result = export_enquiries(store, keys.opener, tmp_path / "x.csv", "csv")
    assert result.ids == (first, second)
    assert result.marked == 1
    assert store.get(first).status == "contacted"  # type: ignore[union-attr]
    assert store.get(second).status == "exported"  # type: ignore[union-attr]


def test_without_marking_they_stay_new(store: EnquiryStore, keys: Keys, tmp_path: Path) -> None:
    """mark_exported=False (a copy for someone) changes no status."""
    save(store)
    result = export_enquiries(
        store, keys.opener, tmp_path / "x.csv", "csv", ExportOptions(mark_exported=False)
    )
    assert result.count == 1 and result.marked == 0
    assert store.counts()["new"] == 1


def test_a_failed_marking_keeps_the_file_and_says_so(
    store: EnquiryStore, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written; the store then fails: a warning, and they stay new (exported again)."""
    save(store)

    def broken(ids: object) -> int:
        raise StoreError("locked", "The enquiries were not marked exported (busy).")

    monkeypatch.setattr(store, "mark_exported", broken)
    result = export_enquiries(store, keys.opener, tmp_path / "x.csv", "csv")
    assert result.path.is_file() and result.count == 1 and result.marked == 0
    assert any("exported again next time" in w for w in result.warnings)
    assert store.counts()["new"] == 1


def test_enquiries_sealed_to_another_key_are_left_out_and_stay_new(
    store: EnquiryStore, keys: Keys, tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """A row that will not open is skipped, named by id in a warning, and not marked."""
    mine = save(store)
    other_ring, _ = KeyRing.create(tmp_path / "o.json", tmp_path / "o.txt", kdf=FAST)
    with EnquiryStore(store.path, other_ring.sealer(), clock=clock) as other:
        theirs = save(other, name="Someone Else")
    caplog.set_level(logging.DEBUG)
    result = export_enquiries(store, keys.opener, tmp_path / "x.csv", "csv")
    assert result.ids == (mine,)
    assert result.skipped == (theirs,)
    assert any(str(theirs) in w for w in result.warnings)
    assert store.get(theirs).status == "new"  # type: ignore[union-attr]
    assert store.get(mine).status == "exported"  # type: ignore[union-attr]
    assert "Someone Else" not in caplog.text and "Ana" not in caplog.text


# -- progress -----------------------------------------------------------------------------


def test_progress_at_least_every_hundred_rows_and_at_the_end(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """(0, total) first, never more than 100 rows between calls, (total, total) last."""
    for _ in range(230):
        save(store)
    calls: list[tuple[int, int]] = []
    export_enquiries(
        store,
        keys.opener,
        tmp_path / f"x.{fmt}",
        fmt,
        ExportOptions(progress=lambda d, t: calls.append((d, t))),
    )
    assert calls[0] == (0, 230)
    assert calls[-1] == (230, 230)
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert all(b - a <= 100 for a, b in itertools.pairwise(done))
    assert {t for _, t in calls} == {230}


def test_an_exception_from_progress_leaves_nothing(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """A caller that stops the export (its callback raised) gets its exception back;
    no file, none marked."""
    for _ in range(150):
        save(store)
    folder = tmp_path / "out"
    folder.mkdir()

    def stop(done: int, total: int) -> None:
        if done >= 100:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_enquiries(store, keys.opener, folder / f"x.{fmt}", fmt, ExportOptions(progress=stop))
    assert folder_listing(folder) == []
    assert store.counts()["new"] == 150


# -- where it goes --------------------------------------------------------------------------


def test_export_file_name() -> None:
    """enquiries-YYYY-MM-DD-HHMM.<format>, a name that sorts by time."""
    now = datetime(2026, 11, 27, 9, 30)
    assert export_file_name("csv", now) == "enquiries-2026-11-27-0930.csv"
    assert export_file_name("xlsx", now) == "enquiries-2026-11-27-0930.xlsx"


def test_export_to_folder_never_overwrites(store: EnquiryStore, keys: Keys, tmp_path: Path) -> None:
    """A second export in the same minute gets -2, a third -3; the first is untouched."""
    save(store)
    now = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    first = export_to_folder(
        store, keys.opener, tmp_path, "csv", ExportOptions(tz=UTC, include_all=True), now=now
    )
    before = first.path.read_bytes()
    second = export_to_folder(
        store, keys.opener, tmp_path, "csv", ExportOptions(tz=UTC, include_all=True), now=now
    )
    third = export_to_folder(
        store, keys.opener, tmp_path, "csv", ExportOptions(tz=UTC, include_all=True), now=now
    )
    assert first.path.name == "enquiries-2026-11-27-0930.csv"
    assert second.path.name == "enquiries-2026-11-27-0930-2.csv"
    assert third.path.name == "enquiries-2026-11-27-0930-3.csv"
    assert first.path.read_bytes() == before


def test_export_to_folder_makes_the_configured_folder_only_when_asked(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """make_folder for the configured folder; without it a missing folder is an error."""
    save(store)
    folder = tmp_path / "data" / "exports"
    with pytest.raises(ExportError) as caught:
        export_to_folder(store, keys.opener, folder, "csv")
    assert caught.value.reason == "missing"
    assert not folder.exists()
    result = export_to_folder(store, keys.opener, folder, "xlsx", make_folder=True)
    assert result.path.parent == folder and result.count == 1


def test_an_existing_file_is_kept_without_replace(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """``replace=False`` (``kiosk export`` without --force): an existing file is an
    ExportError "exists", left as it was; nothing is marked, nothing left behind."""
    save(store)
    out = tmp_path / f"x.{fmt}"
    out.write_text("last night's call-backs")
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, out, fmt, ExportOptions(replace=False))
    assert caught.value.reason == "exists"
    assert str(out) in caught.value.message and "nothing was exported" in caught.value.message
    assert out.read_text() == "last night's call-backs"
    _nothing_happened(store, tmp_path, folder_listing(tmp_path), 1)


def test_a_file_made_while_exporting_is_kept_without_replace(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """Another program writes the same name while the rows are written: that file stays,
    the export fails "exists", its temporary file is gone, nothing is marked."""
    save(store)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / f"x.{fmt}"

    def someone_else(done: int, total: int) -> None:
        if done == 0:
            out.write_text("theirs")

    with pytest.raises(ExportError) as caught:
        export_enquiries(
            store, keys.opener, out, fmt, ExportOptions(replace=False, progress=someone_else)
        )
    assert caught.value.reason == "exists"
    assert out.read_text() == "theirs"
    _nothing_happened(store, folder, [f"x.{fmt}"], 1)


@pytest.mark.parametrize("errno_code", [errno.EPERM, errno.ENOTSUP])
def test_without_hard_links_a_new_name_is_still_never_replaced(
    store: EnquiryStore,
    keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errno_code: int,
) -> None:
    """A FAT stick cannot link (EPERM): the file is checked for, then renamed in."""
    save(store)

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno_code, os.strerror(errno_code))

    monkeypatch.setattr(os, "link", no_links)
    folder = tmp_path / "stick"
    folder.mkdir()
    out = folder / "x.csv"
    result = export_enquiries(store, keys.opener, out, "csv", ExportOptions(replace=False))
    assert result.count == 1 and read_csv(out)[1][0] == str(result.ids[0])
    assert folder_listing(folder) == ["x.csv"]
    out.write_text("kept")
    with pytest.raises(ExportError) as caught:
        export_enquiries(
            store, keys.opener, out, "csv", ExportOptions(replace=False, include_all=True)
        )
    assert caught.value.reason == "exists" and out.read_text() == "kept"


def test_an_existing_file_is_replaced_when_asked(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """``replace=True`` (the default; ``kiosk export --force``) replaces the file."""
    save(store)
    out = tmp_path / "x.csv"
    out.write_text("old")
    export_enquiries(store, keys.opener, out, "csv", ExportOptions(replace=True))
    assert read_csv(out)[0] == list(COLUMNS)


# -- failures: plain words, nothing left, nothing marked -------------------------------------


def _nothing_happened(store: EnquiryStore, folder: Path, before: list[str], new: int) -> None:
    assert folder_listing(folder) == before
    assert store.counts()["new"] == new


def test_a_missing_folder(store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str) -> None:
    """A folder that is not there: a sentence that says so (no word of a drive: this
    is not where drives are mounted), nothing marked."""
    save(store)
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, tmp_path / "gone" / f"x.{fmt}", fmt)
    assert caught.value.reason == "missing"
    assert "does not exist" in caught.value.message
    assert "drive" not in caught.value.message
    assert str(tmp_path / "gone") in caught.value.message
    assert store.counts()["new"] == 1


@pytest.mark.parametrize("root", ["/media", "/run/media", "/mnt"])
def test_a_missing_folder_where_drives_are_mounted(
    store: EnquiryStore, keys: Keys, root: str
) -> None:
    """Under /media, /run/media or /mnt a missing folder is likely a pulled-out stick."""
    save(store)
    folder = Path(root) / "kiosk-test-no-such-user" / "STICK"
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, folder / "x.csv", "csv")
    assert caught.value.reason == "missing"
    assert "(is the drive still plugged in?)" in caught.value.message


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("/media/kiosk/STICK", "does not exist (is the drive still plugged in?)"),
        ("/var/lib/clinic-kiosk/exports", "cannot be written to"),
    ],
)
def test_a_vanishing_folder_is_said_for_where_it_is(folder: str, words: str) -> None:
    """ENOENT while writing: a drive's hint only where drives are mounted."""
    error = export_module._os_error(OSError(errno.ENOENT, "gone"), Path(folder))
    assert error.reason == "missing"
    assert words in error.message and folder in error.message
    if "drive" not in words:
        assert "drive" not in error.message


def test_a_folder_as_the_file_name(store: EnquiryStore, keys: Keys, tmp_path: Path) -> None:
    """``--out`` naming a folder is refused in words."""
    save(store)
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, tmp_path / "dir.csv", "csv")
    assert "is a folder" in caught.value.message
    assert store.counts()["new"] == 1


def test_an_unknown_format(store: EnquiryStore, keys: Keys, tmp_path: Path) -> None:
    """Only csv and xlsx; anything else is said plainly before any work."""
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, tmp_path / "x.ods", "ods")
    assert caught.value.reason == "format"
    assert "'ods'" in caught.value.message
    with pytest.raises(ExportError):
        export_file_name("pdf", datetime(2026, 1, 1))


def test_a_closed_store(store: EnquiryStore, keys: Keys, tmp_path: Path) -> None:
    """The enquiries cannot be read: an ExportError, no file."""
    store.close()
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, tmp_path / "x.csv", "csv")
    assert caught.value.reason == "store"
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("where", "code", "reason", "words"),
    [
        ("fsync", errno.ENOSPC, "full", "not enough space"),
        ("fsync", errno.EIO, "failed", "EIO"),
        ("replace", errno.EROFS, "read-only", "cannot be written to"),
        ("replace", errno.EACCES, "read-only", "cannot be written to"),
        ("open", errno.ENOSPC, "full", "not enough space"),
    ],
)
def test_os_faults_at_the_boundary(
    store: EnquiryStore,
    keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    where: str,
    code: int,
    reason: str,
    words: str,
) -> None:
    """The OS refuses at the last moment: a sentence, no partial or temporary file, none marked."""
    save(store)
    folder = tmp_path / "out"
    folder.mkdir()
    real = getattr(os, where)

    def refuse(*args: object, **kwargs: object) -> object:
        first = str(args[0]) if args else ""
        if where == "fsync" or ".kiosk-export-" in first:
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    monkeypatch.setattr(os, where, refuse)
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, folder / f"x.{fmt}", fmt)
    monkeypatch.undo()
    assert caught.value.reason == reason
    assert words in caught.value.message
    assert "nothing was exported" in caught.value.message
    _nothing_happened(store, folder, [], 1)


def _many(store: EnquiryStore, n: int) -> None:
    """Enquiries with long messages that do not compress much (random letters)."""
    for i in range(n):
        save(store, name=f"Person {i}", message=os.urandom(200).hex())


def test_full_disk_on_a_real_small_file_system(
    store: EnquiryStore, keys: Keys, tmpfs: Path, fmt: str
) -> None:
    """Room for a few KiB only: ExportError "full", no partial file, none marked."""
    _many(store, 60)
    fill(tmpfs, leave=8 * 1024)
    before = folder_listing(tmpfs)
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, tmpfs / f"x.{fmt}", fmt)
    assert caught.value.reason == "full", caught.value.message
    assert "not enough space" in caught.value.message
    _nothing_happened(store, tmpfs, before, 60)


def test_read_only_file_system(store: EnquiryStore, keys: Keys, tmpfs: Path, fmt: str) -> None:
    """A stick with its write-protect switch on: "cannot be written to", none marked."""
    save(store)
    remount(tmpfs, "ro")
    with pytest.raises(ExportError) as caught:
        export_enquiries(store, keys.opener, tmpfs / f"x.{fmt}", fmt)
    assert caught.value.reason == "read-only"
    _nothing_happened(store, tmpfs, [], 1)
    remount(tmpfs, "rw")
    result = export_enquiries(store, keys.opener, tmpfs / f"x.{fmt}", fmt)
    assert result.count == 1 and folder_listing(tmpfs) == [f"x.{fmt}"]


DAY = 86400.0
NOW = 1_800_000_000.0


def _aged(path: Path, days: float, *, folder: bool = False, text: str = "x") -> Path:
    """A real file (or folder) last changed ``days`` days before NOW."""
    if folder:
        path.mkdir()
        (path / "scratch").write_text(text)
    else:
        path.write_text(text)
    when = NOW - days * DAY
    os.utime(path, (when, when))
    return path


def test_remove_old_exports_deletes_only_the_kiosks_own_old_files(tmp_path: Path) -> None:
    """Old exports by the kiosk's names and old scratch go; everything else stays:
    recent exports, other names, look-alikes, folders, links, files in sub-folders."""
    gone = [
        _aged(tmp_path / "enquiries-2026-01-05-0930.csv", 91),
        _aged(tmp_path / "enquiries-2026-01-05-0930-2.csv", 91),
        _aged(tmp_path / "enquiries-2026-01-05-0931.xlsx", 200),
        _aged(tmp_path / ".kiosk-export-0123456789abcdef.part", 91),
        _aged(tmp_path / ".kiosk-export-0123456789abcdef.parts", 91, folder=True),
    ]
    target = _aged(tmp_path / "precious.csv", 400)
    link = tmp_path / "enquiries-2026-01-01-0000.csv"
    link.symlink_to(target)
    os.utime(link, (NOW - 400 * DAY,) * 2, follow_symlinks=False)
    sub = tmp_path / "sub"
    sub.mkdir()
    kept = [
        _aged(tmp_path / "enquiries-2026-04-01-0930.csv", 89),  # within the period
        _aged(tmp_path / "calls-2026-01-05.csv", 400),  # a name staff chose
        _aged(tmp_path / "enquiries-notes.csv", 400),
        _aged(tmp_path / "enquiries-2026-01-05-0930.csv.bak", 400),
        _aged(tmp_path / "enquiries-2026-01-05-0930.ods", 400),
        _aged(tmp_path / "Enquiries-2026-01-05-0930.csv", 400),
        _aged(tmp_path / "enquiries-2026-01-06-0930.csv.d", 400, folder=True),
        _aged(tmp_path / ".kiosk-export-notours.part", 400),
        _aged(sub / "enquiries-2026-01-05-0930.csv", 400),
        target,
        link,
    ]
    assert sorted(old_exports(tmp_path, 90, now=NOW)) == sorted(gone)
    assert remove_old_exports(tmp_path, 90, now=NOW) == len(gone)
    assert not any(os.path.lexists(p) for p in gone)
    assert all(os.path.lexists(p) for p in kept)
    assert target.read_text() == "x"
    assert remove_old_exports(tmp_path, 90, now=NOW) == 0


def test_remove_old_exports_of_no_folder_is_none(tmp_path: Path) -> None:
    """No export folder yet (nothing ever exported): nothing to delete, no error."""
    assert remove_old_exports(tmp_path / "exports", 90, now=NOW) == 0


def test_remove_old_exports_after_a_real_export(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """What export_to_folder wrote is what remove_old_exports finds, once it is old."""
    save(store)
    result = export_to_folder(store, keys.opener, tmp_path, "xlsx", ExportOptions(include_all=True))
    written = result.path.stat().st_mtime
    assert remove_old_exports(tmp_path, 90, now=written + 89 * DAY) == 0
    assert remove_old_exports(tmp_path, 90, now=written + 91 * DAY) == 1
    assert not result.path.exists()


def test_a_file_that_cannot_be_deleted_is_skipped_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OS refuses one deletion (EACCES): that file stays with a warning naming it,
    the others still go, no exception."""
    stuck = _aged(tmp_path / "enquiries-2026-01-05-0930.csv", 100)
    other = _aged(tmp_path / "enquiries-2026-01-06-0930.csv", 100)
    real = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self.name == stuck.name:
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        real(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    with caplog.at_level(logging.WARNING, logger="kiosk.enquiries.export"):
        assert remove_old_exports(tmp_path, 90, now=NOW) == 1
    monkeypatch.undo()
    assert stuck.exists() and not other.exists()
    assert stuck.name in caplog.text


def test_leftovers_of_a_crashed_export_are_swept(
    store: EnquiryStore, keys: Keys, tmp_path: Path
) -> None:
    """Our own temporary names go; other files stay. Fresh ones go too (issue 18):
    an export running now holds the export lock, and this one waits for it
    (tests/enquiries/test_killed_export.py)."""
    save(store)
    stale_file = tmp_path / ".kiosk-export-0123456789abcdef.part"
    stale_dir = tmp_path / ".kiosk-export-0123456789abcdef.parts"
    fresh = tmp_path / ".kiosk-export-fedcba9876543210.part"
    other = tmp_path / ".kiosk-export-notours.part"
    stale_file.write_text("half an export")
    stale_dir.mkdir()
    (stale_dir / "tmp123").write_text("scratch")
    fresh.write_text("another export, running now")
    other.write_text("someone else's")
    old = time.time() - 2 * 3600
    for path in (stale_file, stale_dir):
        os.utime(path, (old, old))
    export_enquiries(store, keys.opener, tmp_path / "x.csv", "csv")
    assert not stale_file.exists() and not stale_dir.exists()
    assert not fresh.exists() and other.exists()


def test_no_personal_data_in_logs_or_errors(
    store: EnquiryStore,
    keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Names, phones, e-mails and messages never reach a log line or an error message."""
    secret = {"name": "Xavier Secretname", "email": "xavier@secret.example", "message": "Private"}
    save(store, **secret)
    caplog.set_level(logging.DEBUG)
    export_enquiries(
        store, keys.opener, tmp_path / "ok.xlsx", "xlsx", ExportOptions(include_all=True)
    )

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError) as caught:
        export_enquiries(
            store, keys.opener, tmp_path / "x.csv", "csv", ExportOptions(include_all=True)
        )
    for value in (*secret.values(), PERSONAL["phone"]):
        assert value not in caplog.text
        assert value not in caught.value.message


def test_a_lone_surrogate_is_shown_as_a_replacement_character(
    store: EnquiryStore, keys: Keys, tmp_path: Path, fmt: str
) -> None:
    """Half a UTF-16 pair (JSON can carry one) cannot be encoded: U+FFFD, the rest intact."""
    save(store, name="Ana \ud800 López", message="fine")
    out = tmp_path / f"x.{fmt}"
    export_enquiries(store, keys.opener, out, fmt)
    row = read_back(out)[1]
    assert row[COLUMNS.index("Name")] == "Ana \ufffd López"
    assert row[COLUMNS.index("Message")] == "fine"
