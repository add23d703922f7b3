"""Staff mode costs patients nothing until it is used: each step loads only
what it needs (checked in a fresh interpreter, as the kiosk starts)."""

from __future__ import annotations

import subprocess
import sys

import pytest

STAFF_ONLY = (
    "kiosk.staff.accounts",
    "kiosk.staff.audit",
    "kiosk.ui.staff.pinpad",
    "kiosk.ui.staff.context",
    "kiosk.ui.staff.panel",
    "kiosk.ui.staff.tabs.enquiries",
    "kiosk.ui.staff.tabs.export",
    "kiosk.ui.staff.tabs.summary",
    "kiosk.ui.staff.tabs.log",
    "kiosk.ui.staff.tabs.kiosk",
    "kiosk.ui.staff.tabs.staff",
    "kiosk.ui.staff.setup",
)


def _loaded_after(*modules: str) -> set[str]:
    """The modules of ``STAFF_ONLY`` in ``sys.modules`` after importing ``modules``."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(' '.join(m for m in {STAFF_ONLY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(out.stdout.split())


def test_the_kiosk_app_loads_no_staff_mode() -> None:
    """``app`` imports staff mode after the first paint, never at import."""
    code = "import sys, kiosk.ui.app; print([m for m in sys.modules if 'staff' in m])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("modules", "loaded"),
    [
        # After the first paint: the gesture only.
        (("kiosk.ui.app", "kiosk.ui.staff.mode"), set()),
        # The first gesture: the pad and the accounts, not the panel.
        (
            ("kiosk.ui.staff.mode", "kiosk.ui.staff.pinpad"),
            {"kiosk.ui.staff.pinpad", "kiosk.staff.accounts"},
        ),
        # The first sign-in: the panel brings every tab (the pad's modules are
        # in by then, but the panel does not need them).
        # (the Staff tab adds and removes accounts: the accounts' module, which
        # the pad loaded already, is needed again)
        (
            ("kiosk.ui.staff.mode", "kiosk.ui.staff.panel"),
            set(STAFF_ONLY[3:-1]) | {"kiosk.staff.accounts"},
        ),
        # No account yet: the set-up screen and the accounts, not the pad or the panel.
        (
            ("kiosk.ui.staff.mode", "kiosk.ui.staff.setup"),
            {"kiosk.ui.staff.setup", "kiosk.staff.accounts"},
        ),
    ],
    ids=["mode", "pinpad", "panel", "setup"],
)
def test_each_step_loads_only_what_it_needs(modules: tuple[str, ...], loaded: set[str]) -> None:
    assert _loaded_after(*modules) == loaded
