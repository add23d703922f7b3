"""Guards on the Qt binding itself: a kiosk runs for months, so a leak per call kills it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_keep_none_alive(qapp: QApplication) -> None:
    """PySide6 6.12.0 on Python 3.11 lost a reference to None on every void call; after a
    few thousand page turns the process died with "none_dealloc"."""
    obj = QObject()
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(200):
        qapp.processEvents()
        obj.setObjectName("x")
        timer.stop()
    assert sys.getrefcount(None) - before > -50
