"""The deployment files that docs/deploy.md names exist and the systemd units verify."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType

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


# -- "Leave kiosk mode" that stays left ------------------------------------------------
# The units run the kiosk through clinic-kiosk-session; the stubs below stand in
# for cage (or xinit) and systemctl and write down how they were called.

DEPLOY = ROOT / "resources" / "deploy"
SESSION = DEPLOY / "clinic-kiosk-session"
UNITS = ("clinic-kiosk.service", "clinic-kiosk-xorg.service")


def _stub(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def _session(*arguments: str, bin_dir: Path, env: dict[str, str] | None = None) -> int:
    environment = {"PATH": f"{bin_dir}:/usr/bin:/bin", **(env or {})}
    done = subprocess.run(
        ["sh", str(SESSION), *arguments], env=environment, timeout=30, check=False
    )
    return done.returncode


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    # cage 0.1.x: runs the kiosk and exits 0 whatever the kiosk returned. The
    # "kiosk" here writes down whether an old flag was still there when it
    # started, then does what KIOSK_DOES says.
    _stub(
        folder,
        "cage",
        'log="$DATA/calls"\n'
        'if [ -e "$DATA/left-kiosk-mode" ]; then echo "cage $* (flag there)" >>"$log";'
        ' else echo "cage $*" >>"$log"; fi\n'
        'case "${KIOSK_DOES:-}" in\n'
        '  leave) echo "left at 10:00" >"$DATA/left-kiosk-mode"; exit 0 ;;\n'
        "  crash) exit 0 ;;\n"
        '  status-*) exit "${KIOSK_DOES#status-}" ;;\n'
        "esac\n"
        "exit 0",
    )
    _stub(folder, "systemctl", 'echo "systemctl $*" >>"$DATA/calls"')
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "var-lib-clinic-kiosk"
    folder.mkdir()
    return folder


def _calls(data: Path) -> list[str]:
    log = data / "calls"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def _run(data: Path, bin_dir: Path, does: str) -> int:
    env = {"DATA": str(data), "KIOSK_DOES": does}
    return _session("run", str(data), "cage", "--", "kiosk", "run", bin_dir=bin_dir, env=env)


def test_session_after_leave_kiosk_mode_ends_with_75_though_cage_said_0(
    data: Path, bin_dir: Path
) -> None:
    """The kiosk wrote the flag and cage exited 0: the session ends with 75, the
    status the units neither restart nor count as a failure."""
    assert _run(data, bin_dir, "leave") == 75
    assert _calls(data) == ["cage -- kiosk run"]


def test_session_after_a_crash_passes_cage_status_on(data: Path, bin_dir: Path) -> None:
    """No flag: cage's status, so Restart=always starts the kiosk again."""
    assert _run(data, bin_dir, "crash") == 0
    assert _run(data, bin_dir, "status-1") == 1


def test_session_honours_75_from_a_cage_that_passes_it_on(data: Path, bin_dir: Path) -> None:
    """cage 0.2+ returns the kiosk's own status: 75 without the flag is a leave too."""
    assert _run(data, bin_dir, "status-75") == 75


def test_session_deletes_an_old_flag_before_starting_the_kiosk(data: Path, bin_dir: Path) -> None:
    """A flag from before a reboot (or before IT started the kiosk again) never
    stops the kiosk: it is gone before cage starts, and a crash restarts as usual."""
    (data / "left-kiosk-mode").write_text("left yesterday\n", encoding="utf-8")
    assert _run(data, bin_dir, "crash") == 0
    assert _calls(data) == ["cage -- kiosk run"]
    assert not (data / "left-kiosk-mode").exists()


def test_session_stopped_starts_the_login_prompt_only_after_a_leave(
    data: Path, bin_dir: Path
) -> None:
    """ExecStopPost: after exit status 75 a getty on tty1 (without waiting: its start
    waits for this unit's stop); after a crash, a kill or a clean exit nothing."""
    for code, status in (("exited", "0"), ("exited", "1"), ("killed", "TERM"), ("dumped", "SEGV")):
        env = {"DATA": str(data), "EXIT_CODE": code, "EXIT_STATUS": status}
        assert _session("stopped", bin_dir=bin_dir, env=env) == 0
    assert _calls(data) == []
    env = {"DATA": str(data), "EXIT_CODE": "exited", "EXIT_STATUS": "75"}
    assert _session("stopped", bin_dir=bin_dir, env=env) == 0
    assert _calls(data) == ["systemctl start --no-block getty@tty1.service"]


def test_session_refuses_a_command_line_it_does_not_know(bin_dir: Path) -> None:
    assert _session(bin_dir=bin_dir) == 2
    assert _session("run", "/var/lib/clinic-kiosk", bin_dir=bin_dir) == 2


