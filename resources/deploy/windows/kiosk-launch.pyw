"""Start the clinic kiosk under pythonw.exe, so that Windows opens no console window.

`kiosk.exe` (the launcher pip creates for the `kiosk` command) is a console
program: started by Shell Launcher or Task Scheduler it opens a console window
behind the kiosk, and closing that window kills the kiosk. This file runs the
same entry point, `kiosk.cli:main`, with the same arguments, under the
windowless interpreter of the kiosk's virtual environment:

    C:\\clinic-kiosk\\.venv\\Scripts\\pythonw.exe C:\\clinic-kiosk\\kiosk-launch.pyw run

The exit status is the kiosk's own, so Shell Launcher sees a crash as a crash.
"""

import os
import sys

# pythonw.exe has no stdout/stderr (they are None); give anything that writes
# to them (print, faulthandler, a logging StreamHandler) somewhere harmless.
# The kiosk's own log is DATA_DIR/logs/kiosk.log.
if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

sys.argv[0] = "kiosk"

from kiosk.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
