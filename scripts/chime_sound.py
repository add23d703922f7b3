"""Make the office app's chime: resources/sounds/chime.wav.

    python scripts/chime_sound.py

Two soft sine notes (E6 then C6, 0.35 s in all, 16-bit mono at 44.1 kHz),
each faded in and out so it does not click. Written for this project and given
to the public domain (CC0 1.0), like the rest of resources/sounds/.
"""

from __future__ import annotations

import math
import struct
import sys
import wave

from kiosk.paths import resource_dir

RATE = 44_100
NOTES = ((1318.5, 0.15), (1046.5, 0.20))  # Hz, seconds
VOLUME = 0.35  # of full scale: a chime, not an alarm
FADE_S = 0.02


def samples() -> list[int]:
    out: list[int] = []
    for freq, seconds in NOTES:
        count = int(RATE * seconds)
        fade = int(RATE * FADE_S)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade) * math.exp(-3.0 * i / count)
            out.append(round(32767 * VOLUME * envelope * math.sin(2 * math.pi * freq * i / RATE)))
    return out


def main() -> int:
    path = resource_dir() / "sounds" / "chime.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples()))
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
