"""PySide6 imported for the kiosk's start, without its import hook.

On its first import PySide6 replaces Python's ``__import__`` with its own
(``builtins.__feature_import__``), for its optional "features" (``from
__feature__ import snake_case, true_property``, PYSIDE-1019). That hook runs
Python code on every import statement after it, and for each module it has
not seen it reads the module's whole source, looking for the word "PySide6"
(``shibokensupport/feature.py``, ``_mod_uses_pyside``, through
``inspect.getsource``): the standard library's modules as well as the kiosk's,
each file then kept in ``linecache``. The kiosk uses no feature (a test keeps
it so), so :func:`import_pyside` puts Python's own ``__import__`` back as
soon as PySide6 is in: about 10 ms of a 230 ms start to the first painted
home (``make bench``), and none of the imports made later (the page screen,
the form, staff mode) pay it either.

Features are only switched on by a ``from __feature__ import``, which then
fails (there is no ``__feature__`` module without the hook): a loud failure,
not a silent change of behaviour.

``kiosk run`` and ``kiosk office app`` call :func:`import_pyside` before they
import their user interface; so do the bench, which measures that start, and
the UI tests (tests/ui/conftest.py), so they run the kiosk as it runs.
"""

from __future__ import annotations

import builtins


def import_pyside() -> bool:
    """Import PySide6 and put Python's own ``__import__`` back; whether PySide's
    hook was found in place (and so taken out). Harmless when called again."""
    import PySide6.QtCore  # noqa: F401  (installs the hook: see above)

    hook = getattr(builtins, "__feature_import__", None)
    python_import = getattr(builtins, "__orig_import__", None)
    if hook is None or python_import is None or builtins.__import__ is not hook:
        return False  # another PySide6 release, or already done
    builtins.__import__ = python_import
    return True
