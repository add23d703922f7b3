"""The chime for a new enquiry: a short WAV (resources/sounds/chime.wav, made by
scripts/sounds.py) played by ``QSoundEffect``. Off unless the front desk
ticks "Chime for new enquiries"; the choice is kept per PC (``QSettings``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, QUrl, Signal

from kiosk.paths import resource_dir

CHIME_KEY = "chime"  # the QSettings key: true when the chime is on


def chime_file() -> QUrl:
    return QUrl.fromLocalFile(str(resource_dir() / "sounds" / "chime.wav"))


def chime_wanted(settings: QSettings) -> bool:
    return str(settings.value(CHIME_KEY, "false")).lower() == "true"


class Chime(QObject):
    """Signals:
    played(): ``play`` asked the sound effect to play (whether or not the PC has
        a speaker: the effect says so in its ``status``).
    """

    played = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Loads Qt Multimedia and its audio backend: only once the chime is wanted.
        from PySide6.QtMultimedia import QSoundEffect

        self.effect = QSoundEffect(self)
        self.effect.setSource(chime_file())
        self.effect.setVolume(0.6)

    def play(self) -> None:
        self.effect.play()
        self.played.emit()
