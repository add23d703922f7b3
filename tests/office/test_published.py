"""Which published revision a kiosk runs (``kiosk.office.published``): the state
file, the paths it gives, and the crash-loop rollback at start. No server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.office import published
from kiosk.office.published import Report, State
from kiosk.paths import Paths


def _revision_folder(data: Path, number: int, *, config: bool) -> Path:
    where = published.folder(data, number)
    (where / published.CONTENT_DIR).mkdir(parents=True)
    if config:
        (where / "kiosk.toml").write_text('[clinic]\nname = "Published"\n', encoding="utf-8")
    return where


def test_a_kiosk_that_never_received_a_revision_runs_its_own(data_tmpdir: Path) -> None:
    base = Paths.resolve(data_tmpdir)
    assert published.read(data_tmpdir) == State()
    assert published.at_start(base) == base


def test_the_state_survives_a_write_and_a_read(data_tmpdir: Path) -> None:
    state = (
        State()
        .applied(3)
        .confirmed_now(3)
        .applied(4)
        .rolled_back(4, "page 03 failed to render")
        .refused(5, "bad signature")
    )
    published.write(data_tmpdir, state)
    again = published.read(data_tmpdir)
    assert again == state
    assert again.current == 3 and again.confirmed and again.rejected == {4, 5}
    assert [r.state for r in again.reports] == ["applied", "rolled_back", "refused"]
    assert oct((published.published_dir(data_tmpdir)).stat().st_mode & 0o777) == "0o700"


def test_a_damaged_state_file_runs_the_kiosks_own_content(data_tmpdir: Path) -> None:
    published.published_dir(data_tmpdir).mkdir(parents=True)
    (published.published_dir(data_tmpdir) / published.STATE_FILE).write_text("{not json")
    assert published.read(data_tmpdir) == State()


def test_applied_keeps_the_last_good_one_to_go_back_to() -> None:
    state = State().applied(1).confirmed_now(1).applied(2)
    assert (state.current, state.previous, state.confirmed) == (2, 1, False)
    # A third on top of an unconfirmed second keeps the first as the good one.
    state = state.applied(3)
    assert (state.current, state.previous) == (3, 1)
    back = state.rolled_back(3, "why")
    assert (back.current, back.confirmed, back.rejected) == (1, True, frozenset({3}))
    assert back.reports[-1] == Report(3, "rolled_back", "why")


def test_paths_come_from_the_revision_and_its_settings_when_it_has_them(
    data_tmpdir: Path,
) -> None:
    base = Paths.resolve(data_tmpdir)
    with_config = _revision_folder(data_tmpdir, 7, config=True)
    without = _revision_folder(data_tmpdir, 8, config=False)
    seven = published.paths_for(base, 7)
    assert seven.content_dir == with_config / "content"
    assert seven.config_file == with_config / "kiosk.toml"
    eight = published.paths_for(base, 8)
    assert eight.content_dir == without / "content"
    assert eight.config_file == base.config_file  # the kiosk's own settings stay
    assert published.paths_for(base, None) == base


def test_a_restart_before_confirmation_goes_back_and_says_so(
    data_tmpdir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    base = Paths.resolve(data_tmpdir)
    _revision_folder(data_tmpdir, 1, config=False)
    _revision_folder(data_tmpdir, 2, config=True)
    published.write(data_tmpdir, State().applied(1).confirmed_now(1).applied(2))
    paths = published.at_start(base)
    assert paths == published.paths_for(base, 1)
    state = published.read(data_tmpdir)
    assert state.current == 1 and 2 in state.rejected
    assert state.reports[-1].state == "rolled_back"
    assert "started again before revision 2 was confirmed" in state.reports[-1].reason
    assert "revision 2 rolled back" in caplog.text
    # And the next start is an ordinary one: revision 1, nothing more to say.
    caplog.clear()
    assert published.at_start(base) == paths
    assert "rolled back" not in caplog.text


def test_a_current_revision_whose_folder_is_gone_runs_the_kiosks_own(data_tmpdir: Path) -> None:
    base = Paths.resolve(data_tmpdir)
    published.write(data_tmpdir, State().applied(4).confirmed_now(4))
    assert published.at_start(base) == base


def test_the_state_file_is_json_an_admin_can_read(data_tmpdir: Path) -> None:
    published.write(data_tmpdir, State().applied(9))
    doc = json.loads((published.published_dir(data_tmpdir) / "state.json").read_text())
    assert doc["current"] == 9 and doc["confirmed"] is False


def test_the_folder_names_are_those_unpack_leaves() -> None:
    from kiosk.office import revision
    from kiosk.paths import CONFIG_FILE_NAME

    assert (published.CONTENT_DIR, CONFIG_FILE_NAME) == (revision.CONTENT, revision.CONFIG)
