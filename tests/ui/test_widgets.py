"""The small shared pieces: ``text_label``, ``centred`` and the ``TopBar``."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui import metrics
from kiosk.ui.topbar import NARROW_PX, TopBar
from kiosk.ui.widgets import centred, text_label


def test_text_label_is_plain_wrapped_and_not_selectable(qtbot: QtBot) -> None:
    label = text_label("<b>Riverside</b>", "welcome")
    qtbot.addWidget(label)
    assert label.objectName() == "welcome"
    assert label.text() == "<b>Riverside</b>"
    assert label.textFormat() == Qt.TextFormat.PlainText  # markup shown as typed
    assert label.wordWrap()
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert not text_label("3 of 9", "pageProgress", wrap=False).wordWrap()


def _row_in(width: int, content: QWidget, max_width: int | None) -> QWidget:
    holder = QWidget()
    outer = QVBoxLayout(holder)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addLayout(centred(content, max_width))
    holder.resize(width, 200)
    holder.show()
    return holder


@pytest.mark.parametrize("width", [600, 1100, 1920])
def test_centred_column_grows_to_its_maximum_width_in_the_middle(qtbot: QtBot, width: int) -> None:
    column = QLabel("text")
    holder = _row_in(width, column, metrics.READING_WIDTH)
    qtbot.addWidget(holder)
    qtbot.waitExposed(holder)
    # The stretches either side take 1/102 each of a narrow row, no more.
    assert min(width, metrics.READING_WIDTH) * 100 // 102 <= column.width()
    assert column.width() <= min(width, metrics.READING_WIDTH)
    left = column.x()
    right = width - column.geometry().right() - 1
    assert abs(left - right) <= 1


def test_centred_control_keeps_its_own_size(qtbot: QtBot) -> None:
    control = QPushButton("Done")
    holder = _row_in(1280, control, None)
    qtbot.addWidget(holder)
    qtbot.waitExposed(holder)
    assert control.width() == control.sizeHint().width()
    assert abs(control.x() - (1280 - control.geometry().right() - 1)) <= 1


def _cell(bar: TopBar, widget: QWidget) -> tuple[int, int]:
    grid = bar.layout()
    assert isinstance(grid, QGridLayout)
    # PySide6's stubs type getItemPosition's result as object: a 4-tuple at run time.
    position: tuple[int, int, int, int] = grid.getItemPosition(grid.indexOf(widget))  # type: ignore[assignment]
    return position[0], position[1]


def test_top_bar_takes_one_row_when_wide_and_two_when_narrow(qtbot: QtBot) -> None:
    bar = TopBar("Riverside Mental Health Clinic")
    qtbot.addWidget(bar)
    bar.fit(1280)
    buttons = (bar.brand, bar.help_button, bar.request_button, bar.display_button)
    assert [_cell(bar, w) for w in buttons] == [(0, 0), (0, 1), (0, 2), (0, 3)]
    bar.fit(NARROW_PX - 200)
    assert [_cell(bar, w) for w in buttons] == [(0, 0), (1, 0), (1, 1), (0, 2)]
    # Too narrow for the two buttons side by side: a row each.
    bar.fit(200)
    assert [_cell(bar, w) for w in buttons] == [(0, 0), (1, 0), (2, 0), (0, 2)]
    bar.fit(1280)
    assert [_cell(bar, w) for w in buttons] == [(0, 0), (0, 1), (0, 2), (0, 3)]


def test_top_bar_keeps_the_names_style_sheets_and_tests_find(qtbot: QtBot) -> None:
    bar = TopBar("Riverside")
    qtbot.addWidget(bar)
    assert bar.objectName() == "topBar"
    assert bar.clinic_name.objectName() == "clinicName"
    assert bar.logo.objectName() == "clinicLogo"
    assert bar.help_button.objectName() == "helpButton"
    assert bar.request_button.objectName() == "barRequest"
    assert bar.display_button.objectName() == "displayButton"
    assert bar.help_button.accessibleName() == bar.help_button.text()
