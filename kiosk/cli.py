"""The ``kiosk`` command. ``kiosk run`` (the default, and ``python main.py``)
starts the kiosk; ``kiosk check-content [DIR]`` and ``kiosk check-config [FILE]``
tell the clinic's admin what is wrong with their files, one ``file:line`` each.
The staff's commands (``staff``, ``audit``, ``export``, ``enquiries``,
``purge``) are parsed as ``kiosk.staff.cli`` says and run by ``kiosk.staff.commands``.

Qt is imported only when the kiosk really starts, so the commands that do not
show a window work on a machine without a screen.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.logging_setup import configure
from kiosk.office import cli as office_cli
from kiosk.paths import DATA_DIR_ENV, Paths, shipped_content_dir
from kiosk.staff import cli as staff_cli

if TYPE_CHECKING:
    import ctypes

log = logging.getLogger("kiosk")

# What Qt's xcb platform plugin loads, by the names the dynamic loader knows,
# and the Debian package of each (scripts/system-deps.sh installs the same
# pairs for ``make run``; a test keeps the two lists equal). Qt's own message
# names libxcb-cursor0 whichever of them is missing.
XCB = "libxcb.so.1"
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """One sentence saying why Qt could not open a window here, or None."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, eglfs, linuxfb, vnc...: Qt's own business
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "No screen to show the kiosk on: start it from the desktop or a kiosk session "
            "(DISPLAY or WAYLAND_DISPLAY is not set); see docs/deploy.md."
        )
    uses_xcb = platform.startswith("xcb") or not env.get("WAYLAND_DISPLAY")
    if uses_xcb:
        missing = [pkg for name, pkg in XCB_LIBRARIES.items() if _open_library(name) is None]
        if missing:
            return (
                "Qt needs system libraries to open a window on X11: run "
                f"'sudo apt-get install {' '.join(missing)}' (make run does this for you)."
            )
        display = env.get("DISPLAY", "")
        if not _x_server_answers(display):
            return (
                f"Cannot reach the screen (X display {display!r} does not answer): start "
                "the kiosk from the desktop or its kiosk session; see docs/deploy.md."
            )
        return None
    socket_path = Path(env["WAYLAND_DISPLAY"])
    if not socket_path.is_absolute():
        socket_path = Path(env.get("XDG_RUNTIME_DIR", "/nonexistent")) / socket_path
    if not socket_path.exists() and env.get("DISPLAY") and platform != "wayland":
        # A stale WAYLAND_DISPLAY on a desktop: Qt falls back to X11 by itself.
        return display_problem({**env, "QT_QPA_PLATFORM": "xcb"})
    if not socket_path.exists():
        return (
            f"Cannot reach the screen (no Wayland compositor at {socket_path}): start "
            "the kiosk from its kiosk session; see docs/deploy.md."
        )
    return None


def _open_library(soname: str) -> ctypes.CDLL | None:
    """The shared library ``soname`` as the dynamic loader finds it (as Qt's
    own loading will), or None. Not ``ctypes.util.find_library``: that runs
    ldconfig in a subprocess and imports subprocess and tempfile, some 15 ms of
    every start on X11."""
    # Here, on X11 only: ctypes costs some 2 ms of a start that needs no check.
    import ctypes

    try:
        return ctypes.CDLL(soname)
    except OSError:
        return None


def _x_server_answers(display: str) -> bool:
    """Whether an X server accepts a connection on ``display``.

    Qt would abort the whole process (and print a misleading hint about
    libxcb-cursor) if it cannot connect; asking libxcb first lets us say so in
    one sentence instead.
    """
    xcb = _open_library(XCB)
    if xcb is None:
        return True  # let Qt report it
    import ctypes  # loaded already by _open_library

    try:
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
        connection = xcb.xcb_connect(display.encode(), None)
        if not connection:  # libxcb returns an error object, never NULL; but be sure
            return False
        failed = bool(xcb.xcb_connection_has_error(connection))
        xcb.xcb_disconnect(connection)
    except (OSError, AttributeError):
        return True
    return not failed


COMMANDS = (
    "run",
    "example-config",
    "check-content",
    "check-config",
    *staff_cli.COMMANDS,
    *office_cli.COMMANDS,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Clinic waiting-room kiosk.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")  # the names are COMMANDS
    run = sub.add_parser("run", help="start the kiosk (the default)")
    for target, default in ((parser, None), (run, argparse.SUPPRESS)):
        # On "run" the defaults are SUPPRESS, so "kiosk --windowed run" keeps
        # the option given before the sub-command instead of resetting it.
        target.add_argument(
            "--data-dir",
            type=Path,
            default=default,
            help=f"data folder (config, logs); also ${DATA_DIR_ENV}",
        )
        target.add_argument(
            "--content",
            type=Path,
            default=default,
            help="content folder (default: the shipped content)",
        )
        target.add_argument(
            "--config",
            type=Path,
            default=default,
            help="config file (default: DATA_DIR/kiosk.toml)",
        )
        target.add_argument(
            "--windowed",
            action="store_true",
            default=False if default is None else default,
            help="a normal, closable window for development",
        )
    sub.add_parser("example-config", help="print a kiosk.toml with every key and its default")
    content = sub.add_parser(
        "check-content",
        help="check a content folder: each problem as file:line, then each page's reading level",
    )
    content.add_argument(
        "dir", nargs="?", type=Path, help="the content folder (default: the shipped content)"
    )
    content.add_argument("--strict", action="store_true", help="fail on warnings too")
    config = sub.add_parser("check-config", help="check a config file (kiosk.toml)")
    config.add_argument(
        "file", nargs="?", type=Path, help="the config file (default: DATA_DIR/kiosk.toml)"
    )
    config.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"data folder whose kiosk.toml to check; also ${DATA_DIR_ENV}",
    )
    staff_cli.add_parsers(sub)
    office_cli.add_parsers(sub)
    return parser


