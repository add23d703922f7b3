"""The command line: one clear sentence instead of a Qt abort; the core needs no Qt."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.config import example_toml
from kiosk.logging_setup import configure

ROOT = Path(__file__).resolve().parent.parent


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    env.update(extra)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux display check")
def test_no_display_is_one_clear_sentence(tmp_path: Path) -> None:
    """`python main.py` with no screen at all: exit 2 and one sentence, not a Qt abort."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path)],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("kiosk: No screen to show the kiosk on")
    assert "Traceback" not in result.stderr
    assert "Aborted" not in result.stderr


def test_display_problem_names_the_missing_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    """On X11 without libxcb-cursor, the message gives the exact install command."""
    monkeypatch.setattr("kiosk.cli.sys.platform", "linux")
    absent = {"libxcb-cursor.so.0", "libxcb-xinerama.so.0"}
    monkeypatch.setattr(
        "kiosk.cli._open_library", lambda name: None if name in absent else object()
    )
    message = cli.display_problem({"DISPLAY": ":0"})
    assert message is not None
    # Exactly the missing ones, by package (Qt's own message names only the first).
    assert "sudo apt-get install libxcb-cursor0 libxcb-xinerama0'" in message
    assert cli.display_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}) is None


def test_the_x11_libraries_are_those_make_run_installs() -> None:
    """The display check and scripts/system-deps.sh name the same sonames and packages."""
    script = (Path(__file__).parents[1] / "scripts" / "system-deps.sh").read_text()
    pairs = dict(re.findall(r'"(lib\S+\.so\.\d+) (\S+)"', script))
    x11 = {name: pkg for name, pkg in pairs.items() if "xcb" in name or "x11" in name}
    assert x11 == cli.XCB_LIBRARIES


def test_libraries_are_looked_for_as_the_loader_finds_them() -> None:
    """The check opens a library by its soname, as Qt will: one that is there is
    found, one that is not is None (not an error), and no ldconfig subprocess runs."""
    assert cli._open_library("libc.so.6") is not None
    assert cli._open_library("libno-such-library-here.so.0") is None
    code = (
        "import sys, kiosk.cli\n"
        "kiosk.cli.display_problem({'DISPLAY': ':0', 'QT_QPA_PLATFORM': 'xcb'})\n"
        "print('subprocess' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_example_config_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`kiosk example-config` prints every key with its default."""
    assert cli.main(["example-config"]) == 0
    assert capsys.readouterr().out == example_toml()


def test_python_dash_m_kiosk_is_the_kiosk_command(tmp_path: Path) -> None:
    """Where the ``kiosk`` script is not on the PATH: ``python -m kiosk``."""
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "example-config"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == example_toml()


def test_unusable_data_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data folder that cannot be made (a file is in the way) is said plainly."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["run", "--data-dir", str(blocker / "data")]) == 2
    assert "cannot use the data folder" in capsys.readouterr().err


def test_core_imports_no_qt() -> None:
    """The core (paths, config, content, logging, cli, enquiry, keys, store) needs no PySide6."""
    code = (
        "import sys, kiosk.paths, kiosk.config, kiosk.content, kiosk.logging_setup, kiosk.cli;"
        "import kiosk.enquiries.form, kiosk.enquiries.keys, kiosk.enquiries.store;"
        "from kiosk.content import load_library; from kiosk.paths import shipped_content_dir;"
        "load_library(shipped_content_dir());"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'kiosk.ui'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_log_file_rotates_in_the_data_folder(tmp_path: Path) -> None:
    """Logs go to a rotating file in the data folder, and re-configuring does not duplicate."""
    import logging

    log_file = tmp_path / "logs" / "kiosk.log"
    configure(log_file)
    configure(log_file)
    logging.getLogger("kiosk.test").warning("hello %s", "there")
    handlers = [h for h in logging.getLogger().handlers if getattr(h, "_kiosk", False)]
    assert len(handlers) == 2
    for handler in handlers:
        handler.flush()
    assert log_file.read_text(encoding="utf-8").count("hello there") == 1
    configure(None)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_sigterm_stops_the_running_kiosk(tmp_path: Path) -> None:
    """systemd's stop (SIGTERM) ends the kiosk cleanly, though its window refuses to close."""
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path)],
        env=_clean_env(QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log_file = tmp_path / "logs" / "kiosk.log"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        not log_file.exists() or "request form ready" not in log_file.read_text(encoding="utf-8")
    ):
        assert proc.poll() is None, "the kiosk exited before it started"
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=20)
    finally:
        proc.kill()
    assert code == 0
    # First run: the keys and the recovery code were made, and the log says where.
    recovery = tmp_path / "RECOVERY-CODE.txt"
    assert recovery.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "enquiry-keys.json").is_file()
    assert (tmp_path / "enquiries.sqlite3").is_file()
    assert str(recovery) in log_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "windowed", "data_dir"),
    [
        (["--windowed", "run"], True, None),
        (["run", "--windowed"], True, None),
        (["--data-dir", "/x", "run"], False, Path("/x")),
        ([], False, None),
    ],
)
def test_options_before_or_after_run(
    argv: list[str], windowed: bool, data_dir: Path | None
) -> None:
    """`kiosk --windowed run` is as windowed as `kiosk run --windowed`."""
    args = cli.build_parser().parse_args(argv)
    assert (args.windowed, args.data_dir) == (windowed, data_dir)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux display check")
