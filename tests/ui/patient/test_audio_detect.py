"""Issue 15 point 1: headphones start audio mode. ``HeadphoneWatch`` runs a
real ``pactl`` process (a fake one on PATH: tests/ui/patient/fake_pactl.py)
through its QProcess code; plugging and unplugging are its events and answers.
Windows' QMediaDevices side cannot run here (see docs/audio.md)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.patient.audio import (
    HeadphoneWatch,
    Port,
    Sink,
    default_sink,
    headphones_in,
    sinks_from_json,
    sinks_from_text,
)
from tests.ui.kiosk_process import first_run, kiosk_env, stop_at
from tests.ui.patient.fake_pactl import ANALOG, HDMI, FakePactl, on_path

WAIT_MS = 5000  # a Python process per pactl call, on a busy shared machine


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakePactl:
    return on_path(tmp_path / "bin", monkeypatch)


@pytest.fixture
def watches(qtbot: QtBot) -> Iterator[list[HeadphoneWatch]]:
    """Watches whose pactl processes end with the test."""
    made: list[HeadphoneWatch] = []
    yield made
    for watch in made:
        watch.stop()


def watch_of(watches: list[HeadphoneWatch], **kwargs: object) -> HeadphoneWatch:
    watch = HeadphoneWatch(settle_ms=20, **kwargs)  # type: ignore[arg-type]
    watches.append(watch)
    return watch


def test_plugging_and_unplugging_is_heard(
    qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch]
) -> None:
    watch = watch_of(watches)
    heard: list[bool] = []
    watch.plugged.connect(heard.append)
    watch.start()
    qtbot.waitUntil(lambda: "--format=json list sinks" in fake.calls(), timeout=WAIT_MS)
    assert heard == [] and not watch.headphones  # speakers at start: nothing to say
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS) as plugged:
        fake.plug(True)
    assert plugged.args == [True] and watch.headphones
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS) as unplugged:
        fake.plug(False)
    assert unplugged.args == [False] and heard == [True, False]


def test_headphones_in_before_the_kiosk_started(
    qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch]
) -> None:
    fake.set(headphones=True)
    watch = watch_of(watches)
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS) as plugged:
        watch.start()
    assert plugged.args == [True]


def test_a_burst_of_events_is_one_look(
    qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch]
) -> None:
    """A plug sends several events at once; one look at the sinks answers them all,
    and events about streams (a sink-input) are no reason to look."""
    watch = HeadphoneWatch(settle_ms=300)
    watches.append(watch)
    watch.start()
    qtbot.waitUntil(lambda: "--format=json list sinks" in fake.calls(), timeout=WAIT_MS)
    fake.event("Event 'new' on sink-input #12")
    fake.event("Event 'remove' on sink-input #12")
    qtbot.wait(600)
    assert fake.calls().count("--format=json list sinks") == 1
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS):
        fake.set(headphones=True)
        for _ in range(5):
            fake.event("Event 'change' on sink #56")
    qtbot.wait(600)
    assert fake.calls().count("--format=json list sinks") == 2


def test_only_the_default_sink_counts(
    qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch]
) -> None:
    """Headphones in the built-in card while the sound goes to HDMI: nobody hears
    through them, so no audio mode."""
    fake.set(headphones=True, default=HDMI)
    watch = watch_of(watches)
    watch.start()
    qtbot.waitUntil(lambda: "--format=json list sinks" in fake.calls(), timeout=WAIT_MS)
    qtbot.wait(200)
    assert not watch.headphones
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS):
        fake.set(headphones=True, default=ANALOG)
        fake.event("Event 'change' on server #-1")  # the default sink changed


def test_a_pactl_without_json(qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch]) -> None:
    """pactl before 16 refuses --format=json: its plain text is read instead."""
    fake.without_json()
    fake.set(headphones=True)
    watch = watch_of(watches)
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS):
        watch.start()
    assert "list sinks" in fake.calls()
    with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS) as unplugged:
        fake.plug(False)
    assert unplugged.args == [False]


def test_no_pactl_is_one_log_line(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    watches: list[HeadphoneWatch],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    watch = watch_of(watches)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.audio"):
        watch.start()
        qtbot.waitUntil(lambda: bool(caplog.records), timeout=WAIT_MS)
        qtbot.wait(200)
    assert [r.getMessage() for r in caplog.records] == [
        "audio mode: headphones cannot be detected: pactl could not be started "
        "(install pulseaudio-utils)"
    ]
    assert not watch.headphones


def test_no_sound_server_is_one_log_line(
    qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch], caplog: pytest.LogCaptureFixture
) -> None:
    fake.without_server()
    watch = watch_of(watches)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.audio"):
        watch.start()
        qtbot.waitUntil(lambda: len(fake.calls()) >= 2, timeout=WAIT_MS)
        qtbot.wait(300)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1, messages
    assert "Connection refused" in messages[0]
    assert not watch.headphones


def test_a_query_that_hangs_is_stopped_said_once_and_asked_again(
    qtbot: QtBot, fake: FakePactl, watches: list[HeadphoneWatch], caplog: pytest.LogCaptureFixture
) -> None:
    """A sound server that never answers would leave ``pactl info`` waiting for
    ever, and every later plug unheard: it is killed after the deadline (one
    log line, however often it hangs), asked again later, and heard once it
    answers."""
    fake.hang()
    watch = watch_of(watches, query_timeout_ms=300, retry_ms=400)
    with caplog.at_level(logging.INFO, logger="kiosk.ui.patient.audio"):
        watch.start()
        # Asked, killed, asked again, killed again: still one line.
        qtbot.waitUntil(lambda: fake.calls().count("--format=json info") >= 3, timeout=WAIT_MS)
        hung = [r.getMessage() for r in caplog.records]
        assert len(hung) == 1, hung
        assert hung[0] == (
            "audio mode: pactl info did not answer in 0.3 s: stopped, asked again in 0.4 s"
        )
        fake.set(headphones=True)
        with qtbot.waitSignal(watch.plugged, timeout=WAIT_MS) as plugged:
            fake.hang(False)  # the server answers again: the next retry hears it
        assert plugged.args == [True]
    assert caplog.records[-2].getMessage() == "audio mode: pactl answers again"


def test_the_running_kiosk_hears_headphones_and_stops_cleanly(tmp_path: Path) -> None:
    """main.py as systemd runs it (the default ``[audio] mode``): headphones in at
    start turn audio mode on after the first paint; SIGTERM ends it and its
    pactl processes without a word from Qt."""
    data = tmp_path / "data"
    first_run(data)
    fake = FakePactl(tmp_path / "bin")
    fake.set(headphones=True)
    path = f"{fake.folder}{os.pathsep}{os.environ.get('PATH', '')}"
    stopped = stop_at(data, "audio mode on", kiosk_env(KIOSK_SPEECH_ENGINE="off", PATH=path))
    assert "audio mode: headphones plugged in" in stopped.before, stopped.before
    assert "Traceback" not in stopped.before + stopped.after
    assert "QProcess" not in stopped.after, stopped.after
    assert stopped.code == 0, stopped.after
    # Both start at once (the events, and a first look): either may write first.
    assert "subscribe" in fake.calls()


# -- reading pactl's answers -------------------------------------------------------
PLAIN = """Sink #56
\tState: SUSPENDED
\tName: alsa_output.pci-0000_00_1f.3.analog-stereo
\tDescription: Built-in Audio Analog Stereo
\tProperties:
\t\tdevice.string = "front:0"
\tPorts:
\t\tanalog-output-speaker: Speakers (type: Speaker, priority: 10000, availability group: Legacy 3, availability unknown)
\t\tanalog-output-headphones: Headphones (type: Headphones, priority: 9900, availability group: Legacy 2, not available)
\tActive Port: analog-output-speaker
\tFormats:
\t\tpcm
"""  # noqa: E501  (pactl's own lines)


def test_plain_text_sinks() -> None:
    (sink,) = sinks_from_text(PLAIN)
    assert sink == Sink(
        "alsa_output.pci-0000_00_1f.3.analog-stereo",
        "analog-output-speaker",
        (
            Port("analog-output-speaker", "Speakers", "Speaker", True),
            Port("analog-output-headphones", "Headphones", "Headphones", False),
        ),
    )
    assert not sink.headphones_in()
    plugged = PLAIN.replace("Legacy 2, not available", "Legacy 2, available").replace(
        "Active Port: analog-output-speaker", "Active Port: analog-output-headphones"
    )
    assert sinks_from_text(plugged)[0].headphones_in()


def test_json_sinks_and_headsets() -> None:
    """A Bluetooth headset's port says "headset"; a port without an
    availability (older servers) counts as there."""
    text = (
        '[{"name": "bluez_output.00_1B_66.1", "active_port": "headset-output",'
        ' "ports": [{"name": "headset-output", "description": "Headset", "type": "Headset",'
        ' "availability": "availability unknown"}]},'
        ' {"name": "null", "active_port": null, "ports": []}]'
    )
    sinks = sinks_from_json(text)
    assert [s.headphones_in() for s in sinks] == [True, False]
    assert headphones_in(sinks, "bluez_output.00_1B_66.1")
    assert not headphones_in(sinks, "null")
    assert headphones_in(sinks, "")  # no default known: any sink


USB_HEADSET = """Sink #62
\tState: SUSPENDED
\tName: alsa_output.usb-C-Media_USB_Audio_Device-00.analog-stereo
\tDescription: USB Audio Device Analog Stereo
\tProperties:
\t\talsa.card_name = "USB Audio Device"
\t\tdevice.bus = "usb"
\t\tdevice.form_factor = "headset"
\t\tdevice.description = "USB Audio Device Analog Stereo"
\tPorts:
\t\tanalog-output: Analog Output (type: Analog, priority: 9900, availability unknown)
\tActive Port: analog-output
\tFormats:
\t\tpcm
"""


def test_a_usb_headset_is_a_sink_of_its_own() -> None:
    """A USB headset plugged in is a sink of its own whose port is a plain
    "Analog Output": its form factor (or its name) says it is worn; a USB
    sound card for speakers, with the same port, is not headphones."""
    (sink,) = sinks_from_text(USB_HEADSET)
    assert sink.form_factor == "headset" and sink.headphones_in()
    speakers = USB_HEADSET.replace('"headset"', '"speaker"')
    assert not sinks_from_text(speakers)[0].headphones_in()
    text = (
        '[{"name": "alsa_output.usb-Logitech_USB_Headset-00.analog-stereo",'
        ' "active_port": "analog-output", "properties": {"device.bus": "usb"},'
        ' "ports": [{"name": "analog-output", "description": "Analog Output",'
        ' "type": "Analog", "availability": "availability unknown"}]},'
        ' {"name": "alsa_output.usb-Generic_USB_Audio-00.analog-stereo",'
        ' "active_port": null, "properties": {"device.form_factor": "headphone"}, "ports": []},'
        ' {"name": "alsa_output.usb-Generic_DAC-00.analog-stereo", "active_port": "analog-output",'
        ' "properties": {"device.form_factor": "speaker"},'
        ' "ports": [{"name": "analog-output", "description": "Analog Output", "type": "Analog",'
        ' "availability": "availability unknown"}]}]'
    )
    assert [s.headphones_in() for s in sinks_from_json(text)] == [True, True, False]


def test_default_sink_from_json_or_text() -> None:
    assert default_sink('{"default_sink_name": "hdmi"}') == "hdmi"
    assert default_sink("Server Name: PulseAudio\nDefault Sink: analog\nDefault Source: mic") == (
        "analog"
    )
    assert default_sink("Server Name: PulseAudio") == ""