def check_content(folder: Path | None, *, strict: bool = False) -> int:
    """``kiosk check-content``: 0 when nothing is wrong, 1 with errors (or warnings if strict)."""
    # Markdown, the sanitiser and the hyphenation dictionaries: only for this command.
    from kiosk.content.check import check, format_ease, format_level, format_problem, summary

    report = check(folder or shipped_content_dir())
    for problem in report.problems:
        print(format_problem(problem, report.root))
    for level in report.levels:
        print(format_level(level, report.root))
    for ease in report.eases:
        print(format_ease(ease, report.root))
    print(summary(report))
    return 1 if report.errors or (strict and report.warnings) else 0


def check_config(file: Path | None, data_dir: Path | None) -> int:
    """``kiosk check-config``: each problem as ``file:line: error: message``."""
    from kiosk.config import load_config  # its table of settings: only when a config is read

    path = file or Paths.resolve(data_dir).config_file
    if not path.is_file():
        if file is not None:
            print(f"{path}: error: no such file")
            return 1
        print(f"{path}: no config file here; the kiosk uses every default")
        return 0
    config, problems = load_config(path)
    lines = []
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
        key = f"[{problem.key}] " if problem.key else ""
        lines.append(f"{where}: error: {key}{problem.message}")
    logo = _logo_problem(path, config.logo)
    if logo:
        lines.append(logo)
    if lines:
        print("\n".join(lines))
    print(f"{path.name}: {len(lines)} error{'' if len(lines) == 1 else 's'}")
    return 1 if lines else 0


def _logo_problem(config_file: Path, logo: str) -> str | None:
    """The logo named in the config, if it is missing or not a picture, at its line."""
    if not logo:
        return None
    from kiosk.config import line_of  # already in: check_config has read the file

    try:
        line = line_of(config_file.read_text(encoding="utf-8"), "clinic", "logo")
    except (OSError, UnicodeDecodeError):
        line = None
    where = f"{config_file}:{line}" if line else str(config_file)
    file = (config_file.parent / Path(logo).expanduser()).resolve()
    if not file.is_file():
        return f'{where}: error: [clinic.logo] "{logo}" not found ({file})'
    import imagesize  # type: ignore[import-untyped]  # slow to import: only for a logo

    try:
        width, height = imagesize.get(str(file))
    except (OSError, ValueError):
        width = height = -1
    if file.suffix.lower() != ".svg" and (width <= 0 or height <= 0):
        return f'{where}: error: [clinic.logo] "{logo}" is not a PNG or JPEG picture'
    return None


def main(argv: list[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, where a closed pipe can be caught
        return code
    except BrokenPipeError:
        # `kiosk check-content | head`: the reader has gone; not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _office_app(args: argparse.Namespace) -> int:
    """``kiosk office app``: the front desk's window (needs a display and --db)."""
    from kiosk.office import commands as office_commands  # psycopg: only for these
    from kiosk.staff.commands import Stop  # the commands' refusal, with its exit status

    try:
        url = office_commands.db_url(args)
    except Stop as exc:
        print(f"kiosk: {exc.message}", file=sys.stderr)
        return int(exc.code)
    problem = display_problem()
    if problem:
        print(f"kiosk: {problem}", file=sys.stderr)
        return 2
    from kiosk.ui.startup import import_pyside  # Qt: only when its window opens

    import_pyside()  # without PySide's import hook: see kiosk/ui/startup.py
    from kiosk.ui.office.app import run  # Qt: only when its window opens

    return run(url, args.lock_after)


def _main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "example-config":
        from kiosk.config import example_toml  # its table of settings: only for this command

        sys.stdout.write(example_toml())
        return 0
    if args.command == "check-content":
        return check_content(args.dir or args.content, strict=args.strict)
    if args.command == "check-config":
        return check_config(args.file or args.config, args.data_dir)
    if args.command in staff_cli.COMMANDS:
        from kiosk.staff import commands  # the crypto, the store, export: only for these

        return commands.run(args)
    if args.command == "office" and args.office_command == "app":
        return _office_app(args)
    if args.command in office_cli.COMMANDS:
        from kiosk.office import commands as office_commands  # psycopg: only for these

        return office_commands.run(args)
    paths = Paths.resolve(args.data_dir, args.content, args.config)
    try:
        paths.ensure()
    except OSError as exc:
        print(
            f"kiosk: cannot use the data folder {paths.data_dir}: {exc.strerror}", file=sys.stderr
        )
        return 2
    configure(paths.log_file)
    problem = display_problem()
    if problem:
        log.error("%s", problem)
        print(f"kiosk: {problem}", file=sys.stderr)
        return 2
    from kiosk.ui.startup import import_pyside  # the kiosk's start only

    import_pyside()  # without PySide's import hook: see kiosk/ui/startup.py
    from kiosk.ui.app import run  # Qt: only when a window opens (see the docstring)

    return run(paths, windowed=args.windowed)
