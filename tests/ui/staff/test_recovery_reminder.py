"""Issue 18 point 6: until RECOVERY-CODE.txt is gone from the tablet, the staff
panel says so in words, over every tab; once it is deleted, it does not."""

from __future__ import annotations

from kiosk.ui.i18n import staff_strings as s
from kiosk.ui.widgets import breakable
from tests.ui.staff.conftest import MakeStaff, StaffEnv
from tests.ui.staff.test_panel import open_panel


def test_the_panel_reminds_staff_until_the_recovery_code_is_gone(
    make_staff: MakeStaff, staff_env: StaffEnv
) -> None:
    recovery = staff_env.paths.recovery_file
    assert recovery.exists()  # the first run wrote it
    _window, mode = make_staff()
    panel = open_panel(mode, staff_env)
    assert panel.recovery_reminder.isVisible()
    assert panel.recovery_reminder.text() == s.RECOVERY_REMINDER.format(
        file=breakable(str(recovery))
    )
    assert "delete the file" in panel.recovery_reminder.text()
    mode.lock()
    recovery.unlink()
    panel = open_panel(mode, staff_env)
    assert not panel.recovery_reminder.isVisible()
