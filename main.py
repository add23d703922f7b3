"""``python main.py [options]``: start the kiosk, the same as ``kiosk run``."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args if args[:1] == ["run"] else ["run", *args]))
