"""The deployment files that docs/deploy.md names exist and the systemd units verify."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.paths import resource_dir

ROOT = Path(__file__).resolve().parent.parent


def test_every_file_the_guide_names_is_shipped() -> None:
    """Each resources/deploy/... path in docs/deploy.md is a real file."""
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    deploy = resource_dir() / "deploy"
    # "there is no `x.conf`" names a file on purpose absent.
    named = set(re.findall(r"(?<!no )`([\w./-]+\.(?:service|conf|ps1|pyw|sh))`", guide))
    assert named, "the guide names its files"
    for name in named:
        assert (deploy / name).is_file() or any(deploy.rglob(Path(name).name)), name


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_units_pass_verify() -> None:
    """`systemd-analyze verify` has nothing to say about either unit (stub programs)."""
    script = resource_dir() / "deploy" / "verify-units.sh"
    result = subprocess.run(
        ["sh", str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: clinic-kiosk.service" in result.stdout
    assert "ok: clinic-kiosk-xorg.service" in result.stdout
