"""Run the clinic kiosk and start it again, 2 seconds after it exits, for ever.

For Windows editions without Shell Launcher (Pro), where a scheduled task
starts the kiosk at logon: Task Scheduler's own "restart on failure" waits at
least a minute and does not count a non-zero exit status as a failure, so this
loop does the restarting, like systemd's Restart=always on Linux.

    C:\\clinic-kiosk\\.venv\\Scripts\\pythonw.exe C:\\clinic-kiosk\\kiosk-keepalive.pyw run

Arguments are passed to the kiosk unchanged (default: "run").
"""

import subprocess
import sys
import time
from pathlib import Path

RESTART_DELAY_S = 2.0

launcher = Path(__file__).with_name("kiosk-launch.pyw")
arguments = sys.argv[1:] or ["run"]

while True:
    # sys.executable is this virtual environment's pythonw.exe: no console.
    subprocess.call([sys.executable, str(launcher), *arguments])
    time.sleep(RESTART_DELAY_S)