def test_an_x_display_that_does_not_answer_is_one_sentence(tmp_path: Path) -> None:
    """DISPLAY set but no X server there (a unit started too early, SSH): no Qt abort.
    The X11 libraries taken as there (``make test`` installs no X11 libraries;
    the test of the missing ones is above); libxcb itself is real."""
    code = (
        "import sys; from kiosk import cli; real = cli._open_library; "
        "cli._open_library = lambda name: real(name) if name == cli.XCB else object(); "
        "sys.exit(cli.main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--data-dir", str(tmp_path)],
        env=_clean_env(DISPLAY=":987"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("kiosk: Cannot reach the screen (X display ':987'")
    assert "Traceback" not in result.stderr


def test_a_missing_wayland_socket_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WAYLAND_DISPLAY names a socket that is not there: said plainly."""
    monkeypatch.setattr("kiosk.cli.sys.platform", "linux")
    message = cli.display_problem(
        {"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)}
    )
    assert message is not None and "no Wayland compositor" in message
    (tmp_path / "wayland-9").touch()
    assert (
        cli.display_problem({"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)})
        is None
    )


def test_main_py_runs_other_commands_too(tmp_path: Path) -> None:
    """`python main.py check-content DIR` checks; `python main.py` alone would run."""
    from tests.conftest import write_page

    write_page(
        tmp_path / "t", "01.md", "One", 1, "Fine text here. It reads well.", "reviewed_by: Dr Lee\n"
    )
    (tmp_path / "t" / "topic.toml").write_text('title = "T"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check-content", str(tmp_path)],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 page in 1 topic: 0 errors, 0 warnings"
    subparsers = cli.build_parser()._subparsers
    assert subparsers is not None
    choices = subparsers._group_actions[0].choices
    assert choices is not None
    assert set(cli.COMMANDS) == set(choices)


def test_a_closed_pipe_is_not_a_traceback() -> None:
    """`kiosk check-content | head -1`: the rest is dropped quietly."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone, as `head` does after its line
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "check-content"],
            env=_clean_env(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == 0


def test_a_start_that_needs_no_x11_check_loads_no_ctypes() -> None:
    """ctypes (some 2 ms of a start) only where the X11 check asks libxcb."""
    code = (
        "import sys; from kiosk import cli; print(cli.display_problem(), 'ctypes' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_clean_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["None", "False"]
