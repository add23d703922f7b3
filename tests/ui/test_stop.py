"""systemd's stop (SIGTERM) ends the kiosk with exit code 0 whenever it
comes: before the first paint, during the start-up's last steps (before the
speech thread is made), while the speech engine is looked for and made, and
after. Qt aborts a process that destroys a running thread (exit -6), so each
moment is its own real kiosk process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.ui.app import SPEECH_DELAY_ENV
from kiosk.ui.patient.speech import ENGINE_ENV, MOCK_ENGINE
from tests.ui.kiosk_process import first_run, kiosk_env, stop_at

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

LOOKING = "read aloud: looking for a speech engine"
#: The speech engine looked for half a second after the first paint, not 3 s: three
#: of the moments come after it. Still long enough that a SIGTERM sent on "request
#: form ready" arrives before the speech thread is made.
SPEECH_DELAY_MS = "500"


@pytest.mark.parametrize(
    ("line", "engine"),
    [
        ("kiosk started", MOCK_ENGINE),  # the window is built, not yet painted
        ("request form ready", MOCK_ENGINE),  # the speech thread is made just after
        (LOOKING, ""),  # the machine's own engine (speech-dispatcher here, if any)
        (LOOKING, MOCK_ENGINE),
        ("read aloud: engine mock ready", MOCK_ENGINE),
    ],
)
def test_sigterm_at_any_moment_ends_the_kiosk_cleanly(
    tmp_path: Path, line: str, engine: str
) -> None:
    data = tmp_path / "data"
    first_run(data)
    stopped = stop_at(
        data, line, kiosk_env(**{ENGINE_ENV: engine, SPEECH_DELAY_ENV: SPEECH_DELAY_MS})
    )
    assert line in stopped.before, stopped.before  # the moment was reached
    assert "Traceback" not in stopped.before + stopped.after
    assert "QThread" not in stopped.after, stopped.after
    assert stopped.code == 0, stopped.after
