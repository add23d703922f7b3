"""Make the README's screenshots: docs/screens/<screen>-<W>x<H>.png.

    python scripts/screens.py [--out docs/screens] [SCREEN ...]

Each picture is the real kiosk window (scripts/preview.py --save) on Qt's
offscreen platform with a screen of that size, so no display is needed and the
pictures can be made again whenever the design changes (``make screens``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((1280, 800), (800, 1280))
# (file name, preview.py screen): what a patient sees, in the order they see it.
SCREENS = (
    ("home", "home"),
    ("page", "page:2"),
    ("request-step-1", "request:1"),
    ("request-step-2", "request:2"),
    ("request-step-3", "request:3"),
    ("request-step-4", "request:4"),
    ("thanks", "thanks"),
    ("crisis", "crisis"),
)


def screen_config(folder: Path, width: int, height: int) -> Path:
    """A configuration for Qt's offscreen platform: one screen of this size."""
    path = folder / f"screen-{width}x{height}.json"
    screen = {"name": "kiosk", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return path


def make(out: Path, chosen: set[str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for width, height in SIZES:
            config = screen_config(Path(folder), width, height)
            env = os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
            for name, screen in SCREENS:
                if chosen and name not in chosen:
                    continue
                target = out / f"{name}-{width}x{height}.png"
                command = [sys.executable, str(ROOT / "scripts" / "preview.py"), screen]
                result = subprocess.run(
                    # No engine: a page with no empty place where Listen would be.
                    [*command, "--branded", "--no-engine", "--save", str(target)],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode != 0 or not target.exists():
                    failed += 1
                    print(f"{target.name}: failed\n{result.stderr}", file=sys.stderr)
                else:
                    print(target)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("screens", nargs="*", help="file names to remake (default: all)")
    args = parser.parse_args()
    return make(args.out, set(args.screens))


if __name__ == "__main__":
    sys.exit(main())
