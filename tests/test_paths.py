"""One module owns every path; the environment and flags override it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.paths import DATA_DIR_ENV, Paths, shipped_content_dir


def test_environment_sets_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """KIOSK_DATA_DIR moves the data folder, and the config file with it."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "d"))
    paths = Paths.resolve()
    assert paths.data_dir == (tmp_path / "d").resolve()
    assert paths.config_file == paths.data_dir / "kiosk.toml"
    assert paths.log_file == paths.data_dir / "logs" / "kiosk.log"
    assert paths.content_dir == shipped_content_dir().resolve()


def test_flags_beat_the_environment(tmp_path: Path) -> None:
    """--data-dir, --content and --config each win over the defaults."""
    paths = Paths.resolve(tmp_path / "a", tmp_path / "c", tmp_path / "k.toml")
    assert paths.data_dir == (tmp_path / "a").resolve()
    assert paths.content_dir == (tmp_path / "c").resolve()
    assert paths.config_file == (tmp_path / "k.toml").resolve()


def test_shipped_content_is_found_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped content is found through the package, not the working directory."""
    monkeypatch.chdir(tmp_path)
    assert (shipped_content_dir() / "ketamine-and-depression" / "topic.toml").is_file()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_is_private(tmp_path: Path) -> None:
    """The data folder (later: enquiries) is readable by the kiosk's user only."""
    paths = Paths.resolve(tmp_path / "data")
    paths.ensure()
    for folder in (paths.data_dir, paths.log_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    """Pointing --data-dir at an existing shared folder does not lock it down."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    Paths.resolve(shared).ensure()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "logs").stat().st_mode) == 0o700