def _unit(name: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


@pytest.mark.parametrize("name", UNITS)
def test_units_run_the_kiosk_through_the_session_and_stay_left_on_75(name: str) -> None:
    """Both units: ExecStart= is clinic-kiosk-session with the kiosk's data folder;
    75 is neither restarted nor a failure; ExecStopPost= (as root) brings the getty."""
    unit = _unit(name)
    (start,) = unit["ExecStart"]
    assert start.startswith(
        "/usr/local/bin/clinic-kiosk-session run /var/lib/clinic-kiosk /usr/bin/"
    )
    assert unit["Restart"] == ["always"]
    assert unit["RestartPreventExitStatus"] == ["75"]
    assert unit["SuccessExitStatus"] == ["75"]
    assert unit["ExecStopPost"] == ["+/usr/local/bin/clinic-kiosk-session stopped"]
    assert "getty@tty1.service" in unit["Conflicts"]
    assert unit["StateDirectory"] == ["clinic-kiosk"]


def test_the_session_the_app_and_the_units_agree_on_flag_and_status() -> None:
    """One flag name, one status: in kiosk.support.leave, staff mode, the session
    script, the units' data folder and both Windows launchers."""
    from kiosk.support import leave
    from kiosk.ui.staff.mode import LEFT_KIOSK_MODE

    script = SESSION.read_text(encoding="utf-8")
    assert leave.LEFT_KIOSK_MODE == LEFT_KIOSK_MODE == 75
    assert f"LEFT={leave.LEFT_KIOSK_MODE}\n" in script
    assert f'flag="$2/{leave.FLAG_NAME}"' in script
    assert "--data-dir /var/lib/clinic-kiosk" in _unit("clinic-kiosk.service")["ExecStart"][0]
    xsession = (DEPLOY / "clinic-kiosk-xsession").read_text(encoding="utf-8")
    assert "--data-dir /var/lib/clinic-kiosk" in xsession
    keepalive = (DEPLOY / "windows" / "kiosk-keepalive.pyw").read_text(encoding="utf-8")
    assert f"LEFT_KIOSK_MODE = {leave.LEFT_KIOSK_MODE}" in keepalive
    assert os.access(SESSION, os.X_OK), "installed with mode 0755, shipped executable"


def test_the_flag_is_written_atomically_private_and_cleared(tmp_path: Path) -> None:
    from kiosk.support import leave

    assert not leave.was_left(tmp_path)
    leave.clear(tmp_path)  # no flag: nothing to do, no error
    leave.mark_left(tmp_path)
    assert leave.was_left(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [leave.FLAG_NAME]  # no temporary left
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / leave.FLAG_NAME).stat().st_mode) == 0o600
    assert (
        (tmp_path / leave.FLAG_NAME).read_text(encoding="utf-8").startswith("left kiosk mode at ")
    )
    leave.clear(tmp_path)
    assert not leave.was_left(tmp_path)


def test_the_launchers_find_the_data_folder_as_the_kiosk_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.paths import DATA_DIR_ENV
    from kiosk.support import leave

    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert leave.data_dir_in(["run"]) == (tmp_path / "env").resolve()
    given = tmp_path / "given"
    assert leave.data_dir_in(["run", "--data-dir", str(given)]) == given.resolve()
    assert leave.data_dir_in([f"--data-dir={given}", "run", "--content", "x"]) == given.resolve()


