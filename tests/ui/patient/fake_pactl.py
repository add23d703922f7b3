"""A stand-in for PulseAudio's ``pactl`` on PATH, so the kiosk's own QProcess
code runs against a real process: ``pactl subscribe`` prints the events the
test appends, ``pactl info`` / ``pactl list sinks`` print the sinks the test
chose (JSON, or the plain text of a pactl before 16), and every call is
written down."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

SCRIPT = """#!{python}
import json, os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
def path(name):
    return os.path.join(here, name)
args = sys.argv[1:]
with open(path("calls.txt"), "a") as calls:
    calls.write(" ".join(args) + "\\n")
if os.path.exists(path("no-server")):
    sys.stderr.write("Connection failure: Connection refused\\n")
    sys.exit(1)
if args and args[0] == "--format=json":
    if os.path.exists(path("no-json")):
        sys.stderr.write("pactl: unrecognized option '--format=json'\\n")
        sys.exit(1)
    args, form = args[1:], "json"
else:
    form = "text"
if args == ["subscribe"]:
    seen = 0
    while True:
        with open(path("events.txt")) as events:
            lines = events.readlines()
        for line in lines[seen:]:
            sys.stdout.write(line)
        sys.stdout.flush()
        seen = len(lines)
        time.sleep(0.02)
if os.path.exists(path("hang")) and args != ["subscribe"]:
    time.sleep(3600)  # a sound server that never answers
with open(path("state.json")) as state_file:
    state = json.load(state_file)
if args == ["info"]:
    if form == "json":
        print(json.dumps({{"server_name": "PulseAudio (on PipeWire 1.0.5)",
                          "default_sink_name": state["default"]}}))
    else:
        print("Server Name: PulseAudio (on PipeWire 1.0.5)\\nDefault Sink: " + state["default"])
elif args == ["list", "sinks"]:
    print(json.dumps(state["sinks"]) if form == "json" else state["text"])
else:
    sys.exit(2)
"""

ANALOG = "alsa_output.pci-0000_00_1f.3.analog-stereo"
HDMI = "alsa_output.pci-0000_00_1f.3.hdmi-stereo"


def _sink(name: str, ports: list[dict[str, str]], active: str) -> dict[str, object]:
    return {"index": 56, "state": "SUSPENDED", "name": name, "ports": ports, "active_port": active}


def _as_text(sinks: list[dict[str, object]]) -> str:
    """What ``pactl list sinks`` prints (the parts that matter, in its layout)."""
    out = []
    for number, sink in enumerate(sinks):
        out += [f"Sink #{number}", "\tState: SUSPENDED", f"\tName: {sink['name']}"]
        out += ["\tDescription: Built-in Audio", "\tMute: no", "\tPorts:"]
        for port in sink["ports"]:  # type: ignore[attr-defined]
            out.append(
                f"\t\t{port['name']}: {port['description']} (type: {port['type']}, "
                f"priority: 9900, availability group: Legacy 2, {port['availability']})"
            )
        out += [f"\tActive Port: {sink['active_port']}", "\tFormats:", "\t\tpcm", ""]
    return "\n".join(out)


class FakePactl:
    """The fake's folder (put first on PATH) and what it will answer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(exist_ok=True)
        program = folder / "pactl"
        program.write_text(SCRIPT.format(python=sys.executable), encoding="utf-8")
        program.chmod(0o755)
        (folder / "events.txt").write_text("", encoding="utf-8")
        self.set(headphones=False)

    def set(self, *, headphones: bool, default: str = ANALOG) -> None:
        """The built-in card's sink on its headphones (plugged) or speakers
        (headphones "not available"), and an HDMI sink; ``default`` names the
        default sink."""
        ports = [
            {
                "name": "analog-output-speaker",
                "description": "Speakers",
                "type": "Speaker",
                "availability": "availability unknown",
            },
            {
                "name": "analog-output-headphones",
                "description": "Headphones",
                "type": "Headphones",
                "availability": "available" if headphones else "not available",
            },
        ]
        active = "analog-output-headphones" if headphones else "analog-output-speaker"
        hdmi = [
            {
                "name": "hdmi-output-0",
                "description": "HDMI / DisplayPort",
                "type": "HDMI",
                "availability": "available",
            }
        ]
        sinks = [_sink(ANALOG, ports, active), _sink(HDMI, hdmi, "hdmi-output-0")]
        state = {"default": default, "sinks": sinks, "text": _as_text(sinks)}
        (self.folder / "state.json").write_text(json.dumps(state), encoding="utf-8")

    def event(self, line: str) -> None:
        with (self.folder / "events.txt").open("a", encoding="utf-8") as events:
            events.write(line + "\n")

    def plug(self, headphones: bool) -> None:
        """What a plug (or unplug) does: the sink's port changes, then pactl says so."""
        self.set(headphones=headphones)
        self.event("Event 'change' on card #47")
        self.event("Event 'change' on sink #56")

    def without_json(self) -> None:
        (self.folder / "no-json").touch()

    def hang(self, hanging: bool = True) -> None:
        """Queries (not ``subscribe``) hang until told otherwise."""
        if hanging:
            (self.folder / "hang").touch()
        else:
            (self.folder / "hang").unlink(missing_ok=True)

    def without_server(self) -> None:
        (self.folder / "no-server").touch()

    def calls(self) -> list[str]:
        path = self.folder / "calls.txt"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def on_path(folder: Path, monkeypatch: pytest.MonkeyPatch) -> FakePactl:
    """A fake pactl in ``folder``, found first on PATH."""
    fake = FakePactl(folder)
    monkeypatch.setenv("PATH", f"{fake.folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return fake
