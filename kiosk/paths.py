"""Every path the kiosk reads or writes, in one place.

The data folder holds the config file, logs, the enquiry database and its keys. It is the
platform's per-user data folder unless ``--data-dir`` or ``KIOSK_DATA_DIR``
says otherwise, so tests and admins can point it anywhere.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from kiosk import APP_NAME

DATA_DIR_ENV = "KIOSK_DATA_DIR"
CONFIG_FILE_NAME = "kiosk.toml"
STORE_FILE_NAME = "enquiries.sqlite3"


@functools.cache  # where the package is does not change while it runs: one look, not one a tile
def resource_dir() -> Path:
    """The shipped ``resources/`` folder, wherever the package is installed."""
    # The resources live on the file system (the wheel and the editable install
    # both unpack them), so the package's one search location is the folder.
    # Found through its import spec, not importlib.resources: that costs some
    # 4 ms at each start for the same answer.
    spec = importlib.util.find_spec("kiosk.resources")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations)))


def shipped_content_dir() -> Path:
    return resource_dir() / "content"


def theme_dir() -> Path:
    return resource_dir() / "theme"


def icon_dir() -> Path:
    """The built-in icons a page's ``icon:`` header can name (``<name>.svg``)."""
    return resource_dir() / "icons"


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when no folder was given: it costs start-up time

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Paths:
    """Where this run of the kiosk keeps and finds its files."""

    data_dir: Path
    content_dir: Path
    config_file: Path

    @classmethod
    def resolve(
        cls,
        data_dir: Path | None = None,
        content_dir: Path | None = None,
        config_file: Path | None = None,
    ) -> Paths:
        data = (data_dir or default_data_dir()).expanduser().resolve()
        content = (content_dir or shipped_content_dir()).expanduser().resolve()
        config = (config_file or data / CONFIG_FILE_NAME).expanduser().resolve()
        return cls(data_dir=data, content_dir=content, config_file=config)

    @property
    def store_file(self) -> Path:
        """The enquiry database (SQLite; personal fields sealed, see kiosk.enquiries.store)."""
        return self.data_dir / STORE_FILE_NAME

    @property
    def keys_file(self) -> Path:
        """The enquiries' public key and the wrapped copies of its private key."""
        return self.data_dir / "enquiry-keys.json"

    @property
    def recovery_file(self) -> Path:
        """Written once at first run: the recovery code, for the clinic to take away."""
        return self.data_dir / "RECOVERY-CODE.txt"

    @property
    def staff_file(self) -> Path:
        """Staff accounts: names, PIN hashes (argon2id) and the sign-in failure count."""
        return self.data_dir / "staff.json"

    @property
    def audit_file(self) -> Path:
        """The hash-chained audit log of staff actions (JSON lines)."""
        return self.data_dir / "audit.log"

    @property
    def stats_file(self) -> Path:
        """Page-view counts per day (no link to any person)."""
        return self.data_dir / "page-views.sqlite3"

    def export_dir(self, export_folder: str) -> Path:
        """The config's export folder: relative to the config file's folder; "" is DATA/exports."""
        if not export_folder:
            return self.data_dir / "exports"
        return (self.config_file.parent / Path(export_folder).expanduser()).resolve()

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "kiosk.log"

    def logo_file(self, logo: str) -> Path | None:
        """The config's logo: relative to the config file's folder, or absolute."""
        if not logo:
            return None
        return (self.config_file.parent / Path(logo).expanduser()).resolve()

    def ensure(self) -> None:
        """Create the data and log folders, private to the kiosk's user.

        Only folders made here get mode 0700: an existing folder an admin
        named (say, their home) keeps its permissions.
        """
        for folder in (self.data_dir, self.log_dir):
            if folder.is_dir():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            if os.name == "posix":
                folder.chmod(0o700)
