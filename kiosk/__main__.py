"""``python -m kiosk COMMAND ...``: the ``kiosk`` command, for where the script is
not on the PATH (a virtual environment not activated)."""

import sys

from kiosk.cli import main

sys.exit(main())
