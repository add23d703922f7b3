"""``python main.py [options]``: start the kiosk, the same as ``kiosk run``.

``python main.py COMMAND ...`` runs any other ``kiosk`` command
(``check-content``, ``check-config``, ``example-config``)."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    from kiosk.cli import COMMANDS

    args = sys.argv[1:]
    sys.exit(main(args if any(a in COMMANDS for a in args) else ["run", *args]))
