"""The plain-Python modules of the kiosk's start, imported before PySide6.

PySide6 hooks Python's imports: each module imported after PySide6 has its
whole source read, looking for the word "PySide6", to apply PySide's optional
"features" to it (shibokensupport/feature.py, PYSIDE-2029). The modules on the
way to the first screen that do not use Qt (config, content, paths, the
translations, and the standard library's dataclasses, tomllib, json ...) pay
for that for nothing when they come after it. Imported first, they do not:
some 20 ms of a 200 ms start to the first painted home (``make bench``).

``kiosk run`` calls :func:`import_plain_modules` before it imports the user
interface; so does the bench, which measures that start.
"""

from __future__ import annotations

import importlib
import sys

#: Imported by the kiosk's build before its first paint and using no Qt
#: (tests/ui/test_startup.py checks both).
PLAIN_MODULES = (
    "copy",
    "dataclasses",
    "datetime",
    "html",
    "html.entities",
    "json",
    "signal",
    "tomllib",
    "kiosk.config",
    "kiosk.content",
    "kiosk.logging_setup",
    "kiosk.office.published",
    "kiosk.paths",
    "kiosk.ui.i18n",
    "kiosk.ui.metrics",
    "kiosk.ui.patient",
    "kiosk.ui.theme",
)


def import_plain_modules() -> None:
    """Import ``PLAIN_MODULES`` (before PySide6, to be of use: see above)."""
    for name in PLAIN_MODULES:
        if name not in sys.modules:
            importlib.import_module(name)
