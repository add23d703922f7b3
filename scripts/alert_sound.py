"""Make resources/sounds/alert.wav: the office app's crisis-alert sound.

Two tones falling (880 Hz, then 660 Hz), a quarter second each with soft
edges, then half a second of quiet, so that played in a loop it repeats about
once a second without running into itself. Made here, from nothing but sine
waves: CC0 (resources/sounds/README.md). Run ``python scripts/alert_sound.py``
to make it again; the file is committed.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100  # Hz, 16-bit stereo: the format every sound card plays
TONES = ((880.0, 0.25), (660.0, 0.25))
QUIET_S = 0.5
FADE_S = 0.02  # no click at either end of a tone
VOLUME = 0.5

OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds" / "alert.wav"


def samples() -> list[int]:
    out: list[int] = []
    for freq, length in TONES:
        n = int(RATE * length)
        fade = int(RATE * FADE_S)
        for i in range(n):
            edge = min(1.0, i / fade, (n - 1 - i) / fade)
            value = VOLUME * edge * math.sin(2 * math.pi * freq * i / RATE)
            out.append(round(value * 32767))
    out += [0] * int(RATE * QUIET_S)
    return out


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        data = [value for sample in samples() for value in (sample, sample)]  # left, right
        wav.writeframes(struct.pack(f"<{len(data)}h", *data))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