def _load(name: str) -> ModuleType:
    """A Windows launcher (.pyw) as a module: its code runs only under __main__."""
    path = DEPLOY / "windows" / name
    loader = SourceFileLoader(name.replace("-", "_").removesuffix(".pyw"), str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_windows_launcher_signs_out_after_leave_kiosk_mode(tmp_path: Path) -> None:
    """kiosk-launch.pyw: an old flag is deleted before the kiosk starts; after a
    leave the kiosk user is signed out and the status is 75 (Shell Launcher: do
    nothing); after any other exit, the kiosk's status and no sign-out."""
    launch = _load("kiosk-launch.pyw").launch
    arguments = ["run", "--data-dir", str(tmp_path)]
    signed_out: list[int] = []
    seen: list[bool] = []

    def kiosk(does: str) -> Callable[[list[str]], int]:
        def run(argv: list[str]) -> int:
            assert argv == arguments
            seen.append((tmp_path / "left-kiosk-mode").exists())
            if does == "leave":
                (tmp_path / "left-kiosk-mode").write_text("left\n", encoding="utf-8")
                return 75
            return 3

        return run

    (tmp_path / "left-kiosk-mode").write_text("left yesterday\n", encoding="utf-8")
    assert launch(arguments, run=kiosk("crash"), sign_out=lambda: signed_out.append(1)) == 3
    assert seen == [False] and signed_out == []
    assert launch(arguments, run=kiosk("leave"), sign_out=lambda: signed_out.append(1)) == 75
    assert signed_out == [1]


def test_windows_keepalive_restarts_until_the_launcher_says_75() -> None:
    """kiosk-keepalive.pyw (the scheduled-task fallback): restarts after a crash or
    a clean exit, 2 s apart; stops when the launcher reports a leave."""
    keep_alive = _load("kiosk-keepalive.pyw").keep_alive
    statuses = iter([1, 0, 75, 0])
    calls: list[list[str]] = []
    sleeps: list[float] = []

    def call(command: list[str]) -> int:
        calls.append(command)
        return next(statuses)

    assert keep_alive(["pythonw", "kiosk-launch.pyw", "run"], call=call, sleep=sleeps.append) == 75
    assert len(calls) == 3
    assert sleeps == [2.0, 2.0]


POWERSHELL = shutil.which("pwsh") or shutil.which("powershell")


@pytest.mark.skipif(
    POWERSHELL is None,
    reason="no PowerShell here (Debian has no pwsh package): install-kiosk.ps1 is parsed "
    "where pwsh or powershell is on PATH",
)
def test_install_script_parses() -> None:
    """install-kiosk.ps1 has no syntax errors (PowerShell's own parser)."""
    script = DEPLOY / "windows" / "install-kiosk.ps1"
    command = (
        "$errors = $null; "
        f"[System.Management.Automation.Language.Parser]::ParseFile('{script}', "
        "[ref] $null, [ref] $errors) | Out-Null; "
        "$errors | ForEach-Object { $_.ToString() }; exit $errors.Count"
    )
    assert POWERSHELL is not None
    result = subprocess.run(
        [POWERSHELL, "-NoProfile", "-NonInteractive", "-Command", command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_install_script_tells_shell_launcher_to_leave_75_alone() -> None:
    """Without pwsh, the lines that make "Leave kiosk mode" stay left on Windows are
    there: 75 maps to "do nothing" (v1 and v2) and no ForceAutoLogon."""
    text = (DEPLOY / "windows" / "install-kiosk.ps1").read_text(encoding="utf-8")
    assert "CustomReturnCodes = [int[]] @(75); CustomReturnCodesAction = [int[]] @(3)" in text
    assert '<ReturnCodeAction ReturnCode="75" Action="DoNothing"/>' in text
    assert "Remove-ItemProperty -LiteralPath $WinlogonKey -Name 'ForceAutoLogon'" in text
    assert "'ForceAutoLogon' '1'" not in text


# -- the guides --------------------------------------------------------------------


def _guide(name: str) -> str:
    return (ROOT / "docs" / name).read_text(encoding="utf-8")


def test_deploy_guide_has_nothing_left_for_a_later_release() -> None:
    assert "later release" not in _guide("deploy.md")


def test_every_install_line_brings_the_speech_packages() -> None:
    """Both apt-get lines (cage, bare X): without these, Listen is hidden."""
    lines = re.findall(r"apt-get install [^`]*?```", _guide("deploy.md"), flags=re.S)
    kiosk_lines = [line for line in lines if "python3-venv" in line]
    assert len(kiosk_lines) == 2
    for line in kiosk_lines:
        for package in ("speech-dispatcher", "speech-dispatcher-espeak-ng", "libspeechd2"):
            assert re.search(rf"\s{re.escape(package)}\s", line), package
        assert "libpulse0" in line


def test_deploy_guide_installs_the_session_script_and_covers_first_run() -> None:
    guide = _guide("deploy.md")
    assert "install -m 755 /opt/clinic-kiosk/resources/deploy/clinic-kiosk-session" in guide
    assert "install -m 755 $D/clinic-kiosk-session /usr/local/bin/clinic-kiosk-session" in guide
    for needed in ("RECOVERY-CODE.txt", "Set up staff access", "staff add", "Ubuntu 24.04"):
        assert needed in guide, needed
    # Every ExecStart= the guide suggests keeps the session script in front.
    for line in re.findall(r"ExecStart=/\S.*", guide):
        assert "clinic-kiosk-session run /var/lib/clinic-kiosk" in line, line


def test_the_three_guides_use_one_set_of_example_paths() -> None:
    """The deployed kiosk's full command paths; no other example folders."""
    for name in ("deploy.md", "staff.md", "authoring.md"):
        text = _guide(name)
        assert "/opt/clinic-kiosk/.venv/bin/kiosk" in text, name
        assert "C:\\clinic-kiosk\\.venv\\Scripts\\kiosk.exe" in text, name
        assert "/srv/kiosk/" not in text and "C:\\kiosk\\" not in text, name
    assert "C:\\Users\\kiosk\\AppData\\Local\\clinic-kiosk" in _guide("staff.md")


def test_the_crisis_text_example_keeps_the_text_line_and_spanish() -> None:
    example = re.search(r'\[crisis\]\ntext = """(.*?)"""', _guide("authoring.md"), flags=re.S)
    assert example is not None
    assert "741741" in example.group(1)
    assert "988 also offers help in Spanish" in example.group(1)
