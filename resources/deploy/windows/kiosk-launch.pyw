"""Start the clinic kiosk under pythonw.exe, so that Windows opens no console window.

`kiosk.exe` (the launcher pip creates for the `kiosk` command) is a console
program: started by Shell Launcher or Task Scheduler it opens a console window
behind the kiosk, and closing that window kills the kiosk. This file runs the
same entry point, `kiosk.cli:main`, with the same arguments, under the
windowless interpreter of the kiosk's virtual environment:

    C:\\clinic-kiosk\\.venv\\Scripts\\pythonw.exe C:\\clinic-kiosk\\kiosk-launch.pyw run

The exit status is the kiosk's own, so Shell Launcher sees a crash as a crash.

"Leave kiosk mode": the kiosk writes DATA_DIR\\left-kiosk-mode before it
exits. This file deletes that flag before starting the kiosk, and when the
kiosk has left it there, signs the kiosk user out (the Windows sign-in screen
shows: install-kiosk.ps1 does not force automatic sign-in after a sign-out)
and exits with 75, which Shell Launcher is told to do nothing about and
kiosk-keepalive.pyw stops on. The next start of Windows signs "kiosk" in again.
"""

import os
import sys
from collections.abc import Callable

# pythonw.exe has no stdout/stderr (they are None); give anything that writes
# to them (print, faulthandler, a logging StreamHandler) somewhere harmless.
# The kiosk's own log is DATA_DIR/logs/kiosk.log.
if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

sys.argv[0] = "kiosk"

from kiosk.cli import main  # noqa: E402
from kiosk.support import leave  # noqa: E402


def launch(
    arguments: list[str],
    run: Callable[[list[str]], int] = main,
    sign_out: Callable[[], None] = leave.sign_out_windows,
) -> int:
    """Run the kiosk once; after "Leave kiosk mode", sign out and return 75."""
    data_dir = leave.data_dir_in(arguments)
    leave.clear(data_dir)
    status = run(arguments)
    if leave.was_left(data_dir):
        sign_out()
        return leave.LEFT_KIOSK_MODE
    return status


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
