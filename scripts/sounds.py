"""Make the office app's two sounds in resources/sounds/ (CC0: resources/sounds/README.md):

- ``alert.wav``: the crisis alert: two tones falling (880 Hz, then 660 Hz), a
  quarter second each, then half a second of quiet, so that played in a loop it
  repeats about once a second without running into itself (stereo);
- ``chime.wav``: a new enquiry: two soft notes (E6 then C6, 0.35 s in all),
  dying away, a chime rather than an alarm (mono).

Made here from nothing but sine waves, 16-bit at 44.1 kHz, each tone faded in
and out so it does not click. ``python scripts/sounds.py`` makes them again;
the files are committed.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from kiosk.paths import resource_dir

RATE = 44_100  # Hz, 16-bit: the format every sound card plays
FADE_S = 0.02  # no click at either end of a tone


def tones(notes: tuple[tuple[float, float], ...], volume: float, decay: float = 0.0) -> list[int]:
    """``(Hz, seconds)`` notes one after another, faded at both ends; ``decay``
    makes each die away (a struck chime) rather than hold (an alarm)."""
    out: list[int] = []
    fade = int(RATE * FADE_S)
    for freq, seconds in notes:
        count = int(RATE * seconds)
        for i in range(count):
            edge = min(1.0, i / fade, (count - 1 - i) / fade) * math.exp(-decay * i / count)
            out.append(round(32767 * volume * edge * math.sin(2 * math.pi * freq * i / RATE)))
    return out


def write(path: Path, samples: list[int], channels: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = [value for sample in samples for value in [sample] * channels]
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(frames)}h", *frames))
    print(f"wrote {path}")


def main() -> None:
    sounds = resource_dir() / "sounds"
    alert = tones(((880.0, 0.25), (660.0, 0.25)), volume=0.5) + [0] * int(RATE * 0.5)
    write(sounds / "alert.wav", alert, channels=2)
    write(sounds / "chime.wav", tones(((1318.5, 0.15), (1046.5, 0.20)), 0.35, decay=3.0), 1)


if __name__ == "__main__":
    main()
