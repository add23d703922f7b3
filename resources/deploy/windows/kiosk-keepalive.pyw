"""Run the clinic kiosk and start it again, 2 seconds after it exits, until
staff leave kiosk mode.

For Windows editions without Shell Launcher (Pro), where a scheduled task
starts the kiosk at logon: Task Scheduler's own "restart on failure" waits at
least a minute and does not count a non-zero exit status as a failure, so this
loop does the restarting, like systemd's Restart=always on Linux.

    C:\\clinic-kiosk\\.venv\\Scripts\\pythonw.exe C:\\clinic-kiosk\\kiosk-keepalive.pyw run

Arguments are passed to the kiosk unchanged (default: "run"). The kiosk runs
through kiosk-launch.pyw, which after "Leave kiosk mode" signs the kiosk user
out and exits with 75: then this loop ends too.
"""

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

RESTART_DELAY_S = 2.0
LEFT_KIOSK_MODE = 75  # kiosk.support.leave.LEFT_KIOSK_MODE, as kiosk-launch.pyw exits


def keep_alive(
    command: list[str],
    call: Callable[[list[str]], int] = subprocess.call,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run ``command`` again and again, until it exits with 75."""
    while True:
        if call(command) == LEFT_KIOSK_MODE:
            return LEFT_KIOSK_MODE
        sleep(RESTART_DELAY_S)


if __name__ == "__main__":
    launcher = Path(__file__).with_name("kiosk-launch.pyw")
    # sys.executable is this virtual environment's pythonw.exe: no console.
    sys.exit(keep_alive([sys.executable, str(launcher), *(sys.argv[1:] or ["run"])]))
